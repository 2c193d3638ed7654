//! The code catalog: every CPT/HCPCS code ptbill knows, read from `data/codes.csv`
//! (compiled in), plus the shape of a well-formed code.
//!
//! The catalog is data so that a wrong row (a code's start date, whether it is
//! timed) is fixed in the table, not in code. Rows marked `unconfirmed` there are
//! inferences listed as such in `billing-rules.md`.

use crate::date::Date;
use crate::visit::Discipline;
use std::sync::OnceLock;

/// The catalog file as compiled in: `data/codes.csv` without its provenance
/// comments and with its `note` column emptied (the engine reads neither).
pub const CODES_CSV: &str = crate::compact_table!(include_bytes!("../data/codes.csv"), 0b011_1111_1111);

/// What sort of service a code is, for the rules that care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// "Always therapy": needs GP/GO/GN whoever furnishes it.
    Therapy,
    /// "Sometimes therapy": needs GP/GO/GN when under a therapy plan of care.
    Sometimes,
    /// Acupuncture 97810–97814.
    Acupuncture,
    /// Dry needling 20560/20561: sometimes therapy for most payers; Medicare
    /// covers it only as acupuncture, which a therapist cannot bill.
    Needling,
    /// Athletic-training evaluations.
    Athletic,
    /// Physician evaluation and management visits.
    Em,
    /// Chiropractic manipulation.
    Chiro,
    /// Physician procedures (injections, neurostimulators, nerve blocks).
    Procedure,
    /// Non-payable functional-reporting G-codes.
    Reporting,
    /// HCPCS S-codes: national codes for non-Medicare payers.
    SCode,
}

/// Each kind by its word in the catalog's `kind` column.
const KINDS: [(&str, Kind); 10] = [
    ("therapy", Kind::Therapy),
    ("sometimes", Kind::Sometimes),
    ("acupuncture", Kind::Acupuncture),
    ("needling", Kind::Needling),
    ("athletic", Kind::Athletic),
    ("em", Kind::Em),
    ("chiro", Kind::Chiro),
    ("procedure", Kind::Procedure),
    ("reporting", Kind::Reporting),
    ("scode", Kind::SCode),
];

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        KINDS.iter().find(|(name, _)| *name == s).map(|&(_, k)| k)
    }

    /// The kind's word in the catalog (`therapy`, `scode`, …), as the catalog JSON gives it.
    pub fn as_str(self) -> &'static str {
        KINDS.iter().find(|(_, k)| *k == self).map_or("", |(name, _)| name)
    }

    /// Whether a therapist bills this under a therapy plan of care (and so needs
    /// GP/GO/GN).
    pub fn is_therapy(self) -> bool {
        matches!(self, Kind::Therapy | Kind::Sometimes | Kind::Needling)
    }
}

/// How a code's units are counted: the catalog's `unit` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Each 15 minutes, counted by Medicare's 8-minute total-time rule (97110).
    Timed15,
    /// One unit per service, whatever its length (97161), or the units claimed.
    Service,
    /// The first `minutes` of a service, once a day, with an add-on code for
    /// each further block (97129 + 97130, 97550 + 97551, 97545 + 97546).
    /// `pooled`: its minutes join the 8-minute rule's total (15-minute codes).
    First {
        /// Length of the first block.
        minutes: u32,
        /// The add-on code for each further block.
        addon: &'static str,
        /// Counted in the 8-minute rule's pool.
        pooled: bool,
    },
    /// An add-on code for each further block of `minutes` after its primary's
    /// first block (97130, 97551, 97546).
    Each {
        /// Length of each block.
        minutes: u32,
        /// The primary code whose first block comes before.
        of: &'static str,
        /// Counted in the 8-minute rule's pool.
        pooled: bool,
    },
    /// Once per period, never by minutes (remote therapeutic monitoring).
    Period(Period),
}

/// The period a per-period code is billed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Once per episode of care (RTM set-up, 98975).
    Episode,
    /// Once per 30 days (RTM device supply).
    ThirtyDays,
    /// Once per calendar month (RTM treatment management).
    Month,
}

impl Period {
    /// "each 30 days", in words.
    pub fn words(self) -> &'static str {
        match self {
            Period::Episode => "once per episode of care",
            Period::ThirtyDays => "once per 30 days",
            Period::Month => "once per calendar month",
        }
    }
}

impl Unit {
    /// Parses the `unit` cell; `addon_of` fills an add-on's primary.
    fn parse(s: &'static str, addon_of: &[&'static str]) -> Option<Unit> {
        let t: Vec<&'static str> = s.split(' ').filter(|t| !t.is_empty()).collect();
        let mins = |x: &str| x.parse::<u32>().ok().filter(|&m| m > 0);
        Some(match t.as_slice() {
            ["timed15"] => Unit::Timed15,
            ["service"] => Unit::Service,
            ["period", "episode"] => Unit::Period(Period::Episode),
            ["period", "30days"] => Unit::Period(Period::ThirtyDays),
            ["period", "month"] => Unit::Period(Period::Month),
            ["timed15", "first", addon] => Unit::First {
                minutes: 15,
                addon: addon.strip_prefix('+')?,
                pooled: true,
            },
            ["timed15", "each"] => Unit::Each {
                minutes: 15,
                of: addon_of.first()?,
                pooled: true,
            },
            ["time", m, "first", addon] => Unit::First {
                minutes: mins(m)?,
                addon: addon.strip_prefix('+')?,
                pooled: false,
            },
            ["time", m, "each"] => Unit::Each {
                minutes: mins(m)?,
                of: addon_of.first()?,
                pooled: false,
            },
            _ => return None,
        })
    }

    /// Whether the code's minutes are counted by the 8-minute rule.
    pub fn timed(self) -> bool {
        matches!(
            self,
            Unit::Timed15 | Unit::First { pooled: true, .. } | Unit::Each { pooled: true, .. }
        )
    }

    /// Whether units come from the code's own time blocks (CPT time rule), not
    /// from the 8-minute rule: 97550/97551, 97545/97546.
    pub fn own_time(self) -> bool {
        matches!(
            self,
            Unit::First { pooled: false, .. } | Unit::Each { pooled: false, .. }
        )
    }
}

/// One catalog row.
#[derive(Clone, Debug)]
pub struct CodeInfo {
    /// First code (or the only one).
    pub first: &'static str,
    /// Last code of a range (equal to `first` for a single code).
    pub last: &'static str,
    /// ptbill's own short label.
    pub label: &'static str,
    /// Counted in 15-minute units by the 8-minute rule (derived from `unit`).
    pub timed: bool,
    /// How its units are counted.
    pub unit: Unit,
    /// Plans of care that use it.
    pub pt: bool,
    /// See `pt`.
    pub ot: bool,
    /// See `pt`.
    pub slp: bool,
    /// What sort of code it is.
    pub kind: Kind,
    /// Primary codes an add-on goes with (empty if not an add-on).
    pub addon_of: Vec<&'static str>,
    /// First valid date of service.
    pub valid_from: Option<Date>,
    /// Last valid date of service.
    pub valid_to: Option<Date>,
    /// What replaced it.
    pub replaced_by: &'static str,
    /// `false` where the row is inferred rather than sourced.
    pub confirmed: bool,
}

impl CodeInfo {
    /// Whether the code is valid on `date`.
    pub fn valid_on(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| date >= f) && self.valid_to.is_none_or(|t| date <= t)
    }

    /// Whether the discipline's plan of care uses this code.
    pub fn fits(&self, d: Discipline) -> bool {
        match d {
            Discipline::Pt => self.pt,
            Discipline::Ot => self.ot,
            Discipline::Slp => self.slp,
        }
    }

    /// Whether this row is an add-on code.
    pub fn is_addon(&self) -> bool {
        !self.addon_of.is_empty()
    }

    fn contains(&self, code: &str) -> bool {
        if self.first == self.last {
            return self.first == code;
        }
        // Ranges hold codes of one shape (same length, same letter positions), so
        // string order is numeric order.
        code.len() == self.first.len() && same_shape(code, self.first) && self.first <= code && code <= self.last
    }

    fn span(&self) -> usize {
        let n = |s: &str| {
            s.bytes()
                .filter(u8::is_ascii_digit)
                .fold(0usize, |a, c| a * 10 + usize::from(c - b'0'))
        };
        n(self.last).saturating_sub(n(self.first))
    }
}

fn same_shape(a: &str, b: &str) -> bool {
    a.bytes()
        .zip(b.bytes())
        .all(|(x, y)| x.is_ascii_digit() == y.is_ascii_digit() && (x.is_ascii_digit() || x == y))
}

/// All catalog rows, parsed once.
pub fn catalog() -> &'static [CodeInfo] {
    static CATALOG: OnceLock<Vec<CodeInfo>> = OnceLock::new();
    CATALOG.get_or_init(|| catalog_rows(CODES_CSV).unwrap_or_default())
}

/// The catalog row for a code (the narrowest range when ranges overlap).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    // Exact codes by packed code (one multiply to hash, where SipHash over the
    // text cost more than the rest of the look-up); the few ranges are scanned.
    type Exact = std::collections::HashMap<u64, usize, crate::ncci_table::BuildPairHasher>;
    static INDEX: OnceLock<(Exact, Vec<usize>, Vec<usize>)> = OnceLock::new();
    let (exact, long, ranges) = INDEX.get_or_init(|| {
        let mut exact = Exact::default();
        let (mut long, mut ranges) = (Vec::new(), Vec::new());
        for (i, c) in catalog().iter().enumerate() {
            if c.first != c.last {
                ranges.push(i);
            } else if let Some(key) = crate::ncci_table::pack(c.first) {
                // A later row of the same code wins, as it always has.
                exact.insert(key, i);
            } else {
                long.push(i);
            }
        }
        (exact, long, ranges)
    });
    // Confirmed as text: a typed NUL byte would pack like a shorter code.
    let found = crate::ncci_table::pack(code)
        .and_then(|key| exact.get(&key).copied())
        .filter(|&i| catalog()[i].first == code)
        .or_else(|| long.iter().rev().copied().find(|&i| catalog()[i].first == code));
    if let Some(i) = found {
        return catalog().get(i);
    }
    ranges
        .iter()
        .map(|&i| &catalog()[i])
        .filter(|c| c.contains(code))
        .min_by_key(|c| c.span())
}

/// Rows from a table file: `#` lines are the provenance header, the first other
/// line names the columns.
pub(crate) fn table_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split(',').map(str::trim).collect())
}

/// A table's `valid_for` date, read once (reports name it on every visit).
pub(crate) fn valid_for(cell: &'static OnceLock<&'static str>, text: &'static str) -> &'static str {
    cell.get_or_init(|| header_value(text, "valid_for").unwrap_or("unknown"))
}

/// Reads a table file's `# name: value` header line.
pub(crate) fn header_value(text: &'static str, name: &str) -> Option<&'static str> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.trim_start_matches('#').trim().strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
}

fn opt_date(s: &str) -> Result<Option<Date>, String> {
    if s.is_empty() {
        Ok(None)
    } else {
        Date::parse(s).map(Some)
    }
}

/// Parses the catalog; an error names the bad row (tests keep the shipped file clean).
pub fn parse_catalog(text: &'static str) -> Result<Vec<CodeInfo>, String> {
    catalog_rows(text).map_err(BadRow::message)
}

/// What is wrong with a catalog row: worded only by [`parse_catalog`], so the
/// page's module (whose catalog is the shipped, tested file) carries no text
/// or formatting for it.
enum BadRow {
    Columns(Option<&'static str>, usize),
    Unit(&'static str, &'static str),
    Kind(&'static str, &'static str),
    Date(&'static str, String),
}

impl BadRow {
    fn message(self) -> String {
        match self {
            BadRow::Columns(first, n) => format!("catalog row {first:?} has {n} columns, expected 11"),
            BadRow::Unit(code, unit) => format!(
                "{code}: unit must be timed15, service, period episode|30days|month, timed15 first +ADDON, timed15 each, time N first +ADDON or time N each (an add-on needs addon_of), got {unit:?}"
            ),
            BadRow::Kind(code, kind) => format!("{code}: unknown kind {kind}"),
            BadRow::Date(code, e) => format!("{code}: {e}"),
        }
    }
}

fn catalog_rows(text: &'static str) -> Result<Vec<CodeInfo>, BadRow> {
    table_rows(text)
        .map(|f| {
            if f.len() != 11 {
                return Err(BadRow::Columns(f.first().copied(), f.len()));
            }
            let (first, last) = crate::find::find(f[0], "..", 0).map_or((f[0], f[0]), |i| (&f[0][..i], &f[0][i + 2..]));
            let disc = f[3];
            let addon_of: Vec<&'static str> = f[5].split(' ').filter(|s| !s.is_empty()).collect();
            let unit = Unit::parse(f[2], &addon_of).ok_or(BadRow::Unit(f[0], f[2]))?;
            Ok(CodeInfo {
                first,
                last,
                label: f[1],
                timed: unit.timed(),
                unit,
                pt: disc.split(' ').any(|d| d == "pt"),
                ot: disc.split(' ').any(|d| d == "ot"),
                slp: disc.split(' ').any(|d| d == "slp"),
                kind: Kind::parse(f[4]).ok_or(BadRow::Kind(f[0], f[4]))?,
                addon_of,
                valid_from: opt_date(f[6]).map_err(|e| BadRow::Date(f[0], e))?,
                valid_to: opt_date(f[7]).map_err(|e| BadRow::Date(f[0], e))?,
                replaced_by: f[8],
                confirmed: f[9] == "ok",
            })
        })
        .collect()
}

/// The shape of a code as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Five digits (CPT Category I).
    Cpt,
    /// Four digits + F: CPT Category II (performance tracking).
    Tracking,
    /// Four digits + T: CPT Category III (emerging technology).
    Temporary,
    /// Four digits + U or M: lab codes (PLA, MAAA).
    Lab,
    /// A letter + four digits: HCPCS Level II.
    Hcpcs,
    /// None of the above.
    Invalid,
}

/// Classifies an (upper-cased) code by its shape alone.
pub fn shape(code: &str) -> Shape {
    let b = code.as_bytes();
    if b.len() != 5 {
        return Shape::Invalid;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if digits(0..5) {
        Shape::Cpt
    } else if digits(0..4) {
        match b[4] {
            b'F' => Shape::Tracking,
            b'T' => Shape::Temporary,
            b'U' | b'M' => Shape::Lab,
            _ => Shape::Invalid,
        }
    } else if b[0].is_ascii_uppercase() && digits(1..5) {
        Shape::Hcpcs
    } else {
        Shape::Invalid
    }
}

/// The date the catalog is valid for.
pub fn catalog_date() -> &'static str {
    static DATE: OnceLock<&str> = OnceLock::new();
    valid_for(&DATE, CODES_CSV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalog_parses() {
        let rows = parse_catalog(CODES_CSV).unwrap();
        assert!(rows.len() > 100, "{}", rows.len());
        assert_eq!(rows.len(), catalog().len());
    }

    #[test]
    fn bad_rows_are_named() {
        let head = "code,label,unit,disciplines,kind,addon_of,valid_from,valid_to,replaced_by,confidence,note\n";
        let bad = |row: &str| parse_catalog(format!("{head}{row}\n").leak()).unwrap_err();
        assert_eq!(
            bad("97110,x,timed15"),
            "catalog row Some(\"97110\") has 3 columns, expected 11"
        );
        assert!(bad("97110,x,hourly,pt,therapy,,,,,ok,").ends_with("(an add-on needs addon_of), got \"hourly\""));
        assert!(bad("97110,x,hourly,pt,therapy,,,,,ok,").starts_with("97110: unit must be timed15, service,"));
        assert_eq!(bad("97110,x,timed15,pt,magic,,,,,ok,"), "97110: unknown kind magic");
        assert_eq!(
            bad("97110,x,timed15,pt,therapy,,2026-02-30,,,ok,"),
            "97110: \"2026-02-30\" is not a real calendar date"
        );
    }

    #[test]
    fn lookups() {
        assert!(lookup("97110").unwrap().timed);
        assert!(!lookup("97161").unwrap().timed);
        assert!(lookup("97140").unwrap().timed, "97140 is timed (CMS example 3)");
        assert!(lookup("97033").unwrap().timed, "97033 is timed");
        assert_eq!(lookup("G8990").unwrap().kind, Kind::Reporting);
        assert_eq!(lookup("64483").unwrap().label, "Transforaminal epidural injection");
        assert_eq!(lookup("64450").unwrap().kind, Kind::Procedure);
        assert!(lookup("G9000").is_none());
        assert!(lookup("97109").is_none());
        assert_eq!(lookup("97130").unwrap().addon_of, vec!["97129"]);
    }

    #[test]
    fn kind_words_are_the_debug_names_lowercased() {
        // The catalog JSON gave `format!("{:?}", kind).to_ascii_lowercase()` before.
        for (name, kind) in KINDS {
            assert_eq!(kind.as_str(), name);
            assert_eq!(Kind::parse(name), Some(kind));
            assert_eq!(format!("{kind:?}").to_ascii_lowercase(), name);
        }
        assert_eq!(Kind::parse("Therapy"), None);
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("97110"), Shape::Cpt);
        assert_eq!(shape("G0283"), Shape::Hcpcs);
        assert_eq!(shape("1036F"), Shape::Tracking);
        assert_eq!(shape("0552T"), Shape::Temporary);
        assert_eq!(shape("0001U"), Shape::Lab);
        assert_eq!(shape("9711"), Shape::Invalid);
        assert_eq!(shape("97X10"), Shape::Invalid);
        assert_eq!(shape("971100"), Shape::Invalid);
        assert_eq!(shape("g0283"), Shape::Invalid, "callers upper-case first");
    }
}
