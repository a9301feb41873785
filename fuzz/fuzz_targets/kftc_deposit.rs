//! A deposit request body through the KFTC JSON extractor and each item's checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    finhub_kftc::fuzzing::deposit_body(data);
});
