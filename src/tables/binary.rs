//! The compact binary form of the big tables (`data/tables.bin`), written at
//! build time by `ptbill-tables` from the text tables and read by the page's
//! module without any text parsing: fixed-width little-endian integers, each
//! table column by column (so that brotli finds the runs), codes packed as in
//! [`crate::ncci_table::pack`] and dates as `YYYYMMDD` integers.
//!
//! ```text
//! file     = magic "PTBILLTB", version u16 (= 1), section count u16, section*
//! section  = tag [u8; 4], length u32, header, body          (length: header + body)
//! header   = length u16, the text table's `#` lines (UTF-8): valid_for, source, …
//! PTP1/PTP2 (practitioner / outpatient hospital):
//!   codes u32, code u64 × codes (ascending), edits u32, then per edit, column by
//!   column: column 1 u16 (index into the codes), column 2 u16, indicator u8,
//!   flags u8 (1 = first day inferred), first day u32, last day u32 (0 = none);
//!   edits sorted by (column 1, column 2)
//! ICDV (validity): first date u32, last date u32, dates u8, date u32 × dates,
//!   codes u32, then column by column: shared prefix u8 (with the previous
//!   code), length u8, from u8, to u8 (date indices, 255 = open), then the
//!   codes' unshared tails, concatenated
//! ICDU (unspecified sides): codes u32, code u64 × codes (ascending), then per
//!   code: length u8 and its siblings' tails (ASCII, space-separated, as the
//!   text table writes them)
//! DOCS (every rule's docs page, which `explain` returns): rules u16, then per
//!   rule: id length u8, id, page length u32, page (Markdown, UTF-8)
//! ```
//!
//! Decoding checks every count against the bytes left, every index, order and
//! date, and that the tables' dates are the ones this engine was built with: a
//! bad or truncated file is an error naming the problem, never a panic.

use super::Tables;
use crate::date::Date;
use crate::icd10::{CodeSet, Entry, OPEN};
use crate::ncci_table::{Edit, PtpTable, TableMap, ptp_date};
use crate::visit::Setting;
use std::collections::HashMap;

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"PTBILLTB";
/// The format version this engine reads and writes.
pub const VERSION: u16 = 1;

const PRACTITIONER: [u8; 4] = *b"PTP1";
const OUTPATIENT: [u8; 4] = *b"PTP2";
const VALIDITY: [u8; 4] = *b"ICDV";
const UNSPECIFIED: [u8; 4] = *b"ICDU";
const DOCS: [u8; 4] = *b"DOCS";

fn name(tag: [u8; 4]) -> &'static str {
    match &tag {
        b"PTP1" => "the practitioner PTP table",
        b"PTP2" => "the outpatient-hospital PTP table",
        b"ICDV" => "the ICD-10-CM validity table",
        b"ICDU" => "the ICD-10-CM unspecified-side table",
        b"DOCS" => "the rule docs",
        _ => "a table",
    }
}

// ---------- writing ----------

fn date_number(d: Option<Date>) -> u32 {
    // Display is YYYY-MM-DD.
    d.map_or(0, |d| {
        d.to_string()
            .bytes()
            .filter(u8::is_ascii_digit)
            .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
    })
}

/// The `#` lines at the top of a text table.
fn header_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn section(out: &mut Vec<u8>, tag: [u8; 4], header: &str, body: &[u8]) -> Result<(), String> {
    let h = u16::try_from(header.len()).map_err(|_| format!("{}: header too long", name(tag)))?;
    let len = u32::try_from(2 + header.len() + body.len()).map_err(|_| format!("{}: too long", name(tag)))?;
    out.extend_from_slice(&tag);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&h.to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(body);
    Ok(())
}

fn ptp_body(table: &PtpTable) -> Result<Vec<u8>, String> {
    let edits = table.edits();
    let mut codes: Vec<u64> = edits.iter().flat_map(|e| [e.0, e.1]).collect();
    codes.sort_unstable();
    codes.dedup();
    let index: HashMap<u64, u16> = codes
        .iter()
        .enumerate()
        .map(|(i, &c)| u16::try_from(i).map(|i| (c, i)))
        .collect::<Result<_, _>>()
        .map_err(|_| "more than 65,536 codes in a PTP table".to_string())?;
    let n = u32::try_from(edits.len()).map_err(|_| "too many edits".to_string())?;
    let mut b = Vec::with_capacity(8 + codes.len() * 8 + edits.len() * 14);
    b.extend_from_slice(&(codes.len() as u32).to_le_bytes());
    for c in &codes {
        b.extend_from_slice(&c.to_le_bytes());
    }
    b.extend_from_slice(&n.to_le_bytes());
    for e in edits {
        b.extend_from_slice(&index[&e.0].to_le_bytes());
    }
    for e in edits {
        b.extend_from_slice(&index[&e.1].to_le_bytes());
    }
    b.extend(edits.iter().map(|e| e.2.indicator));
    b.extend(edits.iter().map(|e| u8::from(e.2.first_inferred)));
    for e in edits {
        b.extend_from_slice(&date_number(e.2.first_day).to_le_bytes());
    }
    for e in edits {
        b.extend_from_slice(&date_number(e.2.last_day).to_le_bytes());
    }
    Ok(b)
}

fn validity_body(set: &CodeSet) -> Result<Vec<u8>, String> {
    let mut b = Vec::new();
    b.extend_from_slice(&date_number(Some(set.first)).to_le_bytes());
    b.extend_from_slice(&date_number(Some(set.last)).to_le_bytes());
    b.push(u8::try_from(set.dates.len()).map_err(|_| "more than 255 validity dates".to_string())?);
    for d in &set.dates {
        b.extend_from_slice(&date_number(Some(*d)).to_le_bytes());
    }
    b.extend_from_slice(&(set.entries.len() as u32).to_le_bytes());
    let mut shared = Vec::with_capacity(set.entries.len());
    let mut tails = Vec::new();
    let mut prev: &[u8] = &[];
    for e in &set.entries {
        let code = &e.code[..usize::from(e.len)];
        let s = prev.iter().zip(code).take_while(|(a, b)| a == b).count();
        shared.push(s as u8);
        tails.extend_from_slice(&code[s..]);
        prev = code;
    }
    b.extend_from_slice(&shared);
    b.extend(set.entries.iter().map(|e| e.len));
    b.extend(set.entries.iter().map(|e| e.from));
    b.extend(set.entries.iter().map(|e| e.to));
    b.extend_from_slice(&tails);
    Ok(b)
}

fn unspecified_body(set: &CodeSet) -> Result<Vec<u8>, String> {
    let mut rows: Vec<(&u64, &Box<str>)> = set.unspecified.iter().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    let mut b = Vec::new();
    b.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    for (k, _) in &rows {
        b.extend_from_slice(&k.to_le_bytes());
    }
    for (_, tails) in &rows {
        b.push(u8::try_from(tails.len()).map_err(|_| "an unspecified-side row is too long".to_string())?);
        b.extend_from_slice(tails.as_bytes());
    }
    Ok(b)
}

fn docs_body(docs: &[(&str, String)]) -> Result<Vec<u8>, String> {
    let mut b = Vec::new();
    b.extend_from_slice(
        &u16::try_from(docs.len())
            .map_err(|_| "too many rules".to_string())?
            .to_le_bytes(),
    );
    for (id, page) in docs {
        b.push(u8::try_from(id.len()).map_err(|_| format!("rule id {id} is too long"))?);
        b.extend_from_slice(id.as_bytes());
        b.extend_from_slice(&(page.len() as u32).to_le_bytes());
        b.extend_from_slice(page.as_bytes());
    }
    Ok(b)
}

/// The binary form of the four text tables (as in `data/`) and the rule docs
/// pages (id, Markdown).
pub fn encode(
    practitioner: &'static str,
    outpatient: &'static str,
    validity: &'static str,
    unspecified: &'static str,
    docs: &[(&str, String)],
) -> Result<Vec<u8>, String> {
    let set = CodeSet::parse(validity, unspecified);
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&5u16.to_le_bytes());
    section(
        &mut out,
        PRACTITIONER,
        &header_lines(practitioner),
        &ptp_body(&PtpTable::parse(practitioner))?,
    )?;
    section(
        &mut out,
        OUTPATIENT,
        &header_lines(outpatient),
        &ptp_body(&PtpTable::parse(outpatient))?,
    )?;
    section(&mut out, VALIDITY, &header_lines(validity), &validity_body(&set)?)?;
    section(
        &mut out,
        UNSPECIFIED,
        &header_lines(unspecified),
        &unspecified_body(&set)?,
    )?;
    section(&mut out, DOCS, "# ptbill rule docs pages\n", &docs_body(docs)?)?;
    Ok(out)
}

/// The binary form of the tables compiled into this build.
#[cfg(feature = "embedded-tables")]
pub fn encode_embedded() -> Result<Vec<u8>, String> {
    encode(
        crate::ncci_table::PTP_PRACTITIONER,
        crate::ncci_table::PTP_OUTPATIENT,
        crate::icd10::VALIDITY,
        crate::icd10::UNSPECIFIED,
        &crate::rules::all().map(|r| (r.id, r.docs())).collect::<Vec<_>>(),
    )
}

// ---------- reading ----------

/// Reads little-endian integers from one part of the file; running out is an
/// error naming that part.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    what: &'static str,
    /// Where `bytes` starts in the file (for messages).
    base: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        match self.at.checked_add(n).filter(|&end| end <= self.bytes.len()) {
            Some(end) => {
                let out = &self.bytes[self.at..end];
                self.at = end;
                Ok(out)
            }
            None => Err(format!(
                "the file is truncated or damaged: {} ends early (it needs {n} more bytes at byte {} and has {})",
                self.what,
                self.base + self.at,
                self.bytes.len() - self.at
            )),
        }
    }
    fn take_n(&mut self, count: usize, size: usize) -> Result<&'a [u8], String> {
        let n = count
            .checked_mul(size)
            .ok_or_else(|| format!("{}: a count is too large", self.what))?;
        self.take(n)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn count(&mut self) -> Result<usize, String> {
        Ok(self.u32()? as usize)
    }
    fn bad(&self, why: impl std::fmt::Display) -> String {
        format!("the file is damaged: {} {why}", self.what)
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[2 * i], b[2 * i + 1]])
}
fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}
fn u64_at(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[8 * i..8 * i + 8]);
    u64::from_le_bytes(w)
}

fn date_of(r: &Reader<'_>, n: u32) -> Result<Option<Date>, String> {
    if n == 0 {
        return Ok(None);
    }
    let (y, m, d) = (n / 10_000, n / 100 % 100, n % 100);
    u16::try_from(y)
        .ok()
        .and_then(|y| Date::new(y, m as u8, d as u8))
        .map(Some)
        .ok_or_else(|| r.bad(format_args!("holds {n}, which is not a date")))
}

fn ascending(keys: &[u64]) -> bool {
    keys.windows(2).all(|w| w[0] < w[1])
}

fn read_ptp(r: &mut Reader<'_>) -> Result<PtpTable, String> {
    let ncodes = r.count()?;
    let raw = r.take_n(ncodes, 8)?;
    let codes: Vec<u64> = (0..ncodes).map(|i| u64_at(raw, i)).collect();
    if !ascending(&codes) {
        return Err(r.bad("lists its codes out of order"));
    }
    let n = r.count()?;
    let (col1, col2) = (r.take_n(n, 2)?, r.take_n(n, 2)?);
    let (indicator, flags) = (r.take_n(n, 1)?, r.take_n(n, 1)?);
    let (first, last) = (r.take_n(n, 4)?, r.take_n(n, 4)?);
    let code = |col: &[u8], i: usize| {
        codes
            .get(usize::from(u16_at(col, i)))
            .copied()
            .ok_or_else(|| r.bad(format_args!("points past its {ncodes} codes")))
    };
    let mut edits = Vec::with_capacity(n);
    for i in 0..n {
        let (a, b) = (code(col1, i)?, code(col2, i)?);
        if edits.last().is_some_and(|p: &(u64, u64, Edit)| (p.0, p.1) > (a, b)) {
            return Err(r.bad("lists its edits out of order"));
        }
        if !matches!(indicator[i], 0 | 1 | 9) || flags[i] > 1 {
            return Err(r.bad(format_args!(
                "holds an impossible edit (indicator {}, flags {})",
                indicator[i], flags[i]
            )));
        }
        edits.push((
            a,
            b,
            Edit {
                indicator: indicator[i],
                first_day: date_of(r, u32_at(first, i))?,
                first_inferred: flags[i] == 1,
                last_day: date_of(r, u32_at(last, i))?,
            },
        ));
    }
    Ok(PtpTable::from_sorted(edits))
}

fn read_validity(r: &mut Reader<'_>) -> Result<CodeSet, String> {
    let (first, last) = (r.u32()?, r.u32()?);
    let first = date_of(r, first)?.ok_or_else(|| r.bad("has no first date"))?;
    let last = date_of(r, last)?.ok_or_else(|| r.bad("has no last date"))?;
    let ndates = usize::from(r.u8()?);
    let raw = r.take_n(ndates, 4)?;
    let dates = (0..ndates)
        .map(|i| date_of(r, u32_at(raw, i))?.ok_or_else(|| r.bad("has an empty date")))
        .collect::<Result<Vec<Date>, String>>()?;
    let n = r.count()?;
    let (shared, len) = (r.take_n(n, 1)?, r.take_n(n, 1)?);
    let (from, to) = (r.take_n(n, 1)?, r.take_n(n, 1)?);
    let date_ok = |i: u8| usize::from(i) < ndates || i == OPEN;
    let mut keys = Vec::with_capacity(n);
    let mut entries = Vec::with_capacity(n);
    let mut prev = [0u8; 7];
    let mut prev_len = 0usize;
    for i in 0..n {
        let (s, l) = (usize::from(shared[i]), usize::from(len[i]));
        if l == 0 || l > 7 || s > l || s > prev_len || !date_ok(from[i]) || !date_ok(to[i]) {
            return Err(r.bad(format_args!("holds an impossible code (number {})", i + 1)));
        }
        let tail = r.take(l - s)?;
        if !tail.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(r.bad(format_args!(
                "holds a code that is not letters and digits (number {})",
                i + 1
            )));
        }
        let mut code = prev;
        code[l..].fill(0);
        code[s..l].copy_from_slice(tail);
        let mut word = [0u8; 8];
        word[..7].copy_from_slice(&code);
        let key = u64::from_be_bytes(word);
        if keys.last().is_some_and(|&k| k >= key) {
            return Err(r.bad("lists its codes out of order"));
        }
        keys.push(key);
        entries.push(Entry {
            code,
            len: l as u8,
            from: from[i],
            to: to[i],
        });
        prev = code;
        prev_len = l;
    }
    Ok(CodeSet {
        keys,
        entries,
        dates,
        first,
        last,
        unspecified: TableMap::default(),
    })
}

fn read_unspecified(r: &mut Reader<'_>) -> Result<TableMap<u64, Box<str>>, String> {
    let n = r.count()?;
    let raw = r.take_n(n, 8)?;
    let keys: Vec<u64> = (0..n).map(|i| u64_at(raw, i)).collect();
    if !ascending(&keys) {
        return Err(r.bad("lists its codes out of order"));
    }
    let mut out = TableMap::with_capacity_and_hasher(n, Default::default());
    for k in keys {
        let len = usize::from(r.u8()?);
        let tails = r.take(len)?;
        if !tails.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ') {
            return Err(r.bad("holds a row that is not letters, digits and spaces"));
        }
        // ASCII, checked above.
        out.insert(k, Box::from(std::str::from_utf8(tails).unwrap_or("")));
    }
    Ok(out)
}

fn read_docs(r: &mut Reader<'_>) -> Result<TableMap<&'static str, String>, String> {
    let n = usize::from(r.u16()?);
    let mut out = TableMap::with_capacity_and_hasher(n, Default::default());
    for _ in 0..n {
        let len = usize::from(r.u8()?);
        let id = r.take(len)?;
        let rule = std::str::from_utf8(id)
            .ok()
            .and_then(crate::rules::by_id)
            .ok_or_else(|| {
                r.bad(format_args!(
                    "names a rule this engine does not have ({})",
                    String::from_utf8_lossy(id)
                ))
            })?;
        let len = r.count()?;
        let page = std::str::from_utf8(r.take(len)?).map_err(|_| r.bad("holds a page that is not UTF-8"))?;
        out.insert(rule.id, page.to_string());
    }
    if let Some(rule) = crate::rules::all().find(|rule| !out.contains_key(rule.id)) {
        return Err(r.bad(format_args!("has no page for the rule {}", rule.id)));
    }
    Ok(out)
}

/// A header line's value (`# key: value`).
fn header_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    header
        .lines()
        .find_map(|l| l.trim_start_matches('#').trim().strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
}

/// Whether the bytes start as ptbill's tables file of this format version.
pub fn check_kind(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(format!(
            "this is not ptbill's tables file (data/tables.bin): it does not start with PTBILLTB ({} bytes)",
            bytes.len()
        ));
    }
    let version = match bytes.get(8..10) {
        Some(v) => u16::from_le_bytes([v[0], v[1]]),
        None => return Err("the file is truncated or damaged: it ends inside its header".into()),
    };
    if version != VERSION {
        return Err(format!(
            "the tables file has format version {version}; this engine reads version {VERSION} (the page and its tables come from different builds: reload the page)"
        ));
    }
    Ok(())
}

/// The tables file checked and decoded, or what is wrong with it.
pub fn decode(bytes: &[u8]) -> Result<Tables, String> {
    check_kind(bytes)?;
    let mut r = Reader {
        bytes,
        at: MAGIC.len() + 2,
        what: "the file's header",
        base: 0,
    };
    let sections = r.u16()?;
    let (mut prac, mut out, mut set, mut sides, mut docs) = (None, None, None, None, None);
    for _ in 0..sections {
        let tag: [u8; 4] = r.take(4)?.try_into().unwrap_or([0; 4]);
        let len = r.count()?;
        let base = r.at;
        let body = r.take(len)?;
        let mut s = Reader {
            bytes: body,
            at: 0,
            what: name(tag),
            base,
        };
        let hlen = usize::from(s.u16()?);
        let header = std::str::from_utf8(s.take(hlen)?).map_err(|_| s.bad("has a header that is not UTF-8"))?;
        // Built from other data than this engine's: the dates would be wrong in every report.
        let want = match &tag {
            b"PTP1" => Some(("valid_for", ptp_date(Setting::Practitioner).to_string())),
            b"PTP2" => Some(("valid_for", ptp_date(Setting::OutpatientHospital).to_string())),
            b"ICDV" => Some(("last_date", crate::icd10::last_date().to_string())),
            _ => None,
        };
        if let Some((key, want)) = want {
            let got = header_value(header, key).unwrap_or("none");
            if got != want {
                return Err(format!(
                    "the tables file holds other reference data than this engine: {} has {key} {got}, the engine {want} (reload the page)",
                    name(tag)
                ));
            }
        }
        match tag {
            PRACTITIONER => prac = Some(read_ptp(&mut s)?),
            OUTPATIENT => out = Some(read_ptp(&mut s)?),
            VALIDITY => set = Some(read_validity(&mut s)?),
            UNSPECIFIED => sides = Some(read_unspecified(&mut s)?),
            DOCS => docs = Some(read_docs(&mut s)?),
            _ => continue, // a later format's extra table: not needed here
        }
        if s.at != body.len() {
            return Err(s.bad(format_args!("has {} bytes more than its tables", body.len() - s.at)));
        }
    }
    if r.at != bytes.len() {
        return Err(format!(
            "the file is damaged: {} bytes follow its last table",
            bytes.len() - r.at
        ));
    }
    let missing = |tag| format!("the tables file has no {}", name(tag));
    let mut icd10 = set.ok_or_else(|| missing(VALIDITY))?;
    icd10.unspecified = sides.ok_or_else(|| missing(UNSPECIFIED))?;
    Ok(Tables {
        practitioner: prac.ok_or_else(|| missing(PRACTITIONER))?,
        outpatient: out.ok_or_else(|| missing(OUTPATIENT))?,
        icd10,
        docs: docs.ok_or_else(|| missing(DOCS))?,
    })
}

#[cfg(all(test, feature = "embedded-tables"))]
mod tests {
    use super::*;
    use crate::icd10::code_set;
    use crate::ncci_table::ptp;

    fn file() -> &'static [u8] {
        static F: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        F.get_or_init(|| encode_embedded().unwrap())
    }

    fn err(bytes: &[u8]) -> String {
        decode(bytes).err().expect("an error")
    }

    #[test]
    fn ptp_round_trips_every_pair_on_every_date() {
        let t = decode(file()).unwrap();
        for setting in [Setting::Practitioner, Setting::OutpatientHospital] {
            let text = ptp(setting).unwrap();
            let bin = t.ptp(setting);
            assert_eq!(bin.edits(), text.edits(), "{setting:?}");
            assert!(bin.len() > 25_000);
            // Every pair, both ways, on every day an edit starts or ends, the
            // day before each start, and dates before and after the data.
            let mut dates: Vec<Date> = text
                .edits()
                .iter()
                .flat_map(|e| [e.2.first_day, e.2.last_day])
                .flatten()
                .collect();
            for d in ["2000-01-01", "2019-12-31", "2020-09-30", "2026-03-02", "2030-01-01"] {
                dates.push(Date::parse(d).unwrap());
            }
            dates.sort_unstable();
            dates.dedup();
            let mut pairs: Vec<(u64, u64)> = text.edits().iter().map(|e| (e.0, e.1)).collect();
            pairs.dedup();
            let mut answered = 0;
            for &(a, b) in &pairs {
                for &d in &dates {
                    for (x, y) in [(a, b), (b, a)] {
                        let want = text.edit_packed(x, y, d);
                        assert_eq!(bin.edit_packed(x, y, d), want, "{setting:?} {x:x} {y:x} {d}");
                        answered += usize::from(want.is_some());
                    }
                }
            }
            assert!(answered > pairs.len(), "the look-ups found edits");
        }
    }

    #[test]
    fn icd10_round_trips_every_code() {
        let t = decode(file()).unwrap();
        let (text, bin) = (code_set().unwrap(), &t.icd10);
        assert_eq!(bin.len(), text.len());
        assert_eq!((bin.first, bin.last), (text.first, text.last));
        assert_eq!(bin.keys, text.keys);
        assert_eq!(bin.entries, text.entries);
        assert_eq!(bin.dates, text.dates);
        assert_eq!(bin.unspecified, text.unspecified);
        let mut dates = text.dates.clone();
        dates.push(Date::parse("2026-03-02").unwrap());
        for e in &text.entries {
            let code = std::str::from_utf8(&e.code[..usize::from(e.len)]).unwrap();
            assert_eq!(bin.validity(code), text.validity(code), "{code}");
            for &d in &dates {
                assert_eq!(bin.billable(code, d), text.billable(code, d), "{code} {d}");
            }
        }
        let on = Date::parse("2026-03-02").unwrap();
        for k in text.unspecified.keys() {
            let code = String::from_utf8(k.to_be_bytes().to_vec()).unwrap();
            let code = code.trim_end_matches('\0').replace('_', "A");
            assert_eq!(bin.sided_siblings(&code, on), text.sided_siblings(&code, on), "{code}");
            assert_eq!(bin.status(&code, on), text.status(&code, on), "{code}");
        }
        for code in ["M545", "M5452", "S86011", "M4846", "S930R", "Z"] {
            assert_eq!(bin.status(code, on), text.status(code, on), "{code}");
        }
    }

    #[test]
    fn rule_docs_round_trip() {
        let t = decode(file()).unwrap();
        assert_eq!(t.docs.len(), crate::rules::all().count());
        for rule in crate::rules::all() {
            assert_eq!(t.docs[rule.id], rule.docs(), "{}", rule.id);
            assert!(t.docs[rule.id].contains("## Source"));
        }
    }

    #[test]
    fn a_bad_file_is_an_error_naming_the_problem() {
        let f = file();
        assert!(err(b"").contains("not ptbill's tables file"));
        assert!(err(b"# ICD-10-CM code descriptions\n").contains("not ptbill's tables file"));
        let mut v = f.to_vec();
        v[8] = 9;
        assert!(err(&v).contains("format version 9"), "{}", err(&v));
        // Cut anywhere: an error, never a panic.
        let cuts = (0..40)
            .chain((40..f.len()).step_by(f.len() / 60 + 1))
            .chain([f.len() - 1]);
        for cut in cuts {
            let e = decode(&f[..cut])
                .err()
                .unwrap_or_else(|| panic!("{cut} bytes accepted"));
            assert!(e.contains("truncated") || e.contains("not ptbill's"), "{cut}: {e}");
        }
        let e = err(&f[..f.len() / 2]);
        assert!(e.contains("the file is truncated"), "{e}");
        let mut v = f.to_vec();
        v.push(0);
        assert!(err(&v).contains("follow its last table"));
        // Another quarter's data: named.
        let at = f.windows(21).position(|w| w == b"valid_for: 2024-07-01").unwrap() + "valid_for: ".len();
        let mut v = f.to_vec();
        v[at..at + 10].copy_from_slice(b"2024-04-01");
        let e = err(&v);
        assert!(e.contains("practitioner PTP table has valid_for 2024-04-01"), "{e}");
        // Damage inside a table: every byte flipped in a stretch of each section
        // gives a table or an error, never a panic.
        for start in [20, f.len() / 3, f.len() / 2, f.len() - 4000] {
            for i in start..start + 8 {
                let mut v = f.to_vec();
                v[i] ^= 0xA5;
                let _ = decode(&v);
            }
        }
    }

    #[test]
    fn install_is_refused_quietly_where_tables_are_compiled_in() {
        assert_eq!(super::super::install(file()), Ok(false));
        assert!(super::super::install(b"nope").is_err());
    }
}
