//! The summary: counts over the whole file, kept as the audit runs.

use super::visits::FastMap;
use crate::report::Severity;
use serde::Serialize;
use std::collections::BTreeMap;

/// A note about the whole file (reference-data age, unread columns): reported
/// once, never per visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The rule id (`reference-data-date`) or `file-notice`.
    pub rule: String,
    /// Always `info`.
    pub severity: Severity,
    /// What to know.
    pub message: String,
    /// Visits it concerns (0 for a note about the file itself).
    pub visits: u64,
}

/// Counts over the whole file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Findings by rule id (the once-per-file notices are not counted here).
    pub by_rule: BTreeMap<String, u64>,
    /// Findings by severity.
    pub by_severity: BTreeMap<String, u64>,
    /// Findings by code (visit-wide findings under "(visit)").
    pub by_code: BTreeMap<String, u64>,
    /// Visits with at least one error (including visits lost to row errors).
    pub visits_with_errors: u64,
    /// Timed units computed, all visits.
    pub timed_units: u64,
    /// Units to bill, all visits: timed and untimed units of billable lines.
    pub total_units: u64,
    /// Units claimed where the file gave them.
    pub claimed_units: u64,
    /// Units claimed above what the minutes earn (risk of over-billing).
    pub units_over: u64,
    /// Units earned but not claimed (left unbilled).
    pub units_under: u64,
    /// Rows that could not be used.
    pub row_errors: u64,
    /// Rows used with a warning (characters that were not UTF-8 text, replaced).
    pub row_warnings: u64,
    /// Visits by payer name as written in the file (lower case).
    pub payers: BTreeMap<String, u64>,
    /// How each payer name was checked (`other` unless it is a contract value
    /// or was mapped with `--payer NAME=VALUE`).
    pub payers_checked_as: BTreeMap<String, String>,
    /// Reference-data notices, once for the file.
    pub data_notices: Vec<Notice>,
    /// Other notes about the file (columns not read).
    pub notices: Vec<Notice>,
    /// Finding counts gathered while the audit runs, folded into the maps above
    /// when it ends (a finding would otherwise cost three ordered-map searches).
    #[serde(skip)]
    tally: Tally,
}

#[derive(Clone, Debug, Default)]
struct Tally {
    rules: Vec<(&'static str, u64)>,
    severities: [u64; 3],
    codes: FastMap<String, u64>,
}

impl Summary {
    /// Counts one finding.
    pub(crate) fn count(&mut self, rule: &'static str, severity: Severity, code: &str) {
        let t = &mut self.tally;
        // Rule ids are the registry's statics: the same pointer for the same rule.
        match t.rules.iter_mut().find(|r| std::ptr::eq(r.0, rule) || r.0 == rule) {
            Some(r) => r.1 += 1,
            None => t.rules.push((rule, 1)),
        }
        t.severities[severity as usize] += 1;
        match t.codes.get_mut(code) {
            Some(n) => *n += 1,
            None => {
                t.codes.insert(code.to_string(), 1);
            }
        }
    }

    /// Folds the running counts into the maps.
    pub(crate) fn settle(&mut self) {
        let t = std::mem::take(&mut self.tally);
        for (rule, n) in t.rules {
            *self.by_rule.entry(rule.to_string()).or_insert(0) += n;
        }
        for (severity, n) in [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .zip(t.severities)
        {
            if n > 0 {
                *self.by_severity.entry(severity.as_str().to_string()).or_insert(0) += n;
            }
        }
        for (code, n) in t.codes {
            *self.by_code.entry(code).or_insert(0) += n;
        }
    }

    /// Findings counted so far (settled or not).
    pub fn findings(&self) -> u64 {
        self.by_severity.values().sum::<u64>() + self.tally.severities.iter().sum::<u64>()
    }
}
