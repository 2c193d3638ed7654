//! The `ptbill` command line: a thin door over the library.
//!
//! ```text
//! ptbill check [--format text|json] [FILE|-]
//! ptbill rules [--format text|json]
//! ptbill explain RULE
//! ptbill audit [--format csv|json] [--payer NAME=VALUE]... FILE.csv|-
//! ptbill version
//! ```
//! `check` exits 0 when the visit has no error, 1 when it has, 2 when the input
//! cannot be read as a visit (message on stderr, nothing on stdout). Every
//! command exits 3 when its output cannot be written (`cli_out`).

// The audit hands visits between two threads and frees on one what the other
// allocated; glibc's malloc made that the largest cost (see README, "Audit").
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{Read, Write};
use std::process::ExitCode;

#[path = "cli/out.rs"]
mod cli_out;
mod text;

const USAGE: &str = "usage:
  ptbill check [--format text|json] [FILE|-]   check one visit (JSON); exit 0 clean, 1 errors, 2 bad input
  ptbill audit [--format csv|json] [--payer NAME=VALUE]... FILE.csv|-
                                               check many visits (one row per service line)
  ptbill rules [--format text|json]            list the rules
  ptbill explain RULE                          print a rule's docs page
  ptbill icd10 CODE [--date D]                 look up an ICD-10-CM code on a date (JSON)
  ptbill icd10 --search WORDS [--date D]       search ICD-10-CM by code prefix or words (JSON)
  ptbill version                               print the version
exit status 3: the output could not be written (standard output or error full or closed)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match run(&args) {
        Ok(code) => code,
        Err(msg) => {
            cli_out::stderr(&format!("ptbill: {msg}"));
            ExitCode::from(2)
        }
    };
    cli_out::finish(code)
}

/// Splits `--format X` out of the arguments; `choices[0]` is the default.
fn parse_format<'a>(args: &[String], choices: &[&'a str]) -> Result<(&'a str, Vec<String>), String> {
    let mut format = choices[0];
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = if a == "--format" {
            Some(
                it.next()
                    .ok_or_else(|| format!("--format needs a value: {}", choices.join(" or ")))?
                    .as_str(),
            )
        } else {
            a.strip_prefix("--format=")
        };
        match value {
            Some(v) => {
                format = choices
                    .iter()
                    .find(|c| **c == v)
                    .ok_or_else(|| format!("unknown --format {v:?}; use {}", choices.join(" or ")))?;
            }
            None if a.starts_with("--") => return Err(format!("unknown option {a}\n{USAGE}")),
            None => rest.push(a.clone()),
        }
    }
    Ok((format, rest))
}

/// The audit command: two passes over the file, so memory stays flat; standard
/// input and other inputs that cannot be read twice (pipes, `/dev/stdin`,
/// process substitution) are spooled to a temporary file first. Exit 0 clean,
/// 1 findings of error severity or row errors, 2 the file cannot be audited, 3 a
/// write failed.
fn audit(args: &[String]) -> Result<ExitCode, String> {
    let mut opts = ptbill::audit::Options::default();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--payer" {
            let spec = it
                .next()
                .ok_or("--payer needs NAME=VALUE (e.g. \"Aetna=commercial\")")?;
            opts.add_payer(spec)?;
        } else if let Some(spec) = a.strip_prefix("--payer=") {
            opts.add_payer(spec)?;
        } else {
            rest.push(a.clone());
        }
    }
    let (format, files) = parse_format(&rest, &["csv", "json"])?;
    let [path] = files.as_slice() else {
        return Err(format!("audit takes one CSV file (or - for standard input)\n{USAGE}"));
    };
    let input = AuditInput::open(path)?;
    let open = || input.reopen();
    let stdout = std::io::stdout().lock();
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout);
    let (done, written) = if format == "json" {
        let mut sink = ptbill::audit::JsonSink::new(out, false);
        match ptbill::audit::audit_read(open, opts, &mut sink) {
            Ok(done) => {
                let w = sink
                    .finish(&done)
                    .and_then(|mut o| o.write_all(b"\n").and_then(|()| o.flush()));
                (done, w)
            }
            Err(m) => return fatal(path, &m),
        }
    } else {
        let mut sink = ptbill::audit::CsvSink::new(out);
        match ptbill::audit::audit_read(open, opts, &mut sink) {
            Ok(done) => {
                let w = sink.finish().map(|_| ());
                (done, w)
            }
            Err(m) => return fatal(path, &m),
        }
    };
    if let Err(e) = written {
        // The same message as every other command's (src/cli/out.rs).
        cli_out::stderr(&format!(
            "ptbill: cannot write to standard output ({e}); the output is incomplete"
        ));
        return Ok(ExitCode::from(cli_out::WRITE_FAILED));
    }
    let s = &done.summary;
    let mut note = format!(
        "ptbill audit: {} visits ({} checked), {} rows; {} findings ({}); {} row errors; {} visits with errors; units {} (timed {}); claimed {} (over {}, under {})",
        done.visits,
        done.visits_checked,
        done.rows,
        s.by_severity.values().sum::<u64>(),
        s.by_severity
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", "),
        s.row_errors,
        s.visits_with_errors,
        s.total_units,
        s.timed_units,
        s.claimed_units,
        s.units_over,
        s.units_under
    );
    if let Some(kb) = peak_rss_kb() {
        note.push_str(&format!(
            "\nptbill audit: peak resident memory {:.1} MB",
            kb as f64 / 1024.0
        ));
    }
    if format == "csv" && writeln!(std::io::stderr(), "{note}").is_err() {
        return Ok(ExitCode::from(3));
    }
    Ok(if done.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A file that cannot be audited: one message, exit 2 (3 if even that fails).
fn fatal(path: &str, message: &str) -> Result<ExitCode, String> {
    let name = if path == "-" { "standard input" } else { path };
    match writeln!(std::io::stderr(), "ptbill: cannot audit {name}: {message}") {
        Ok(()) => Ok(ExitCode::from(2)),
        Err(_) => Ok(ExitCode::from(3)),
    }
}

/// The audit's input, readable twice: a regular file as it is; anything else
/// (standard input, a pipe, a device) copied once to an unlinked temporary file.
enum AuditInput {
    Path(String),
    Spooled(std::fs::File),
}

impl AuditInput {
    fn open(path: &str) -> Result<AuditInput, String> {
        let name = if path == "-" { "standard input" } else { path };
        if path != "-" {
            let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            if meta.is_dir() {
                return Err(format!("cannot audit {path}: it is a folder, not a CSV file"));
            }
            if meta.is_file() {
                // Opened now, so an unreadable file is said before any output.
                std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
                return Ok(AuditInput::Path(path.to_string()));
            }
        }
        let mut src: Box<dyn Read> = if path == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?)
        };
        let spool_path = std::env::temp_dir().join(format!("ptbill-audit-{}-{}.csv", std::process::id(), nanos()));
        let mut spool = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&spool_path)
            .map_err(|e| {
                format!(
                    "cannot make a temporary copy of {name} in {}: {e}",
                    spool_path.display()
                )
            })?;
        // Unlinked at once: the copy disappears with the process.
        let _ = std::fs::remove_file(&spool_path);
        std::io::copy(&mut src, &mut spool).map_err(|e| format!("cannot read {name} to the end: {e}"))?;
        Ok(AuditInput::Spooled(spool))
    }

    fn reopen(&self) -> std::io::Result<Box<dyn Read + '_>> {
        use std::io::Seek;
        match self {
            AuditInput::Path(p) => Ok(Box::new(std::fs::File::open(p)?)),
            AuditInput::Spooled(f) => {
                let mut f = f;
                f.seek(std::io::SeekFrom::Start(0))?;
                Ok(Box::new(f))
            }
        }
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Peak resident set size (Linux: VmHWM in /proc/self/status).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim().parse().ok())
}

/// Every command's output: checked, a failure ends in exit 3 (see `cli_out`).
fn out(s: &str) -> Result<(), String> {
    cli_out::stdout(s);
    Ok(())
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(format!("no command\n{USAGE}"));
    };
    match cmd.as_str() {
        "check" => {
            let (format, files) = parse_format(rest, &["text", "json"])?;
            if files.len() > 1 {
                return Err(format!("check takes one file, got {}", files.len()));
            }
            let input = read_input(files.first().map(String::as_str).unwrap_or("-"))?;
            let visit = ptbill::parse_visit(&input).map_err(|e| format!("invalid visit: {e}"))?;
            let report = ptbill::check(&visit);
            match format {
                "json" => out(&(ptbill::to_json(&report) + "\n"))?,
                _ => out(&text::report(&visit, &report))?,
            }
            Ok(if report.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        "rules" => {
            let (format, extra) = parse_format(rest, &["text", "json"])?;
            if !extra.is_empty() {
                return Err(format!("rules takes no arguments\n{USAGE}"));
            }
            match format {
                "json" => out(&(ptbill::rules_json() + "\n"))?,
                _ => out(&text::rules())?,
            }
            Ok(ExitCode::SUCCESS)
        }
        "explain" => {
            let [id] = rest else {
                return Err(format!("explain takes one rule id\n{USAGE}"));
            };
            match ptbill::explain_rule(id) {
                Some(page) => {
                    out(&page)?;
                    Ok(ExitCode::SUCCESS)
                }
                None => Err(format!("no rule {id:?}; `ptbill rules` lists them")),
            }
        }
        "audit" => audit(rest),
        "icd10" => {
            let mut date = None;
            let mut search = false;
            let mut words = Vec::new();
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--date" => date = Some(it.next().ok_or("--date needs YYYY-MM-DD")?.clone()),
                    "--search" => search = true,
                    _ => words.push(a.clone()),
                }
            }
            let date = date.unwrap_or_else(today);
            let query = words.join(" ");
            if query.is_empty() {
                return Err(format!("icd10 needs a code or, with --search, words\n{USAGE}"));
            }
            let json = if search {
                ptbill::icd10_search_json(&query, &date, 20)
            } else {
                ptbill::icd10_lookup_json(&query, &date)
            }
            .map_err(|e| e.to_string())?;
            out(&(json + "\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        "version" | "--version" | "-V" => {
            out(&format!("ptbill {}\n", ptbill::VERSION))?;
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            out(&format!("{USAGE}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn read_input(path: &str) -> Result<String, String> {
    let mut s = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        s = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    }
    Ok(s)
}
