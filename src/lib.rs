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

pub mod codes;
pub mod date;
pub mod documentation;
pub mod report;
pub mod rules;
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
    let shapes: Vec<Shape> = visit.lines.iter().map(|l| shape(&l.code)).collect();
    let info: Vec<_> = visit
        .lines
        .iter()
        .zip(&shapes)
        .map(|(l, s)| {
            if *s == Shape::Invalid {
                None
            } else {
                lookup(&l.code)
            }
        })
        .collect();
    let inputs: Vec<LineInput<'_>> = visit
        .lines
        .iter()
        .zip(&info)
        .map(|(l, i)| LineInput {
            code: &l.code,
            timed: i.is_some_and(|c| c.timed),
            minutes: l.minutes.unwrap_or(0),
            claimed: l.units,
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
        info: info.clone(),
        shapes,
        alloc: &main,
        modifiers: visit.lines.iter().map(|l| dedup(&l.modifiers)).collect(),
        split: vec![None; visit.lines.len()],
        diagnostics: Vec::new(),
        notes: Vec::new(),
        explained: vec![false; visit.lines.len()],
        data: Default::default(),
    };
    rules::run(&mut ctx);
    let rules::Ctx {
        modifiers,
        split,
        mut diagnostics,
        notes,
        data,
        ..
    } = ctx;
    // Errors first, then by line (visit-wide first), then by rule: a stable order.
    diagnostics.sort_by(|a, b| {
        (a.severity, a.line.map_or(0, |l| l + 1), a.rule).cmp(&(
            b.severity,
            b.line.map_or(0, |l| l + 1),
            b.rule,
        ))
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
            label: info[i].map(|c| c.label),
            split,
        })
        .collect();
    let total_treatment_minutes: u64 = visit
        .lines
        .iter()
        .map(|l| u64::from(l.minutes.unwrap_or(0)))
        .sum();
    let mut explanation = explain(&main, &inputs);
    explanation.extend(notes);
    let alt_explanation = explain(&alt, &inputs);
    if alt.timed_units != main.timed_units {
        explanation.push(format!(
            "Under the {} method this visit earns {} timed {} instead of {}.",
            rules::lines::method_name(other),
            alt.timed_units,
            if alt.timed_units == 1 {
                "unit"
            } else {
                "units"
            },
            main.timed_units
        ));
    }
    let documentation =
        documentation::statement(visit, &lines, main.timed_minutes, total_treatment_minutes);
    Report {
        method: visit.method,
        timed_minutes: main.timed_minutes,
        timed_units: main.timed_units,
        total_treatment_minutes,
        alternative: Alternative {
            method: other,
            timed_units: alt.timed_units,
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

/// The rule list as JSON: id, severity, summary, docs.
pub fn rules_json() -> String {
    let list: Vec<serde_json::Value> = rules::all()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "severity": r.severity.as_str(),
                "summary": r.summary,
                "docs": r.docs(),
            })
        })
        .collect();
    to_json(&list)
}

/// One rule's docs page, or `None` for an unknown id.
pub fn explain_rule(id: &str) -> Option<String> {
    rules::by_id(id.trim()).map(rules::Rule::docs)
}
