//! Time rules: the time rule the payer counts by, and minutes no day of
//! therapy can hold.

use super::{Ctx, Rule};
use crate::report::Severity;
use crate::units::{Allocation, n_minutes, n_units};
use crate::visit::{Method, Payer};

/// The longest one line may plausibly be: 8 hours.
pub const LINE_MAX_MINUTES: u64 = 8 * 60;
/// The longest one visit (all its lines) may plausibly be: 12 hours.
pub const VISIT_MAX_MINUTES: u64 = 12 * 60;

/// `payer-method`
pub static PAYER_METHOD: Rule = Rule {
    id: "payer-method",
    title: "Per-code time rule on a Medicare claim",
    severity: Severity::Warning,
    summary: "The CPT per-code method on a Medicare or Medicare Advantage visit",
    checks: doc!(
        "The visit's `method` is `ama` (CPT per-code midpoint rule) and its payer is Medicare or Medicare Advantage. The message gives the total-time result (units per code and in all), so the claim can be written by Medicare's rule. Quiet for `cms`, and for Medicaid, commercial and other payers (many of them count per code)."
    ),
    why: doc!(
        "Medicare counts timed units by the total timed minutes of the visit (the 8-minute rule applied once to the total), not code by code. The two methods often differ by a unit (CMS example 3: 33 + 7 minutes is 3 units by total time, 2 per code). Medicare Advantage plans must cover what Medicare covers and most follow its unit rule; a plan's contract can say otherwise."
    ),
    source: doc!(
        "CMS Pub. 100-04 (Claims Processing Manual), Ch. 5, §20.2, in force since 2000-04-01 (total-time rule, examples 1–6); MBPM Ch. 15 §220.3 (documentation of timed minutes); billing-rules.md §1.1 and §1.2."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "method": "ama", "lines": [{"code": "97110", "minutes": 33, "modifiers": ["GP"]}, {"code": "97140", "minutes": 7, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Set the method to `cms` (Medicare total time) and bill the units it gives."),
};

/// `implausible-minutes`
pub static IMPLAUSIBLE_MINUTES: Rule = Rule {
    id: "implausible-minutes",
    title: "More minutes than a day of therapy holds",
    severity: Severity::Warning,
    summary: "A line over 8 hours, or a visit over 12 hours",
    checks: doc!(
        "A line whose `minutes` exceed 480 (8 hours), or, when no single line does, a visit whose lines add up to more than 720 minutes (12 hours). The units are still counted from the minutes as entered."
    ),
    why: doc!(
        "Most such entries are typing slips (300 for 30, minutes entered as units or seconds), and the units they earn would be billed. The bounds are ptbill's choice, set above the longest real therapy day so that a real visit never trips them: the longest single services are work hardening and conditioning (97545 for the first 2 hours, +97546 for each added hour), programmes built to rehearse a working day, so at most about 8 hours; and no plan of care holds more than 12 hours of one discipline's care for one patient in one day (even Medicare's intensive inpatient rehabilitation standard is about 3 hours a day of all therapies together, the \"3-hour rule\" of 42 CFR 412.622(a)(3)(ii)). These are ptbill's judgement, not a published limit."
    ),
    source: doc!(
        "ptbill's own bounds (set 2026-12-01), reasoned as under Why, not a CMS limit; the work-hardening codes as in ptbill's catalog `data/codes.csv` (97545 first 2 hours, +97546 each added hour; the add-on pair confirmed by CMS's I/OCE add-on edits, ncci README); CMS Pub. 100-04, Ch. 5, §20.2 (units from minutes, since 2000)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 600, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!(
        "Check the minutes: enter the one-on-one minutes of the service, not seconds, units or a total for several visits."
    ),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[&PAYER_METHOD, &IMPLAUSIBLE_MINUTES];

/// "97110 × 2, 97140 × 1": the billable codes that earn units, once each.
pub fn units_by_code(ctx: &Ctx<'_>, a: &Allocation) -> String {
    let parts: Vec<String> = ctx
        .visit
        .lines
        .iter()
        .zip(&a.line_units)
        .filter(|(_, u)| **u > 0)
        .map(|(l, u)| format!("{} × {u}", l.code))
        .collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        crate::prose::join(&parts, ", ")
    }
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let visit = ctx.visit;
    if visit.method == Method::Ama && matches!(visit.payer, Payer::Medicare | Payer::MedicareAdvantage) {
        let total = |a: &Allocation| a.line_units.iter().sum::<u64>();
        let (cms, ama) = (total(ctx.alt), total(ctx.alloc));
        let who = if visit.payer == Payer::Medicare {
            "Medicare counts"
        } else {
            "Medicare, and most Medicare Advantage plans, count"
        };
        let compare = if cms == ama {
            format!("the same {} as the per-code rule gives here", n_units(cms))
        } else {
            format!("{}, where the per-code rule gives {ama}", n_units(cms))
        };
        ctx.emit(
            &PAYER_METHOD,
            Severity::Warning,
            None,
            format!(
                "{who} timed units by the visit's total timed minutes, not code by code. By total time this visit earns {compare}: {}.",
                units_by_code(ctx, ctx.alt)
            ),
            "Set the method to Medicare total time (cms) and bill the units it gives.",
        );
    }
    let mut any_line = false;
    for (i, line) in visit.lines.iter().enumerate() {
        let m = u64::from(line.minutes.unwrap_or(0));
        if m > LINE_MAX_MINUTES {
            any_line = true;
            ctx.emit(
                &IMPLAUSIBLE_MINUTES,
                Severity::Warning,
                Some(i),
                format!(
                    "{} has {} ({}): more than one service can take in a day of therapy (ptbill flags a line over 8 hours).",
                    line.code,
                    n_minutes(m),
                    hours(m)
                ),
                "Check the minutes for a typing slip (300 for 30?), or minutes entered as seconds or units.",
            );
        }
    }
    let all: u64 = visit.lines.iter().map(|l| u64::from(l.minutes.unwrap_or(0))).sum();
    if !any_line && all > VISIT_MAX_MINUTES {
        ctx.emit(
            &IMPLAUSIBLE_MINUTES,
            Severity::Warning,
            None,
            format!(
                "The lines add up to {} ({}): more than a day of therapy holds for one patient (ptbill flags a visit over 12 hours).",
                n_minutes(all),
                hours(all)
            ),
            "Check each line's minutes: one visit is one day's care under one plan of care.",
        );
    }
}

/// "10 hours", "8 hours 20 minutes".
fn hours(m: u64) -> String {
    let (h, rest) = (m / 60, m % 60);
    let hours = crate::units::plural(h, "hour", "hours");
    if rest == 0 {
        hours
    } else {
        format!("{hours} {}", n_minutes(rest))
    }
}
