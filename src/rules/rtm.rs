//! Remote therapeutic monitoring (RTM) treatment management: the minutes a
//! calendar month needs before its code may be billed. RTM is billed per
//! period, never in 15-minute units (its minutes are in neither the timed nor
//! the treatment-time total: see `documentation`); what the line's minutes
//! must reach is this family's one check.

use super::{Ctx, Rule};
use crate::date::Date;
use crate::report::Severity;
use crate::units::n_minutes;

/// `rtm-minutes-below-minimum`
pub static RTM_MINIMUM: Rule = Rule {
    id: "rtm-minutes-below-minimum",
    title: "Too few monitoring minutes for the code",
    severity: Severity::Warning,
    summary: "An RTM treatment-management line has fewer minutes than its code needs in the calendar month",
    checks: doc!(
        "A line of remote therapeutic monitoring treatment management with minutes entered, taken as the calendar month's management time for that code: 98980 needs at least 20 minutes (from 2022-01-01), +98981 20 minutes for each unit (each further 20 minutes, from 2022-01-01), 98979 at least 10 minutes (from 2026-01-01; it covers 10 to 19). Below that the message says which code, if any, the minutes fit on the date of service (98979 for 10 to 19 minutes from 2026-01-01; before 2026 nothing under 20 minutes can be billed). Quiet for lines without minutes, and for the device-supply codes (98975–98978, 98984–98986), which count days of data, not minutes."
    ),
    why: doc!(
        "These codes pay for a month's management time; a line under its minimum is billed for time that was not furnished, and the payer may deny or recoup it. The device codes and treatment management run on different clocks (30 days of data versus the calendar month), so the minutes of a visit day are not what is billed."
    ),
    source: doc!(
        "CPT descriptors of 98980/+98981 (20 minutes in a calendar month, each additional 20 minutes) as adopted in the CY 2022 Medicare Physician Fee Schedule final rule (in force 2022-01-01), and of 98979 (10 to 19 minutes, new in CPT 2026) in the CY 2026 final rule (in force 2026-01-01), as summarised by MedBridge, \"CPT Code 98979: What It Means and How to Use It\" (2025-11-13), and Nixon Law Group (2025-07-18); validity dates from the CMS I/OCE HCPCS table (hcpcs README); ptbill's catalog `data/codes.csv`."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-31", "lines": [{"code": "98980", "minutes": 15, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!(
        "Bill the code the month's management minutes reach (98979 for 10 to 19 minutes from 2026, 98980 from 20, +98981 for each further 20), or enter the month's total if the line holds only part of it."
    ),
};

/// Code, minutes needed in the month (per unit), first day the minimum applies.
const MINIMUM: &[(&str, u32, Date)] = &[
    ("98979", 10, day(2026, 1, 1)),
    ("98980", 20, day(2022, 1, 1)),
    ("98981", 20, day(2022, 1, 1)),
];

/// The day 98979 (10 to 19 minutes) became valid.
const TEN_MINUTE_CODE_FROM: Date = day(2026, 1, 1);

const fn day(y: u16, m: u8, d: u8) -> Date {
    match Date::new(y, m, d) {
        Some(d) => d,
        None => Date::MIN,
    }
}

/// This family's rules.
pub static RULES: &[&Rule] = &[&RTM_MINIMUM];

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let dos = ctx.visit.date_of_service;
    let mut found = Vec::new();
    for (i, line) in ctx.visit.lines.iter().enumerate() {
        let (Some(mins), true) = (line.minutes, ctx.billable[i]) else {
            continue;
        };
        let Some(&(code, need, from)) = MINIMUM.iter().find(|(c, _, _)| *c == line.code) else {
            continue;
        };
        let units = line.units.unwrap_or(1).max(1);
        let needed = need.saturating_mul(units);
        if dos < from || mins >= needed {
            continue;
        }
        let per = if code == "98981" {
            format!(
                "20 minutes for each unit ({} for {units})",
                n_minutes(u64::from(needed))
            )
        } else {
            format!("at least {}", n_minutes(u64::from(need)))
        };
        let fits = match code {
            "98980" if mins >= 10 && dos >= TEN_MINUTE_CODE_FROM => {
                " They fit 98979 (10 to 19 minutes a month).".to_string()
            }
            "98980" | "98979" if dos >= TEN_MINUTE_CODE_FROM => {
                " Under 10 minutes a month, no treatment-management code can be billed.".to_string()
            }
            "98980" => format!(
                " Before {TEN_MINUTE_CODE_FROM} (when 98979 began), no treatment-management code can be billed for under 20 minutes a month."
            ),
            _ => " 98980 covers the first 20 minutes; +98981 only each full further 20.".to_string(),
        };
        found.push((
            i,
            format!(
                "{code} needs {per} of treatment management in the calendar month, but this line has {}.{fits}",
                n_minutes(u64::from(mins))
            ),
        ));
    }
    for (i, msg) in found {
        ctx.emit(
            &RTM_MINIMUM,
            Severity::Warning,
            Some(i),
            msg,
            "Bill the code the month's minutes reach, or enter the month's total management minutes.",
        );
    }
}
