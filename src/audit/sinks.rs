//! Sinks: where the audit's reports go as they are made. Each writes a visit
//! the moment it is checked (no tree of every result is ever built): JSON
//! straight into a buffer or stream, findings as CSV rows, or counts only.

use super::summary::Notice;
use super::{Done, RowError, Sink, VisitResult};
use std::io::Write;

/// The header of the findings CSV.
pub const FINDINGS_HEADER: &str = "visit_id,row,line,code,rule,severity,message\n";

/// Appends a CSV cell, quoted only when it must be.
pub fn push_cell(out: &mut Vec<u8>, s: &str) {
    // Cells here are short (ids, codes, row errors): one pass over the bytes
    // beats four memchr searches.
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(part.as_bytes());
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// Appends a finding's text as a CSV cell: rendered straight into `out` (no
/// `String` per message), then quoted in place when it must be, as
/// [`push_cell`] would have quoted it.
pub fn push_message_cell(out: &mut Vec<u8>, m: &crate::report::Message) {
    let start = out.len();
    m.write_bytes(out);
    let text = &out[start..];
    if memchr::memchr3(b',', b'"', b'\n', text).is_none() && memchr::memchr(b'\r', text).is_none() {
        return;
    }
    if memchr::memchr(b'"', text).is_none() {
        out.insert(start, b'"');
        out.push(b'"');
        return;
    }
    let raw = out.split_off(start);
    // Rendered from `str` pieces only, so it is UTF-8.
    push_cell(out, &String::from_utf8_lossy(&raw));
}

/// Appends a number in decimal.
pub fn push_number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(crate::message::decimal(&mut [0u8; 20], n));
}

/// Appends a JSON string.
fn push_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    // Writing into a Vec cannot fail; a value that cannot be serialised is null.
    if serde_json::to_writer(&mut *out, v).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// A notice as a findings-CSV row (empty visit id).
pub fn notice_csv(out: &mut Vec<u8>, n: &Notice) {
    out.extend_from_slice(b",,,,");
    out.extend_from_slice(n.rule.as_bytes());
    out.push(b',');
    out.extend_from_slice(n.severity.as_str().as_bytes());
    out.push(b',');
    push_cell(out, &n.message);
    out.push(b'\n');
}

/// A row error (`row-error`, error) or warning (`row-warning`) as a CSV row.
pub fn row_error_csv(out: &mut Vec<u8>, e: &RowError, warning: bool) {
    push_cell(out, e.visit_id.as_deref().unwrap_or(""));
    out.push(b',');
    push_number(out, e.row);
    if warning {
        out.extend_from_slice(b",,,row-warning,warning,");
    } else {
        out.extend_from_slice(b",,,row-error,error,");
    }
    push_cell(out, &e.message);
    out.push(b'\n');
}

/// A checked visit's findings as CSV rows.
pub fn visit_csv(out: &mut Vec<u8>, r: &VisitResult) {
    // Runs once per finding (half a million for 100k visits): bytes are
    // appended by hand rather than through `write!`, and the visit's id cell
    // is quoted once and copied for each of its findings.
    let mut id_cell: Option<std::ops::Range<usize>> = None;
    for d in &r.report.diagnostics {
        let (row, line, code) = match d.line {
            Some(i) => (
                r.rows.get(i).copied().unwrap_or(0),
                i + 1,
                r.report.lines[i].code.as_str(),
            ),
            None => (r.rows.first().copied().unwrap_or(0), 0, ""),
        };
        match &id_cell {
            Some(cell) => out.extend_from_within(cell.clone()),
            None => {
                let start = out.len();
                push_cell(out, &r.visit_id);
                id_cell = Some(start..out.len());
            }
        }
        out.push(b',');
        push_number(out, row);
        out.push(b',');
        if line > 0 {
            push_number(out, line as u64);
        }
        out.push(b',');
        push_cell(out, code);
        out.push(b',');
        out.extend_from_slice(d.rule.as_bytes());
        out.push(b',');
        out.extend_from_slice(d.severity.as_str().as_bytes());
        out.push(b',');
        push_message_cell(out, &d.message);
        out.push(b'\n');
    }
}

/// The fields both JSON forms of a visit open with: id, rows, payer and the
/// input visit (the object is left open for what follows).
fn push_visit_head(out: &mut Vec<u8>, r: &VisitResult) {
    out.extend_from_slice(b"{\"visit_id\":");
    push_json(out, &r.visit_id);
    out.extend_from_slice(b",\"rows\":");
    push_json(out, &r.rows);
    if let Some(p) = &r.payer_name {
        out.extend_from_slice(b",\"payer_name\":");
        push_json(out, p);
    }
    out.extend_from_slice(b",\"visit\":");
    push_visit(out, &r.visit);
}

/// The input visit as [`crate::visit::visit_to_value`] gives it, written
/// straight into the buffer (no `Value` tree per visit): the same keys in the
/// same (sorted) order, so the same bytes. Its twin for the wasm `audit`'s tape
/// is `visit` in `src/wasm/tape.rs`: a change here goes there too (the wasm
/// tests compare that audit with this JSON). One `Serialize` for both was
/// tried: 3 % more instructions for `--format json` (callgrind, 10k visits).
fn push_visit(out: &mut Vec<u8>, v: &crate::Visit) {
    out.extend_from_slice(b"{\"date_of_service\":\"");
    // A date is digits and hyphens: nothing to escape.
    out.extend_from_slice(&v.date_of_service.iso_bytes());
    out.extend_from_slice(b"\",\"diagnoses\":");
    push_json(out, &v.diagnoses);
    out.extend_from_slice(b",\"discipline\":");
    push_json(out, &v.discipline);
    out.extend_from_slice(b",\"lines\":[");
    for (k, l) in v.lines.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'{');
        if l.assistant_minutes > 0 {
            out.extend_from_slice(b"\"assistant_minutes\":");
            push_number(out, u64::from(l.assistant_minutes));
            out.push(b',');
        }
        out.extend_from_slice(b"\"code\":");
        push_json(out, &l.code);
        if let Some(m) = l.minutes {
            out.extend_from_slice(b",\"minutes\":");
            push_number(out, u64::from(m));
        }
        if l.modifiers_given {
            out.extend_from_slice(b",\"modifiers\":");
            push_json(out, &l.modifiers);
        }
        if let Some(u) = l.units {
            out.extend_from_slice(b",\"units\":");
            push_number(out, u64::from(u));
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"method\":");
    push_json(out, &v.method);
    out.extend_from_slice(b",\"payer\":");
    push_json(out, &v.payer);
    out.extend_from_slice(b",\"setting\":");
    push_json(out, &v.setting);
    if let Some(c) = v.ytd_allowed_cents {
        out.extend_from_slice(b",\"ytd_allowed\":");
        push_json(out, &(c as f64 / 100.0));
    }
    out.push(b'}');
}

/// A visit as the page needs it: findings, units and the input visit (to
/// reopen it in the calculator), without explanations.
pub fn visit_compact_json(out: &mut Vec<u8>, r: &VisitResult) {
    push_visit_head(out, r);
    out.extend_from_slice(b",\"timed_units\":");
    push_number(out, r.report.timed_units);
    out.extend_from_slice(b",\"total_units\":");
    push_number(out, r.report.total_units);
    out.extend_from_slice(b",\"alternative_timed_units\":");
    push_number(out, r.report.alternative.timed_units);
    out.extend_from_slice(b",\"findings\":[");
    for (k, d) in r.report.diagnostics.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"rule\":");
        push_json(out, d.rule);
        out.extend_from_slice(b",\"title\":");
        push_json(out, d.title);
        out.extend_from_slice(b",\"fixed\":");
        push_json(out, &d.fixed);
        out.extend_from_slice(b",\"severity\":");
        push_json(out, &d.severity);
        out.extend_from_slice(b",\"line\":");
        push_json(out, &d.line.map(|i| i + 1));
        out.extend_from_slice(b",\"row\":");
        push_json(out, &d.line.map_or(r.rows.first().copied(), |i| r.rows.get(i).copied()));
        out.extend_from_slice(b",\"code\":");
        push_json(out, &d.line.map(|i| r.report.lines[i].code.as_str()));
        out.extend_from_slice(b",\"message\":");
        push_json(out, &d.message);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// A visit as `ptbill audit --format json` writes it: id, rows, input and report.
pub fn visit_full_json(out: &mut Vec<u8>, r: &VisitResult) {
    push_visit_head(out, r);
    out.extend_from_slice(b",\"report\":");
    push_json(out, &r.report);
    out.push(b'}');
}

/// The buffer a sink writes into, sent to `out` in large writes; the first
/// write that fails is kept, and nothing more is written after it.
struct Spool<W: Write> {
    out: W,
    buf: Vec<u8>,
    error: Option<std::io::Error>,
}

impl<W: Write> Spool<W> {
    fn new(out: W, buf: Vec<u8>) -> Self {
        Spool { out, buf, error: None }
    }

    /// Writes the buffer once it holds `size` bytes or more.
    fn flush_if(&mut self, size: usize) {
        if self.buf.len() >= size && self.error.is_none() {
            if let Err(e) = self.out.write_all(&self.buf) {
                self.error = Some(e);
            }
            self.buf.clear();
        }
    }

    /// Writes what is left; the first write error, if any.
    fn finish(mut self) -> Result<W, std::io::Error> {
        self.flush_if(0);
        if let Some(e) = self.error {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The contract's JSON result, streamed: `{"results":[…` as visits are
/// checked, then row errors, counts and the summary at the end. Row errors and
/// warnings are kept until then (they grow with bad rows, not with the file).
pub struct JsonSink<W: Write> {
    spool: Spool<W>,
    compact: bool,
    any: bool,
    row_errors: Vec<RowError>,
    row_warnings: Vec<RowError>,
}

impl<W: Write> JsonSink<W> {
    /// Full reports (`compact` false) or what the page needs (true).
    pub fn new(out: W, compact: bool) -> Self {
        let mut buf = Vec::with_capacity(1 << 16);
        buf.extend_from_slice(b"{\"results\":[");
        JsonSink {
            spool: Spool::new(out, buf),
            compact,
            any: false,
            row_errors: Vec::new(),
            row_warnings: Vec::new(),
        }
    }

    /// Writes the rest of the result and hands back the writer.
    pub fn finish(mut self, done: &Done) -> Result<W, std::io::Error> {
        let buf = &mut self.spool.buf;
        buf.extend_from_slice(b"],\"row_errors\":");
        push_json(buf, &self.row_errors);
        buf.extend_from_slice(b",\"row_warnings\":");
        push_json(buf, &self.row_warnings);
        buf.extend_from_slice(b",\"visits\":");
        push_number(buf, done.visits);
        buf.extend_from_slice(b",\"visits_checked\":");
        push_number(buf, done.visits_checked);
        buf.extend_from_slice(b",\"rows\":");
        push_number(buf, done.rows);
        buf.extend_from_slice(b",\"cancelled\":");
        push_json(buf, &done.cancelled);
        buf.extend_from_slice(b",\"summary\":");
        push_json(buf, &done.summary);
        buf.push(b'}');
        self.spool.finish()
    }
}

impl<W: Write> Sink for JsonSink<W> {
    fn full(&self) -> bool {
        !self.compact
    }
    fn visit(&mut self, r: &VisitResult) {
        if self.any {
            self.spool.buf.push(b',');
        }
        self.any = true;
        if self.compact {
            visit_compact_json(&mut self.spool.buf, r);
        } else {
            visit_full_json(&mut self.spool.buf, r);
        }
        self.spool.flush_if(1 << 16);
    }
    fn row_error(&mut self, e: RowError) {
        self.row_errors.push(e);
    }
    fn row_warning(&mut self, e: RowError) {
        self.row_warnings.push(e);
    }
}

/// The contract's JSON result in parts, for a host that parses JSON itself
/// (the wasm door hands each part to `JSON.parse`): every part is a JSON array
/// of whole visits, about `size` bytes, given to `part` as soon as it is full;
/// [`PartsSink::finish`] gives the rest of the result (row errors, counts,
/// summary) as the contract's object with an empty `results`, for the host to
/// fill with the parts' visits in order. Neither side ever holds the whole
/// result as one text.
pub struct PartsSink<F: FnMut(&[u8])> {
    rest: JsonSink<Vec<u8>>,
    buf: Vec<u8>,
    size: usize,
    part: F,
}

impl<F: FnMut(&[u8])> PartsSink<F> {
    /// Full reports (`compact` false) or what the page needs (true), in parts of about `size` bytes.
    pub fn new(compact: bool, size: usize, part: F) -> Self {
        PartsSink {
            rest: JsonSink::new(Vec::new(), compact),
            buf: Vec::with_capacity(size + (1 << 16)),
            size,
            part,
        }
    }

    fn hand_over(&mut self) {
        if !self.buf.is_empty() {
            self.buf.push(b']');
            (self.part)(&self.buf);
            self.buf.clear();
        }
    }

    /// Hands over the last part and returns the rest of the result.
    pub fn finish(mut self, done: &Done) -> Result<Vec<u8>, std::io::Error> {
        self.hand_over();
        self.rest.finish(done)
    }
}

impl<F: FnMut(&[u8])> Sink for PartsSink<F> {
    fn full(&self) -> bool {
        self.rest.full()
    }
    fn visit(&mut self, r: &VisitResult) {
        self.buf.push(if self.buf.is_empty() { b'[' } else { b',' });
        if self.rest.compact {
            visit_compact_json(&mut self.buf, r);
        } else {
            visit_full_json(&mut self.buf, r);
        }
        if self.buf.len() >= self.size {
            self.hand_over();
        }
    }
    fn row_error(&mut self, e: RowError) {
        self.rest.row_error(e);
    }
    fn row_warning(&mut self, e: RowError) {
        self.rest.row_warning(e);
    }
}

/// JSON text with every non-ASCII character written as a `\u` escape: the
/// same JSON value, but ASCII, which a JS engine turns into a string several
/// times faster than UTF-8 (the wasm door's parts). `json` must be JSON text
/// (a byte above 127 there is always inside a string); `None` if it is not UTF-8.
pub fn ascii_json<'a>(json: &'a [u8], scratch: &'a mut Vec<u8>) -> Option<&'a str> {
    let Some(mut at) = first_non_ascii(json) else {
        return std::str::from_utf8(json).ok();
    };
    scratch.clear();
    let mut rest = json;
    loop {
        scratch.extend_from_slice(&rest[..at]);
        let width = match rest[at] {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let c = std::str::from_utf8(rest.get(at..at + width)?).ok()?.chars().next()?;
        let mut units = [0u16; 2];
        for u in c.encode_utf16(&mut units) {
            let hex = b"0123456789abcdef";
            scratch.extend_from_slice(b"\\u");
            for shift in [12, 8, 4, 0] {
                scratch.push(hex[usize::from((*u >> shift) & 0xf)]);
            }
        }
        rest = &rest[at + width..];
        match first_non_ascii(rest) {
            Some(next) => at = next,
            None => break,
        }
    }
    scratch.extend_from_slice(rest);
    // ASCII throughout now.
    std::str::from_utf8(scratch).ok()
}

/// Where the first byte above 127 is, eight bytes at a time (wasm has no
/// vector search here, and these texts are megabytes).
fn first_non_ascii(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    b[i..].iter().position(|&x| x >= 0x80).map(|p| p + i)
}

/// One CSV output row per finding, row error, row warning and file notice:
/// `visit_id,row,line,code,rule,severity,message`, notices first.
pub struct CsvSink<W: Write> {
    spool: Spool<W>,
}

impl<W: Write> CsvSink<W> {
    /// Starts the findings CSV with its header.
    pub fn new(out: W) -> Self {
        let mut buf = Vec::with_capacity(1 << 16);
        buf.extend_from_slice(FINDINGS_HEADER.as_bytes());
        CsvSink {
            spool: Spool::new(out, buf),
        }
    }

    /// Writes what is left; the first write error, if any.
    pub fn finish(self) -> Result<W, std::io::Error> {
        self.spool.finish()
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn full(&self) -> bool {
        false
    }
    fn notice(&mut self, n: &Notice) {
        notice_csv(&mut self.spool.buf, n);
    }
    fn visit(&mut self, r: &VisitResult) {
        visit_csv(&mut self.spool.buf, r);
        self.spool.flush_if(1 << 16);
    }
    fn row_error(&mut self, e: RowError) {
        row_error_csv(&mut self.spool.buf, &e, false);
        self.spool.flush_if(1 << 16);
    }
    fn row_warning(&mut self, e: RowError) {
        row_error_csv(&mut self.spool.buf, &e, true);
        self.spool.flush_if(1 << 16);
    }
}

/// Counts only (benchmarks, the summary door).
#[derive(Default)]
pub struct Count {
    /// Findings seen.
    pub findings: u64,
}

impl Sink for Count {
    fn full(&self) -> bool {
        false
    }
    fn visit(&mut self, r: &VisitResult) {
        self.findings += r.report.diagnostics.len() as u64;
    }
    fn row_error(&mut self, _: RowError) {}
}

/// The page's worker sink: per chunk, the findings CSV rows (kept by the
/// worker as Blob parts) and one JSON line per visit, row error or warning
/// (also kept as Blob parts, read back a page at a time).
#[derive(Default)]
pub struct PageSink {
    /// Findings CSV rows since the last take.
    pub csv: Vec<u8>,
    /// JSON lines since the last take: `{"visit":…}`, `{"row_error":…}`, `{"row_warning":…}`.
    pub lines: Vec<u8>,
    /// Findings written.
    pub findings: u64,
}

impl Sink for PageSink {
    fn full(&self) -> bool {
        false
    }
    fn notice(&mut self, n: &Notice) {
        notice_csv(&mut self.csv, n);
    }
    fn visit(&mut self, r: &VisitResult) {
        self.findings += r.report.diagnostics.len() as u64;
        // The lines serve the findings list: a visit without findings has no entry.
        if r.report.diagnostics.is_empty() {
            return;
        }
        visit_csv(&mut self.csv, r);
        self.lines.extend_from_slice(b"{\"visit\":");
        visit_compact_json(&mut self.lines, r);
        self.lines.extend_from_slice(b"}\n");
    }
    fn row_error(&mut self, e: RowError) {
        row_error_csv(&mut self.csv, &e, false);
        self.lines.extend_from_slice(b"{\"row_error\":");
        push_json(&mut self.lines, &e);
        self.lines.extend_from_slice(b"}\n");
    }
    fn row_warning(&mut self, e: RowError) {
        row_error_csv(&mut self.csv, &e, true);
        self.lines.extend_from_slice(b"{\"row_warning\":");
        push_json(&mut self.lines, &e);
        self.lines.extend_from_slice(b"}\n");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod parts_tests {
    use super::{PartsSink, ascii_json};
    use serde_json::Value;

    #[test]
    fn ascii_json_is_the_same_value() {
        let long = format!("[\"{}é{}×\"]", "a".repeat(17), "b".repeat(9));
        for text in [
            r#"{"a":"plain"}"#,
            r#"{"m":"97110 × 2 — 12 minutes","é":["ü","\"q\"","😀x"]}"#,
            "\"\u{fffd}\"",
            "\"é\"",
            long.as_str(),
        ] {
            let mut scratch = Vec::new();
            let out = ascii_json(text.as_bytes(), &mut scratch).unwrap();
            assert!(out.is_ascii(), "{text}");
            let a: Value = serde_json::from_str(out).unwrap();
            let b: Value = serde_json::from_str(text).unwrap();
            assert_eq!(a, b, "{text}");
        }
        assert_eq!(ascii_json(b"\"\xff\"", &mut Vec::new()), None);
        assert_eq!(ascii_json(b"\"\xe2\x80\"", &mut Vec::new()), None);
    }

    /// The parts and the rest, put together, are the one-text result.
    #[test]
    fn parts_make_the_whole_result() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.starts_with("audit-") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for compact in [false, true] {
                let whole = super::super::audit_json_with(&bytes, Default::default(), compact);
                for size in [1, 700, 1 << 20] {
                    let mut visits: Vec<Value> = Vec::new();
                    let mut parts = 0;
                    let mut sink = PartsSink::new(compact, size, |part: &[u8]| {
                        parts += 1;
                        match serde_json::from_slice::<Value>(part).unwrap() {
                            Value::Array(a) => visits.extend(a),
                            other => panic!("a part is not an array: {other}"),
                        }
                    });
                    let result = super::super::audit_text(&bytes, Default::default(), &mut sink)
                        .map(|done| sink.finish(&done).unwrap());
                    match (&whole, result) {
                        (Ok(whole), Ok(rest)) => {
                            let mut rest: Value = serde_json::from_slice(&rest).unwrap();
                            assert_eq!(rest["results"], Value::Array(Vec::new()), "{name}");
                            let n = visits.len();
                            rest["results"] = Value::Array(visits);
                            let whole: Value = serde_json::from_str(whole).unwrap();
                            assert_eq!(rest, whole, "{name} compact {compact} size {size}");
                            if size == 1 {
                                assert_eq!(parts, n, "{name}: one visit a part");
                            }
                        }
                        (Err(a), Err(b)) => assert_eq!(a, &b, "{name}"),
                        (a, b) => panic!("{name}: {a:?} vs {b:?}"),
                    }
                }
            }
            files += 1;
        }
        assert!(files >= 10, "the audit fixtures were not found");
    }
}

#[cfg(test)]
mod message_cell_tests {
    use super::{push_cell, push_message_cell, push_visit};
    use crate::visit::{Discipline, Line, Method, Payer, Setting, Visit};

    #[test]
    fn visit_written_as_its_value() {
        let line = |code: &str, minutes, assistant, units, mods: &[&str], given| Line {
            code: code.into(),
            minutes,
            assistant_minutes: assistant,
            units,
            modifiers: mods.iter().map(|m| m.to_string()).collect(),
            modifiers_given: given,
        };
        let mut v = Visit {
            date_of_service: crate::date::Date::new(2026, 3, 2).unwrap(),
            payer: Payer::MedicareAdvantage,
            method: Method::Ama,
            discipline: Discipline::Slp,
            setting: Setting::OutpatientHospital,
            ytd_allowed_cents: None,
            lines: vec![
                line("97110", Some(33), 10, Some(2), &["GP", "59"], true),
                line("97\"x", None, 0, None, &[], false),
                line("G0283", Some(0), 0, Some(0), &[], true),
            ],
            diagnoses: vec!["M54.50".into(), "a\\b".into()],
        };
        for ytd in [None, Some(0), Some(123_456), Some(250_001), Some(u64::from(u32::MAX))] {
            v.ytd_allowed_cents = ytd;
            let mut out = Vec::new();
            push_visit(&mut out, &v);
            let want = serde_json::to_string(&crate::visit::visit_to_value(&v)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
        v.lines.clear();
        v.diagnoses.clear();
        let mut out = Vec::new();
        push_visit(&mut out, &v);
        let want = serde_json::to_string(&crate::visit::visit_to_value(&v)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn same_cell_as_a_rendered_string() {
        for text in [
            "plain",
            "a, b",
            "say \"x\", twice \"\"",
            "\"",
            "line\nbreak",
            "cr\ronly",
            "",
            "é, ü",
        ] {
            let owned = text.to_string();
            let m = crate::msg!("{owned}", owned.clone());
            let (mut a, mut b) = (b"x,".to_vec(), b"x,".to_vec());
            push_cell(&mut a, text);
            push_message_cell(&mut b, &m);
            assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap(), "{text:?}");
        }
    }
}
