//! The header row: which column is which. Names are matched without regard to
//! case, spaces, underscores, hyphens or dots, with the synonyms billing
//! exports use (`CPT`, `DOS`, `Dx`, `Mod`, …). A column the audit does not read
//! is named once in a file notice; two columns that mean the same thing, or a
//! missing required column, stop the audit with one message.

use super::read::Fields;

/// The columns the audit reads, in the contract's order; `setting` is optional.
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
    "setting",
];

/// Indexes into [`COLUMNS`].
pub const VISIT_ID: usize = 0;
/// The date of service.
pub const DATE: usize = 1;
/// The payer.
pub const PAYER: usize = 2;
/// The discipline.
pub const DISCIPLINE: usize = 3;
/// The code.
pub const CODE: usize = 4;
/// Minutes.
pub const MINUTES: usize = 5;
/// Assistant minutes.
pub const ASSISTANT: usize = 6;
/// Units.
pub const UNITS: usize = 7;
/// Modifiers.
pub const MODIFIERS: usize = 8;
/// Diagnoses.
pub const DIAGNOSES: usize = 9;
/// Setting.
pub const SETTING: usize = 10;

/// Header names (normalised: lower case, letters and digits only) and the column
/// each means. A table, so a new export's spelling is one line.
const SYNONYMS: &[(&str, usize)] = &[
    ("visitid", VISIT_ID),
    ("visit", VISIT_ID),
    ("visitnumber", VISIT_ID),
    ("visitno", VISIT_ID),
    ("encounter", VISIT_ID),
    ("encounterid", VISIT_ID),
    ("encounternumber", VISIT_ID),
    ("claimid", VISIT_ID),
    ("claimnumber", VISIT_ID),
    ("dateofservice", DATE),
    ("dos", DATE),
    ("servicedate", DATE),
    ("visitdate", DATE),
    ("date", DATE),
    ("payer", PAYER),
    ("payor", PAYER),
    ("insurance", PAYER),
    ("payertype", PAYER),
    ("discipline", DISCIPLINE),
    ("code", CODE),
    ("cpt", CODE),
    ("cptcode", CODE),
    ("hcpcs", CODE),
    ("cpthcpcs", CODE),
    ("procedure", CODE),
    ("procedurecode", CODE),
    ("minutes", MINUTES),
    ("mins", MINUTES),
    ("min", MINUTES),
    ("timedminutes", MINUTES),
    ("assistantminutes", ASSISTANT),
    ("ptaminutes", ASSISTANT),
    ("otaminutes", ASSISTANT),
    ("units", UNITS),
    ("unit", UNITS),
    ("billedunits", UNITS),
    ("modifiers", MODIFIERS),
    ("modifier", MODIFIERS),
    ("mods", MODIFIERS),
    ("mod", MODIFIERS),
    ("diagnoses", DIAGNOSES),
    ("diagnosis", DIAGNOSES),
    ("diagnosiscodes", DIAGNOSES),
    ("dx", DIAGNOSES),
    ("dxcodes", DIAGNOSES),
    ("icd", DIAGNOSES),
    ("icd10", DIAGNOSES),
    ("icd10cm", DIAGNOSES),
    ("setting", SETTING),
];

/// Where each column is, and what else the header held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Position of each of [`COLUMNS`] in the row.
    pub at: [Option<usize>; 11],
    /// How many columns the header has.
    pub width: usize,
    /// Columns the audit does not read, as written.
    pub unknown: Vec<String>,
}

fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Header {
    /// Reads the header row, or says in one sentence why it cannot be used.
    pub fn read(fields: &Fields) -> Result<Header, String> {
        let mut h = Header {
            width: fields.len(),
            ..Header::default()
        };
        for (i, name) in fields.iter().enumerate() {
            let key = normalise(name);
            if key.is_empty() {
                continue;
            }
            match SYNONYMS.iter().find(|s| s.0 == key) {
                Some(&(_, col)) => {
                    if let Some(first) = h.at[col] {
                        let first_name = fields.get(first).unwrap_or("").trim();
                        return Err(format!(
                            "the header has two {} columns ({:?} in column {} and {:?} in column {}): keep one and audit the file again",
                            COLUMNS[col].replace('_', " "),
                            first_name,
                            first + 1,
                            name.trim(),
                            i + 1
                        ));
                    }
                    h.at[col] = Some(i);
                }
                None => h.unknown.push(name.trim().to_string()),
            }
        }
        let missing: Vec<&str> = [VISIT_ID, DATE, CODE]
            .into_iter()
            .filter(|&c| h.at[c].is_none())
            .map(|c| COLUMNS[c])
            .collect();
        if !missing.is_empty() {
            let found: Vec<&str> = fields
                .iter()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .take(20)
                .collect();
            return Err(format!(
                "the header row has no {} column (it has: {}); the first row must name the columns, at least visit_id, date_of_service and code",
                missing.join(", no "),
                if found.is_empty() {
                    "no names".to_string()
                } else {
                    found.join(", ")
                }
            ));
        }
        Ok(h)
    }

    /// The notice for the columns the audit does not read, if any.
    pub fn unknown_notice(&self) -> Option<String> {
        if self.unknown.is_empty() {
            return None;
        }
        let list: Vec<String> = self.unknown.iter().map(|u| format!("{u:?}")).collect();
        Some(format!(
            "{} {} not read by the audit (it reads {}; a misspelled name such as \"minuts\" is ignored too)",
            if list.len() == 1 { "The column" } else { "The columns" },
            if list.len() == 1 {
                format!("{} is", list[0])
            } else {
                format!("{} are", list.join(", "))
            },
            COLUMNS.join(", ")
        ))
    }

    /// A column's cell, trimmed ("" when the column or the cell is missing).
    pub fn cell<'a>(&self, f: &'a Fields, column: usize) -> &'a str {
        self.at[column].and_then(|i| f.get(i)).map_or("", trim)
    }
}

/// `str::trim`, with a fast path for the usual cell that starts and ends with a
/// visible ASCII character (nothing to trim).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod trim_tests {
    #[test]
    fn trims_as_str_trim_does() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "\u{a0}x\u{a0}",
            "x\u{2003}",
            "é",
            " é ",
            "a b",
        ] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
    }
}
