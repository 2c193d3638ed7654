//! CMS's NCCI tables by date of service: procedure-to-procedure (PTP) edits with
//! their first and last day in force, and add-on code edits (the primary codes an
//! add-on needs). The rules that use them live in `rules::ncci` and `rules::lines`.
//!
//! - `data/ncci-ptp-practitioner.txt`: CMS's practitioner table of 2024-07-01
//!   (deletion dates exact; no start dates in the extract, except the 2020 gap
//!   below).
//! - `data/ncci-ptp-outpatient-hospital.txt`: the hospital table as the CMS I/OCE
//!   applies it up to 2026-04-01, each row with its first quarter.
//! - `data/ncci-aoc.csv`: add-on code edits from the I/OCE, dated.
//!
//! Pairs deleted 2019-12-31 and re-added were out of force for the first three
//! quarters of 2020: the I/OCE shows it for the hospital table (97150/97110 from
//! 2020-10-01), and the practitioner rows with the same pattern are given the same
//! start, marked inferred (`~` in the file). All three are written by
//! `tools/ncci.py` or `tools/update-data`.

use crate::codes::table_rows;
use crate::date::Date;
use crate::visit::Setting;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Practitioner PTP table, as compiled in (not in the page's module: see [`crate::tables`]).
#[cfg(feature = "embedded-tables")]
pub const PTP_PRACTITIONER: &str = include_str!("../data/ncci-ptp-practitioner.txt");
/// Outpatient-hospital PTP table, as compiled in.
#[cfg(feature = "embedded-tables")]
pub const PTP_OUTPATIENT: &str = include_str!("../data/ncci-ptp-outpatient-hospital.txt");

// The tables' dates, read from their headers at compile time (every build).
const PRAC_VALID_FOR: [u8; 10] =
    crate::tables::header(include_bytes!("../data/ncci-ptp-practitioner.txt"), b"valid_for");
const PRAC_COVERS_TO: [u8; 10] =
    crate::tables::header(include_bytes!("../data/ncci-ptp-practitioner.txt"), b"covers_to");
const OUT_VALID_FOR: [u8; 10] =
    crate::tables::header(include_bytes!("../data/ncci-ptp-outpatient-hospital.txt"), b"valid_for");
const OUT_COVERS_TO: [u8; 10] =
    crate::tables::header(include_bytes!("../data/ncci-ptp-outpatient-hospital.txt"), b"covers_to");
/// Add-on code edits as compiled in: `data/ncci-aoc.csv` without its provenance comments.
pub const AOC_CSV: &str = crate::compact_table!(include_bytes!("../data/ncci-aoc.csv"), 0b1_1111);

/// One PTP table: every (column 1, column 2) edit, sorted, with a hash index,
/// by the two codes in either order, of each direction's first edit. Codes are packed into integers (see [`pack`]): every
/// visit looks up each pair of its codes both ways, so a visit packs its codes
/// once and each look-up is one hash probe.
pub struct PtpTable {
    edits: Vec<(u64, u64, Edit)>,
    /// Keyed by (lower code, higher code): where the edits with the lower code
    /// in column 1 start, and where those with it in column 2 start
    /// ([`NONE`] for none). A visit's pair of codes is one probe, both ways.
    index: HashMap<u128, (u32, u32), BuildPairHasher>,
}

/// A hasher for packed code pairs: one multiply, no SipHash (the keys are
/// table codes, not input an attacker chooses to collide).
#[derive(Clone, Copy, Default)]
pub struct BuildPairHasher;

/// See [`BuildPairHasher`].
pub struct PairHasher(u64);

/// A map keyed by what ptbill's own tables hold (codes, rule ids), hashed by
/// [`PairHasher`]: SipHash and its random keys stay out of the page's module.
pub type TableMap<K, V> = HashMap<K, V, BuildPairHasher>;

impl std::hash::BuildHasher for BuildPairHasher {
    type Hasher = PairHasher;
    fn build_hasher(&self) -> PairHasher {
        PairHasher(0)
    }
}

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u128(&mut self, n: u128) {
        let folded = (n as u64) ^ ((n >> 64) as u64).rotate_left(23);
        self.0 = (folded ^ (folded >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

fn pair(col1: u64, col2: u64) -> u128 {
    (u128::from(col1) << 64) | u128::from(col2)
}

/// No edits in that direction.
const NONE: u32 = u32::MAX;

/// An edit between two codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Modifier indicator (0 or 1).
    pub indicator: u8,
    /// First day in force, if the table knows it (none: from the start of the data).
    pub first_day: Option<Date>,
    /// The first day is inferred, not in CMS's table (the practitioner 2020 gap).
    pub first_inferred: bool,
    /// Last day in force, if deleted.
    pub last_day: Option<Date>,
}

impl Edit {
    /// Whether the edit is in force on `dos`.
    pub fn in_force(&self, dos: Date) -> bool {
        self.indicator != 9 && self.first_day.is_none_or(|f| dos >= f) && self.last_day.is_none_or(|t| dos <= t)
    }
}

fn ymd(d: &str) -> Option<Date> {
    let n = |r: std::ops::Range<usize>| d.get(r)?.parse::<u16>().ok();
    if d.len() != 8 {
        return None;
    }
    Date::new(n(0..4)?, n(4..6)? as u8, n(6..8)? as u8)
}

impl PtpTable {
    /// Parses a table file: `COLUMN1 COLUMN2/INDICATOR[/FIRST[/LAST]] ...`, dates
    /// YYYYMMDD, an empty FIRST meaning "from the start of the data", `~` before it
    /// an inferred start.
    pub fn parse(text: &str) -> PtpTable {
        let mut edits = Vec::with_capacity(32_000);
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let Some((col1, rest)) = line.split_once(' ') else {
                continue;
            };
            for item in rest.split(' ') {
                let mut parts = item.split('/');
                let (Some(col2), Some(Ok(indicator))) = (parts.next(), parts.next().map(str::parse::<u8>)) else {
                    continue;
                };
                let first = parts.next().unwrap_or("");
                let first_inferred = first.starts_with('~');
                let first_day = ymd(first.trim_start_matches('~'));
                let last_day = parts.next().and_then(ymd);
                if let (Some(a), Some(b)) = (pack(col1), pack(col2)) {
                    edits.push((
                        a,
                        b,
                        Edit {
                            indicator,
                            first_day,
                            first_inferred,
                            last_day,
                        },
                    ));
                }
            }
        }
        edits.sort_unstable_by_key(|e| (e.0, e.1));
        PtpTable::from_sorted(edits)
    }

    /// A table of edits already sorted by (column 1, column 2), as the binary
    /// form ([`crate::tables::binary`]) holds them: only the index is built.
    pub fn from_sorted(edits: Vec<(u64, u64, Edit)>) -> PtpTable {
        let mut index: HashMap<u128, (u32, u32), BuildPairHasher> =
            HashMap::with_capacity_and_hasher(edits.len(), BuildPairHasher);
        for (i, e) in edits.iter().enumerate() {
            let slot = index.entry(pair(e.0.min(e.1), e.0.max(e.1))).or_insert((NONE, NONE));
            let start = if e.0 <= e.1 { &mut slot.0 } else { &mut slot.1 };
            if *start == NONE {
                *start = i as u32;
            }
        }
        PtpTable { edits, index }
    }

    /// Every edit: (column 1, column 2) packed with [`pack`], sorted.
    pub fn edits(&self) -> &[(u64, u64, Edit)] {
        &self.edits
    }

    /// The strictest edit with `col1` as column 1 and `col2` as column 2 in force on `dos`.
    pub fn edit(&self, col1: &str, col2: &str, dos: Date) -> Option<Edit> {
        self.edit_packed(pack(col1)?, pack(col2)?, dos)
    }

    /// [`PtpTable::edit`] for codes already packed with [`pack`].
    pub fn edit_packed(&self, col1: u64, col2: u64, dos: Date) -> Option<Edit> {
        self.edits_both(col1, col2, dos).0
    }

    /// The strictest edit in force on `dos` each way: (`a` in column 1 and `b`
    /// in column 2, the reverse), with one probe of the index.
    pub fn edits_both(&self, a: u64, b: u64, dos: Date) -> (Option<Edit>, Option<Edit>) {
        let Some(&(low_first, high_first)) = self.index.get(&pair(a.min(b), a.max(b))) else {
            return (None, None);
        };
        let run = |start: u32, col1: u64, col2: u64| {
            if start == NONE {
                return None;
            }
            self.edits[start as usize..]
                .iter()
                .take_while(|e| e.0 == col1 && e.1 == col2)
                .map(|e| e.2)
                .filter(|e| e.in_force(dos))
                .min_by_key(|e| e.indicator)
        };
        let (low, high) = (a.min(b), a.max(b));
        let forward = run(low_first, low, high);
        // A code paired with itself has one direction only.
        let backward = if low == high {
            forward
        } else {
            run(high_first, high, low)
        };
        if a <= b {
            (forward, backward)
        } else {
            (backward, forward)
        }
    }

    /// How many edits the table holds.
    pub fn len(&self) -> usize {
        self.edits.len()
    }

    /// Whether the table is empty (never, for the shipped data).
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }
}

/// A code of 1 to 8 bytes as one integer, bytes big-endian, so that integers
/// compare as the codes do. Longer codes are in no table (all are 5 characters).
pub fn pack(code: &str) -> Option<u64> {
    let b = code.as_bytes();
    if b.is_empty() || b.len() > 8 {
        return None;
    }
    let mut word = [0u8; 8];
    word[..b.len()].copy_from_slice(b);
    Some(u64::from_be_bytes(word))
}

/// The PTP table's date for a setting (its `valid_for`, read at compile time:
/// a one-code visit, or a build without the table, never needs the table itself).
pub fn ptp_date(setting: Setting) -> &'static str {
    match setting {
        Setting::Practitioner => crate::tables::text_of(&PRAC_VALID_FOR),
        Setting::OutpatientHospital => crate::tables::text_of(&OUT_VALID_FOR),
    }
}

/// The last date of service a setting's PTP table covers (the end of its quarter).
pub fn ptp_covers_to(setting: Setting) -> Option<Date> {
    let text = match setting {
        Setting::Practitioner => crate::tables::text_of(&PRAC_COVERS_TO),
        Setting::OutpatientHospital => crate::tables::text_of(&OUT_COVERS_TO),
    };
    Date::parse(text).ok()
}

/// The report's name for a setting's PTP table ("2024-07-01 practitioner").
pub fn ptp_name(setting: Setting) -> &'static str {
    static PRAC: OnceLock<String> = OnceLock::new();
    static OUT: OnceLock<String> = OnceLock::new();
    match setting {
        Setting::Practitioner => PRAC.get_or_init(|| format!("{} practitioner", ptp_date(setting))),
        Setting::OutpatientHospital => OUT.get_or_init(|| format!("{} outpatient hospital", ptp_date(setting))),
    }
}

/// The PTP table for a setting: the one handed over from `data/tables.bin`, else
/// the compiled-in text parsed once; `None` in the page's module until its
/// tables are loaded ([`crate::tables`]).
pub fn ptp(setting: Setting) -> Option<&'static PtpTable> {
    if let Some(t) = crate::tables::loaded() {
        return Some(t.ptp(setting));
    }
    embedded_ptp(setting)
}

#[cfg(feature = "embedded-tables")]
fn embedded_ptp(setting: Setting) -> Option<&'static PtpTable> {
    static PRAC: OnceLock<PtpTable> = OnceLock::new();
    static OUT: OnceLock<PtpTable> = OnceLock::new();
    Some(match setting {
        Setting::Practitioner => PRAC.get_or_init(|| PtpTable::parse(PTP_PRACTITIONER)),
        Setting::OutpatientHospital => OUT.get_or_init(|| PtpTable::parse(PTP_OUTPATIENT)),
    })
}

#[cfg(not(feature = "embedded-tables"))]
fn embedded_ptp(_: Setting) -> Option<&'static PtpTable> {
    None
}

/// One add-on code edit: the add-on, a primary it may go with (none for type 2),
/// the edit type (1, 2, 3) and its first and last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddOn {
    /// The add-on code.
    pub addon: &'static str,
    /// A primary code (empty for type 2: the payer decides).
    pub primary: &'static str,
    /// NCCI add-on edit type: 1 only the listed primaries, 2 no list, 3 some primaries listed.
    pub aoc_type: u8,
    /// First day in force (none: on or before the start of the data).
    pub first_day: Option<Date>,
    /// Last day in force, if deleted.
    pub last_day: Option<Date>,
}

/// The add-on code edits, parsed once, sorted by add-on code (rows of one
/// add-on in file order), so that a code's rows are found by binary search.
pub fn addons() -> &'static [AddOn] {
    static T: OnceLock<Vec<AddOn>> = OnceLock::new();
    T.get_or_init(|| {
        let mut rows: Vec<AddOn> = table_rows(AOC_CSV)
            .filter_map(|f| {
                let d = |i: usize| f.get(i).and_then(|s| Date::parse(s).ok());
                Some(AddOn {
                    addon: f.first()?,
                    primary: f.get(1)?,
                    aoc_type: f.get(2)?.parse().ok()?,
                    first_day: d(3),
                    last_day: d(4),
                })
            })
            .collect();
        crate::order::stable_by_key(&mut rows, |a| crate::order::text_key(a.addon));
        rows
    })
}

/// The primary codes an add-on code goes with on `dos`, from the NCCI add-on
/// edits; `None` when the table has no row for the code (the catalog's
/// `addon_of` then applies).
pub fn addon_primaries(code: &str, dos: Date) -> Option<Vec<&'static str>> {
    let all = addons();
    // Searched by packed code (integers order as the codes do) where every
    // code packs, else as text.
    static KEYS: OnceLock<Option<Vec<u64>>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| all.iter().map(|a| pack(a.addon)).collect());
    let from = match (keys, pack(code)) {
        (Some(keys), Some(key)) => keys.partition_point(|&k| k < key),
        _ => all.partition_point(|a| a.addon < code),
    };
    let rows: Vec<&AddOn> = all[from..].iter().take_while(|a| a.addon == code).collect();
    if rows.is_empty() {
        return None;
    }
    Some(
        rows.iter()
            .filter(|a| a.first_day.is_none_or(|f| dos >= f) && a.last_day.is_none_or(|t| dos <= t))
            .filter(|a| !a.primary.is_empty())
            .map(|a| a.primary)
            .collect(),
    )
}

/// The add-on table's date.
pub fn addon_date() -> &'static str {
    static DATE: OnceLock<&str> = OnceLock::new();
    crate::codes::valid_for(&DATE, AOC_CSV)
}

#[cfg(all(test, feature = "embedded-tables"))]
mod tests {
    use super::*;

    fn ptp(setting: Setting) -> &'static PtpTable {
        super::ptp(setting).unwrap()
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn tables_load_whole() {
        // Row counts written by tools/ncci.py (the `# rows:` header line).
        for (setting, text) in [
            (Setting::Practitioner, PTP_PRACTITIONER),
            (Setting::OutpatientHospital, PTP_OUTPATIENT),
        ] {
            let rows: usize = crate::codes::header_value(text, "rows")
                .and_then(|v| v.split(' ').next()?.parse().ok())
                .unwrap();
            assert_eq!(ptp(setting).len(), rows, "{setting:?}");
        }
        assert_eq!(ptp(Setting::Practitioner).len(), 30_552);
        assert_eq!(ptp_date(Setting::OutpatientHospital), "2026-04-01");
        assert_eq!(ptp_covers_to(Setting::OutpatientHospital), Some(d("2026-06-30")));
        assert_eq!(
            ptp(Setting::Practitioner)
                .edit("97140", "97124", d("2026-03-02"))
                .map(|e| e.indicator),
            Some(0)
        );
        assert_eq!(ptp(Setting::Practitioner).edit("97124", "97140", d("2026-03-02")), None);
    }

    /// The one-probe look-up agrees with a scan of the edits, both ways.
    #[test]
    fn both_directions_as_scanned() {
        let scan = |t: &PtpTable, a: u64, b: u64, dos: Date| {
            t.edits()
                .iter()
                .filter(|e| e.0 == a && e.1 == b && e.2.in_force(dos))
                .map(|e| e.2)
                .min_by_key(|e| e.indicator)
        };
        for setting in [Setting::Practitioner, Setting::OutpatientHospital] {
            let t = ptp(setting);
            let codes: Vec<u64> = [
                "97110", "97112", "97140", "97150", "97530", "97124", "97161", "97010", "G0283", "97164", "20560",
                "97116",
            ]
            .iter()
            .filter_map(|c| pack(c))
            .collect();
            for dos in ["2015-06-01", "2020-06-01", "2024-07-01", "2026-03-02"].map(d) {
                for &a in &codes {
                    for &b in &codes {
                        let (ab, ba) = t.edits_both(a, b, dos);
                        assert_eq!(ab, scan(t, a, b, dos), "{setting:?} {a:x} {b:x} {dos}");
                        assert_eq!(ba, scan(t, b, a, dos), "{setting:?} {b:x} {a:x} {dos}");
                        assert_eq!(t.edit_packed(a, b, dos), ab);
                    }
                }
            }
        }
    }

    #[test]
    fn the_2020_gap() {
        let hosp = ptp(Setting::OutpatientHospital);
        assert!(hosp.edit("97150", "97110", d("2019-12-31")).is_some());
        assert_eq!(hosp.edit("97150", "97110", d("2020-06-01")), None);
        let e = hosp.edit("97150", "97110", d("2020-10-01")).unwrap();
        assert_eq!((e.first_day, e.first_inferred), (Some(d("2020-10-01")), false));
        let prac = ptp(Setting::Practitioner);
        assert_eq!(prac.edit("97150", "97110", d("2020-06-01")), None);
        let e = prac.edit("97150", "97110", d("2020-10-15")).unwrap();
        assert!(e.first_inferred, "the practitioner start is inferred");
        // An edit never deleted keeps applying from the start of the data.
        assert!(prac.edit("97140", "97124", d("2020-06-01")).is_some());
    }

    #[test]
    fn parse_formats() {
        let t = PtpTable::parse("# x\nA0001 B0001/1 B0002/0//20191231 B0003/1/~20201001 B0004/1/20210101/20211231\n");
        assert_eq!(t.len(), 4);
        assert!(t.edit("A0001", "B0001", d("2000-01-01")).is_some());
        assert!(t.edit("A0001", "B0002", d("2019-12-31")).is_some());
        assert!(t.edit("A0001", "B0002", d("2020-01-01")).is_none());
        assert!(t.edit("A0001", "B0003", d("2020-09-30")).is_none());
        assert!(t.edit("A0001", "B0003", d("2020-10-01")).unwrap().first_inferred);
        assert!(t.edit("A0001", "B0004", d("2022-01-01")).is_none());
        assert!(t.edit("A0001", "B0004", d("2021-06-01")).is_some());
    }

    #[test]
    fn addon_edits() {
        assert_eq!(addon_primaries("97130", d("2026-03-02")), Some(vec!["97129"]));
        assert_eq!(addon_primaries("97551", d("2024-03-01")), Some(vec!["97550"]));
        assert_eq!(
            addon_primaries("97551", d("2023-12-31")),
            Some(vec![]),
            "not yet in force"
        );
        let mut p = addon_primaries("97811", d("2026-03-02")).unwrap();
        p.sort_unstable();
        assert_eq!(p, ["97810", "97813"]);
        assert_eq!(addon_primaries("98981", d("2026-03-02")), Some(vec!["98980"]));
        assert_eq!(addon_primaries("97110", d("2026-03-02")), None);
    }
}
