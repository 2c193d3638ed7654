//! Line rules: minutes and units as entered, against what the time rule allows.

use super::{Ctx, Rule};
use crate::codes::Unit;
use crate::message::{Arg, Message};
use crate::report::Severity;
use crate::units::{n_minutes, n_units, word};
use crate::visit::Method;

/// `missing-minutes`
pub static MISSING_MINUTES: Rule = Rule {
    id: "missing-minutes",
    title: "Timed code without minutes",
    severity: Severity::Warning,
    summary: "A timed code without minutes",
    checks: doc!("A code billed in 15-minute units has no `minutes`. It is counted as 0 minutes, so it earns no unit."),
    why: doc!(
        "Timed units come from minutes; without them the units cannot be justified, and Medicare requires the total timed minutes in the note."
    ),
    source: doc!(
        "CMS Pub. 100-04, Ch. 5, §20.2 (units from minutes, in force since 2000); MBPM Ch. 15 §220.3 (timed minutes documented)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "units": 2, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Enter the one-on-one minutes of the service."),
};

/// `untimed-minutes`
pub static UNTIMED_MINUTES: Rule = Rule {
    id: "untimed-minutes",
    title: "Minutes on an untimed code",
    severity: Severity::Info,
    summary: "Minutes on an untimed code",
    checks: doc!(
        "An untimed (service-based) code has minutes. They are added to total treatment time but not to the timed minutes that decide timed units. A per-period code (remote therapeutic monitoring, 98975–98986) with minutes gets its own wording: it is billed per period (30 days or a calendar month), never in 15-minute units, and its minutes are in neither the timed minutes nor the visit's total treatment time (the documentation statement names them apart; as of 2026-12-01). Whether a treatment-management line's minutes reach its code's monthly minimum is `rtm-minutes-below-minimum`. Codes counted by their own time blocks (97550/+97551, 97545/+97546) are not untimed and never draw this note."
    ),
    why: doc!(
        "A common mistake is to pool evaluation or supervised-modality minutes with timed minutes, which inflates timed units."
    ),
    source: doc!(
        "CMS Pub. 100-04, Ch. 5, §20.2 (only timed-code minutes are totalled, since 2000); AOTA on timed codes; billing-rules.md §1.1.9 and case D10; RTM periods from the CY 2022 and CY 2026 Medicare PFS final rules (98975–98981 from 2022-01-01, 98978 from 2023-01-01, 98979 and 98984–98986 from 2026-01-01, dates as in the CMS I/OCE)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97161", "minutes": 35, "modifiers": ["GP"]}, {"code": "97110", "minutes": 7, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Nothing to fix: the minutes are kept for total treatment time."),
};

/// `below-eight-minutes`
pub static BELOW_EIGHT: Rule = Rule {
    id: "below-eight-minutes",
    title: "Timed service under 8 minutes",
    severity: Severity::Info,
    summary: "A timed service under 8 minutes",
    checks: doc!(
        "A timed code has fewer than 8 minutes. Under the per-code method it earns no unit. Under Medicare's total-time method it can still earn a unit when the visit's total allows one more and its leftover minutes are the largest (CMS example 3); the message says which happened."
    ),
    why: doc!(
        "Billers often drop short services, or bill them alone; the total-time rule decides, not the 8 minutes of one code."
    ),
    source: doc!(
        "CMS Pub. 100-04, Ch. 5, §20.2, examples 3 and 4 (in force since 2000); CPT midpoint rule for the per-code method."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 33, "modifiers": ["GP"]}, {"code": "97140", "minutes": 7, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Nothing to fix; bill the units shown."),
};

/// `units-mismatch`
pub static UNITS_MISMATCH: Rule = Rule {
    id: "units-mismatch",
    title: "Units differ from what the minutes earn",
    severity: Severity::Error,
    summary: "Claimed units differ from the computed units",
    checks: doc!(
        "For a timed code, the units entered (added over the code's lines) are compared with the units its minutes earn under the visit's method; for a code counted by its own time blocks (97550/+97551, 97545/+97546), with the blocks its family's minutes earn by the CPT time rule. More than earned is an error; fewer is a warning (units left unbilled)."
    ),
    why: doc!("Billing more units than the minutes support is overbilling; fewer leaves earned payment behind."),
    source: doc!("CMS Pub. 100-04, Ch. 5, §20.2 (Medicare); CPT time rule (per-code method)."),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 20, "units": 2, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Bill the computed units, or correct the minutes if they were entered wrong."),
};

/// `split-timed-code`
pub static SPLIT_TIMED: Rule = Rule {
    id: "split-timed-code",
    title: "Same timed code on two lines",
    severity: Severity::Warning,
    summary: "The same timed code on more than one line",
    checks: doc!(
        "A timed code appears on two or more lines. ptbill pools the minutes and reports the units on the first line."
    ),
    why: doc!(
        "Timed units are counted on the code's total minutes, and some contractors reject split lines: First Coast (JN) returns claims whose timed codes are not on one line per date of service (claims received from 2021-04-19)."
    ),
    source: doc!(
        "CMS Pub. 100-04, Ch. 5, §20.2; First Coast Service Options, \"Counting units for therapy services\" (2021-04-19); billing-rules.md §1.1.10."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 10, "modifiers": ["GP"]}, {"code": "97110", "minutes": 15, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Report the code once, with its total units."),
};

/// `add-on-without-primary`
pub static ADDON: Rule = Rule {
    id: "add-on-without-primary",
    title: "Add-on code without its main code",
    severity: Severity::Error,
    summary: "An add-on code without its primary code",
    checks: doc!(
        "An add-on code (97130, 97811, 97814, 97546, 97551, 97598, 98981, …) is on the visit but none of its primary codes is. The primary codes come from the NCCI add-on code edits as CMS's I/OCE applies them (types 1–3), dated, in `data/ncci-aoc.csv`: only the edits in force on the date of service count (for example 97551 needs 97550 from 2024-01-01, 97130 needs 97129 from 2020-01-01, 98981 needs 98980 from 2022-01-01). For a code without such an edit on the date, the catalog's `addon_of` column is the fallback. The message says since when the edit holds (its first day in the table; for an edit older than the table's data, the table's date), and the report's `data.ncci_aoc` names the table's date. `tools/update-data` rebuilds the table from CMS's own add-on code edit file (AOC_V…-MCR, with CMS's effective dates) or from the I/OCE data."
    ),
    why: doc!(
        "Add-on codes describe additional time or work and are paid only with their primary code on the same day."
    ),
    source: doc!(
        "CMS NCCI add-on code edits as applied by the CMS I/OCE, versions of 2019-07-01 to 2026-04-01 (`data/ncci-aoc.csv`; ncci README); CPT add-on code convention; FCSO and Novitas (MACs) on add-on codes and modifier 76; billing-rules.md §7.4."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97130", "minutes": 15, "modifiers": ["GP"]}], "diagnoses": ["R41.840"]}"#
    ),
    fix: doc!("Bill the primary code for the first increment, and the add-on for the rest."),
};

/// `add-on-line-needed`
pub static ADDON_LINE: Rule = Rule {
    id: "add-on-line-needed",
    title: "Time past the first block needs its add-on code",
    severity: Severity::Warning,
    summary: "A first-block code's minutes earn add-on units, but the add-on code is not on the visit",
    checks: doc!(
        "A code that covers only the first block of a service (97129 the first 15 minutes, 97550 the first 30, 97545 the first 2 hours) has more minutes than that block, and they earn units of its add-on code (+97130, +97551, +97546), which is not on the visit. ptbill gives the first code its one unit, counts the add-on units in the visit's total, and names the line to add. 97129 and +97130 are 15-minute codes: their minutes join the 8-minute rule's total. The longer blocks follow the CPT time rule (a block is earned once its midpoint is passed)."
    ),
    why: doc!(
        "The first-block code is reported once a day; billing it with more units is denied (its Medicare MUE is 1), and leaving the add-on off leaves earned time unbilled."
    ),
    source: doc!(
        "CPT code structure (initial block with an each-additional add-on); CPT time rule, quoted by Premera \"Billing for Time\" (2019-11-07); CMS Pub. 100-04, Ch. 5, §20.2 (the 8-minute rule for 15-minute codes, since 2000); CMS MUE table 2024-07-01 (97129, 97545, 97550: 1 a day); NCCI add-on edits in the CMS I/OCE (97130 with 97129 from 2020-01-01, 97551 with 97550 from 2024-01-01)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97129", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["R41.840"]}"#
    ),
    fix: doc!("Add a line for the add-on code with the units named, and bill the first code once."),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[
    &ADDON_LINE,
    &MISSING_MINUTES,
    &UNTIMED_MINUTES,
    &BELOW_EIGHT,
    &UNITS_MISMATCH,
    &SPLIT_TIMED,
    &ADDON,
];

/// When the NCCI add-on edits in force on `dos` for `code` began, in words: the
/// earliest first day among them, or the table's date when the data do not say.
fn addon_since(code: &str, dos: crate::date::Date) -> String {
    let live = crate::ncci_table::addons().iter().filter(|a| {
        a.addon == code
            && !a.primary.is_empty()
            && a.first_day.is_none_or(|f| dos >= f)
            && a.last_day.is_none_or(|t| dos <= t)
    });
    let mut starts = live.map(|a| a.first_day);
    match starts.clone().flatten().min() {
        Some(first) if starts.all(|s| s.is_some()) => format!(" (NCCI add-on code edit in force from {first})"),
        _ => format!(
            " (NCCI add-on code edit, CMS table of {})",
            crate::ncci_table::addon_date()
        ),
    }
}

/// A finding: rule, severity, line, message, help.
/// Messages are templates (rendered only when shown: see [`crate::message`]).
type Finding = (&'static Rule, Severity, Option<usize>, Message, Message);

/// Records a finding.
fn put(ctx: &mut Ctx<'_>, (rule, severity, line, message, help): Finding) {
    ctx.emit(rule, severity, line, message, help);
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    ctx.used("ncci_aoc", crate::ncci_table::addon_date());
    // Borrowed from the visit and the allocation, not from `ctx`, so that
    // findings go straight into `ctx` as they are found.
    let (visit, alloc) = (ctx.visit, ctx.alloc);
    let lines = &visit.lines;
    for (i, line) in lines.iter().enumerate() {
        let Some(info) = ctx.info[i].filter(|_| ctx.billable[i]) else {
            continue;
        };
        if info.timed && line.minutes.is_none() {
            put(
                ctx,
                (
                    &MISSING_MINUTES,
                    Severity::Warning,
                    Some(i),
                    msg!(
                        "{code} is billed by time in 15-minute units, but no minutes are entered, so it earns no unit.",
                        &line.code
                    ),
                    "Enter the one-on-one minutes of the service.".into(),
                ),
            );
        }
        let mins = u64::from(line.minutes.unwrap_or(0));
        match info.unit {
            Unit::Service if mins > 0 => put(
                ctx,
                (
                    &UNTIMED_MINUTES,
                    Severity::Info,
                    Some(i),
                    msg!(
                        "{code} is billed per service, not by time: its {mins} count toward total treatment time but earn no timed unit.",
                        &line.code,
                        Arg::Minutes(mins)
                    ),
                    "Nothing to change.".into(),
                ),
            ),
            Unit::Period(p) if mins > 0 => put(
                ctx,
                (
                    &UNTIMED_MINUTES,
                    Severity::Info,
                    Some(i),
                    msg!(
                        "{code} is a remote monitoring code, billed {words} and never in 15-minute units: its {mins} are added neither to the visit's timed minutes nor to its treatment time.",
                        &line.code,
                        p.words(),
                        Arg::Minutes(mins)
                    ),
                    "Nothing to change; keep the monitoring time in the record for the period.".into(),
                ),
            ),
            _ => {}
        }
        if info.unit.own_time()
            && !lines
                .iter()
                .any(|l| ctx_own_family(info, &l.code) && l.minutes.is_some())
        {
            put(ctx, (
                &MISSING_MINUTES,
                Severity::Warning,
                Some(i),
                format!(
                    "{} is counted by time in blocks (not 15-minute units), but no minutes are entered: it is billed as entered, and ptbill cannot check its units.",
                    line.code
                ).into(),
                "Enter the minutes of the service.".into(),
            ));
        }
        // The NCCI add-on edits in force on the date, else the catalog's list.
        let dos = ctx.visit.date_of_service;
        let edits = crate::ncci_table::addon_primaries(&line.code, dos);
        let from_table = edits.as_ref().is_some_and(|p| !p.is_empty());
        let addon_of = edits.unwrap_or_else(|| info.addon_of.clone());
        if !addon_of.is_empty() && !addon_of.iter().any(|p| lines.iter().any(|l| l.code == *p)) {
            put(
                ctx,
                (
                    &ADDON,
                    Severity::Error,
                    Some(i),
                    format!(
                        "{} is an add-on code, paid only with its main code ({}), which is not on this visit.{}",
                        line.code,
                        crate::prose::join(&addon_of, " or "),
                        if from_table {
                            addon_since(&line.code, dos)
                        } else {
                            String::new()
                        }
                    )
                    .into(),
                    format!(
                        "Bill {} for the first increment and {} for each added one.",
                        crate::prose::join(&addon_of, " or "),
                        line.code
                    )
                    .into(),
                ),
            );
        }
    }
    for e in &alloc.extra {
        let p = e.primary_line;
        let first = &lines[p].code;
        let mins = alloc.own_time.iter().find(|o| o.first == *first).map_or_else(
            || {
                ctx.alloc
                    .groups
                    .iter()
                    .find(|g| g.code == *first)
                    .map_or(0, |g| g.minutes)
            },
            |o| o.minutes,
        );
        put(ctx, (
            &ADDON_LINE,
            Severity::Warning,
            Some(p),
            format!(
                "{first} covers only the first block of the service and is billed once: its {} earn {first} × 1 + {} × {}. Add a {} line with {}.",
                n_minutes(mins),
                e.code,
                e.units,
                e.code,
                n_units(e.units)
            ).into(),
            format!("Add {} × {} to the claim, and bill {first} × 1.", e.code, e.units).into(),
        ));
    }
    for g in &alloc.groups {
        let first = g.lines[0];
        for &later in &g.lines[1..] {
            put(
                ctx,
                (
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
                ),
            );
        }
        if g.minutes < 8 && g.lines.iter().all(|&l| lines[l].minutes.is_some()) {
            let how = match (alloc.method, g.units) {
                (Method::Cms, 0) => "by Medicare total time it earns no unit, because the visit's total minutes leave no unit for it".to_string(),
                (Method::Cms, _) => "by Medicare total time it still earns 1 unit, because the visit's total minutes allow one more unit and its minutes are among the largest left over (CMS example 3)".to_string(),
                (Method::Ama, _) => "counted on its own (CPT per code) it earns no unit".to_string(),
            };
            put(
                ctx,
                (
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
                ),
            );
        }
        // Units claimed on the code's lines, when any line claims some.
        let claimed = g
            .lines
            .iter()
            .filter_map(|&l| lines[l].units)
            .fold(None, |sum: Option<u64>, u| Some(sum.unwrap_or(0) + u64::from(u)));
        let any_missing = g.lines.iter().any(|&l| lines[l].minutes.is_none());
        if let Some(claimed) = claimed
            && !any_missing
            && claimed != g.units
        {
            let more = claimed > g.units;
            put(
                ctx,
                (
                    &UNITS_MISMATCH,
                    if more { Severity::Error } else { Severity::Warning },
                    Some(first),
                    msg!(
                        "{code} is billed with {claimed}, but its {minutes} earn {units} under the {method} method.",
                        &g.code,
                        Arg::Units(claimed),
                        Arg::Minutes(g.minutes),
                        Arg::Units(g.units),
                        method_name(alloc.method)
                    ),
                    if more {
                        msg!(
                            "Bill {units}: billing more than the minutes support is overbilling.",
                            Arg::Units(g.units)
                        )
                    } else {
                        msg!(
                            "Bill {units}: otherwise {units} that the minutes earn {goes} unbilled.",
                            Arg::Units(g.units),
                            Arg::Units(g.units - claimed),
                            word(g.units - claimed, "goes", "go")
                        )
                    },
                ),
            );
        }
    }
    // Codes counted by their own time blocks: claimed units against the blocks earned.
    for o in alloc.own_time.iter().filter(|o| !o.as_claimed) {
        for (code, earned) in [(&o.first, o.first_units), (&o.addon, o.addon_units)] {
            let Some(i) = lines.iter().position(|l| l.code == *code) else {
                continue;
            };
            let Some(claimed) = lines[i].units.map(u64::from) else {
                continue;
            };
            if claimed != earned {
                let more = claimed > earned;
                put(
                    ctx,
                    (
                        &UNITS_MISMATCH,
                        if more { Severity::Error } else { Severity::Warning },
                        Some(i),
                        format!(
                            "{code} is billed with {}, but the {} of {} and {} earn {} by the CPT time rule.",
                            n_units(claimed),
                            n_minutes(o.minutes),
                            o.first,
                            o.addon,
                            n_units(earned)
                        )
                        .into(),
                        format!("Bill {code} × {earned}.").into(),
                    ),
                );
            }
        }
    }
}

/// Whether `code` belongs to the own-time family of `info` (its primary or add-on).
fn ctx_own_family(info: &crate::codes::CodeInfo, code: &str) -> bool {
    match info.unit {
        Unit::First { addon, .. } => code == info.first || code == addon,
        Unit::Each { of, .. } => code == info.first || code == of,
        _ => false,
    }
}

/// The method's name in words.
pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Cms => "Medicare total-time",
        Method::Ama => "CPT per-code",
    }
}
