//! Batch audit: many visits from one CSV (one row per service line), each checked
//! with the engine; findings, row errors and a summary.
//!
//! Two passes over the input keep memory flat: the first counts the rows of each
//! visit (by a 64-bit hash of its id), the second gathers a visit's rows and
//! checks it as soon as its last row is read. A file grouped by visit therefore
//! holds one visit at a time; a scattered one still works, holding the visits
//! still open. Row numbers are as a spreadsheet shows them (the header is row 1).

use crate::csv::{Reader, Record};
use crate::report::{Report, Severity};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

/// Columns the audit reads (matched by header name; `setting` is optional).
pub const COLUMNS: &[&str] = &[
    "visit_id",
    "date_of_service",
    "payer",
    "discipline",
    "code",
    "minutes",
    "assistant_minutes",
    "units",
    "modifiers",
    "diagnoses",
];

/// A row that could not be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Spreadsheet row number.
    pub row: u64,
    /// The visit it belongs to, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visit_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// One checked visit.
#[derive(Clone, Debug, Serialize)]
pub struct VisitResult {
    /// The visit's id.
    pub visit_id: String,
    /// The input rows of its lines, in line order.
    pub rows: Vec<u64>,
    /// The visit as read from its rows (the contract's input), to reopen it.
    pub visit: Value,
    /// The engine's report.
    pub report: Report,
}

/// Counts over the whole file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Diagnostics by rule id.
    pub by_rule: BTreeMap<String, u64>,
    /// Diagnostics by severity.
    pub by_severity: BTreeMap<String, u64>,
    /// Diagnostics by code (visit-wide findings under "(visit)").
    pub by_code: BTreeMap<String, u64>,
    /// Visits with at least one error (including visits lost to row errors).
    pub visits_with_errors: u64,
    /// Timed units computed, all visits.
    pub timed_units: u64,
    /// Units claimed where the file gave them.
    pub claimed_units: u64,
    /// Units claimed above what the minutes earn (risk of over-billing).
    pub units_over: u64,
    /// Units earned but not claimed (left unbilled).
    pub units_under: u64,
    /// Rows that could not be used.
    pub row_errors: u64,
}

/// What the auditor hands out as it goes.
pub trait Sink {
    /// Whether results need the full report (explanations, statement) and the input visit.
    fn full(&self) -> bool {
        true
    }
    /// A visit was checked.
    fn visit(&mut self, result: VisitResult);
    /// A row could not be used.
    fn row_error(&mut self, error: RowError);
}

struct Pending {
    rows: Vec<(u64, crate::visit::Line)>,
    head: Option<(u64, String, String, String, String)>, // row, date, payer, discipline, setting
    diagnoses: Vec<String>,
    conflict: Option<String>,
    bad_rows: Vec<u64>,
    seen: u32,
}

fn hash(id: &str) -> u64 {
    // FNV-1a: stable and fast; a collision only delays a visit to the end of the file.
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Column positions from the header row.
fn header(fields: &[String]) -> Result<HashMap<&'static str, usize>, String> {
    let mut at = HashMap::new();
    for name in COLUMNS.iter().chain(&["setting"]) {
        if let Some(i) = fields
            .iter()
            .position(|f| f.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
        {
            at.insert(*name, i);
        }
    }
    for required in ["visit_id", "date_of_service", "code"] {
        if !at.contains_key(required) {
            return Err(format!(
                "the header has no {required} column; expected the columns {}",
                COLUMNS.join(",")
            ));
        }
    }
    Ok(at)
}

/// First pass: rows per visit (by hash) and the total number of data rows.
pub fn count<R: BufRead>(src: R) -> (HashMap<u64, u32>, u64) {
    let mut reader = Reader::new(src);
    let mut counts = HashMap::new();
    let mut rows = 0;
    let Some(Record::Fields(head)) = reader.next_record() else {
        return (counts, 0);
    };
    let id_at = header(&head).ok().and_then(|h| h.get("visit_id").copied());
    while let Some(rec) = reader.next_record() {
        rows += 1;
        if let (Record::Fields(f), Some(i)) = (rec, id_at) {
            let id = f.get(i).map(|s| s.trim()).unwrap_or("");
            if !id.is_empty() {
                *counts.entry(hash(id)).or_insert(0) += 1;
            }
        }
    }
    (counts, rows)
}

/// Second pass: checks each visit as soon as its rows are in; returns the summary.
/// `progress` is called every `every` rows with the rows read so far; returning
/// `false` stops the audit (cancel).
pub fn run<R: BufRead>(
    src: R,
    counts: &HashMap<u64, u32>,
    sink: &mut dyn Sink,
    every: u64,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Summary {
    let mut summary = Summary::default();
    let mut reader = Reader::new(src);
    let err = |sink: &mut dyn Sink, summary: &mut Summary, row: u64, id: Option<String>, message: String| {
        summary.row_errors += 1;
        sink.row_error(RowError {
            row,
            visit_id: id,
            message,
        });
    };
    let at = match reader.next_record() {
        None => {
            err(
                sink,
                &mut summary,
                1,
                None,
                "the file is empty: expected a header row".into(),
            );
            return summary;
        }
        Some(Record::Bad(m)) => {
            err(
                sink,
                &mut summary,
                1,
                None,
                format!("the header row cannot be read: {m}"),
            );
            return summary;
        }
        Some(Record::Fields(f)) => match header(&f) {
            Ok(at) => at,
            Err(m) => {
                err(sink, &mut summary, 1, None, m);
                while reader.next_record().is_some() {
                    err(
                        sink,
                        &mut summary,
                        reader.row,
                        None,
                        "not checked: the header row is unusable".into(),
                    );
                }
                return summary;
            }
        },
    };
    let mut open: HashMap<String, Pending> = HashMap::new();
    let mut batch: Batch = Vec::with_capacity(BATCH);
    let mut flight = Flight::default();
    let mut last_head = String::new();
    let mut order: Vec<String> = Vec::new(); // visits in order of first row, for the final flush
    let get = |f: &[String], name: &str| {
        at.get(name)
            .and_then(|&i| f.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    while let Some(rec) = reader.next_record() {
        let row = reader.row;
        if every > 0 && (row - 1).is_multiple_of(every) && !progress(row - 1) {
            return summary;
        }
        let fields = match rec {
            Record::Bad(m) => {
                err(sink, &mut summary, row, None, m);
                continue;
            }
            Record::Fields(f) => f,
        };
        if fields.iter().all(|f| f.trim().is_empty()) {
            err(sink, &mut summary, row, None, "empty row".into());
            continue;
        }
        let id = get(&fields, "visit_id");
        if id.is_empty() {
            err(sink, &mut summary, row, None, "visit_id is empty".into());
            continue;
        }
        let pending = open.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            Pending {
                rows: Vec::new(),
                head: None,
                diagnoses: Vec::new(),
                conflict: None,
                bad_rows: Vec::new(),
                seen: 0,
            }
        });
        pending.seen += 1;
        match row_to_line(&fields, &get, &mut last_head) {
            Err(m) => {
                pending.bad_rows.push(row);
                err(sink, &mut summary, row, Some(id.clone()), m);
            }
            Ok((line, head, dx)) => {
                match &pending.head {
                    None => pending.head = Some((row, head.0, head.1, head.2, head.3)),
                    Some((first, d, p, di, s)) => {
                        let differs = [
                            ("date_of_service", d, &head.0),
                            ("payer", p, &head.1),
                            ("discipline", di, &head.2),
                            ("setting", s, &head.3),
                        ]
                        .iter()
                        .find(|(_, a, b)| a != b)
                        .map(|(name, a, b)| format!("rows {first} and {row} disagree on {name} ({a:?} vs {b:?})"));
                        if pending.conflict.is_none() {
                            pending.conflict = differs;
                        }
                    }
                }
                for d in dx {
                    if !pending.diagnoses.contains(&d) {
                        pending.diagnoses.push(d);
                    }
                }
                pending.rows.push((row, line));
            }
        }
        if counts.get(&hash(&id)).is_some_and(|&n| pending.seen >= n)
            && let Some(p) = open.remove(&id)
        {
            batch.push((id, p));
            if batch.len() >= BATCH {
                flight.send(std::mem::take(&mut batch), sink, &mut summary);
            }
        }
    }
    for id in order {
        if let Some(p) = open.remove(&id) {
            batch.push((id, p));
        }
    }
    flight.send(batch, sink, &mut summary);
    flight.land(sink, &mut summary);
    progress(reader.row.saturating_sub(1));
    summary
}

type Head = (String, String, String, String);

fn row_to_line(
    fields: &[String],
    get: &dyn Fn(&[String], &str) -> String,
    last_head: &mut String,
) -> Result<(crate::visit::Line, Head, Vec<String>), String> {
    let date = get(fields, "date_of_service");
    let payer = get(fields, "payer");
    let discipline = get(fields, "discipline");
    let setting = get(fields, "setting");
    let number = |name: &str| -> Value {
        let t = get(fields, name);
        if t.is_empty() {
            Value::Null
        } else if let Ok(n) = t.parse::<u64>() {
            Value::from(n)
        } else if let Ok(n) = t.parse::<i64>() {
            Value::from(n)
        } else if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            Value::Number(n)
        } else {
            Value::String(t)
        }
    };
    // Spaces per the contract; commas and semicolons are accepted too, as spreadsheets write them.
    let list = |name: &str| -> Vec<String> {
        get(fields, name)
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let code = get(fields, "code");
    if code.is_empty() {
        return Err("code is empty".into());
    }
    let dx = list("diagnoses");
    // The row as a one-line visit, built in place and read by the same strict
    // parser as every other door, so its error names its own column.
    let mut line = serde_json::Map::new();
    line.insert("code".into(), Value::String(code));
    for k in ["minutes", "assistant_minutes", "units"] {
        line.insert(k.into(), number(k));
    }
    line.insert(
        "modifiers".into(),
        Value::Array(list("modifiers").into_iter().map(Value::String).collect()),
    );
    let named = |e: crate::visit::InputError| {
        let field = e.field.replace("lines[0].", "");
        if field.is_empty() {
            e.message
        } else {
            format!("{field}: {}", e.message)
        }
    };
    // The line goes through the strict parser's own line reader, so its error
    // names its own column.
    let line = crate::visit::line_from_value(&Value::Object(line), 0).map_err(named)?;
    // The visit-wide fields change rarely (once per visit at most): check them only
    // when they differ from the last row's.
    let key = format!(
        "{date}\u{1f}{payer}\u{1f}{discipline}\u{1f}{setting}\u{1f}{}",
        dx.join(" ")
    );
    if *last_head != key {
        let mut probe = serde_json::Map::new();
        probe.insert("date_of_service".into(), Value::String(date.clone()));
        probe.insert("lines".into(), Value::Array(Vec::new()));
        probe.insert(
            "diagnoses".into(),
            Value::Array(dx.iter().cloned().map(Value::String).collect()),
        );
        for (k, v) in [("payer", &payer), ("discipline", &discipline), ("setting", &setting)] {
            if !v.is_empty() {
                probe.insert(k.into(), Value::String(v.to_ascii_lowercase()));
            }
        }
        crate::visit::visit_from_value(&Value::Object(probe)).map_err(named)?;
        *last_head = key;
    }
    Ok((
        line,
        (
            date,
            payer.to_ascii_lowercase(),
            discipline.to_ascii_lowercase(),
            setting.to_ascii_lowercase(),
        ),
        dx,
    ))
}

/// Reports every row of a visit that cannot be checked as a whole.
fn reject(id: &str, p: &Pending, why: &str, sink: &mut dyn Sink, summary: &mut Summary) {
    summary.visits_with_errors += 1;
    for (row, _) in &p.rows {
        summary.row_errors += 1;
        sink.row_error(RowError {
            row: *row,
            visit_id: Some(id.to_string()),
            message: format!("visit {id} not checked: {why}"),
        });
    }
}

/// What checking one visit gave, computed apart from the sink so that visits
/// can be checked on several threads and still be written in order.
enum Outcome {
    /// The visit cannot be checked as a whole: every row is reported with this reason.
    Rejected(String),
    /// Every row of the visit was bad (each is already reported).
    Empty,
    /// Checked.
    Checked(Box<(crate::Visit, Report)>),
}

fn evaluate(p: &Pending, full: bool) -> Outcome {
    if let Some(conflict) = &p.conflict {
        return Outcome::Rejected(conflict.clone());
    }
    let Some((_, date, payer, discipline, setting)) = p.head.as_ref() else {
        return Outcome::Empty;
    };
    // Every row passed on its own with these same head fields, so the visit is
    // assembled directly rather than parsed again.
    let head = json!({"date_of_service": date, "payer": null_if_empty(payer), "discipline": null_if_empty(discipline), "setting": null_if_empty(setting), "lines": []});
    let mut parsed = match crate::visit::visit_from_value(&head) {
        Ok(v) => v,
        // Rows that pass alone cannot fail together, but never lose them if they do.
        Err(e) => return Outcome::Rejected(e.to_string()),
    };
    parsed.lines = p.rows.iter().map(|(_, l)| l.clone()).collect();
    parsed.diagnoses = p.diagnoses.clone();
    let report = crate::check_with(&parsed, full);
    Outcome::Checked(Box::new((parsed, report)))
}

fn apply(id: &str, p: &Pending, outcome: Outcome, full: bool, sink: &mut dyn Sink, summary: &mut Summary) {
    let (parsed, report) = match outcome {
        Outcome::Rejected(why) => return reject(id, p, &why, sink, summary),
        Outcome::Empty => {
            summary.visits_with_errors += 1;
            return;
        }
        Outcome::Checked(b) => *b,
    };
    if report.has_errors() || !p.bad_rows.is_empty() {
        summary.visits_with_errors += 1;
    }
    summary.timed_units += report.timed_units;
    // Claimed vs computed, per code.
    let mut per_code: BTreeMap<&str, (u64, u64, bool)> = BTreeMap::new();
    for (l, r) in parsed.lines.iter().zip(&report.lines) {
        let e = per_code.entry(&l.code).or_insert((0, 0, false));
        e.0 += r.units;
        if let Some(u) = l.units {
            e.1 += u64::from(u);
            e.2 = true;
        }
    }
    for (computed, claimed, given) in per_code.values() {
        if *given {
            summary.claimed_units += claimed;
            summary.units_over += claimed.saturating_sub(*computed);
            summary.units_under += computed.saturating_sub(*claimed);
        }
    }
    for d in &report.diagnostics {
        *summary.by_rule.entry(d.rule.to_string()).or_insert(0) += 1;
        *summary.by_severity.entry(d.severity.as_str().to_string()).or_insert(0) += 1;
        let code = d.line.map_or("(visit)".to_string(), |i| report.lines[i].code.clone());
        *summary.by_code.entry(code).or_insert(0) += 1;
    }
    sink.visit(VisitResult {
        visit_id: id.to_string(),
        rows: p.rows.iter().map(|(r, _)| *r).collect(),
        visit: if full {
            crate::visit::visit_to_value(&parsed)
        } else {
            Value::Null
        },
        report,
    });
}

/// Complete visits wait in batches of this size, so that one batch can be checked
/// while the next is read.
const BATCH: usize = 1024;

type Batch = Vec<(String, Pending)>;

/// The batch being checked. Natively it runs on a second thread while the next
/// batch is read (reading and checking take about the same time); on wasm, at once.
#[derive(Default)]
struct Flight {
    #[cfg(not(target_arch = "wasm32"))]
    running: Option<std::thread::JoinHandle<(Batch, Vec<Outcome>)>>,
}

fn apply_all(batch: Batch, outcomes: Vec<Outcome>, full: bool, sink: &mut dyn Sink, summary: &mut Summary) {
    for ((id, p), outcome) in batch.into_iter().zip(outcomes) {
        apply(&id, &p, outcome, full, sink, summary);
    }
}

impl Flight {
    /// Hands in a batch; the previous one's results go to the sink first, in order.
    fn send(&mut self, batch: Batch, sink: &mut dyn Sink, summary: &mut Summary) {
        let full = sink.full();
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.land(sink, summary);
            self.running = Some(std::thread::spawn(move || {
                let outcomes = batch.iter().map(|(_, p)| evaluate(p, full)).collect();
                (batch, outcomes)
            }));
        }
        #[cfg(target_arch = "wasm32")]
        {
            let outcomes = batch.iter().map(|(_, p)| evaluate(p, full)).collect();
            apply_all(batch, outcomes, full, sink, summary);
        }
    }

    /// Waits for the batch in flight and writes its results.
    fn land(&mut self, sink: &mut dyn Sink, summary: &mut Summary) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(handle) = self.running.take() {
            let full = sink.full();
            // A panic in a check would be a bug: the batch's rows are then reported, not lost.
            match handle.join() {
                Ok((batch, outcomes)) => apply_all(batch, outcomes, full, sink, summary),
                Err(_) => summary.row_errors += 1,
            }
        }
        let _ = (sink, summary);
    }
}

fn null_if_empty(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

/// Collects everything, for `--format json` and the wasm `audit`.
#[derive(Default)]
pub struct Collect {
    /// Checked visits.
    pub results: Vec<VisitResult>,
    /// Unusable rows.
    pub row_errors: Vec<RowError>,
}

impl Sink for Collect {
    fn visit(&mut self, result: VisitResult) {
        self.results.push(result);
    }
    fn row_error(&mut self, error: RowError) {
        self.row_errors.push(error);
    }
}

/// Audits CSV text and returns the contract's JSON result.
pub fn audit_json(text: &str) -> String {
    let (counts, rows) = count(text.as_bytes());
    let mut sink = Collect::default();
    let summary = run(text.as_bytes(), &counts, &mut sink, 0, &mut |_| true);
    let mut row_errors = sink.row_errors;
    row_errors.sort_by_key(|e| e.row);
    let checked: Vec<&str> = sink.results.iter().map(|r| r.visit_id.as_str()).collect();
    crate::to_json(&json!({
        "visits": checked.len() as u64 + visits_lost(&row_errors, &checked),
        "rows": rows,
        "row_errors": row_errors,
        "results": sink.results,
        "summary": summary,
    }))
}

/// Visits that appear only in row errors (never checked).
fn visits_lost(errors: &[RowError], checked: &[&str]) -> u64 {
    let checked: std::collections::HashSet<&str> = checked.iter().copied().collect();
    let lost: std::collections::HashSet<&str> = errors
        .iter()
        .filter_map(|e| e.visit_id.as_deref())
        .filter(|id| !checked.contains(id))
        .collect();
    lost.len() as u64
}

/// One CSV output row per finding and per row error: `visit_id,row,line,code,rule,severity,message`.
pub struct CsvSink<W: std::io::Write> {
    out: W,
}

/// The header of the findings CSV.
pub const FINDINGS_HEADER: &str = "visit_id,row,line,code,rule,severity,message\n";

/// A CSV cell, quoted only when it must be.
struct Cell<'a>(&'a str);

impl std::fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.contains([',', '"', '\n', '\r']) {
            write!(f, "\"{}\"", self.0.replace('"', "\"\""))
        } else {
            f.write_str(self.0)
        }
    }
}

impl<W: std::io::Write> CsvSink<W> {
    /// Writes the header and returns the sink.
    pub fn new(mut out: W) -> Self {
        let _ = out.write_all(FINDINGS_HEADER.as_bytes());
        CsvSink { out }
    }
}

/// A row error as a CSV row.
pub fn row_error_csv(e: &RowError) -> String {
    format!(
        "{},{},,,row-error,{},{}\n",
        Cell(e.visit_id.as_deref().unwrap_or("")),
        e.row,
        Severity::Error.as_str(),
        Cell(&e.message)
    )
}

impl<W: std::io::Write> Sink for CsvSink<W> {
    fn full(&self) -> bool {
        false
    }
    fn visit(&mut self, r: VisitResult) {
        // Written straight to the buffered output: this runs once per finding.
        for d in &r.report.diagnostics {
            let (row, line, code) = match d.line {
                Some(i) => (
                    r.rows.get(i).copied().unwrap_or(0),
                    i + 1,
                    r.report.lines[i].code.as_str(),
                ),
                None => (r.rows.first().copied().unwrap_or(0), 0, ""),
            };
            let line = if line == 0 { String::new() } else { line.to_string() };
            let _ = writeln!(
                self.out,
                "{},{row},{line},{},{},{},{}",
                Cell(&r.visit_id),
                Cell(code),
                d.rule,
                d.severity.as_str(),
                Cell(&d.message)
            );
        }
    }
    fn row_error(&mut self, error: RowError) {
        let _ = self.out.write_all(row_error_csv(&error).as_bytes());
    }
}

/// Keeps only the summary (for benchmarks and very large files).
#[derive(Default)]
pub struct Count {
    /// Visits checked.
    pub visits: u64,
    /// Findings seen.
    pub findings: u64,
}

impl Sink for Count {
    fn full(&self) -> bool {
        false
    }
    fn visit(&mut self, result: VisitResult) {
        self.visits += 1;
        self.findings += result.report.diagnostics.len() as u64;
    }
    fn row_error(&mut self, _: RowError) {}
}

/// The summary alone, as JSON: `{"visits", "rows", "summary"}`.
pub fn audit_summary_json(text: &str) -> String {
    let (counts, rows) = count(text.as_bytes());
    let mut sink = Count::default();
    let summary = run(text.as_bytes(), &counts, &mut sink, 0, &mut |_| true);
    crate::to_json(&json!({"visits": sink.visits, "rows": rows, "findings": sink.findings, "summary": summary}))
}

/// What the page needs of each visit: its findings, units and input, without the
/// full report (explanations and statements are rebuilt when a visit is opened).
#[derive(Default)]
pub struct Compact {
    results: Vec<Value>,
    row_errors: Vec<RowError>,
}

impl Sink for Compact {
    fn visit(&mut self, r: VisitResult) {
        let findings: Vec<Value> = r
            .report
            .diagnostics
            .iter()
            .map(|d| {
                json!({
                    "rule": d.rule,
                    "severity": d.severity,
                    "line": d.line.map(|i| i + 1),
                    "row": d.line.map_or(r.rows.first().copied(), |i| r.rows.get(i).copied()),
                    "code": d.line.map(|i| r.report.lines[i].code.clone()),
                    "message": d.message,
                })
            })
            .collect();
        self.results.push(json!({
            "visit_id": r.visit_id,
            "rows": r.rows,
            "visit": r.visit,
            "timed_units": r.report.timed_units,
            "alternative_timed_units": r.report.alternative.timed_units,
            "findings": findings,
        }));
    }
    fn row_error(&mut self, error: RowError) {
        self.row_errors.push(error);
    }
}

/// The page's audit: compact results, with progress.
pub fn audit_compact_json(text: &str, every: u64, progress: &mut dyn FnMut(u64, u64) -> bool) -> String {
    let (counts, rows) = count(text.as_bytes());
    let mut sink = Compact::default();
    let summary = run(text.as_bytes(), &counts, &mut sink, every, &mut |done| {
        progress(done, rows)
    });
    sink.row_errors.sort_by_key(|e| e.row);
    let checked: Vec<&str> = sink.results.iter().filter_map(|r| r["visit_id"].as_str()).collect();
    crate::to_json(&json!({
        "visits": checked.len() as u64 + visits_lost(&sink.row_errors, &checked),
        "rows": rows,
        "row_errors": sink.row_errors,
        "results": sink.results,
        "summary": summary,
    }))
}
