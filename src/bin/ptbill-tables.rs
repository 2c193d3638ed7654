//! Writes the big reference tables compiled into this build (data/) in their
//! binary form (src/tables/binary.rs), for the page's calculator module, which
//! leaves them out and fetches this file after its first result.
//! Usage: ptbill-tables OUT (scripts/build-wasm.sh writes www/data/tables.bin).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1) else {
        eprintln!("usage: ptbill-tables OUT (for example www/data/tables.bin)");
        return ExitCode::from(2);
    };
    let bytes = match ptbill::tables::binary::encode_embedded() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ptbill-tables: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The file must read back as it was written, with every table whole.
    if let Err(e) = ptbill::tables::binary::decode(&bytes) {
        eprintln!("ptbill-tables: the file written does not read back: {e}");
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("ptbill-tables: cannot write {}: {e}", out.to_string_lossy());
        return ExitCode::FAILURE;
    }
    println!("{}: {} bytes", out.to_string_lossy(), bytes.len());
    ExitCode::SUCCESS
}
