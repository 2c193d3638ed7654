//! Fuzz target `audit_bytes`: see `props::audit_bytes` for what it asserts.
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::audit_bytes(data));
