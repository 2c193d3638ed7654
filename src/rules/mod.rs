//! The rule registry: one file per rule family, each holding its rules' metadata
//! and docs next to the code that checks them.
//!
//! A rule's docs page says what it checks, why, the source with its date, an
//! example visit that fires it (a test runs every example), and the fix.

/// A rule's docs text (what it checks, why, source, example, fix): compiled in
/// with the tables (cargo feature `embedded-tables`); the page's module leaves
/// it out and reads each rule's docs page from data/tables.bin ([`docs_page`]).
#[cfg(feature = "embedded-tables")]
macro_rules! doc {
    ($text:expr) => {
        $text
    };
}
#[cfg(not(feature = "embedded-tables"))]
macro_rules! doc {
    ($text:expr) => {
        ""
    };
}

use crate::codes::{CodeInfo, Shape};
use crate::report::{Diagnostic, Message, Severity, Split};
use crate::units::Allocation;
use crate::visit::{Payer, Visit};

pub mod assistant;
pub mod codes;
pub mod data_date;
pub mod diagnosis;
pub mod kx;
pub mod lines;
pub mod modifiers;
pub mod ncci;
pub mod rtm;
pub mod time;

/// A rule's metadata and docs.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Plain-language title, shown by every door ("Missing therapy modifier").
    pub title: &'static str,
    /// Severity in the rule's main case (payer and case may soften it).
    pub severity: Severity,
    /// One line, for tables and tooltips.
    pub summary: &'static str,
    /// What it checks, including when it is softer or silent.
    pub checks: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// The source and its date.
    pub source: &'static str,
    /// A visit (JSON) that fires the rule.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

impl Rule {
    /// Where the rule stands in [`RANK`] (1 = costs the clinician most).
    pub fn rank(&self) -> u16 {
        rank_of(self.id)
    }

    /// The rule's docs page in Markdown (empty sections in a build without
    /// `embedded-tables`: use [`docs_page`] there).
    pub fn docs(&self) -> String {
        format!(
            "# {id}\n\n**{title}**\n\n{summary}\n\nDefault severity: {sev}. Rank: {rank} of {count} (findings are listed by severity, then by rank: what costs the clinician most comes first).\n\n## What it checks\n\n{checks}\n\n## Why\n\n{why}\n\n## Source\n\n{source}\n\n## Example\n\n```json\n{example}\n```\n\n## Fix\n\n{fix}\n",
            id = self.id,
            title = self.title,
            rank = self.rank(),
            count = RANK.len(),
            summary = self.summary,
            sev = self.severity.as_str(),
            checks = self.checks,
            why = self.why,
            source = self.source,
            example = self.example,
            fix = self.fix,
        )
    }
}

/// A rule's docs page: built from the rule where its docs are compiled in,
/// else from data/tables.bin once loaded (`None` until then).
pub fn docs_page(rule: &Rule) -> Option<String> {
    if crate::tables::EMBEDDED {
        return Some(rule.docs());
    }
    crate::tables::loaded()?.docs.get(rule.id).cloned()
}

/// Every rule, in a stable order (family by family).
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        codes::RULES,
        lines::RULES,
        modifiers::RULES,
        ncci::RULES,
        assistant::RULES,
        kx::RULES,
        time::RULES,
        rtm::RULES,
        diagnosis::RULES,
        data_date::RULES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Every rule id by what a finding costs the clinician, most first: a claim
/// that is denied or wrong (a code that cannot be paid, an edit pair, too many
/// units, a missing KX or diagnosis), then what makes a claim line wrong but is
/// fixed in the corrected modifiers, then what needs documentation or a second
/// look, then notes. Diagnostics are ordered by severity, then by this rank,
/// then by line.
pub const RANK: &[&str] = &[
    "invalid-code",
    "deleted-code",
    "unknown-code",
    "not-therapy-code",
    "medicare-code-substitution",
    "bundled-code",
    "ncci-edit",
    "mue-exceeded",
    "add-on-without-primary",
    "non-medicare-code",
    "units-mismatch",
    "kx-threshold",
    "missing-diagnosis",
    "icd10-invalid",
    "icd10-not-billable",
    "icd10-seventh-character",
    "missing-therapy-modifier",
    "therapy-modifier-mismatch",
    "assistant-modifier",
    "modifier-52-timed",
    "payer-method",
    "implausible-minutes",
    "missing-minutes",
    "rtm-minutes-below-minimum",
    "add-on-line-needed",
    "split-timed-code",
    "temporary-code",
    "conflicting-distinct-modifiers",
    "unneeded-distinct-modifier",
    "modifier-25-misuse",
    "modifier-76-timed",
    "unknown-modifier",
    "icd10-unspecified",
    "medical-review-threshold",
    "below-eight-minutes",
    "untimed-minutes",
    "tracking-code",
    "functional-reporting",
    "reference-data-date",
];

/// A rule id's rank (1-based); an id missing from [`RANK`] sorts last (a test
/// keeps every rule in it).
pub fn rank_of(id: &str) -> u16 {
    RANK.iter()
        .position(|r| *r == id)
        .map_or(u16::MAX, |p| u16::try_from(p + 1).unwrap_or(u16::MAX))
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// What every rule family sees while checking one visit, and what it writes.
pub struct Ctx<'a> {
    /// The visit.
    pub visit: &'a Visit,
    /// Catalog row per line (None: not in the catalog).
    pub info: Vec<Option<&'static CodeInfo>>,
    /// Shape per line.
    pub shapes: Vec<Shape>,
    /// Whether each line earns anything on this claim (see [`crate::rules::codes::unbillable`]).
    pub billable: Vec<bool>,
    /// Units under the visit's method.
    pub alloc: &'a Allocation,
    /// Units under the other method.
    pub alt: &'a Allocation,
    /// The corrected modifier set per line, built up by the families.
    pub modifiers: Vec<Vec<String>>,
    /// Claim-line splits per line (CQ/CO on some units only).
    pub split: Vec<Option<Vec<Split>>>,
    /// Findings so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Sentences the families add to the explanation.
    pub notes: Vec<String>,
    /// Lines a more specific rule already explained, so `mue-exceeded` stays quiet.
    pub explained: Vec<bool>,
    /// Table versions used, for the report's `data`.
    pub data: crate::report::Versions,
    /// Rules that could not run on this visit yet: their table is not loaded.
    pub pending: Vec<&'static str>,
    /// Whether the report will be shown whole (`data` filled); the batch
    /// audit's CSV and summary never show `data`, so it is left empty there.
    pub full: bool,
}

impl Ctx<'_> {
    /// Records the date or version of a reference table the visit was checked
    /// with (the report's `data`; skipped when the report is not shown whole).
    pub fn used(&mut self, table: &'static str, version: &'static str) {
        if self.full {
            self.data.insert(table, version.into());
        }
    }

    /// Records a finding that the corrected modifiers do not fix.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn emit(
        &mut self,
        rule: &Rule,
        severity: Severity,
        line: Option<usize>,
        message: impl Into<Message>,
        help: impl Into<Message>,
    ) {
        self.push(rule, severity, line, message.into(), help.into(), false);
    }

    /// Records a finding that the report's corrected `modifiers` already fix
    /// (`fixed: true`).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn emit_fixed(
        &mut self,
        rule: &Rule,
        severity: Severity,
        line: Option<usize>,
        message: impl Into<Message>,
        help: impl Into<Message>,
    ) {
        self.push(rule, severity, line, message.into(), help.into(), true);
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn push(
        &mut self,
        rule: &Rule,
        severity: Severity,
        line: Option<usize>,
        message: Message,
        help: Message,
        fixed: bool,
    ) {
        self.diagnostics.push(Diagnostic {
            rule: rule.id,
            title: rule.title,
            severity,
            line,
            message,
            help,
            fixed,
        });
    }

    /// Records that `rule` has not been checked on this visit because its table
    /// is not loaded yet (the page's module before `data/tables.bin`): never a pass.
    pub fn pending(&mut self, rule: &Rule) {
        if !self.pending.contains(&rule.id) {
            self.pending.push(rule.id);
        }
    }

    /// Whether line `i` is a code the other rules can reason about (well formed).
    pub fn well_formed(&self, i: usize) -> bool {
        self.shapes[i] != Shape::Invalid
    }

    /// Whether any line carries `code`.
    pub fn has_code(&self, code: &str) -> bool {
        self.visit.lines.iter().any(|l| l.code == code)
    }

    /// Whether the corrected set of line `i` holds modifier `m`.
    pub fn has_modifier(&self, i: usize, m: &str) -> bool {
        self.modifiers[i].iter().any(|x| x == m)
    }

    /// Drops modifier `m` from line `i`'s corrected set.
    pub fn drop_modifier(&mut self, i: usize, m: &str) {
        self.modifiers[i].retain(|x| x != m);
    }

    /// Adds modifier `m` to line `i`'s corrected set, if absent.
    pub fn add_modifier(&mut self, i: usize, m: &str) {
        if !self.has_modifier(i, m) {
            self.modifiers[i].push(m.to_string());
        }
    }
}

/// Error for Medicare and Medicare Advantage, warning for everyone else.
pub fn medicare_error(payer: Payer) -> Severity {
    match payer {
        Payer::Medicare | Payer::MedicareAdvantage => Severity::Error,
        _ => Severity::Warning,
    }
}

/// Runs every family, in the order their facts depend on each other.
pub fn run(ctx: &mut Ctx<'_>) {
    codes::check(ctx);
    lines::check(ctx);
    ncci::check(ctx);
    modifiers::check(ctx);
    assistant::check(ctx);
    kx::check(ctx);
    time::check(ctx);
    rtm::check(ctx);
    diagnosis::check(ctx);
    data_date::check(ctx);
}
