//! Fuzz target `audit_rows`: see `props::audit_rows` for what it asserts.
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::audit_rows(data));
