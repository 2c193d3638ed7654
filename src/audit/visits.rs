//! Assembling visits: two passes over the rows keep memory flat. The first
//! ([`CountPass`]) counts the rows of each visit (by a 64-bit hash of its id)
//! and the range of dates; the second ([`CheckPass`]) gathers a visit's rows and
//! checks it as soon as its last row is read. A file grouped by visit holds one
//! visit at a time; a scattered one still works, holding the visits still open.
//!
//! Everything the second pass reports (visits, row errors, row warnings) goes
//! to the sink in one sequence, in the order the rows were read, so the output
//! is the same on every run whatever the threads do.

use super::cells::{self, HeadCache, iso_date, list, payer_value};
use super::header::*;
use super::read::{Fields, Rows};
use super::summary::{Notice, Summary};
use super::{Options, RowError, Sink, VisitResult};
use crate::date::Date;
use crate::report::{Report, Severity};
use crate::visit::{MAX_DIAGNOSES, MAX_LINES, Visit};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, non-keyed hasher for the audit's maps (visit ids and their hashes,
/// codes): the keys come from the user's own file, so the denial-of-service
/// resistance of the standard SipHash buys nothing, and it cost a tenth of the run.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        // FNV-1a over the bytes, continuing from what came before.
        let start = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        self.0 = bytes
            .iter()
            .fold(start, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    }
    fn write_u8(&mut self, n: u8) {
        self.write(&[n]);
    }
    fn write_u64(&mut self, n: u64) {
        // A key that is already a hash: one multiply spreads it over every bit.
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits and its tag from the top
        // ones: fold the well-mixed high half down.
        self.0 ^ (self.0 >> 32)
    }
}

/// A map with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The pass's counters, borrowed apart from its flight.
macro_rules! apply_of {
    ($p:expr) => {
        Apply {
            summary: &mut $p.summary,
            visits_checked: &mut $p.visits_checked,
            data_visits: &mut $p.data_visits,
            payers: &$p.opts.payers,
        }
    };
}

/// The rule whose notice the audit gives once per file.
pub const DATA_RULE: &str = "reference-data-date";

fn hash(id: &str) -> u64 {
    // FNV-1a: stable and fast; a collision only delays a visit to the end of the file.
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What the first pass learned.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Rows per visit, by hash of the id.
    pub per_visit: FastMap<u64, u32>,
    /// Data rows (not the header, not blank lines).
    pub rows: u64,
    /// Earliest and latest readable date of service.
    pub dates: Option<(Date, Date)>,
    /// The header.
    pub header: Header,
}

impl Counts {
    /// Distinct visit ids in the file.
    pub fn visits(&self) -> u64 {
        self.per_visit.len() as u64
    }

    /// The once-per-file reference-data notices for this file's dates: the
    /// engine's own notes for the earliest and latest date, said once.
    pub fn data_notices(&self) -> Vec<Notice> {
        let Some((first, last)) = self.dates else {
            return Vec::new();
        };
        let mut out: Vec<Notice> = Vec::new();
        let mut helps: Vec<String> = Vec::new();
        for (date, which) in [(last, "latest"), (first, "earliest")] {
            let probe = Visit {
                date_of_service: date,
                payer: crate::visit::Payer::Medicare,
                method: crate::visit::Method::Cms,
                discipline: crate::visit::Discipline::Pt,
                setting: crate::visit::Setting::Practitioner,
                ytd_allowed_cents: None,
                lines: vec![crate::visit::Line {
                    code: "97110".into(),
                    minutes: Some(30),
                    assistant_minutes: 0,
                    units: None,
                    modifiers: vec!["GP".into()],
                    modifiers_given: true,
                }],
                diagnoses: vec!["M54.50".into()],
            };
            for d in crate::check_with(&probe, false).diagnostics {
                if d.rule != DATA_RULE || helps.iter().any(|h| h.as_str() == d.help.as_str()) {
                    continue;
                }
                helps.push(d.help.to_string());
                let message = d
                    .message
                    .replace("this visit is on", &format!("the {which} visit of the file is on"));
                out.push(Notice {
                    rule: DATA_RULE.into(),
                    severity: Severity::Info,
                    message: if first == last {
                        message
                    } else {
                        format!("This file's visits are dated {first} to {last}. {message}")
                    },
                    visits: 0,
                });
            }
        }
        out
    }
}

/// The first pass.
#[derive(Default)]
pub struct CountPass {
    counts: Counts,
    last_date: String,
}

impl CountPass {
    /// What it counted.
    pub fn into_counts(self) -> Counts {
        self.counts
    }
}

impl Rows for CountPass {
    fn header(&mut self, fields: &Fields, _: bool) -> Result<(), String> {
        self.counts.header = Header::read(fields)?;
        Ok(())
    }
    fn row(&mut self, _: u64, fields: &Fields, _: bool) {
        let h = &self.counts.header;
        let id = h.cell(fields, VISIT_ID);
        // A row of empty cells is a blank line to a spreadsheet: numbered, not
        // data (a row with a visit id is not one).
        if id.is_empty() && fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        self.counts.rows += 1;
        if fields.len() > h.width && fields.iter().skip(h.width).any(|c| !c.trim().is_empty()) {
            return;
        }
        if id.is_empty() {
            return;
        }
        *self.counts.per_visit.entry(hash(id)).or_insert(0) += 1;
        let date = h.cell(fields, DATE);
        if date != self.last_date {
            self.last_date.clear();
            self.last_date.push_str(date);
            if let Ok(d) = Date::parse(&iso_date(date)) {
                self.counts.dates = Some(match self.counts.dates {
                    None => (d, d),
                    Some((a, b)) => (a.min(d), b.max(d)),
                });
            }
        }
    }
    fn bad(&mut self, _: u64, _: String) {
        self.counts.rows += 1;
    }
}

struct Pending {
    /// The visit's first row, good or bad.
    first_row: u64,
    /// The input row of each good line, in line order.
    rows: Vec<u64>,
    lines: Vec<crate::visit::Line>,
    /// The first good row, the visit-wide fields as normalised (blank = not
    /// given), and those fields as parsed.
    head: Option<(u64, Kept, Visit)>,
    /// The payer as written (lower case), when given.
    payer_name: Option<String>,
    diagnoses: Vec<String>,
    conflict: Option<String>,
    bad_rows: Vec<u64>,
    seen: u32,
    /// The rows the first pass counted for its id (the visit is complete when
    /// that many are seen).
    expected: Option<u32>,
}

/// A visit's four visit-wide cells (date, payer, discipline, setting) as
/// normalised from its first good row, in one string (one allocation, not four).
struct Kept {
    text: String,
    ends: [usize; 4],
}

impl Kept {
    fn new(cells: [&str; 4]) -> Kept {
        let mut text = String::with_capacity(cells.iter().map(|c| c.len()).sum());
        let mut ends = [0; 4];
        for (end, cell) in ends.iter_mut().zip(cells) {
            text.push_str(cell);
            *end = text.len();
        }
        Kept { text, ends }
    }

    #[inline]
    fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        self.text.get(start..self.ends[k]).unwrap_or("")
    }

    fn set(&mut self, k: usize, cell: &str) {
        let cells: [String; 4] = std::array::from_fn(|i| if i == k { cell } else { self.get(i) }.to_string());
        *self = Kept::new([&cells[0], &cells[1], &cells[2], &cells[3]]);
    }
}

/// Reports, in file order.
enum Item {
    Visit(String, Box<Pending>),
    Error(RowError),
    Warning(RowError),
}

/// What checking one visit gave, computed apart from the sink so that visits
/// can be checked on another thread and still be written in order.
enum Outcome {
    /// The visit cannot be checked as a whole: every row is reported with this reason.
    Rejected(String),
    /// Every row of the visit was bad (each is already reported).
    Empty,
    /// Checked.
    Checked(Box<(Visit, Report)>),
    /// Not a visit.
    None,
}

/// The second pass: checks each visit as soon as its rows are in.
pub struct CheckPass {
    counts: Counts,
    opts: Options,
    open: FastMap<String, Pending>,
    /// The visit of the last row read, kept out of `open`: a visit's rows
    /// usually come together, so most rows need no look-up by id.
    last: Option<(String, Pending)>,
    /// The last payer cell read and its payer value (a blank cell's is blank).
    payer: (String, String),
    batch: Vec<Item>,
    flight: Flight,
    heads: HeadCache,
    /// The counts so far.
    pub summary: Summary,
    /// Visits checked.
    pub visits_checked: u64,
    /// Visits with a reference-data notice.
    data_visits: u64,
    started: bool,
}

/// A pass joined to its sink for one call.
pub struct With<'a> {
    /// The pass.
    pub pass: &'a mut CheckPass,
    /// The sink.
    pub sink: &'a mut dyn Sink,
}

impl CheckPass {
    /// Starts the second pass with what the first one counted.
    pub fn new(counts: Counts, opts: Options) -> Self {
        CheckPass {
            counts,
            opts,
            open: FastMap::default(),
            last: None,
            payer: (String::new(), String::new()),
            batch: Vec::with_capacity(BATCH),
            flight: Flight::default(),
            heads: HeadCache::default(),
            summary: Summary::default(),
            visits_checked: 0,
            data_visits: 0,
            started: false,
        }
    }

    /// What the first pass counted.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// The once-per-file notices (written first by every sink).
    #[inline]
    fn start(&mut self, sink: &mut dyn Sink) {
        // Called per row: the check is inlined, the once-per-file work is not.
        if !self.started {
            self.give_notices(sink);
        }
    }

    #[cold]
    fn give_notices(&mut self, sink: &mut dyn Sink) {
        self.started = true;
        self.summary.data_notices = self.counts.data_notices();
        if let Some(m) = self.counts.header.unknown_notice() {
            self.summary.notices.push(Notice {
                rule: "file-notice".into(),
                severity: Severity::Info,
                message: m,
                visits: 0,
            });
        }
        for n in self.summary.data_notices.iter().chain(&self.summary.notices) {
            sink.notice(n);
        }
    }

    fn push(&mut self, item: Item, sink: &mut dyn Sink) {
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            let batch = std::mem::take(&mut self.batch);
            self.flight.send(batch, sink, &mut apply_of!(self));
        }
    }

    /// Ends the pass: checks the visits still open and settles the summary.
    /// When `cancelled`, the visits still open are dropped.
    pub fn finish(&mut self, sink: &mut dyn Sink, cancelled: bool) {
        self.start(sink);
        if !cancelled {
            // Visits still open (an id whose rows hash like another's) go last, in
            // order of their first row.
            let mut rest: Vec<(String, Pending)> = self.open.drain().chain(self.last.take()).collect();
            rest.sort_by_key(|(_, p)| p.first_row);
            for (id, p) in rest {
                self.push(Item::Visit(id, Box::new(p)), sink);
            }
        } else {
            self.open.clear();
            self.last = None;
        }
        let batch = std::mem::take(&mut self.batch);
        let mut flight = std::mem::take(&mut self.flight);
        flight.send(batch, sink, &mut apply_of!(self));
        flight.land(sink, &mut apply_of!(self));
        self.summary.settle();
        for n in &mut self.summary.data_notices {
            n.visits = self.data_visits;
        }
    }

    fn row(&mut self, row: u64, fields: &Fields, replaced: bool, sink: &mut dyn Sink) {
        self.start(sink);
        let h = &self.counts.header;
        let id = h.cell(fields, VISIT_ID);
        let error = |id: &str, message: String| RowError {
            row,
            visit_id: (!id.is_empty()).then(|| id.to_string()),
            message,
        };
        if fields.len() > h.width && fields.iter().skip(h.width).any(|c| !c.trim().is_empty()) {
            let e = error(
                id,
                format!(
                    "row {row} has {} cells but the header names {} columns: not read, so that no cell is taken for another column's (a comma inside a cell needs quotes)",
                    fields.len(),
                    h.width
                ),
            );
            return self.push(Item::Error(e), sink);
        }
        if id.is_empty() && fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        if replaced {
            let w = error(
                id,
                format!(
                    "row {row} holds characters that are not UTF-8 text; they were replaced by \u{fffd} (save the file as \"CSV UTF-8\")"
                ),
            );
            self.push(Item::Warning(w), sink);
        }
        if id.is_empty() {
            return self.push(Item::Error(error("", "visit_id is empty".into())), sink);
        }
        let h = &self.counts.header;
        let typed_payer = h.cell(fields, PAYER);
        let date = iso_date(h.cell(fields, DATE));
        // The payer cell is the same on most rows running: its value is kept.
        if self.payer.0 != typed_payer {
            let value = payer_value(typed_payer, &self.opts.payers);
            self.payer.0.clear();
            self.payer.0.push_str(typed_payer);
            self.payer.1.clear();
            self.payer.1.push_str(value);
        }
        let payer = self.payer.1.as_str();
        let discipline = cells::discipline_value(h.cell(fields, DISCIPLINE));
        let setting = cells::lower(h.cell(fields, SETTING));
        let norm = [date.as_ref(), payer, discipline.as_ref(), setting.as_ref()];
        let line = cells::line(
            h.cell(fields, CODE),
            h.cell(fields, MINUTES),
            h.cell(fields, ASSISTANT),
            h.cell(fields, UNITS),
            h.cell(fields, MODIFIERS),
        );
        let diagnoses = h.cell(fields, DIAGNOSES);
        let parsed = line.and_then(|l| {
            self.heads
                .read([norm[0], norm[1], norm[2], norm[3], diagnoses])
                .map(|v| (l, v))
        });
        if self.last.as_ref().is_none_or(|(k, _)| k != id) {
            if let Some((k, p)) = self.last.take() {
                self.open.insert(k, p);
            }
            let open = match self.open.remove_entry(id) {
                Some(open) => open,
                None => {
                    // The first pass counted the visit's rows: its vectors are sized once.
                    let expected = self.counts.per_visit.get(&hash(id)).copied();
                    let size = expected.map_or(1, |n| n as usize).min(MAX_LINES + 1);
                    let p = Pending {
                        first_row: row,
                        rows: Vec::with_capacity(size),
                        lines: Vec::with_capacity(size),
                        head: None,
                        payer_name: None,
                        diagnoses: Vec::new(),
                        conflict: None,
                        bad_rows: Vec::new(),
                        seen: 0,
                        expected,
                    };
                    (id.to_string(), p)
                }
            };
            self.last = Some(open);
        }
        let Some((_, pending)) = self.last.as_mut() else { return };
        pending.seen += 1;
        match parsed {
            Err(mut m) => {
                pending.bad_rows.push(row);
                // Name a US date as it was typed, not as rewritten.
                let typed_date = self.counts.header.cell(fields, DATE);
                if date != typed_date {
                    m = m.replace(&*date, typed_date);
                }
                let e = error(id, m);
                self.batch.push(Item::Error(e));
            }
            Ok((line, parsed_head)) => {
                let names = ["date_of_service", "payer", "discipline", "setting"];
                match &mut pending.head {
                    None => {
                        // The visit-wide fields only (its diagnoses are gathered below).
                        let template = Visit {
                            date_of_service: parsed_head.date_of_service,
                            payer: parsed_head.payer,
                            method: parsed_head.method,
                            discipline: parsed_head.discipline,
                            setting: parsed_head.setting,
                            ytd_allowed_cents: parsed_head.ytd_allowed_cents,
                            lines: Vec::new(),
                            diagnoses: Vec::new(),
                        };
                        pending.head = Some((row, Kept::new(norm), template));
                    }
                    Some((first, kept, template)) if pending.conflict.is_none() => {
                        for k in 0..4 {
                            if norm[k].is_empty() {
                                continue;
                            }
                            if kept.get(k).is_empty() {
                                // A blank cell took the default; a filled one decides.
                                kept.set(k, norm[k]);
                                match k {
                                    1 => template.payer = parsed_head.payer,
                                    2 => template.discipline = parsed_head.discipline,
                                    3 => template.setting = parsed_head.setting,
                                    _ => {}
                                }
                            } else if kept.get(k) != norm[k] {
                                pending.conflict = Some(format!(
                                    "rows {first} and {row} disagree on {} ({:?} vs {:?})",
                                    names[k],
                                    kept.get(k),
                                    norm[k]
                                ));
                                break;
                            }
                        }
                    }
                    Some(_) => {}
                }
                if !typed_payer.is_empty() && pending.payer_name.is_none() {
                    pending.payer_name = Some(typed_payer.to_lowercase());
                }
                for d in list(diagnoses) {
                    if pending.diagnoses.len() <= MAX_DIAGNOSES && !pending.diagnoses.iter().any(|x| x == d) {
                        pending.diagnoses.push(d.to_string());
                    }
                }
                pending.rows.push(row);
                // Past the cap the visit is refused; its lines are not kept.
                if pending.lines.len() <= MAX_LINES {
                    pending.lines.push(line);
                }
            }
        }
        if pending.expected.is_some_and(|n| pending.seen >= n)
            && let Some((id, p)) = self.last.take()
        {
            self.push(Item::Visit(id, Box::new(p)), sink);
        } else if self.batch.len() >= BATCH {
            let batch = std::mem::take(&mut self.batch);
            self.flight.send(batch, sink, &mut apply_of!(self));
        }
    }
}

impl Rows for With<'_> {
    fn header(&mut self, fields: &Fields, _: bool) -> Result<(), String> {
        let h = Header::read(fields)?;
        // Both passes read the same header (the file changed in between if not).
        if h != self.pass.counts.header {
            return Err("the file changed while it was being read: audit it again".into());
        }
        Ok(())
    }
    fn row(&mut self, row: u64, fields: &Fields, replaced: bool) {
        self.pass.row(row, fields, replaced, self.sink);
    }
    fn bad(&mut self, row: u64, message: String) {
        self.pass.start(self.sink);
        let e = RowError {
            row,
            visit_id: None,
            message,
        };
        self.pass.push(Item::Error(e), self.sink);
    }
}

/// What applying outcomes needs of the pass (borrowed apart from its flight).
struct Apply<'a> {
    summary: &'a mut Summary,
    visits_checked: &'a mut u64,
    data_visits: &'a mut u64,
    payers: &'a [(String, String)],
}

fn evaluate(p: &mut Pending, full: bool) -> Outcome {
    if let Some(conflict) = &p.conflict {
        return Outcome::Rejected(conflict.clone());
    }
    if p.lines.len() > MAX_LINES {
        return Outcome::Rejected(format!(
            "it has {} lines; a visit may have at most {MAX_LINES} (the same cap as check)",
            p.rows.len()
        ));
    }
    if p.diagnoses.len() > MAX_DIAGNOSES {
        return Outcome::Rejected(format!(
            "it has more than {MAX_DIAGNOSES} diagnoses; a visit may have at most {MAX_DIAGNOSES} (the same cap as check)"
        ));
    }
    let Some((_, _, template)) = p.head.take() else {
        return Outcome::Empty;
    };
    // Every row passed the strict parser with these same visit-wide fields, so the
    // visit is assembled directly rather than parsed again.
    let mut visit = template;
    visit.lines = std::mem::take(&mut p.lines);
    visit.diagnoses = std::mem::take(&mut p.diagnoses);
    let report = crate::check_with(&visit, full);
    Outcome::Checked(Box::new((visit, report)))
}

/// Counts an outcome and hands it to the sink (a checked visit is freed once
/// written, on this thread: the checking thread has the more to do).
fn apply(item: Item, outcome: Outcome, sink: &mut dyn Sink, a: &mut Apply<'_>) {
    let (id, p) = match item {
        Item::Error(e) => {
            a.summary.row_errors += 1;
            sink.row_error(e);
            return;
        }
        Item::Warning(w) => {
            a.summary.row_warnings += 1;
            sink.row_warning(w);
            return;
        }
        Item::Visit(id, p) => (id, *p),
    };
    if let Some(name) = &p.payer_name {
        match a.summary.payers.get_mut(name) {
            Some(n) => *n += 1,
            None => {
                a.summary.payers.insert(name.clone(), 1);
            }
        }
        if !a.summary.payers_checked_as.contains_key(name) {
            a.summary
                .payers_checked_as
                .insert(name.clone(), payer_value(name, a.payers).to_string());
        }
    }
    let (visit, mut report) = match outcome {
        Outcome::Rejected(why) => {
            a.summary.visits_with_errors += 1;
            for row in &p.rows {
                a.summary.row_errors += 1;
                sink.row_error(RowError {
                    row: *row,
                    visit_id: Some(id.clone()),
                    message: format!("visit {id} not checked: {why}"),
                });
            }
            return;
        }
        Outcome::Empty => {
            a.summary.visits_with_errors += 1;
            return;
        }
        Outcome::None => return,
        Outcome::Checked(b) => *b,
    };
    // The data-age note is said once for the file, not on every visit.
    let before = report.diagnostics.len();
    report.diagnostics.retain(|d| d.rule != DATA_RULE);
    if report.diagnostics.len() != before {
        *a.data_visits += 1;
    }
    *a.visits_checked += 1;
    let s = &mut *a.summary;
    if report.has_errors() || !p.bad_rows.is_empty() {
        s.visits_with_errors += 1;
    }
    s.timed_units += report.timed_units;
    s.total_units += report.total_units;
    // Claimed vs computed, per code.
    let mut per_code: Vec<(&str, u64, u64, bool)> = Vec::with_capacity(visit.lines.len());
    for (l, r) in visit.lines.iter().zip(&report.lines) {
        let k = match per_code.iter().position(|e| e.0 == l.code) {
            Some(k) => k,
            None => {
                per_code.push((&l.code, 0, 0, false));
                per_code.len() - 1
            }
        };
        let e = &mut per_code[k];
        e.1 += r.units;
        if let Some(u) = l.units {
            e.2 += u64::from(u);
            e.3 = true;
        }
    }
    for (_, computed, claimed, given) in per_code {
        if given {
            s.claimed_units += claimed;
            s.units_over += claimed.saturating_sub(computed);
            s.units_under += computed.saturating_sub(claimed);
        }
    }
    for d in &report.diagnostics {
        s.count(
            d.rule,
            d.severity,
            d.line.map_or("(visit)", |i| report.lines[i].code.as_str()),
        );
    }
    let result = VisitResult {
        visit_id: id,
        rows: p.rows,
        payer_name: p.payer_name,
        visit,
        report,
    };
    sink.visit(&result);
}

/// Complete visits wait in batches of this size, so that one batch can be checked
/// while the next is read.
const BATCH: usize = 1024;

/// Batches handed out and not yet written before the reading thread stops
/// reading to check one itself: one being checked by the second thread, the
/// rest waiting. Enough that the second thread always has one to take while
/// the first reads; more would only hold memory.
#[cfg(not(target_arch = "wasm32"))]
const IN_FLIGHT: u64 = 4;

type Batch = Vec<Item>;

/// A batch with its outcomes, by its number in file order.
#[cfg(not(target_arch = "wasm32"))]
type Checked = (u64, Batch, Vec<Outcome>);

/// Where batches are checked. Natively, by both threads: a long-lived second
/// thread takes batches from a queue, and the reading thread, when it is ahead
/// (enough batches handed out and not yet written), takes the oldest waiting
/// batch itself rather than wait. Results are written in file order whoever
/// checked them. On wasm, at once.
#[derive(Default)]
struct Flight {
    #[cfg(not(target_arch = "wasm32"))]
    worker: Option<Worker>,
    /// Batches handed out (the next one's number).
    #[cfg(not(target_arch = "wasm32"))]
    sent: u64,
    /// Batches written (the next one to write).
    #[cfg(not(target_arch = "wasm32"))]
    written: u64,
    /// Checked batches waiting for an earlier one.
    #[cfg(not(target_arch = "wasm32"))]
    done: std::collections::BTreeMap<u64, (Batch, Vec<Outcome>)>,
}

/// Batches waiting to be checked, and whether no more will come.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
struct Queue {
    jobs: std::sync::Mutex<(std::collections::VecDeque<(u64, Batch)>, bool)>,
    ready: std::sync::Condvar,
}

#[cfg(not(target_arch = "wasm32"))]
impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, (std::collections::VecDeque<(u64, Batch)>, bool)> {
        // A panic while holding the lock leaves the queue as it was.
        self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The oldest waiting batch, if any.
    fn take(&self) -> Option<(u64, Batch)> {
        self.lock().0.pop_front()
    }

    /// The oldest waiting batch, waiting for one; `None` once closed and empty.
    fn wait(&self) -> Option<(u64, Batch)> {
        let mut jobs = self.lock();
        loop {
            if let Some(job) = jobs.0.pop_front() {
                return Some(job);
            }
            if jobs.1 {
                return None;
            }
            jobs = self.ready.wait(jobs).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
struct Worker {
    queue: std::sync::Arc<Queue>,
    from: std::sync::mpsc::Receiver<Checked>,
    handle: std::thread::JoinHandle<()>,
    full: bool,
}

fn check_batch(batch: &mut Batch, full: bool) -> Vec<Outcome> {
    batch
        .iter_mut()
        .map(|item| match item {
            Item::Visit(_, p) => evaluate(p, full),
            _ => Outcome::None,
        })
        .collect()
}

fn apply_all(batch: Batch, outcomes: Vec<Outcome>, sink: &mut dyn Sink, a: &mut Apply<'_>) {
    for (item, outcome) in batch.into_iter().zip(outcomes) {
        apply(item, outcome, sink, a);
    }
}

impl Flight {
    /// Hands in a batch; results of earlier batches go to the sink, in order.
    fn send(&mut self, #[allow(unused_mut)] mut batch: Batch, sink: &mut dyn Sink, a: &mut Apply<'_>) {
        if batch.is_empty() {
            return;
        }
        let full = sink.full();
        #[cfg(not(target_arch = "wasm32"))]
        {
            let worker = self.worker.get_or_insert_with(|| {
                let queue = std::sync::Arc::new(Queue::default());
                let (outbox, from) = std::sync::mpsc::channel::<Checked>();
                let jobs = std::sync::Arc::clone(&queue);
                let handle = std::thread::spawn(move || {
                    while let Some((n, mut batch)) = jobs.wait() {
                        let outcomes = check_batch(&mut batch, full);
                        if outbox.send((n, batch, outcomes)).is_err() {
                            return;
                        }
                    }
                });
                Worker {
                    queue,
                    from,
                    handle,
                    full,
                }
            });
            worker.queue.lock().0.push_back((self.sent, batch));
            worker.queue.ready.notify_one();
            self.sent += 1;
            self.pump(sink, a, IN_FLIGHT);
        }
        #[cfg(target_arch = "wasm32")]
        {
            let outcomes = check_batch(&mut batch, full);
            apply_all(batch, outcomes, sink, a);
        }
    }

    /// Writes what is checked, in order, until fewer than `limit` batches are
    /// handed out and not written; while too many are, checks the oldest
    /// waiting batch here, or waits for the second thread when none waits.
    #[cfg(not(target_arch = "wasm32"))]
    fn pump(&mut self, sink: &mut dyn Sink, a: &mut Apply<'_>, limit: u64) {
        let Some(worker) = self.worker.as_ref() else { return };
        loop {
            while let Ok((n, batch, outcomes)) = worker.from.try_recv() {
                self.done.insert(n, (batch, outcomes));
            }
            while let Some((batch, outcomes)) = self.done.remove(&self.written) {
                self.written += 1;
                apply_all(batch, outcomes, sink, a);
            }
            if self.sent - self.written < limit {
                return;
            }
            if let Some((n, mut batch)) = worker.queue.take() {
                let full = worker.full;
                let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_batch(&mut batch, full)));
                match checked {
                    Ok(outcomes) => {
                        self.done.insert(n, (batch, outcomes));
                    }
                    // A panic in a check (a bug): the batch is lost, and counted.
                    Err(_) => lost(&mut self.done, n, a.summary),
                }
                continue;
            }
            match worker.from.recv() {
                Ok((n, batch, outcomes)) => {
                    self.done.insert(n, (batch, outcomes));
                }
                Err(_) => {
                    // The second thread is gone (a panic in a check, a bug):
                    // what waits is checked here; the batch it held is lost.
                    while let Some((n, mut batch)) = worker.queue.take() {
                        let outcomes = check_batch(&mut batch, worker.full);
                        self.done.insert(n, (batch, outcomes));
                    }
                    if let Some(n) = (self.written..self.sent).find(|n| !self.done.contains_key(n)) {
                        lost(&mut self.done, n, a.summary);
                    }
                }
            }
        }
    }

    /// Waits for every batch handed out, writes their results and ends the thread.
    fn land(&mut self, sink: &mut dyn Sink, a: &mut Apply<'_>) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.pump(sink, a, 1);
            if let Some(Worker { queue, handle, .. }) = self.worker.take() {
                queue.lock().1 = true;
                queue.ready.notify_all();
                let _ = handle.join();
            }
        }
        let _ = (sink, a);
    }
}

/// Batch `n` was lost to a panic (a bug): the loss is counted, so the summary
/// never claims a clean run, and the batches after it still go out.
#[cfg(not(target_arch = "wasm32"))]
fn lost(done: &mut std::collections::BTreeMap<u64, (Batch, Vec<Outcome>)>, n: u64, summary: &mut Summary) {
    summary.row_errors += 1;
    done.insert(n, (Vec::new(), Vec::new()));
}

#[cfg(test)]
mod kept_tests {
    use super::Kept;

    #[test]
    fn kept_cells_read_back_and_change_one_at_a_time() {
        let mut k = Kept::new(["2026-03-02", "", "pt", "practitioner"]);
        assert_eq!(
            [k.get(0), k.get(1), k.get(2), k.get(3)],
            ["2026-03-02", "", "pt", "practitioner"]
        );
        k.set(1, "medicare");
        assert_eq!(
            [k.get(0), k.get(1), k.get(2), k.get(3)],
            ["2026-03-02", "medicare", "pt", "practitioner"]
        );
        k.set(3, "");
        k.set(0, "é");
        assert_eq!([k.get(0), k.get(1), k.get(2), k.get(3)], ["é", "medicare", "pt", ""]);
    }
}
