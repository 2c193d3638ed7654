//! Line rules: minutes and units as entered, against what the time rule allows.

use super::{Ctx, Rule};
use crate::message::{Arg, Message};
use crate::report::Severity;
use crate::units::word;
use crate::visit::Method;

/// `missing-minutes`
pub static MISSING_MINUTES: Rule = Rule {
    id: "missing-minutes",
    title: "Timed code without minutes",
    severity: Severity::Warning,
    summary: "A timed code without minutes",
    checks: "A code billed in 15-minute units has no `minutes`. It is counted as 0 minutes, so it earns no unit.",
    why: "Timed units come from minutes; without them the units cannot be justified, and Medicare requires the total timed minutes in the note.",
    source: "CMS Pub. 100-04, Ch. 5, §20.2 (units from minutes, in force since 2000); MBPM Ch. 15 §220.3 (timed minutes documented).",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "units": 2, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#,
    fix: "Enter the one-on-one minutes of the service.",
};

/// `untimed-minutes`
pub static UNTIMED_MINUTES: Rule = Rule {
    id: "untimed-minutes",
    title: "Minutes on an untimed code",
    severity: Severity::Info,
    summary: "Minutes on an untimed code",
    checks: "An untimed (service-based) code has minutes. They are added to total treatment time but not to the timed minutes that decide timed units.",
    why: "A common mistake is to pool evaluation or supervised-modality minutes with timed minutes, which inflates timed units.",
    source: "CMS Pub. 100-04, Ch. 5, §20.2 (only timed-code minutes are totalled); AOTA on timed codes; billing-rules.md §1.1.9 and case D10.",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97161", "minutes": 35, "modifiers": ["GP"]}, {"code": "97110", "minutes": 7, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#,
    fix: "Nothing to fix: the minutes are kept for total treatment time.",
};

/// `below-eight-minutes`
pub static BELOW_EIGHT: Rule = Rule {
    id: "below-eight-minutes",
    title: "Timed service under 8 minutes",
    severity: Severity::Info,
    summary: "A timed service under 8 minutes",
    checks: "A timed code has fewer than 8 minutes. Under the per-code method it earns no unit. Under Medicare's total-time method it can still earn a unit when the visit's total allows one more and its leftover minutes are the largest (CMS example 3); the message says which happened.",
    why: "Billers often drop short services, or bill them alone; the total-time rule decides, not the 8 minutes of one code.",
    source: "CMS Pub. 100-04, Ch. 5, §20.2, examples 3 and 4 (in force since 2000); CPT midpoint rule for the per-code method.",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 33, "modifiers": ["GP"]}, {"code": "97140", "minutes": 7, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#,
    fix: "Nothing to fix; bill the units shown.",
};

/// `units-mismatch`
pub static UNITS_MISMATCH: Rule = Rule {
    id: "units-mismatch",
    title: "Units differ from what the minutes earn",
    severity: Severity::Error,
    summary: "Claimed units differ from the computed units",
    checks: "For a timed code, the units entered (added over the code's lines) are compared with the units its minutes earn under the visit's method. More than earned is an error; fewer is a warning (units left unbilled).",
    why: "Billing more units than the minutes support is overbilling; fewer leaves earned payment behind.",
    source: "CMS Pub. 100-04, Ch. 5, §20.2 (Medicare); CPT time rule (per-code method).",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 20, "units": 2, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#,
    fix: "Bill the computed units, or correct the minutes if they were entered wrong.",
};

/// `split-timed-code`
pub static SPLIT_TIMED: Rule = Rule {
    id: "split-timed-code",
    title: "Same timed code on two lines",
    severity: Severity::Warning,
    summary: "The same timed code on more than one line",
    checks: "A timed code appears on two or more lines. ptbill pools the minutes and reports the units on the first line.",
    why: "Timed units are counted on the code's total minutes, and some contractors reject split lines: First Coast (JN) returns claims whose timed codes are not on one line per date of service (claims received from 2021-04-19).",
    source: "CMS Pub. 100-04, Ch. 5, §20.2; First Coast Service Options, \"Counting units for therapy services\" (2021-04-19); billing-rules.md §1.1.10.",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 10, "modifiers": ["GP"]}, {"code": "97110", "minutes": 15, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#,
    fix: "Report the code once, with its total units.",
};

/// `add-on-without-primary`
pub static ADDON: Rule = Rule {
    id: "add-on-without-primary",
    title: "Add-on code without its main code",
    severity: Severity::Error,
    summary: "An add-on code without its primary code",
    checks: "An add-on code (97130, 97811, 97814, 97546, 97551, 97598) is on the visit but none of its primary codes is.",
    why: "Add-on codes describe additional time or work and are paid only with their primary code on the same day.",
    source: "CPT add-on code convention; FCSO and Novitas (MACs) on add-on codes and modifier 76; billing-rules.md §7.4.",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97130", "minutes": 15, "modifiers": ["GP"]}], "diagnoses": ["R41.840"]}"#,
    fix: "Bill the primary code for the first increment, and the add-on for the rest.",
};

/// This family's rules.
pub static RULES: &[&Rule] = &[
    &MISSING_MINUTES,
    &UNTIMED_MINUTES,
    &BELOW_EIGHT,
    &UNITS_MISMATCH,
    &SPLIT_TIMED,
    &ADDON,
];

/// A finding waiting to be emitted: rule, severity, line, message, help.
type Finding = (&'static Rule, Severity, Option<usize>, Message, Message);

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let lines = &ctx.visit.lines;
    let mut out: Vec<Finding> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(info) = ctx.info[i].filter(|_| ctx.billable[i]) else {
            continue;
        };
        if info.timed && line.minutes.is_none() {
            out.push((
                &MISSING_MINUTES,
                Severity::Warning,
                Some(i),
                format!(
                    "{} is billed by time in 15-minute units, but no minutes are entered, so it earns no unit.",
                    line.code
                )
                .into(),
                "Enter the one-on-one minutes of the service.".into(),
            ));
        }
        if !info.timed && line.minutes.is_some_and(|m| m > 0) {
            out.push((
                &UNTIMED_MINUTES,
                Severity::Info,
                Some(i),
                msg!(
                    "{code} is billed per service, not by time: its {minutes} count toward total treatment time but earn no timed unit.",
                    &line.code,
                    Arg::Minutes(u64::from(line.minutes.unwrap_or(0)))
                ),
                "Nothing to change.".into(),
            ));
        }
        // The NCCI add-on edits in force on the date, else the catalog's list.
        let addon_of = crate::ncci_table::addon_primaries(&line.code, ctx.visit.date_of_service)
            .unwrap_or_else(|| info.addon_of.clone());
        if !addon_of.is_empty() && !addon_of.iter().any(|p| lines.iter().any(|l| l.code == *p)) {
            out.push((
                &ADDON,
                Severity::Error,
                Some(i),
                format!(
                    "{} is an add-on code, paid only with its main code ({}), which is not on this visit.",
                    line.code,
                    addon_of.join(" or ")
                )
                .into(),
                format!(
                    "Bill {} for the first increment and {} for each added one.",
                    addon_of.join(" or "),
                    line.code
                )
                .into(),
            ));
        }
    }
    for g in &ctx.alloc.groups {
        let first = g.lines[0];
        for &later in &g.lines[1..] {
            out.push((
                &SPLIT_TIMED,
                Severity::Warning,
                Some(later),
                msg!(
                    "{code} is also on line {first}: its minutes are added together ({minutes} in all) and its {units} {is} reported on line {first}.",
                    &g.code,
                    first + 1,
                    Arg::Minutes(g.minutes),
                    Arg::Units(g.units),
                    word(g.units, "is", "are"),
                    first + 1
                ),
                "Report a timed code once per day, with its total units.".into(),
            ));
        }
        if g.minutes < 8 && g.lines.iter().all(|&l| lines[l].minutes.is_some()) {
            let how = match (ctx.alloc.method, g.units) {
                (Method::Cms, 0) => {
                    "by Medicare total time it earns no unit, because the visit's total minutes leave no unit for it"
                }
                (Method::Cms, _) => {
                    "by Medicare total time it still earns 1 unit, because the visit's total minutes allow one more unit and its minutes are among the largest left over (CMS example 3)"
                }
                (Method::Ama, _) => "counted on its own (CPT per code) it earns no unit",
            };
            out.push((
                &BELOW_EIGHT,
                Severity::Info,
                Some(first),
                msg!(
                    "{code} has {minutes}, under 8: {how}.",
                    &g.code,
                    Arg::Minutes(g.minutes),
                    how
                ),
                "Nothing to change; bill the units shown.".into(),
            ));
        }
        let claimed: Vec<u32> = g.lines.iter().filter_map(|&l| lines[l].units).collect();
        let any_missing = g.lines.iter().any(|&l| lines[l].minutes.is_none());
        if !claimed.is_empty() && !any_missing {
            let claimed: u64 = claimed.iter().map(|&u| u64::from(u)).sum();
            if claimed != g.units {
                let more = claimed > g.units;
                out.push((
                    &UNITS_MISMATCH,
                    if more { Severity::Error } else { Severity::Warning },
                    Some(first),
                    msg!(
                        "{code} is billed with {claimed}, but its {minutes} earn {units} under the {method} method.",
                        &g.code,
                        Arg::Units(claimed),
                        Arg::Minutes(g.minutes),
                        Arg::Units(g.units),
                        method_name(ctx.alloc.method)
                    ),
                    if more {
                        msg!(
                            "Bill {units}: billing more than the minutes support is overbilling.",
                            Arg::Units(g.units)
                        )
                    } else {
                        msg!(
                            "Bill {units}: otherwise {g.units - claimed} that the minutes earn {goes} unbilled.",
                            Arg::Units(g.units),
                            Arg::Units(g.units - claimed),
                            word(g.units - claimed, "goes", "go")
                        )
                    },
                ));
            }
        }
    }
    for (rule, sev, line, msg, help) in out {
        ctx.emit(rule, sev, line, msg, help);
    }
}

/// The method's name in words.
pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Cms => "Medicare total-time",
        Method::Ama => "CPT per-code",
    }
}
