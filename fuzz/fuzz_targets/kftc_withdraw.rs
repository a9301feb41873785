//! A withdraw request body through the KFTC JSON extractor and the field checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    finhub_kftc::fuzzing::withdraw_body(data);
});
