//! The CLI checks every write: standard output or standard error full
//! (/dev/full) or a closed pipe ends in exit 3 with, where possible, one
//! message — never exit 0 with nothing written, never a panic (101).
#![cfg(target_os = "linux")]

use std::fs::File;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const VISIT: &str =
    r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":23}],"diagnoses":["M54.50"]}"#;
const CSV: &str = "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses\nV1,2026-03-02,medicare,pt,97110,23,,2,GP,M54.50\n";

enum To {
    Pipe,
    Full,
}

fn stdio(to: &To) -> Stdio {
    match to {
        To::Pipe => Stdio::piped(),
        To::Full => File::create("/dev/full").expect("/dev/full").into(),
    }
}

fn ptbill(args: &[&str], stdin: &str, stdout: To, stderr: To) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ptbill"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(stdio(&stdout))
        .stderr(stdio(&stderr))
        .spawn()
        .expect("ptbill runs");
    // A command that does not read standard input (audit FILE) may exit first.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn csv_file(name: &str) -> tempfile_path::Path {
    tempfile_path::Path::with(name, CSV)
}

/// A file in the temporary directory, removed when dropped (no extra dependency).
mod tempfile_path {
    pub struct Path(pub std::path::PathBuf);
    impl Path {
        pub fn with(name: &str, text: &str) -> Path {
            let p = std::env::temp_dir().join(format!("ptbill-cli-io-{}-{name}", std::process::id()));
            std::fs::write(&p, text).unwrap();
            Path(p)
        }
        pub fn arg(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }
    impl Drop for Path {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[test]
fn a_full_stdout_is_exit_3_with_one_message() {
    let csv = csv_file("stdout.csv");
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "-"],
        vec!["check", "--format", "json", "-"],
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["explain", "ncci-edit"],
        vec!["version"],
        vec!["--help"],
        vec!["icd10", "M54.50", "--date", "2026-03-02"],
        vec!["audit", csv.arg()],
        vec!["audit", "--format", "json", csv.arg()],
    ];
    for args in cases {
        let out = ptbill(&args, VISIT, To::Full, To::Pipe);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.matches("cannot write to standard output").count(),
            1,
            "{args:?}: one message, got {err:?}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn a_full_stderr_is_exit_3_not_a_panic() {
    let csv = csv_file("stderr.csv");
    // Bad input (its message goes to stderr), an unknown command, and the audit's summary line.
    for (args, stdin) in [
        (vec!["check", "-"], "{"),
        (vec!["check", "-"], r#"{"date_of_service":"2026-03-02","lines":[]}"#),
        (vec!["frobnicate"], ""),
        (vec!["audit", csv.arg()], ""),
    ] {
        let out = ptbill(&args, stdin, To::Pipe, To::Full);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {out:?}");
    }
    // Both full: still 3.
    let out = ptbill(&["check", "-"], VISIT, To::Full, To::Full);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn a_closed_pipe_is_exit_3() {
    // The reading end is closed before ptbill starts, so its first write fails
    // (a pipe left open could take the whole output into its buffer first).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = Command::new(env!("CARGO_BIN_EXE_ptbill"))
        .args(["rules", "--format", "json"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to standard output"));
}

#[test]
fn working_streams_keep_the_contract_codes() {
    let out = ptbill(&["check", "--format", "json", "-"], VISIT, To::Pipe, To::Pipe);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert!(out.stderr.is_empty());
    let out = ptbill(&["check", "-"], "{", To::Pipe, To::Pipe);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    // The help documents exit status 3.
    let out = ptbill(&["--help"], "", To::Pipe, To::Pipe);
    assert!(String::from_utf8_lossy(&out.stdout).contains("exit status 3"));
}

#[test]
fn check_accepts_a_byte_order_mark_in_a_file() {
    let file = tempfile_path::Path::with("bom.json", &format!("\u{feff}{VISIT}"));
    let out = ptbill(&["check", "--format", "json", file.arg()], "", To::Pipe, To::Pipe);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["timed_units"], 2);
}

#[test]
fn keys_given_twice_and_empty_lines_are_exit_2_naming_the_field() {
    for (visit, field) in [
        (
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":23}],"lines":[]}"#,
            "lines: is given twice",
        ),
        (
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":23,"code":"97140"}]}"#,
            "lines[0].code: is given twice",
        ),
        (r#"{"date_of_service":"2026-03-02","lines":[]}"#, "lines: is empty"),
    ] {
        let out = ptbill(&["check", "-"], visit, To::Pipe, To::Pipe);
        assert_eq!(out.status.code(), Some(2), "{visit}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field), "{err}");
    }
}
