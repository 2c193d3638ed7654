//! # ptbill
//!
//! A therapy billing calculator: the billable units of a PT, OT or SLP visit by
//! Medicare's total-time 8-minute rule and by CPT's per-code rule, explained step
//! by step, with coding checks (invalid and deleted codes, NCCI edit pairs, MUEs,
//! GP/GO/GN, CQ/CO, KX, diagnoses) that each cite a source and a date.
//!
//! The core is pure Rust with no I/O. Three doors reach it and agree:
//! [`check`] (this API), the `ptbill` command line, and the wasm module
//! (`src/wasm.rs`). Every door reads JSON through [`parse_visit`].
//!
//! ```
//! let visit = ptbill::parse_visit(r#"{"date_of_service": "2026-03-02",
//!   "lines": [{"code": "97110", "minutes": 33, "modifiers": ["GP"]},
//!             {"code": "97140", "minutes": 7, "modifiers": ["GP"]}],
//!   "diagnoses": ["M54.50"]}"#).unwrap();
//! let report = ptbill::check(&visit);
//! assert_eq!(report.lines[0].units, 2);
//! assert_eq!(report.lines[1].units, 1);
//! assert_eq!(report.alternative.lines[1].units, 0);
//! ```
#![deny(missing_docs)]

#[cfg(feature = "audit")]
pub mod audit;
pub mod codes;
pub mod date;
pub mod documentation;
mod find;
pub mod icd10;
#[macro_use]
pub mod message;
pub mod ncci_table;
pub mod order;
#[macro_use]
pub mod prose;
pub mod report;
pub mod rules;
pub mod tables;
pub mod units;
pub mod visit;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use report::{Diagnostic, Report, Severity};
pub use visit::{InputError, Visit, parse_visit};

use codes::{Shape, lookup, shape};
use report::{AltLine, Alternative, ReportLine};
use units::{LineInput, allocate, explain};
use visit::Method;

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Checks a visit: units by both methods, explanation, diagnostics.
pub fn check(visit: &Visit) -> Report {
    check_with(visit, true)
}

/// [`check`], optionally without the explanations, the documentation statement
/// and the table versions (`data`): the batch audit's CSV and summary outputs
/// never show them.
pub fn check_with(visit: &Visit, explained: bool) -> Report {
    let shapes: Vec<Shape> = visit.lines.iter().map(|l| shape(&l.code)).collect();
    let info: Vec<_> = visit
        .lines
        .iter()
        .zip(&shapes)
        .map(|(l, s)| if *s == Shape::Invalid { None } else { lookup(&l.code) })
        .collect();
    let mut not_billed: Vec<Option<String>> = shapes
        .iter()
        .zip(&info)
        .map(|(s, i)| rules::codes::unbillable(*s, *i, visit))
        .collect();
    let inputs: Vec<LineInput<'_>> = visit
        .lines
        .iter()
        .zip(&info)
        .zip(&not_billed)
        .map(|((l, i), nb)| LineInput {
            code: &l.code,
            timed: i.is_some_and(|c| c.timed),
            billable: nb.is_none(),
            minutes: l.minutes.unwrap_or(0),
            claimed: l.units,
            unit: i.map_or(codes::Unit::Service, |c| c.unit),
        })
        .collect();
    let other = match visit.method {
        Method::Cms => Method::Ama,
        Method::Ama => Method::Cms,
    };
    let main = allocate(&inputs, visit.method);
    let alt = allocate(&inputs, other);

    let mut ctx = rules::Ctx {
        visit,
        info,
        shapes,
        billable: not_billed.iter().map(Option::is_none).collect(),
        alloc: &main,
        alt: &alt,
        modifiers: visit.lines.iter().map(|l| dedup(&l.modifiers)).collect(),
        split: vec![None; visit.lines.len()],
        // Room for a typical visit's findings: a finding is a few hundred
        // bytes, and each doubling of the vector copies them all.
        diagnostics: Vec::with_capacity(8),
        notes: Vec::new(),
        explained: vec![false; visit.lines.len()],
        data: Default::default(),
        pending: Vec::new(),
        full: explained,
    };
    rules::run(&mut ctx);
    let rules::Ctx {
        info,
        modifiers,
        split,
        mut diagnostics,
        notes,
        data,
        mut pending,
        ..
    } = ctx;
    order::stable_by_key(&mut pending, |id| u64::from(rules::rank_of(id)));
    // By severity, then by what the rule costs the clinician, then by line
    // (visit-wide first): a stable order that puts the costly finding on top.
    order::stable_by_key(&mut diagnostics, |d| {
        (d.severity as u64) << 48 | u64::from(rules::rank_of(d.rule)) << 32 | d.line.map_or(0, |l| l as u64 + 1)
    });

    let lines: Vec<ReportLine> = visit
        .lines
        .iter()
        .enumerate()
        .zip(modifiers.into_iter().zip(split))
        .map(|((i, l), (modifiers, split))| ReportLine {
            code: l.code.clone(),
            units: main.line_units[i],
            modifiers,
            timed: inputs[i].timed,
            billable: inputs[i].billable,
            not_billed_reason: not_billed[i].take(),
            label: info[i].map(|c| c.label),
            split,
        })
        .collect();
    // Only billable lines count toward treatment time: a line that is not on
    // the claim is named in the statement instead. Remote monitoring (RTM) is
    // billed per period, not as treatment time: its minutes are not in it.
    let total_treatment_minutes: u64 = visit
        .lines
        .iter()
        .zip(&inputs)
        .filter(|(_, i)| i.billable && !matches!(i.unit, codes::Unit::Period(_)))
        .map(|(l, _)| u64::from(l.minutes.unwrap_or(0)))
        .sum();
    // Add-on units that still need a line of their own (97129 with 30 minutes
    // earns 97130 × 1 too) count: the visit earns them.
    let total = |a: &units::Allocation| a.total_units();
    let (total_units, alt_total_units) = (total(&main), total(&alt));
    let mut explanation = if explained { explain(&main, &inputs) } else { Vec::new() };
    let mut alt_explanation = if explained { explain(&alt, &inputs) } else { Vec::new() };
    if explained {
        let skipped = || {
            lines
                .iter()
                .zip(&inputs)
                .filter_map(|(l, i)| Some((l, i, l.not_billed_reason.as_deref()?)))
        };
        if skipped().next().is_some() {
            let items = skipped().map(|(l, i, why)| {
                prose::from_fn(move |f| {
                    if i.minutes > 0 {
                        write!(
                            f,
                            "{} ({why}; its {} count toward no unit)",
                            l.code,
                            units::Count(u64::from(i.minutes), "minute", "minutes")
                        )
                    } else {
                        write!(f, "{} ({why})", l.code)
                    }
                })
            });
            let s = sentence!("Not billed, so not counted: {}.", prose::joined("; ", items));
            explanation.insert(1.min(explanation.len()), s.clone());
            alt_explanation.insert(1.min(alt_explanation.len()), s);
        }
    }
    explanation.extend(notes);
    if explained && alt_total_units != total_units {
        explanation.push(sentence!(
            "Under the {} method this visit earns {} instead of {total_units}.",
            rules::lines::method_name(other),
            units::Count(alt_total_units, "unit", "units"),
        ));
    }
    let documentation = if explained {
        documentation::statement(visit, &lines, main.timed_minutes, total_treatment_minutes)
    } else {
        String::new()
    };
    Report {
        method: visit.method,
        timed_minutes: main.timed_minutes,
        timed_units: main.timed_units,
        total_units,
        total_treatment_minutes,
        alternative: Alternative {
            method: other,
            timed_units: alt.timed_units,
            total_units: alt_total_units,
            lines: visit
                .lines
                .iter()
                .zip(&alt.line_units)
                .map(|(l, &units)| AltLine {
                    code: l.code.clone(),
                    units,
                })
                .collect(),
            explanation: alt_explanation,
        },
        lines,
        diagnostics,
        explanation,
        documentation,
        data,
        pending,
    }
}

fn dedup(mods: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(mods.len());
    for m in mods {
        if !out.contains(m) {
            out.push(m.clone());
        }
    }
    out
}

/// Checks a visit given as JSON text and returns the report as JSON text: what
/// the CLI's `--format json` prints and the wasm `check` returns.
pub fn check_json(text: &str) -> Result<String, InputError> {
    let visit = parse_visit(text)?;
    Ok(to_json(&check(&visit)))
}

/// Serialises any report-like value. Our types serialise infallibly (no maps
/// with non-string keys, no non-finite floats), so the fallback is never used.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

// The JSON rows of the look-up exports, each field in alphabetical order: the
// order `serde_json::json!` gave them (its map is sorted), without its `Value`
// (and its serialiser) in the page's module.

/// A row of [`rules_json`].
#[derive(serde::Serialize)]
struct RuleRow {
    docs: Option<String>,
    id: &'static str,
    rank: u16,
    severity: &'static str,
    summary: &'static str,
    title: &'static str,
}

/// The rule list as JSON: id, title, rank, severity, summary, docs.
pub fn rules_json() -> String {
    let list: Vec<RuleRow> = rules::all()
        .map(|r| RuleRow {
            id: r.id,
            title: r.title,
            rank: r.rank(),
            severity: r.severity.as_str(),
            summary: r.summary,
            docs: rules::docs_page(r),
        })
        .collect();
    to_json(&list)
}

/// One rule's docs page, or `None` for an unknown id.
pub fn explain_rule(id: &str) -> Option<String> {
    rules::by_id(id.trim()).and_then(rules::docs_page)
}

/// A `date` argument of the look-up functions, or an error naming it.
fn date_argument(text: &str) -> Result<date::Date, InputError> {
    date::Date::parse(text).map_err(|message| InputError {
        field: "date".into(),
        message,
    })
}

/// The answer of [`icd10_lookup_json`].
#[derive(serde::Serialize)]
struct Icd10Lookup {
    billable: bool,
    code: String,
    codes: Vec<Icd10Title>,
    description: Option<String>,
    parent: Option<String>,
    side_codes: Vec<String>,
    status: &'static str,
    valid_from: Option<String>,
    valid_to: Option<String>,
}

/// A code under the one looked up, with its title.
#[derive(serde::Serialize)]
struct Icd10Title {
    code: String,
    description: Option<String>,
}

/// Looks up one ICD-10-CM code on a date: status, title (when descriptions are
/// available), validity, parent and the billable codes under it, as JSON.
pub fn icd10_lookup_json(code: &str, date: &str) -> Result<String, InputError> {
    use icd10::{Status, code_set, display};
    let date = date_argument(date)?;
    let norm = rules::diagnosis::normalise(code).ok_or_else(|| InputError {
        field: "code".into(),
        message: format!("{code:?} is not shaped like an ICD-10-CM code"),
    })?;
    let set = code_set().ok_or_else(|| InputError {
        field: "code".into(),
        message: "the ICD-10-CM tables are still loading (load_tables)".into(),
    })?;
    let status = set.status(&norm, date);
    let (kind, under) = match &status {
        Status::Billable => ("billable", Vec::new()),
        Status::Header {
            children,
            seventh: true,
            ..
        } => ("needs-seventh-character", children.clone()),
        Status::Header { children, .. } => ("header", children.clone()),
        Status::OutOfDate { .. } => ("not-valid-on-date", set.near(&norm, date)),
        Status::Unknown { near } => ("unknown", near.clone()),
    };
    let validity = set.validity(&norm);
    let title = |c: &str| icd10::descriptions().and_then(|d| d.title(c));
    let parent = (3..norm.len())
        .rev()
        .map(|n| &norm[..n])
        .find(|p| title(p).is_some())
        .map(display);
    let value = Icd10Lookup {
        code: display(&norm),
        status: kind,
        billable: matches!(status, Status::Billable),
        description: title(&norm),
        parent,
        valid_from: validity.map(|v| v.0.to_string()),
        valid_to: validity.and_then(|v| v.1).map(|d| d.to_string()),
        codes: under
            .iter()
            .take(50)
            .map(|c| Icd10Title {
                code: display(c),
                description: title(c),
            })
            .collect(),
        side_codes: set.sided_siblings(&norm, date).iter().map(|c| display(c)).collect(),
    };
    Ok(to_json(&value))
}

/// Searches ICD-10-CM by code prefix or words on a date, as JSON (an empty list
/// when descriptions are not loaded).
pub fn icd10_search_json(query: &str, date: &str, limit: usize) -> Result<String, InputError> {
    let date = date_argument(date)?;
    let found = icd10::descriptions()
        .zip(icd10::code_set())
        .map(|(d, set)| d.search(set, query, date, limit.min(200)))
        .unwrap_or_default();
    Ok(to_json(&found))
}

/// The catalog unit kind in one word, for the page and the catalog JSON.
fn unit_name(u: codes::Unit) -> &'static str {
    match u {
        codes::Unit::Timed15 => "timed15",
        codes::Unit::Service => "service",
        codes::Unit::First { pooled: true, .. } | codes::Unit::Each { pooled: true, .. } => "timed15-family",
        codes::Unit::First { .. } | codes::Unit::Each { .. } => "time-blocks",
        codes::Unit::Period(_) => "period",
    }
}

/// A row of [`catalog_json`].
#[derive(serde::Serialize)]
struct CatalogRow {
    addon_of: &'static [&'static str],
    code: String,
    disciplines: Vec<&'static str>,
    kind: &'static str,
    label: &'static str,
    timed: bool,
    unit: &'static str,
    valid_from: Option<String>,
    valid_to: Option<String>,
}

/// The code catalog as JSON, for the page's code field: code (or range),
/// label, timed, kind, disciplines and validity dates.
pub fn catalog_json() -> String {
    let rows: Vec<CatalogRow> = codes::catalog()
        .iter()
        .map(|c| {
            let disciplines: Vec<&str> = [("pt", c.pt), ("ot", c.ot), ("slp", c.slp)]
                .iter()
                .filter(|(_, on)| *on)
                .map(|(d, _)| *d)
                .collect();
            CatalogRow {
                code: if c.first == c.last {
                    c.first.to_string()
                } else {
                    format!("{}–{}", c.first, c.last)
                },
                label: c.label,
                timed: c.timed,
                unit: unit_name(c.unit),
                kind: c.kind.as_str(),
                disciplines,
                addon_of: &c.addon_of,
                valid_from: c.valid_from.map(|d| d.to_string()),
                valid_to: c.valid_to.map(|d| d.to_string()),
            }
        })
        .collect();
    to_json(&rows)
}
