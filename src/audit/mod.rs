//! Batch audit: many visits from one CSV export (one row per service line), each
//! checked with the engine; findings, row errors and a summary.
//!
//! The stages, one module each: [`read`] turns bytes into rows (csv-core; the
//! delimiter, row numbers, unclosed quotes, text that is not UTF-8), [`header`]
//! says which column is which, [`cells`] reads a row's cells, [`visits`]
//! assembles and checks visits in two passes, [`sinks`] write what comes out and
//! [`summary`] counts it.
//!
//! Every door drives the same [`Stream`]: chunks of the file for the first
//! pass, the same chunks again for the second. The CLI reads a file (standard
//! input is spooled to a temporary file first); the page's worker feeds
//! `file.stream()` twice. Memory grows with what a sink keeps, never with the file.

pub mod cells;
pub mod header;
pub mod read;
pub mod sinks;
pub mod summary;
pub mod visits;

pub use header::COLUMNS;
pub use sinks::{Count, CsvSink, FINDINGS_HEADER, JsonSink, PageSink, PartsSink, ascii_json};
pub use summary::{Notice, Summary};

use read::RowReader;
use serde::Serialize;
use visits::{CheckPass, CountPass, With};

/// A row that could not be used (or, as a warning, was used with a caveat).
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
#[derive(Clone, Debug)]
pub struct VisitResult {
    /// The visit's id.
    pub visit_id: String,
    /// The input rows of its lines, in line order.
    pub rows: Vec<u64>,
    /// The payer as written in the file (lower case), when given.
    pub payer_name: Option<String>,
    /// The visit as read from its rows.
    pub visit: crate::Visit,
    /// The engine's report (without the once-per-file data notice).
    pub report: crate::Report,
}

/// What the audit hands out as it goes, in file order.
pub trait Sink {
    /// Whether results need the full report (explanations, statement).
    fn full(&self) -> bool {
        true
    }
    /// A note about the whole file (given before any visit).
    fn notice(&mut self, _notice: &Notice) {}
    /// A visit was checked (lent: the audit frees it once written).
    fn visit(&mut self, result: &VisitResult);
    /// A row could not be used.
    fn row_error(&mut self, error: RowError);
    /// A row was used, with a warning.
    fn row_warning(&mut self, error: RowError) {
        self.row_error(error);
    }
}

/// Choices for an audit.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Payer names mapped to contract values (`--payer NAME=VALUE`).
    pub payers: Vec<(String, String)>,
}

impl Options {
    /// Adds a `NAME=VALUE` payer mapping, or says what is wrong with it.
    pub fn add_payer(&mut self, spec: &str) -> Result<(), String> {
        let Some((name, value)) = spec.rsplit_once('=') else {
            return Err(format!(
                "--payer needs NAME=VALUE (e.g. \"Aetna=commercial\"), got {spec:?}"
            ));
        };
        let value = value.trim().to_ascii_lowercase();
        if !crate::visit::PAYERS.iter().any(|p| p.0 == value) {
            return Err(format!(
                "--payer {spec:?}: {value:?} is not a payer value; use one of {}",
                crate::visit::PAYERS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
            ));
        }
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("--payer {spec:?}: the payer name is empty"));
        }
        self.payers.push((name.to_string(), value));
        Ok(())
    }
}

/// How an audit ended.
#[derive(Clone, Debug, Default)]
pub struct Done {
    /// Distinct visit ids in the file.
    pub visits: u64,
    /// Visits checked.
    pub visits_checked: u64,
    /// Data rows in the file.
    pub rows: u64,
    /// The counts.
    pub summary: Summary,
    /// Whether the audit was stopped before the end.
    pub cancelled: bool,
}

impl Done {
    /// Whether anything is an error (the CLI exits 1).
    pub fn has_errors(&self) -> bool {
        self.summary.visits_with_errors > 0 || self.summary.row_errors > 0
    }
}

/// The audit as a stream: [`Stream::count`] every chunk of the file, then
/// [`Stream::begin`], then [`Stream::check`] every chunk again, then
/// [`Stream::finish`]. A file problem (empty, no usable header, not text) is an
/// `Err` with one sentence that says what to do.
pub struct Stream {
    opts: Options,
    reader: RowReader,
    count: Option<CountPass>,
    check: Option<CheckPass>,
}

impl Stream {
    /// A new audit.
    pub fn new(opts: Options) -> Self {
        warm_tables();
        Stream {
            opts,
            reader: RowReader::new(),
            count: Some(CountPass::default()),
            check: None,
        }
    }

    /// First pass: a chunk of the file.
    pub fn count(&mut self, chunk: &[u8]) -> Result<(), String> {
        let Some(c) = self.count.as_mut() else {
            return Err("the first pass is over: check the chunks now".into());
        };
        self.reader.feed(chunk, c)
    }

    /// Ends the first pass and starts the second.
    pub fn begin(&mut self) -> Result<(), String> {
        let Some(mut c) = self.count.take() else {
            return Err("the audit has already begun its second pass".into());
        };
        self.reader.finish(&mut c)?;
        if !self.reader.saw_header() {
            return Err("the file is empty: choose a CSV export with a header row and one row per service line".into());
        }
        self.check = Some(CheckPass::new(c.into_counts(), self.opts.clone()));
        self.reader = RowReader::new();
        Ok(())
    }

    /// Rows and visits counted by the first pass.
    pub fn counted(&self) -> Option<(u64, u64)> {
        self.check.as_ref().map(|c| (c.counts().rows, c.counts().visits()))
    }

    /// Data rows read so far by the pass under way.
    pub fn rows_read(&self) -> u64 {
        self.reader.row.saturating_sub(1)
    }

    /// Second pass: a chunk of the file; what it completes goes to `sink`.
    pub fn check(&mut self, chunk: &[u8], sink: &mut dyn Sink) -> Result<(), String> {
        let Some(pass) = self.check.as_mut() else {
            return Err("call begin() after the first pass".into());
        };
        self.reader.feed(chunk, &mut With { pass, sink })
    }

    /// Ends the audit (or stops it, when `cancelled`).
    pub fn finish(&mut self, sink: &mut dyn Sink, cancelled: bool) -> Result<Done, String> {
        let Some(mut pass) = self.check.take() else {
            return Err("call begin() after the first pass".into());
        };
        if !cancelled {
            self.reader.finish(&mut With { pass: &mut pass, sink })?;
        }
        pass.finish(sink, cancelled);
        Ok(Done {
            visits: pass.counts().visits(),
            visits_checked: pass.visits_checked,
            rows: pass.counts().rows,
            summary: std::mem::take(&mut pass.summary),
            cancelled,
        })
    }
}

/// Natively, parses the reference tables on a thread of their own while the
/// first pass reads the file (they are parsed once, on first use, and took
/// a tenth of a 100k-visit audit there); the checks wait for them as before.
/// The outpatient PTP table is left to its first use: most files never need it.
fn warm_tables() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // A thread that cannot start only loses the head start.
            let _ = std::thread::Builder::new().spawn(|| {
                let _ = crate::icd10::code_set();
                let _ = crate::ncci_table::ptp(crate::visit::Setting::Practitioner);
                let _ = crate::ncci_table::addons();
                let _ = crate::rules::ncci::mue_table();
                let _ = crate::codes::lookup("97110");
            });
        });
    }
}

/// Size of the chunks the readers below hand to the stream.
pub const CHUNK: usize = 1 << 16;

/// Audits whatever `open` opens (called twice, once per pass). A read error is
/// an `Err` naming it.
pub fn audit_read<R: std::io::Read>(
    mut open: impl FnMut() -> std::io::Result<R>,
    opts: Options,
    sink: &mut dyn Sink,
) -> Result<Done, String> {
    let mut s = Stream::new(opts);
    let mut buf = vec![0u8; CHUNK];
    let mut pass = |s: &mut Stream, sink: &mut dyn Sink, first: bool| -> Result<(), String> {
        let mut src = open().map_err(|e| format!("cannot read the file: {e}"))?;
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("the file could not be read to the end: {e}")),
            };
            if first {
                s.count(&buf[..n])?;
            } else {
                s.check(&buf[..n], sink)?;
            }
        }
    };
    pass(&mut s, sink, true)?;
    s.begin()?;
    pass(&mut s, sink, false)?;
    s.finish(sink, false)
}

/// Audits CSV text in memory.
pub fn audit_text(text: &[u8], opts: Options, sink: &mut dyn Sink) -> Result<Done, String> {
    audit_read(|| Ok(text), opts, sink)
}

/// Audits CSV text and returns the contract's JSON result (`--format json`).
pub fn audit_json(text: &str) -> Result<String, String> {
    audit_json_with(text.as_bytes(), Options::default(), false)
}

/// The same, with options; `compact` gives the page's shape of each visit.
pub fn audit_json_with(text: &[u8], opts: Options, compact: bool) -> Result<String, String> {
    let mut sink = JsonSink::new(Vec::new(), compact);
    let done = audit_text(text, opts, &mut sink)?;
    let out = sink.finish(&done).map_err(|e| e.to_string())?;
    // Built from whole strings and serde_json output only.
    String::from_utf8(out).map_err(|_| "internal error: the result is not UTF-8".into())
}

/// The summary alone, as JSON: `{"visits", "visits_checked", "rows", "findings", "summary"}`.
pub fn audit_summary_json(text: &str) -> Result<String, String> {
    let mut sink = Count::default();
    let done = audit_text(text.as_bytes(), Options::default(), &mut sink)?;
    Ok(crate::to_json(&serde_json::json!({
        "visits": done.visits,
        "visits_checked": done.visits_checked,
        "rows": done.rows,
        "findings": sink.findings,
        "cancelled": false,
        "summary": done.summary,
    })))
}
