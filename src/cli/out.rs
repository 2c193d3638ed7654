//! Every byte the CLI writes goes through here, and every write is checked.
//! `println!`/`eprintln!` panic when a stream is full or closed (exit 101, a
//! panic message nobody sees); a plain `write` that ignores its result exits 0
//! having written nothing (`ptbill check visit.json > /dev/full`). Instead the
//! first failure is remembered, and [`finish`] turns it into exit status 3 with
//! one message on standard error when standard error still works.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status when output could not be written (README, `ptbill --help`).
pub const WRITE_FAILED: u8 = 3;

/// The first failed write to standard output, in words.
static STDOUT_FAILED: OnceLock<String> = OnceLock::new();
/// Whether a write to standard error failed.
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

fn stdout_failed(e: &io::Error) -> io::Error {
    let _ = STDOUT_FAILED.set(e.to_string());
    io::Error::new(e.kind(), e.to_string())
}

/// Writes `text` to standard output and flushes it; a failure is remembered for
/// [`finish`] (later writes are skipped: the output is already incomplete).
pub fn stdout(text: &str) {
    let _ = Stdout.write_all(text.as_bytes()).and_then(|()| Stdout.flush());
}

/// Writes one message line to standard error; a failure is remembered.
pub fn stderr(line: &str) {
    let mut err = io::stderr().lock();
    if err
        .write_all(line.as_bytes())
        .and_then(|()| err.write_all(b"\n"))
        .and_then(|()| err.flush())
        .is_err()
    {
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
}

/// The exit status to leave with: `code`, unless a write failed (then 3, and
/// one message about standard output on standard error, if it can be written).
pub fn finish(code: ExitCode) -> ExitCode {
    let _ = Stdout.flush();
    if let Some(e) = STDOUT_FAILED.get() {
        stderr(&format!(
            "ptbill: cannot write to standard output ({e}); the output is incomplete"
        ));
        return ExitCode::from(WRITE_FAILED);
    }
    if STDERR_FAILED.load(Ordering::Relaxed) {
        return ExitCode::from(WRITE_FAILED);
    }
    code
}

/// Standard output as an `io::Write` for streaming output (the audit's CSV):
/// checked like [`stdout`].
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if STDOUT_FAILED.get().is_some() {
            return Err(io::Error::other("standard output failed earlier"));
        }
        io::stdout().lock().write(buf).map_err(|e| stdout_failed(&e))
    }
    fn flush(&mut self) -> io::Result<()> {
        if STDOUT_FAILED.get().is_some() {
            return Err(io::Error::other("standard output failed earlier"));
        }
        io::stdout().lock().flush().map_err(|e| stdout_failed(&e))
    }
}
