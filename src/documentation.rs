//! The statement a Medicare treatment note needs (MBPM Ch. 15 §220.3): total
//! timed-code treatment minutes, total treatment time, and what was billed.
//! Lines that earn nothing on this claim (an invalid, unknown or out-of-date
//! code, or one this provider cannot bill this payer) are not under "Billed:"
//! and their minutes are in neither total: they are named under "Not billed:"
//! with the reason.

use crate::prose::{from_fn, joined};
use crate::report::ReportLine;
use crate::visit::Visit;
use std::fmt::Write as _;

/// Writes the statement from the visit and its report lines.
pub fn statement(visit: &Visit, lines: &[ReportLine], timed_minutes: u64, total_minutes: u64) -> String {
    let mut out = String::with_capacity(256);
    let _ = write!(
        out,
        "Date of service: {}. Total timed code treatment minutes: {timed_minutes}. ",
        visit.date_of_service
    );
    let untimed = total_minutes - timed_minutes;
    let unrecorded = || {
        visit
            .lines
            .iter()
            .zip(lines)
            .filter(|(l, r)| r.billable && !r.timed && l.minutes.is_none())
            .map(|(l, _)| l.code.as_str())
    };
    if unrecorded().next().is_none() {
        let _ = write!(out, "Total treatment time: {total_minutes} minutes");
    } else {
        let _ = write!(
            out,
            "Total treatment time: at least {total_minutes} minutes (no minutes recorded for {})",
            joined(", ", unrecorded())
        );
    }
    if untimed > 0 {
        let _ = write!(out, " ({timed_minutes} timed + {untimed} untimed)");
    }
    out.push_str(". ");
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
        let items = billed.iter().map(|&(r, part)| {
            from_fn(move |f| match part {
                Some(p) => write!(f, "{} × {} ({})", r.code, p.units, joined(", ", &p.modifiers)),
                None if r.modifiers.is_empty() => write!(f, "{} × {}", r.code, r.units),
                None => write!(f, "{} × {} ({})", r.code, r.units, joined(", ", &r.modifiers)),
            })
        });
        let _ = write!(out, "Billed: {}.", joined("; ", items));
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
