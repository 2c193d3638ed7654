//! The report (the contract's output). Field names and shapes are the contract's;
//! fields beyond it (`total_treatment_minutes`, line `label` and `not_billed_reason`,
//! `alternative.explanation`) are additions.

pub use crate::message::Message;
use crate::visit::Method;
use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The claim would be wrong or denied.
    Error,
    /// Likely a problem, or needs documentation.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Writes text fixed in the program as a unit variant, which every serializer
/// writes as that string (serde_json included: the same JSON), and by which
/// the wasm `audit`'s tape knows the text is a literal, found by its address.
pub fn literal<S: serde::Serializer>(text: &&'static str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_unit_variant("literal", 0, text)
}

/// Writes a map of literal keys to texts, as [`literal`] writes them (a text
/// made at run time is written as a plain string).
fn literal_map<S: serde::Serializer>(map: &Versions, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(map.len()))?;
    for (k, v) in map.iter() {
        m.serialize_key(&Literal(k))?;
        match v {
            std::borrow::Cow::Borrowed(t) => m.serialize_value(&Literal(t))?,
            std::borrow::Cow::Owned(t) => m.serialize_value(t)?,
        }
    }
    m.end()
}

/// A literal as a value of its own, for [`literal_map`].
struct Literal<'a>(&'a &'static str);

impl Serialize for Literal<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        literal(self.0, s)
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable rule id.
    #[serde(serialize_with = "literal")]
    pub rule: &'static str,
    /// The rule's plain-language title.
    #[serde(serialize_with = "literal")]
    pub title: &'static str,
    /// Severity for this visit (payer and case decide, within the rule's docs).
    pub severity: Severity,
    /// 0-based index of the line concerned, or `None` for the whole visit.
    pub line: Option<usize>,
    /// What is wrong, with this visit's numbers (rendered when read: see
    /// [`Message`]; it derefs to `str`).
    pub message: Message,
    /// What to do about it.
    pub help: Message,
    /// Whether the report's corrected `modifiers` already fix it.
    pub fixed: bool,
}

/// One claim line to write when a line's units need different modifiers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Split {
    /// Units on this claim line.
    pub units: u64,
    /// Modifiers on this claim line.
    pub modifiers: Vec<String>,
}

/// The result for one input line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    /// The code as normalised.
    pub code: String,
    /// Units earned under the report's method.
    pub units: u64,
    /// The modifiers the line should carry.
    pub modifiers: Vec<String>,
    /// Whether the code counts in 15-minute units.
    pub timed: bool,
    /// Whether the line earns anything on this claim: false for a malformed,
    /// unknown or out-of-date code, or one this provider cannot bill this payer
    /// (its units are then 0 under both methods).
    pub billable: bool,
    /// Why the line is not billed, in words (only when `billable` is false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_billed_reason: Option<String>,
    /// ptbill's short label for the code, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'static str>,
    /// The claim lines to write, when only some units need CQ/CO.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Vec<Split>>,
}

/// One line under the other method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AltLine {
    /// The code.
    pub code: String,
    /// Units under the other method.
    pub units: u64,
}

/// The same visit under the other method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// The other method.
    pub method: Method,
    /// Its timed units.
    pub timed_units: u64,
    /// Its billable timed and untimed units.
    pub total_units: u64,
    /// Its units per line.
    pub lines: Vec<AltLine>,
    /// How it counted them.
    pub explanation: Vec<String>,
}

/// The whole result of checking a visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The method used for `lines[].units`.
    pub method: Method,
    /// Minutes of all timed codes.
    pub timed_minutes: u64,
    /// Units of all timed codes.
    pub timed_units: u64,
    /// Billable timed and untimed units: what to bill in all.
    pub total_units: u64,
    /// Timed minutes plus the minutes given for untimed services.
    pub total_treatment_minutes: u64,
    /// One entry per input line, in input order.
    pub lines: Vec<ReportLine>,
    /// The other method's result.
    pub alternative: Alternative,
    /// Findings: by severity, then the rule's rank, then line.
    pub diagnostics: Vec<Diagnostic>,
    /// How the units were counted and given out.
    pub explanation: Vec<String>,
    /// The statement a Medicare treatment note needs.
    pub documentation: String,
    /// The date or version of every reference table used.
    #[serde(serialize_with = "literal_map")]
    pub data: Versions,
    /// Rules not yet checked on this visit because their table is still
    /// loading (only the page's module, before `load_tables`; by rank). Absent
    /// when every check ran: a pending rule is never a pass.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<&'static str>,
}

/// The reference tables a report names, each with its date or version, in the
/// order of their names: a sorted list (a report names a handful), which
/// serialises as the map a `BTreeMap` gave, without a second B-tree in the
/// page's module.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Versions(Vec<(&'static str, std::borrow::Cow<'static, str>)>);

impl std::fmt::Debug for Versions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Versions {
    /// Sets a table's version (a later one replaces an earlier).
    pub fn insert(&mut self, table: &'static str, version: std::borrow::Cow<'static, str>) {
        match self.0.binary_search_by(|(t, _)| (*t).cmp(table)) {
            Ok(i) => self.0[i].1 = version,
            Err(i) => self.0.insert(i, (table, version)),
        }
    }
    /// A table's version.
    pub fn get(&self, table: &str) -> Option<&std::borrow::Cow<'static, str>> {
        self.0.iter().find(|(t, _)| *t == table).map(|(_, v)| v)
    }
    /// The tables and versions, by table name.
    pub fn iter(&self) -> impl Iterator<Item = (&&'static str, &std::borrow::Cow<'static, str>)> {
        self.0.iter().map(|(t, v)| (t, v))
    }
    /// Whether the report names the table.
    pub fn contains_key(&self, table: &str) -> bool {
        self.get(table).is_some()
    }
    /// How many tables.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether no table is named.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Index<&str> for Versions {
    type Output = std::borrow::Cow<'static, str>;
    fn index(&self, table: &str) -> &Self::Output {
        self.get(table).expect("no such table in the report")
    }
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

#[cfg(test)]
mod versions_tests {
    use super::Versions;
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    #[test]
    fn versions_behave_as_the_btree_map_they_replace() {
        let (mut ours, mut map) = (Versions::default(), BTreeMap::new());
        for (t, v) in [
            ("ncci", "a"),
            ("mue", "b"),
            ("catalog", "c"),
            ("ncci", "d"),
            ("kx", "e"),
            ("icd10", "f"),
        ] {
            ours.insert(t, Cow::Borrowed(v));
            map.insert(t, Cow::Borrowed(v));
        }
        ours.insert("owned", Cow::Owned("g".to_string()));
        map.insert("owned", Cow::Owned("g".to_string()));
        assert_eq!(
            ours.iter().map(|(t, v)| (*t, v.clone())).collect::<Vec<_>>(),
            map.clone().into_iter().collect::<Vec<_>>()
        );
        assert_eq!(format!("{ours:?}"), format!("{map:?}"));
        assert_eq!(
            (ours.len(), ours["ncci"].as_ref(), ours.get("none")),
            (map.len(), "d", None)
        );
    }
}
