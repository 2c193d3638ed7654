//! Fuzz target `icd10`: see `props::icd10` for what it asserts.
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::icd10(data));
