//! The big reference tables (NCCI PTP edits of both settings; the ICD-10-CM
//! code set and its unspecified-side table) as the engine holds them.
//!
//! Every build but the page's calculator module compiles the text tables in
//! (cargo feature `embedded-tables`, on by default) and parses each on first
//! use. The page's module (www/pkg-calc) leaves them out, so that the first
//! result needs fewer bytes: the page fetches `data/tables.bin` right after it,
//! a compact binary form written at build time ([`binary`], by the
//! `ptbill-tables` program), and hands it over with [`install`]. Until then the
//! look-ups answer `None` and the rules that need them say so in the report's
//! `pending` list instead of passing.
//!
//! The tables' dates (`valid_for`, `covers_to`, first and last date) are read
//! from the text files' headers at compile time ([`header`]) in every build:
//! reports name them, and a loaded file must match them.

pub mod binary;

use crate::icd10::CodeSet;
use crate::ncci_table::PtpTable;
use crate::visit::Setting;
use std::sync::OnceLock;

/// The tables decoded from `data/tables.bin`.
pub struct Tables {
    /// NCCI PTP, practitioner.
    pub practitioner: PtpTable,
    /// NCCI PTP, outpatient hospital.
    pub outpatient: PtpTable,
    /// ICD-10-CM validity and unspecified sides.
    pub icd10: CodeSet,
    /// Each rule's docs page, by rule id (the page's module has no docs text).
    pub docs: crate::ncci_table::TableMap<&'static str, String>,
}

impl Tables {
    /// The PTP table of a setting.
    pub fn ptp(&self, setting: Setting) -> &PtpTable {
        match setting {
            Setting::Practitioner => &self.practitioner,
            Setting::OutpatientHospital => &self.outpatient,
        }
    }
}

static LOADED: OnceLock<Tables> = OnceLock::new();

/// The tables handed over with [`install`], if any.
pub fn loaded() -> Option<&'static Tables> {
    LOADED.get()
}

/// Whether this build has the text tables compiled in.
pub const EMBEDDED: bool = cfg!(feature = "embedded-tables");

/// Decodes a tables file and, in a build without the embedded tables, makes it
/// the engine's. `Ok(true)`: installed now; `Ok(false)`: nothing to do (tables
/// already installed, or compiled into this build, which checks only the
/// file's magic and version, so that its module carries no decoder).
/// A file that is not ptbill's, truncated, of another format version or built
/// from other data than this engine's is an error naming the problem.
pub fn install(bytes: &[u8]) -> Result<bool, String> {
    if EMBEDDED {
        return binary::check_kind(bytes).map(|()| false);
    }
    if LOADED.get().is_some() {
        return Ok(false);
    }
    Ok(LOADED.set(binary::decode(bytes)?).is_ok())
}

/// A `# key: value` header line's value of a text table, read at compile time
/// (so a build without the table still knows its dates): the first `N` bytes
/// after `key: `. A missing key or a shorter value fails the build.
pub const fn header<const N: usize>(text: &[u8], key: &[u8]) -> [u8; N] {
    let mut at = 0;
    while at < text.len() {
        // At the start of a line: "# key: ".
        if text[at] == b'#' && at + 2 + key.len() + 2 + N <= text.len() {
            let mut k = 0;
            let mut p = at + 1;
            while p < text.len() && text[p] == b' ' {
                p += 1;
            }
            while k < key.len() && p + k < text.len() && text[p + k] == key[k] {
                k += 1;
            }
            if k == key.len() && p + k + 1 < text.len() && text[p + k] == b':' {
                let mut v = p + k + 1;
                while v < text.len() && text[v] == b' ' {
                    v += 1;
                }
                let mut out = [0u8; N];
                let mut i = 0;
                while i < N {
                    assert!(
                        v + i < text.len() && text[v + i] != b'\n',
                        "table header value too short"
                    );
                    out[i] = text[v + i];
                    i += 1;
                }
                return out;
            }
        } else if text[at] != b'#' {
            break; // the header is over
        }
        // The next line.
        while at < text.len() && text[at] != b'\n' {
            at += 1;
        }
        at += 1;
    }
    panic!("table header key missing");
}

/// A small CSV table of `data/` as compiled in (`$keep`: a bit per column the
/// engine reads), by [`compact`]: the file stays the source, with its provenance.
#[macro_export]
#[doc(hidden)]
macro_rules! compact_table {
    ($bytes:expr, $keep:expr) => {{
        const RAW: &[u8] = $bytes;
        const LEN: usize = $crate::tables::compact(RAW, $keep, &mut []);
        const BYTES: [u8; LEN] = {
            let mut out = [0u8; LEN];
            $crate::tables::compact(RAW, $keep, &mut out);
            out
        };
        $crate::tables::text_of(&BYTES)
    }};
}

/// A CSV table with only what the engine reads of it, written into `out` (when
/// it has room): the `# valid_for:` line of its `#` header (the provenance
/// comments stay in the file), the column line, and each row with the columns
/// not in `keep` (bit `i` for column `i`) emptied, so that every row keeps its
/// number of fields. Returns the length, so that a first call with an empty
/// `out` sizes the second (12 KB less text in the page's module, 3.1 KB brotli).
pub const fn compact(text: &[u8], keep: u64, out: &mut [u8]) -> usize {
    const KEPT: &[u8] = b"# valid_for:";
    let (mut at, mut n, mut columns_seen) = (0, 0, false);
    while at < text.len() {
        let mut end = at;
        while end < text.len() && text[end] != b'\n' {
            end += 1;
        }
        let comment = text[at] == b'#';
        let mut kept = !comment;
        if comment && end - at >= KEPT.len() {
            kept = true;
            let mut k = 0;
            while k < KEPT.len() {
                kept &= text[at + k] == KEPT[k];
                k += 1;
            }
        }
        if kept && at < end {
            let (mut p, mut column) = (at, 0);
            while p < end {
                let c = text[p];
                if c == b',' {
                    column += 1;
                }
                if c == b',' || !columns_seen || comment || (column < 64 && keep & (1 << column) != 0) {
                    if n < out.len() {
                        out[n] = c;
                    }
                    n += 1;
                }
                p += 1;
            }
            if n < out.len() {
                out[n] = b'\n';
            }
            n += 1;
            columns_seen |= !comment;
        }
        at = end + 1;
    }
    n
}

/// A compile-time header value as text.
pub const fn text_of(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => panic!("table header value is not UTF-8"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_reads_a_value() {
        const T: &[u8] = b"# title\n# valid_for: 2024-07-01\n#   more\n# covers_to: 2024-09-30 (a quarter)\nrow\n# valid_for: 1999-01-01\n";
        assert_eq!(&header::<10>(T, b"valid_for"), b"2024-07-01");
        assert_eq!(&header::<10>(T, b"covers_to"), b"2024-09-30");
    }

    #[test]
    fn compact_keeps_the_date_the_columns_and_the_read_fields() {
        const T: &[u8] = b"# title\n# valid_for: 2024-07-01\n#   more\na,b,c\n\n1,two,3\n# late\n4,,six\n";
        const N: usize = compact(T, 0b101, &mut []);
        let mut out = [0u8; N];
        assert_eq!(compact(T, 0b101, &mut out), N);
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            "# valid_for: 2024-07-01\na,b,c\n1,,3\n4,,six\n"
        );
    }

    /// Each table as compiled in reads as its file: the same `valid_for`, the
    /// same rows with the same number of fields, and the same fields but for
    /// the columns named here, which the engine never reads (emptied).
    #[test]
    fn compacted_tables_read_as_their_files() {
        use crate::codes::{header_value, table_rows};
        let tables: [(&str, &'static str, &'static str, &[&str]); 6] = [
            (
                "codes",
                crate::codes::CODES_CSV,
                include_str!("../data/codes.csv"),
                &["note"],
            ),
            (
                "ncci-aoc",
                crate::ncci_table::AOC_CSV,
                include_str!("../data/ncci-aoc.csv"),
                &[],
            ),
            (
                "payer-rules",
                crate::rules::codes::PAYER_RULES_CSV,
                include_str!("../data/payer-rules.csv"),
                &["confidence"],
            ),
            (
                "kx",
                crate::rules::kx::KX_CSV,
                include_str!("../data/kx.csv"),
                &["source"],
            ),
            (
                "modifiers",
                crate::rules::modifiers::MODIFIERS_CSV,
                include_str!("../data/modifiers.csv"),
                &["confidence"],
            ),
            (
                "mue",
                crate::rules::ncci::MUE_CSV,
                include_str!("../data/mue.csv"),
                &["rationale"],
            ),
        ];
        for (name, compiled, file, unread) in tables {
            assert!(compiled.len() < file.len(), "{name}");
            assert!(!compiled.contains("# source"), "{name}: provenance left in");
            assert_eq!(
                header_value(compiled, "valid_for"),
                header_value(file, "valid_for"),
                "{name}"
            );
            let columns: Vec<&str> = file.lines().find(|l| !l.starts_with('#')).unwrap().split(',').collect();
            for c in unread {
                assert!(columns.contains(c), "{name}: no column {c}");
            }
            let (got, want): (Vec<_>, Vec<_>) = (table_rows(compiled).collect(), table_rows(file).collect());
            assert_eq!(got.len(), want.len(), "{name}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.len(), w.len(), "{name}: {w:?}");
                for ((g, w), column) in g.iter().zip(w).zip(&columns) {
                    let expected = if unread.contains(column) { "" } else { w };
                    assert_eq!(g, &expected, "{name}: column {column} of {w:?}");
                }
            }
        }
    }
}
