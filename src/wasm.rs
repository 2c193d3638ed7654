//! The wasm door: JS values in, JS values out, through the same strict parser
//! as the CLI. Every export takes `JsValue`s and checks them ([`args`]) before
//! anything is copied into wasm memory, so a wrong type, size or value throws an
//! `Error` naming the argument and never traps the module. A JS object visit is
//! written as JSON text by `js_json` (which names NaN, Infinity, BigInt, lone
//! surrogates, cycles and deep nesting by field; feature `js-objects`, which
//! the page's calculator module leaves out: it takes JSON text) and parsed by
//! [`crate::parse_visit`], so unknown fields are rejected exactly as on the
//! command line; the report comes back through `JSON.parse` (the `audit`'s
//! visits through `wasm/tape.rs`, which gives the same values), so it is plain
//! JSON-compatible data (objects, arrays, `null`; never `Map` or `undefined`).
//!
//! If a host's instance dies anyway (a `WebAssembly.RuntimeError`, e.g. memory
//! exhausted by a giant audit), no later call on that instance can work: the
//! host should drop it, instantiate the module again (`initSync` / `init` with
//! the same bytes) and retry or tell the user; nothing is kept between calls but
//! the ICD-10-CM descriptions and the tables (`load_tables`), which it must
//! hand over again.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

// dlmalloc, Rust's default for wasm, was a seventh of the wasm audit's time;
// talc does the same job no slower, in fewer bytes (no threads here: no atomics).
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

mod args;
#[cfg(feature = "js-objects")]
mod js_json;
#[cfg(feature = "audit")]
mod tape;

/// The longest visit given as JSON text (UTF-16 units); a real one is a few KB.
const MAX_VISIT_TEXT: u32 = 4 << 20;
#[cfg(feature = "audit")]
/// The longest audit CSV text accepted (UTF-16 units): 128 Mi characters, a
/// copy wasm memory can always hold (at most 3 bytes each in UTF-8).
const MAX_CSV_TEXT: u32 = 128 << 20;
/// The longest ICD-10-CM description file accepted (the real one is 2.8 MB).
const MAX_DESCRIPTIONS: u32 = 64 << 20;
/// The longest code, rule id or date argument.
const MAX_WORD: u32 = 200;
/// The longest search query.
const MAX_QUERY: u32 = 1000;

fn to_js(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("internal error: the report is not valid JSON"))
}

/// The visit as JSON text: an object is written by `js_json` (feature `js-objects`), a string read
/// as it is (lone surrogates become `\u` escapes so the parser names their field).
fn visit_text(value: &JsValue) -> Result<String, JsError> {
    if value.is_undefined() || value.is_null() {
        return Err(JsError::new(&format!(
            "check: a visit is required (an object or JSON text), got {}",
            args::what(value)
        )));
    }
    if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        if s.length() > MAX_VISIT_TEXT {
            return Err(JsError::new(&format!(
                "check: the visit text is too long ({} characters; at most {MAX_VISIT_TEXT})",
                s.length()
            )));
        }
        if args::well_formed(s) {
            return Ok(s.as_string().unwrap_or_default());
        }
        return Ok(escape_lone_surrogates(s));
    }
    if value.is_object() && !value.is_function() {
        #[cfg(feature = "js-objects")]
        return js_json::to_json_text(value).map_err(|e| JsError::new(&e.to_string()));
        #[cfg(not(feature = "js-objects"))]
        return Err(JsError::new(
            "check: this module (the page's calculator, built without the feature js-objects) takes the visit as JSON text: pass JSON.stringify(visit)",
        ));
    }
    Err(JsError::new(&format!(
        "check: the visit must be an object or JSON text, got {}",
        args::what(value)
    )))
}

/// The string with each lone surrogate written as a `\uXXXX` escape: inside a
/// JSON string the parser then reports it with its field; elsewhere it is
/// invalid JSON either way.
fn escape_lone_surrogates(s: &js_sys::JsString) -> String {
    let units: Vec<u16> = s.iter().collect();
    let mut out = String::with_capacity(units.len());
    for item in char::decode_utf16(units.iter().copied()) {
        match item {
            Ok(c) => out.push(c),
            Err(e) => out.push_str(&format!("\\u{:04x}", e.unpaired_surrogate())),
        }
    }
    out
}

/// Checks one visit (object or JSON text; JSON text only in a build without
/// the feature `js-objects`, such as the page's www/pkg-calc) and returns the report.
#[wasm_bindgen]
pub fn check(visit: JsValue) -> Result<JsValue, JsError> {
    let text = visit_text(&visit)?;
    let report = crate::check_json(&text).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&report)
}

/// The rule list: `[{id, severity, summary, docs}]`.
#[wasm_bindgen]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(&crate::rules_json())
}

/// One rule's docs page (Markdown). Throws for an unknown id.
#[wasm_bindgen]
pub fn explain(id: JsValue) -> Result<String, JsError> {
    let id = args::string(&id, "explain", "the rule id", MAX_WORD)?;
    let rule = crate::rules::by_id(id.trim()).ok_or_else(|| JsError::new(&format!("explain: no rule {id:?}")))?;
    crate::rules::docs_page(rule).ok_or_else(|| {
        JsError::new("explain: the rule docs are still loading (they come with data/tables.bin: load_tables)")
    })
}

/// The engine version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Hands the ICD-10-CM description file (fetched by the page from the same
/// origin) to the engine, once. Later calls are ignored (false).
#[wasm_bindgen]
pub fn icd10_load_descriptions(text: JsValue) -> Result<bool, JsError> {
    let text = args::string(&text, "icd10_load_descriptions", "text", MAX_DESCRIPTIONS)?;
    if crate::icd10::LOADED.get().is_some() {
        return Ok(false);
    }
    if !text.trim_start_matches('\u{feff}').starts_with("# ICD-10-CM") {
        return Err(JsError::new(
            "icd10_load_descriptions: text is not ptbill's ICD-10-CM description file (data/icd10cm-descriptions.txt)",
        ));
    }
    // Leaked on purpose: the titles live as long as the page.
    let text: &'static str = Box::leak(text.into_boxed_str());
    Ok(crate::icd10::LOADED
        .set(crate::icd10::Descriptions::parse(text))
        .is_ok())
}

/// The longest tables file accepted (the real `data/tables.bin` is about 1.4 MB).
const MAX_TABLES: u32 = 64 << 20;

/// Hands the big reference tables (`data/tables.bin`, fetched by the page from
/// the same origin) to the engine: `true` once installed; `false` when there is
/// nothing to do (already loaded, or compiled into this build; the bytes are
/// still checked). A `Uint8Array` or `ArrayBuffer`; a file that is not ptbill's,
/// truncated, or from another build throws an `Error` saying so.
#[wasm_bindgen]
pub fn load_tables(bytes: JsValue) -> Result<bool, JsError> {
    let array = if let Some(buffer) = bytes.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(buffer)
    } else {
        bytes.dyn_into::<js_sys::Uint8Array>().map_err(|v| {
            JsError::new(&format!(
                "load_tables: bytes must be a Uint8Array or ArrayBuffer (data/tables.bin), got {}",
                args::what(&v)
            ))
        })?
    };
    if array.length() > MAX_TABLES {
        return Err(JsError::new(&format!(
            "load_tables: {} bytes is too long for ptbill's tables file (at most {MAX_TABLES})",
            array.length()
        )));
    }
    crate::tables::install(&array.to_vec()).map_err(|e| JsError::new(&format!("load_tables: {e}")))
}

/// Whether every check can run: the big tables are compiled in or loaded.
#[wasm_bindgen]
pub fn tables_loaded() -> bool {
    crate::tables::EMBEDDED || crate::tables::loaded().is_some()
}

/// One ICD-10-CM code on a date: status, title, validity, codes under it.
#[wasm_bindgen]
pub fn icd10_lookup(code: JsValue, date: JsValue) -> Result<JsValue, JsError> {
    let code = args::string(&code, "icd10_lookup", "code", MAX_WORD)?;
    let date = args::string(&date, "icd10_lookup", "date", MAX_WORD)?;
    let json = crate::icd10_lookup_json(&code, &date).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&json)
}

/// ICD-10-CM codes matching a code prefix or words, billable ones first
/// (`limit` defaults to 20; at most 200 are returned).
#[wasm_bindgen]
pub fn icd10_search(query: JsValue, date: JsValue, limit: JsValue) -> Result<JsValue, JsError> {
    let query = args::string(&query, "icd10_search", "query", MAX_QUERY)?;
    let date = args::string(&date, "icd10_search", "date", MAX_WORD)?;
    let limit = args::whole(&limit, "icd10_search", "limit", Some(20))?;
    let json = crate::icd10_search_json(&query, &date, limit as usize).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&json)
}

/// The code catalog: `[{code, label, timed, kind, disciplines, addon_of, valid_from, valid_to}]`.
#[wasm_bindgen]
pub fn catalog() -> Result<JsValue, JsError> {
    to_js(&crate::catalog_json())
}

// ---- The audit exports. Each checks its arguments itself (an `Error` naming
// the argument, never a trap) and streams: visits are written a part at a
// time as they are checked and handed to JS (`audit` as a tape, `audit_compact`
// to `JSON.parse`), so no text of the whole result is ever made.

#[cfg(feature = "audit")]
/// The CSV text argument of an audit export, or an `Error` naming it (a text
/// read from a file never holds a lone surrogate: `TextDecoder` replaces bad bytes).
fn csv_argument(value: &JsValue, export: &str) -> Result<String, JsError> {
    args::string(value, export, "csvText", MAX_CSV_TEXT)
}

#[cfg(feature = "audit")]
/// The result's visits as JS values, built a part at a time (about [`PART`]
/// bytes of visits each), and flattened into `results` at the end, so no text
/// of the whole result is ever made, in wasm memory or in JS.
struct JsResults {
    /// The parts, each an array of visits: flattened once at the end (one
    /// call, rather than a call from wasm per visit).
    parts: js_sys::Array,
    failed: bool,
    scratch: Vec<u8>,
}

#[cfg(feature = "audit")]
/// The size of the parts handed to JS.
const PART: usize = 1 << 20;

#[cfg(feature = "audit")]
impl JsResults {
    fn new() -> Self {
        JsResults {
            parts: js_sys::Array::new(),
            failed: false,
            scratch: Vec::new(),
        }
    }

    fn push(&mut self, part: Option<JsValue>) {
        match part.and_then(|v| v.dyn_into::<js_sys::Array>().ok()) {
            Some(part) => {
                self.parts.push(&part);
            }
            None => self.failed = true,
        }
    }

    /// A part as a JSON array of visits.
    fn json(&mut self, bytes: &[u8]) {
        // Written from whole strings and serde_json output only, so UTF-8 and JSON;
        // handed over as ASCII, which the engine decodes much faster.
        let parsed = crate::audit::ascii_json(bytes, &mut self.scratch).and_then(|t| js_sys::JSON::parse(t).ok());
        self.push(parsed);
    }

    /// The whole result: `rest` (the contract's object with an empty `results`) with the visits put in.
    fn finish(self, rest: Vec<u8>) -> Result<JsValue, JsError> {
        let rest = String::from_utf8(rest).map_err(|_| JsError::new("internal error: the result is not UTF-8"))?;
        let out = to_js(&rest)?;
        let results = self.parts.flat(1);
        if self.failed || js_sys::Reflect::set(&out, &"results".into(), &results).is_err() {
            return Err(JsError::new("internal error: the report is not valid JSON"));
        }
        Ok(out)
    }
}

#[cfg(feature = "audit")]
#[wasm_bindgen(module = "/src/wasm/tape.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn tape_values(
        words: &[u32],
        floats: &[f64],
        text: &str,
        lens: &[u32],
        table: &js_sys::Array,
    ) -> Result<JsValue, JsValue>;
}

#[cfg(feature = "audit")]
/// The full visits (`audit`) handed to JS as tapes ([`tape`]), a part at a
/// time; row errors, counts and the summary go to the JSON of the rest.
struct TapeSink {
    tape: tape::Tape,
    /// The string cache on the JS side (one entry per slot).
    table: js_sys::Array,
    /// Where the open part's list of visits keeps its count, and the count.
    list: Option<(usize, u32)>,
    rest: crate::audit::JsonSink<Vec<u8>>,
    js: JsResults,
}

#[cfg(feature = "audit")]
impl TapeSink {
    fn hand_over(&mut self) {
        if let Some((at, n)) = self.list.take() {
            self.tape.close_list(at, n);
            let t = &self.tape;
            let part = tape_values(&t.words, &t.floats, &t.text, &t.lens, &self.table).ok();
            self.js.push(part);
            self.tape.clear_part();
        }
    }
}

#[cfg(feature = "audit")]
impl crate::audit::Sink for TapeSink {
    fn visit(&mut self, r: &crate::audit::VisitResult) {
        let (at, n) = match self.list {
            Some(open) => open,
            None => (self.tape.open(), 0),
        };
        self.list = Some((at, n + 1));
        if tape::visit_full(&mut self.tape, r).is_err() {
            self.js.failed = true;
        }
        if self.tape.part_bytes() >= PART {
            self.hand_over();
        }
    }
    fn row_error(&mut self, e: crate::audit::RowError) {
        self.rest.row_error(e);
    }
    fn row_warning(&mut self, e: crate::audit::RowError) {
        self.rest.row_warning(e);
    }
}

#[cfg(feature = "audit")]
/// Audits many visits from CSV text (one row per service line): the same result
/// as `ptbill audit --format json`. A file that cannot be audited throws.
#[wasm_bindgen]
pub fn audit(csv_text: JsValue) -> Result<JsValue, JsError> {
    let text = csv_argument(&csv_text, "audit")?;
    let mut sink = TapeSink {
        tape: tape::Tape::default(),
        table: js_sys::Array::new_with_length(tape::TABLE as u32),
        list: None,
        rest: crate::audit::JsonSink::new(Vec::new(), false),
        js: JsResults::new(),
    };
    let done = crate::audit::audit_text(text.as_bytes(), crate::audit::Options::default(), &mut sink)
        .map_err(|e| JsError::new(&e))?;
    sink.hand_over();
    let rest = sink.rest.finish(&done).map_err(|e| JsError::new(&e.to_string()))?;
    sink.js.finish(rest)
}

#[cfg(feature = "audit")]
/// The page's audit of a whole text: per visit its findings (rule, severity,
/// line, row, code, message), units and input visit, plus row errors and the
/// summary; calls `progress(rowsDone, rowsTotal)` about every `every` rows and
/// stops (with `cancelled: true`) if it returns `false`.
#[wasm_bindgen]
pub fn audit_compact(csv_text: JsValue, every: JsValue, progress: JsValue) -> Result<JsValue, JsError> {
    let text = csv_argument(&csv_text, "audit_compact")?;
    let every = u64::from(args::whole(&every, "audit_compact", "every", Some(0))?);
    let progress = args::callback(&progress, "audit_compact", "progress")?;
    let progress = progress.as_ref();
    let bytes = text.as_bytes();
    let mut stream = crate::audit::Stream::new(crate::audit::Options::default());
    let fail = |e: String| JsError::new(&e);
    for chunk in bytes.chunks(crate::audit::CHUNK) {
        stream.count(chunk).map_err(fail)?;
    }
    stream.begin().map_err(fail)?;
    let total = stream.counted().map_or(0, |c| c.0);
    let mut js = JsResults::new();
    let mut sink = crate::audit::PartsSink::new(true, PART, |part: &[u8]| js.json(part));
    let mut cancelled = false;
    let mut next = every;
    for chunk in bytes.chunks(crate::audit::CHUNK) {
        stream.check(chunk, &mut sink).map_err(fail)?;
        let done = stream.rows_read();
        if let Some(f) = progress
            && every > 0
            && done >= next
        {
            next = done + every;
            let go = f
                .call2(
                    &JsValue::NULL,
                    &JsValue::from_f64(done as f64),
                    &JsValue::from_f64(total as f64),
                )
                .map(|v| v.as_bool() != Some(false))
                .unwrap_or(true);
            if !go {
                cancelled = true;
                break;
            }
        }
    }
    let done = stream.finish(&mut sink, cancelled).map_err(fail)?;
    if let Some(f) = progress
        && every > 0
        && !cancelled
    {
        let _ = f.call2(
            &JsValue::NULL,
            &JsValue::from_f64(total as f64),
            &JsValue::from_f64(total as f64),
        );
    }
    let rest = sink.finish(&done).map_err(|e| JsError::new(&e.to_string()))?;
    js.finish(rest)
}

#[cfg(feature = "audit")]
/// The audit's summary alone (no per-visit results), for very large files.
#[wasm_bindgen]
pub fn audit_summary(csv_text: JsValue) -> Result<JsValue, JsError> {
    let text = csv_argument(&csv_text, "audit_summary")?;
    to_js(&crate::audit::audit_summary_json(&text).map_err(|e| JsError::new(&e))?)
}

#[cfg(feature = "audit")]
/// The audit as a stream, for files of any size (the page's worker):
/// `count(chunk)` every chunk of the file, `begin()`, `check(chunk)` every chunk
/// again (taking `takeCsv()` and `takeLines()` as it goes), then
/// `finish(cancelled)`. Chunks are `Uint8Array`s, cut anywhere.
#[wasm_bindgen]
pub struct AuditStream {
    stream: crate::audit::Stream,
    sink: crate::audit::PageSink,
    /// Row errors and warnings among the JSON lines taken so far.
    rows_listed: u64,
}

#[cfg(feature = "audit")]
fn chunk_argument(chunk: &JsValue, method: &str) -> Result<Vec<u8>, JsError> {
    chunk
        .dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .ok_or_else(|| {
            JsError::new(&format!(
                "AuditStream.{method}(chunk): chunk must be a Uint8Array (a piece of the file), got {}",
                args::what(chunk)
            ))
        })
}

#[cfg(feature = "audit")]
#[wasm_bindgen]
impl AuditStream {
    /// A new audit. `options` is optional: `{payers: {"Aetna": "commercial", …}}`
    /// maps payer names to contract values.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<AuditStream, JsError> {
        let mut opts = crate::audit::Options::default();
        if !options.is_undefined() && !options.is_null() {
            if !options.is_object() {
                return Err(JsError::new(&format!(
                    "new AuditStream(options): options must be an object, got {}",
                    args::what(&options)
                )));
            }
            let payers = js_sys::Reflect::get(&options, &JsValue::from_str("payers"))
                .map_err(|_| JsError::new("new AuditStream(options): options.payers cannot be read"))?;
            if !payers.is_undefined() && !payers.is_null() {
                let obj = payers.dyn_ref::<js_sys::Object>().ok_or_else(|| {
                    JsError::new("new AuditStream(options): options.payers must be an object of name: value")
                })?;
                for entry in js_sys::Object::entries(obj).iter() {
                    let pair = js_sys::Array::from(&entry);
                    let name = pair.get(0).as_string().unwrap_or_default();
                    let value = pair.get(1).as_string().ok_or_else(|| {
                        JsError::new(&format!(
                            "new AuditStream(options): options.payers[{name:?}] must be a string"
                        ))
                    })?;
                    opts.add_payer(&format!("{name}={value}"))
                        .map_err(|e| JsError::new(&e.replace("--payer", "options.payers")))?;
                }
            }
        }
        Ok(AuditStream {
            stream: crate::audit::Stream::new(opts),
            sink: crate::audit::PageSink::default(),
            rows_listed: 0,
        })
    }

    /// First pass: one chunk of the file.
    pub fn count(&mut self, chunk: JsValue) -> Result<(), JsError> {
        let bytes = chunk_argument(&chunk, "count")?;
        self.stream.count(&bytes).map_err(|e| JsError::new(&e))
    }

    /// Ends the first pass: `{rows, visits}`. Throws for a file that cannot be audited.
    pub fn begin(&mut self) -> Result<JsValue, JsError> {
        self.stream.begin().map_err(|e| JsError::new(&e))?;
        let (rows, visits) = self.stream.counted().unwrap_or((0, 0));
        to_js(&format!("{{\"rows\":{rows},\"visits\":{visits}}}"))
    }

    /// Second pass: one chunk of the file.
    pub fn check(&mut self, chunk: JsValue) -> Result<(), JsError> {
        let bytes = chunk_argument(&chunk, "check")?;
        self.stream.check(&bytes, &mut self.sink).map_err(|e| JsError::new(&e))
    }

    /// Data rows read so far in the second pass.
    #[wasm_bindgen(js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.stream.rows_read() as f64
    }

    /// The findings-CSV rows written since the last call (no header).
    #[wasm_bindgen(js_name = takeCsv)]
    pub fn take_csv(&mut self) -> String {
        String::from_utf8(std::mem::take(&mut self.sink.csv)).unwrap_or_default()
    }

    /// JSON lines written since the last call: `{"visit":…}`, `{"row_error":…}`, `{"row_warning":…}`.
    #[wasm_bindgen(js_name = takeLines)]
    pub fn take_lines(&mut self) -> String {
        String::from_utf8(self.take_lines_bytes()).unwrap_or_default()
    }

    /// `takeCsv()` as UTF-8 bytes (a `Uint8Array`): no text decoding, for a
    /// host that hands the rows on (to a compressor, another worker).
    #[wasm_bindgen(js_name = takeCsvBytes)]
    pub fn take_csv_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.sink.csv)
    }

    /// `takeLines()` as UTF-8 bytes (a `Uint8Array`).
    #[wasm_bindgen(js_name = takeLinesBytes)]
    pub fn take_lines_bytes(&mut self) -> Vec<u8> {
        self.count_row_entries();
        std::mem::take(&mut self.sink.lines)
    }

    /// Bytes that `takeInto` would write now: the CSV rows and the lines.
    #[wasm_bindgen(js_name = pendingBytes)]
    pub fn pending_bytes(&self) -> f64 {
        (self.sink.csv.len() + self.sink.lines.len()) as f64
    }

    /// `takeCsvBytes()` and `takeLinesBytes()` copied into `buffer` (a
    /// `Uint8Array` of at least `pendingBytes()`), the CSV rows first; returns
    /// `[csvBytes, linesBytes]`. A host can then reuse its buffers rather than
    /// leave two new ones per call for the collector (the page's worker keeps
    /// a few and gets them back from the store).
    #[wasm_bindgen(js_name = takeInto)]
    pub fn take_into(&mut self, buffer: JsValue) -> Result<Vec<u32>, JsError> {
        let Some(out) = buffer.dyn_ref::<js_sys::Uint8Array>() else {
            return Err(JsError::new(&format!(
                "AuditStream.takeInto(buffer): buffer must be a Uint8Array, got {}",
                args::what(&buffer)
            )));
        };
        let (csv, lines) = (self.sink.csv.len(), self.sink.lines.len());
        if (out.length() as usize) < csv + lines {
            return Err(JsError::new(&format!(
                "AuditStream.takeInto(buffer): buffer holds {} bytes, {} are pending (pendingBytes())",
                out.length(),
                csv + lines
            )));
        }
        self.count_row_entries();
        out.subarray(0, csv as u32).copy_from(&self.sink.csv);
        out.subarray(csv as u32, (csv + lines) as u32)
            .copy_from(&self.sink.lines);
        // Cleared, not taken: the engine's buffers keep their capacity.
        self.sink.csv.clear();
        self.sink.lines.clear();
        Ok(vec![csv as u32, lines as u32])
    }

    /// Row errors and warnings in the lines about to be taken, for `listed()`.
    fn count_row_entries(&mut self) {
        self.rows_listed += self
            .sink
            .lines
            .split(|&b| b == b'\n')
            .filter(|l| l.starts_with(b"{\"row_"))
            .count() as u64;
    }

    /// Entries of a findings list in the lines taken so far: each finding, row
    /// error and row warning (a visit's line holds all its findings).
    pub fn listed(&self) -> f64 {
        (self.sink.findings + self.rows_listed) as f64
    }

    /// Ends the audit (or stops it, `cancelled` true): `{visits, visits_checked,
    /// rows, findings, cancelled, summary}`. Take the last CSV rows and lines after.
    pub fn finish(&mut self, cancelled: JsValue) -> Result<JsValue, JsError> {
        let cancelled = cancelled.as_bool().unwrap_or(false);
        let done = self
            .stream
            .finish(&mut self.sink, cancelled)
            .map_err(|e| JsError::new(&e))?;
        to_js(&crate::to_json(&serde_json::json!({
            "visits": done.visits,
            "visits_checked": done.visits_checked,
            "rows": done.rows,
            "findings": self.sink.findings,
            "cancelled": done.cancelled,
            "summary": done.summary,
        })))
    }
}
