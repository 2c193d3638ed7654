//! The statement a Medicare treatment note needs (MBPM Ch. 15 §220.3): total
//! timed-code treatment minutes, total treatment time, and what was billed.
//! Lines that earn nothing on this claim (an invalid, unknown or out-of-date
//! code, or one this provider cannot bill this payer) are not under "Billed:"
//! and their minutes are in neither total: they are named under "Not billed:"
//! with the reason.
//!
//! Treatment time holds three kinds of minutes, said apart when they occur:
//! 15-minute codes (the 8-minute rule's total), codes counted in their own
//! time blocks (97550 + 97551, 97545 + 97546: timed, but not in 15-minute
//! units) and untimed codes. Remote therapeutic monitoring (98975–98986) is
//! billed per period (30 days or a calendar month), not as time with the
//! patient on the day: its minutes are named apart and are in neither total.

use crate::codes::{Unit, lookup};
use crate::prose::{Put, from_fn, joined};
use crate::report::ReportLine;
use crate::visit::Visit;
use std::fmt::Write as _;

fn unit_of(code: &str) -> Unit {
    lookup(code).map_or(Unit::Service, |c| c.unit)
}

/// Writes the statement from the visit and its report lines.
pub fn statement(visit: &Visit, lines: &[ReportLine], timed_minutes: u64, total_minutes: u64) -> String {
    let mut out = String::with_capacity(512);
    let date = visit.date_of_service.iso_bytes();
    // Digits and hyphens only.
    out.put("Date of service: ")
        .put(std::str::from_utf8(&date).unwrap_or(""));
    out.put(". Total timed code treatment minutes: ")
        .num(timed_minutes)
        .put(". ");
    let mut own_minutes = 0;
    let mut own_codes: Vec<&str> = Vec::new();
    let mut monitored = false;
    for (l, _) in visit.lines.iter().zip(lines).filter(|(_, r)| r.billable) {
        let m = u64::from(l.minutes.unwrap_or(0));
        match unit_of(&l.code) {
            u if u.own_time() => {
                own_minutes += m;
                if !own_codes.contains(&l.code.as_str()) {
                    own_codes.push(&l.code);
                }
            }
            Unit::Period(_) if m > 0 => monitored = true,
            _ => {}
        }
    }
    let untimed = total_minutes.saturating_sub(timed_minutes + own_minutes);
    let unrecorded = || {
        visit
            .lines
            .iter()
            .zip(lines)
            .filter(|(l, r)| {
                r.billable && !r.timed && l.minutes.is_none() && !matches!(unit_of(&l.code), Unit::Period(_))
            })
            .map(|(l, _)| l.code.as_str())
    };
    if unrecorded().next().is_none() {
        out.put("Total treatment time: ").num(total_minutes).put(" minutes");
    } else {
        let _ = write!(
            out,
            "Total treatment time: at least {total_minutes} minutes (no minutes recorded for {})",
            joined(", ", unrecorded())
        );
    }
    if own_minutes > 0 {
        let _ = write!(
            out,
            " ({timed_minutes} in 15-minute codes + {own_minutes} in {}, timed in their own blocks",
            joined(" and ", own_codes.iter())
        );
        if untimed > 0 {
            let _ = write!(out, " + {untimed} untimed");
        }
        out.push(')');
    } else if untimed > 0 {
        out.put(" (")
            .num(timed_minutes)
            .put(" timed + ")
            .num(untimed)
            .put(" untimed)");
    }
    out.push_str(". ");
    if monitored {
        let items = visit
            .lines
            .iter()
            .zip(lines)
            .filter(|(_, r)| r.billable)
            .filter_map(|(l, _)| {
                let m = l.minutes.filter(|&m| m > 0)?;
                let Unit::Period(p) = unit_of(&l.code) else {
                    return None;
                };
                Some(from_fn(move |f| write!(f, "{} ({m} min, {})", l.code, p.words())))
            });
        let _ = write!(
            out,
            "Remote therapeutic monitoring, billed per period and not part of the treatment time: {}. ",
            joined("; ", items)
        );
    }
    let mins = |m: Option<u32>| {
        from_fn(move |f| match m {
            Some(m) => write!(f, ", {m} min"),
            None => Ok(()),
        })
    };
    let rows = || visit.lines.iter().zip(lines);
    // A later line of a pooled code has its units on the first line.
    let pooled = |code: &str| rows().any(|(l2, r2)| l2.code == code && r2.units > 0);
    // One entry per claim line: a line split for CQ/CO writes one per part.
    let billed: Vec<(&ReportLine, Option<&crate::report::Split>)> = rows()
        .filter(|(_, r)| r.not_billed_reason.is_none() && r.units > 0)
        .flat_map(|(_, r)| match &r.split {
            Some(parts) => parts.iter().map(|p| (r, Some(p))).collect::<Vec<_>>(),
            None => vec![(r, None)],
        })
        .collect();
    let unbilled =
        || rows().filter(|(l, r)| r.not_billed_reason.is_none() && r.units == 0 && !(r.timed && pooled(&l.code)));
    let not_billed = || rows().filter_map(|(l, r)| Some((l, r, r.not_billed_reason.as_deref()?)));
    if billed.is_empty() {
        out.push_str("Billed: nothing.");
    } else {
        out.put("Billed: ").list("; ", &billed, |out, &(r, part)| {
            let (units, modifiers) = match part {
                Some(p) => (p.units, &p.modifiers),
                None => (r.units, &r.modifiers),
            };
            out.put(&r.code).put(" × ").num(units);
            // A split part always names its modifiers, even none.
            if part.is_some() || !modifiers.is_empty() {
                out.put(" (").list(", ", modifiers, |out, m| {
                    out.put(m);
                });
                out.put(")");
            }
        });
        out.put(".");
    }
    if unbilled().next().is_some() {
        let items = unbilled().map(|(l, r)| from_fn(move |f| write!(f, "{}{}", r.code, mins(l.minutes))));
        let _ = write!(out, " Performed, no unit billed: {}.", joined("; ", items));
    }
    if not_billed().next().is_some() {
        let items =
            not_billed().map(|(l, r, why)| from_fn(move |f| write!(f, "{}{} — {why}", r.code, mins(l.minutes))));
        let _ = write!(out, " Not billed: {}.", joined("; ", items));
    }
    out
}
