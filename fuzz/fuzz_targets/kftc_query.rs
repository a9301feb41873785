//! A query string through the KFTC query extractor (balance, transaction list).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    finhub_kftc::fuzzing::queries(data);
});
