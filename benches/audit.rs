//! Audit throughput against the floor (a bare `csv`-crate parse of the same file),
//! the wasm build under Node, and peak memory for a million visits. Prints a table.
//!
//! Files come from the generator below (deterministic), written to target/bench-data/.
//! `cargo bench --bench audit` (via `make bench`).

// The same allocator as the CLI, so the in-process figure is the CLI's engine.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Writes `visits` visits (1–4 service lines each) as the contract's audit CSV.
pub fn generate(path: &Path, visits: u64) -> std::io::Result<u64> {
    const CODES: &[(&str, bool)] = &[
        ("97110", true),
        ("97112", true),
        ("97116", true),
        ("97140", true),
        ("97530", true),
        ("97535", true),
        ("97035", true),
        ("97161", false),
        ("97164", false),
        ("97150", false),
        ("G0283", false),
        ("97010", false),
    ];
    const DX: &[&str] = &[
        "M54.50", "M25.561", "M25.562", "M54.5", "S86.011A", "M75.100", "M25.569", "G56.00",
    ];
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(
        out,
        "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses"
    )?;
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = |n: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % n
    };
    let mut rows = 0;
    for v in 0..visits {
        let date = format!("2026-{:02}-{:02}", 1 + rnd(9), 1 + rnd(28));
        let payer = ["medicare", "medicare", "medicare_advantage", "commercial", "medicaid"][rnd(5) as usize];
        let n = 1 + rnd(4);
        let dx = DX[rnd(DX.len() as u64) as usize];
        for _ in 0..n {
            let (code, timed) = CODES[rnd(CODES.len() as u64) as usize];
            let minutes = if timed { 5 + rnd(40) } else { 20 + rnd(30) };
            let assistant = if timed && rnd(5) == 0 { rnd(minutes) } else { 0 };
            let units = if rnd(3) == 0 {
                (1 + rnd(3)).to_string()
            } else {
                String::new()
            };
            let mods = ["GP", "GP", "GP 59", ""][rnd(4) as usize];
            writeln!(
                out,
                "V{v:07},{date},{payer},pt,{code},{minutes},{assistant},{units},{mods},{dx}"
            )?;
            rows += 1;
        }
    }
    out.flush()?;
    Ok(rows)
}

/// Two adjacent tick fields of `/proc/self/stat` summed, in seconds (Linux;
/// `None` elsewhere). Counted after the command name (in parentheses): utime
/// and stime are the 12th and 13th, cutime and cstime the 14th and 15th.
fn stat_seconds(first: usize) -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(first)?.parse::<f64>().ok()? + f.get(first + 1)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// This process's user + system CPU seconds, all threads.
fn cpu_seconds() -> Option<f64> {
    stat_seconds(11)
}

/// CPU seconds (user + system) of this process's waited-for children.
fn child_cpu_seconds() -> Option<f64> {
    stat_seconds(13)
}

/// The least CPU time of `runs` runs of a child process (on a loaded machine
/// CPU time is the steadier figure: wall time also counts waiting for a core).
fn least_child_cpu(runs: usize, mut f: impl FnMut()) -> Option<f64> {
    let mut best: Option<f64> = None;
    for _ in 0..runs {
        let before = child_cpu_seconds()?;
        f();
        let used = child_cpu_seconds()? - before;
        best = Some(best.map_or(used, |b| b.min(used)));
    }
    best
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(r);
    }
    (best, last.expect("at least one run"))
}

/// The page's audit in Chromium of the 100k file and the 200 MB file: seconds and peak MB each.
fn page_figures(small: &Path, huge: &Path) -> Vec<(f64, f64)> {
    Command::new("node")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/audit-page.mjs"))
        .arg(small)
        .arg(huge)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter_map(|l| {
                    let f: Vec<&str> = l.split(' ').collect();
                    Some((f.get(1)?.parse().ok()?, f.get(2)?.parse().ok()?))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A million visits through the CLI: seconds and the peak resident memory it reports.
fn big_run(bin: &str, big: &Path) -> (f64, String) {
    let t = Instant::now();
    let out = Command::new(bin)
        .args(["audit", "--format", "csv"])
        .arg(big)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("ptbill runs");
    let big_secs = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("ptbill audit: peak resident memory "))
        .unwrap_or("n/a")
        .to_string();

    (big_secs, rss)
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let small = dir.join("visits-100k.csv");
    let big = dir.join("visits-1m.csv");
    let rows_small = generate(&small, 100_000).expect("generate 100k");
    // PTBILL_BENCH_QUICK=1: only the 100k figures (no page, no 1M or 200 MB files).
    let quick = std::env::var_os("PTBILL_BENCH_QUICK").is_some();
    let rows_big = if quick {
        0
    } else {
        generate(&big, 1_000_000).expect("generate 1M")
    };
    // About 200 MB, for the page.
    let huge = dir.join("visits-200mb.csv");
    if !quick {
        generate(&huge, 1_390_000).expect("generate 200 MB");
    }
    let huge_mb = std::fs::metadata(&huge).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let bin = env!("CARGO_BIN_EXE_ptbill");
    let size = std::fs::metadata(&small).map(|m| m.len()).unwrap_or(0);

    // The floor: parse every record with the csv crate, nothing else.
    let (floor, records) = best_of(3, || {
        let mut r = csv::Reader::from_path(&small).expect("open");
        r.records().filter(|x| x.is_ok()).count()
    });
    assert_eq!(records as u64, rows_small);
    // The floor's CPU time: ten parses, averaged (the clock ticks in 10 ms).
    let floor_cpu = cpu_seconds().and_then(|a| {
        for _ in 0..10 {
            let mut r = csv::Reader::from_path(&small).expect("open");
            std::hint::black_box(r.records().filter(|x| x.is_ok()).count());
        }
        cpu_seconds().map(|b| (b - a) / 10.0).filter(|s| *s > 0.0)
    });
    let cli_run = |format: &str| {
        Command::new(bin)
            .args(["audit", "--format", format])
            .arg(&small)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("ptbill runs");
    };
    let cli_cpu = least_child_cpu(3, || cli_run("csv"));

    // Native audit, whole CLI: two passes over the file, findings written as CSV.
    let (cli, _) = best_of(3, || {
        let st = Command::new(bin)
            .args(["audit", "--format", "csv"])
            .arg(&small)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        st.expect("ptbill runs")
    });
    // Native audit in-process, summary only (the same work the wasm figure does).
    let text = std::fs::read_to_string(&small).expect("read");
    let (native, summary) = best_of(3, || ptbill::audit::audit_summary_json(&text).expect("the file audits"));
    // The same work's CPU time over all threads: the native figure on one core.
    let cpu0 = cpu_seconds();
    let _ = ptbill::audit::audit_summary_json(&text);
    let one_core = cpu_seconds().zip(cpu0).map(|(b, a)| b - a).filter(|s| *s > 0.0);

    // The wasm build under Node, summary only.
    let node = Command::new("node")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/audit-wasm.mjs"))
        .arg(&small)
        .arg("summary")
        .output();
    let wasm: Option<f64> = node.ok().filter(|o| o.status.success()).and_then(|o| {
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        let (secs, json) = out.trim().split_once(' ')?;
        // Compare as values: JS orders integer-like keys ("97110") first.
        let a: serde_json::Value = serde_json::from_str(json).ok()?;
        let b: serde_json::Value = serde_json::from_str(&summary).ok()?;
        (a == b).then_some(())?;
        secs.parse().ok()
    });

    // The wasm `audit` export (full reports, streamed into one JSON text) under
    // The wasm `audit` under Node against the CLI's `--format json` (every visit's
    // full report): runs taken in turn, one of each five times, and the least wall
    // and CPU time of each kept, so that a busy spell on this shared machine
    // weighs on both sides alike (one run swung 5.4-6.6 s of CPU).
    let wasm_run = || -> Option<(f64, f64)> {
        Command::new("node")
            .args(["--max-old-space-size=8192"])
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/audit-wasm.mjs"))
            .arg(&small)
            .arg("audit")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| {
                let out = String::from_utf8_lossy(&o.stdout).to_string();
                let mut f = out.split_whitespace();
                let (secs, checked, cpu) = (f.next()?, f.next()?, f.next()?);
                (checked == "100000").then_some(())?;
                Some((secs.parse::<f64>().ok()?, cpu.parse::<f64>().ok()?))
            })
    };
    let least = |a: Option<(f64, f64)>, b: Option<(f64, f64)>| match (a, b) {
        (Some((w, c)), Some((rw, rc))) => Some((w.min(rw), c.min(rc))),
        _ => None,
    };
    let mut cli_best = Some((f64::MAX, f64::MAX));
    let mut wasm_audit = Some((f64::MAX, f64::MAX));
    for _ in 0..5 {
        let cpu0 = child_cpu_seconds();
        let t = Instant::now();
        cli_run("json");
        let wall = t.elapsed().as_secs_f64();
        let cli = child_cpu_seconds().zip(cpu0).map(|(b, a)| (wall, b - a));
        cli_best = least(cli_best, cli);
        wasm_audit = least(wasm_audit, wasm_run());
    }
    let cli_json = cli_best.map_or(f64::NAN, |(w, _)| w);
    let cli_json_cpu = cli_best.map(|(_, c)| c);

    // The page in Chromium: the 100k file and the 200 MB file.
    let page: Vec<(f64, f64)> = if quick { Vec::new() } else { page_figures(&small, &huge) };

    // Peak memory for a million visits, --format csv (the CLI reports its own VmHWM).
    let (big_secs, rss) = if quick {
        (0.0, "n/a".to_string())
    } else {
        big_run(bin, &big)
    };

    println!();
    println!(
        "| measure (this machine, {} cores) | figure |",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("|---|---|");
    println!(
        "| file: 100,000 visits, {rows_small} rows, {:.1} MB | |",
        size as f64 / 1e6
    );
    println!("| bare CSV parse, `csv` crate (floor) | {:.0} ms |", floor * 1e3);
    println!(
        "| native audit, CLI `--format csv` (two threads) | {:.0} ms ({:.1}× the floor; target ≤ 8×, stretch 4×) |",
        cli * 1e3,
        cli / floor
    );
    if let (Some(c), Some(f)) = (cli_cpu, floor_cpu) {
        println!(
            "| the same, CPU time (user + system, both threads) against the floor's CPU time | {:.0} ms against {:.0} ms ({:.1}×) |",
            c * 1e3,
            f * 1e3,
            c / f
        );
    }
    if let Some(c) = one_core {
        println!(
            "| native audit in-process, summary only, CPU time over all threads (one core) | {:.0} ms ({:.1}× the floor) |",
            c * 1e3,
            c / floor
        );
    }
    if let (Some(w), Some(c)) = (wasm, one_core) {
        println!(
            "| wasm audit (summary only) vs native on one core | {:.1}× (target ≤ 2×) |",
            w / c
        );
    }
    println!(
        "| native audit, CLI `--format json` (full reports) | {:.0} ms |",
        cli_json * 1e3
    );
    match wasm_audit {
        Some((w, cpu)) => {
            println!(
                "| wasm `audit` under Node (full reports, one thread) | {:.0} ms ({:.1}× the CLI's `--format json`; target ≤ 3×) |",
                w * 1e3,
                w / cli_json
            );
            if let Some(c) = cli_json_cpu {
                println!(
                    "| the same, CPU time: wasm `audit` under Node against the CLI's `--format json` | {cpu:.2} s against {c:.2} s ({:.1}×; target ≤ 3×) |",
                    cpu / c
                );
            }
        }
        None => println!("| wasm `audit` under Node | not measured (build www/pkg-audit first: make build) |"),
    }
    match page.first() {
        Some((secs, mb)) => println!(
            "| the page's audit of the 100k file in Chromium | {secs:.1} s, browser peak memory {mb:.0} MB (targets < 10 s, < 1 GB) |"
        ),
        None if quick => println!("| the page's audit in Chromium | skipped (PTBILL_BENCH_QUICK) |"),
        None => println!("| the page's audit in Chromium | not measured (needs make build and /usr/bin/chromium) |"),
    }
    if let Some((secs, mb)) = page.get(1) {
        println!(
            "| the page's audit of a {huge_mb:.0} MB file (1,390,000 visits) | completes in {secs:.1} s, browser peak memory {mb:.0} MB (target < 1 GB) |"
        );
    }
    println!(
        "| native audit in-process (two threads), summary only | {:.0} ms ({:.1}× the floor) |",
        native * 1e3,
        native / floor
    );
    match wasm {
        Some(w) => println!(
            "| wasm audit under Node (www/pkg-audit, one thread), summary only | {:.0} ms ({:.1}× native in-process, {:.1}× the CLI) |",
            w * 1e3,
            w / native,
            w / cli
        ),
        None => println!("| wasm audit under Node | not measured (build www/pkg-audit first: make build) |"),
    }
    if !quick {
        println!(
            "| 1,000,000 visits ({rows_big} rows), CLI `--format csv` | {:.1} s, peak RSS {rss} |",
            big_secs
        );
    }
    println!();
    println!(
        "(best of 3 runs; the wasm `audit` and the CLI's `--format json`: the least of 5 each, run in turn; `make bench` or `cargo bench --bench audit`)"
    );
}
