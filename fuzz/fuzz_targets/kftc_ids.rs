//! KFTC ids, dates, times, amounts and the paging cursor, from one string.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        finhub_kftc::fuzzing::ids_and_dates(s);
    }
});
