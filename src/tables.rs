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
    pub docs: std::collections::HashMap<&'static str, String>,
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
}
