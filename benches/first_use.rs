//! The first multi-code check in a fresh process: what a page pays when its
//! tables are built on first use (the ICD-10-CM code set, the PTP table, the MUE
//! and add-on tables). Each run is a new process, so nothing is warm.
//!
//! `cargo bench --bench first_use` prints the median of 15 runs, in ms;
//! `… -- --once` runs one check and prints its time in µs (what the parent reads);
//! `… -- --loop N` checks the 10-line visit N times (for `valgrind --tool=callgrind`).

// The same allocator as the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::Command;
use std::time::Instant;

/// Two codes (so the PTP table is read) and a diagnosis (so the code set is).
const FIRST: &str = r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}, {"code": "97140", "minutes": 15, "modifiers": ["GP"]}], "diagnoses": ["M25.569"]}"#;

/// The 10-line visit of benches/check.rs.
pub const TEN: &str = include_str!("ten-line-visit.json");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--once") {
        let visit = ptbill::parse_visit(FIRST).expect("visit parses");
        let t = Instant::now();
        let report = ptbill::check(&visit);
        let us = t.elapsed().as_secs_f64() * 1e6;
        assert!(!report.diagnostics.is_empty());
        println!("{us:.0}");
        return;
    }
    if let Some(n) = args
        .iter()
        .position(|a| a == "--loop")
        .and_then(|i| args.get(i + 1)?.parse::<u64>().ok())
    {
        let visit = ptbill::parse_visit(TEN).expect("visit parses");
        let mut findings = 0;
        for _ in 0..n {
            findings += std::hint::black_box(ptbill::check(std::hint::black_box(&visit)))
                .diagnostics
                .len();
        }
        println!("{findings} findings");
        return;
    }
    let exe = std::env::current_exe().expect("own path");
    let mut runs: Vec<f64> = (0..15)
        .filter_map(|_| {
            let out = Command::new(&exe).arg("--once").output().ok()?;
            String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().ok()
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    let median = runs.get(runs.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "first multi-code check, fresh process (median of {}): {:.2} ms",
        runs.len(),
        median / 1e3
    );
}
