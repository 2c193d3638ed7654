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
use crate::report::ReportLine;
use crate::visit::Visit;

fn unit_of(code: &str) -> Unit {
    lookup(code).map_or(Unit::Service, |c| c.unit)
}

/// Writes the statement from the visit and its report lines.
pub fn statement(visit: &Visit, lines: &[ReportLine], timed_minutes: u64, total_minutes: u64) -> String {
    let mut out = format!("Date of service: {}. ", visit.date_of_service);
    out.push_str(&format!("Total timed code treatment minutes: {timed_minutes}. "));
    let mut own_minutes = 0;
    let mut own_codes: Vec<&str> = Vec::new();
    let mut monitoring: Vec<String> = Vec::new();
    for (l, _) in visit.lines.iter().zip(lines).filter(|(_, r)| r.billable) {
        let m = u64::from(l.minutes.unwrap_or(0));
        match unit_of(&l.code) {
            u if u.own_time() => {
                own_minutes += m;
                if !own_codes.contains(&l.code.as_str()) {
                    own_codes.push(&l.code);
                }
            }
            Unit::Period(p) if m > 0 => monitoring.push(format!("{} ({m} min, {})", l.code, p.words())),
            _ => {}
        }
    }
    let untimed = total_minutes.saturating_sub(timed_minutes + own_minutes);
    let unrecorded: Vec<&str> = visit
        .lines
        .iter()
        .zip(lines)
        .filter(|(l, r)| r.billable && !r.timed && l.minutes.is_none() && !matches!(unit_of(&l.code), Unit::Period(_)))
        .map(|(l, _)| l.code.as_str())
        .collect();
    if unrecorded.is_empty() {
        out.push_str(&format!("Total treatment time: {total_minutes} minutes"));
    } else {
        out.push_str(&format!(
            "Total treatment time: at least {total_minutes} minutes (no minutes recorded for {})",
            unrecorded.join(", ")
        ));
    }
    if own_minutes > 0 {
        let mut parts = vec![
            format!("{timed_minutes} in 15-minute codes"),
            format!(
                "{own_minutes} in {}, timed in their own blocks",
                own_codes.join(" and ")
            ),
        ];
        if untimed > 0 {
            parts.push(format!("{untimed} untimed"));
        }
        out.push_str(&format!(" ({})", parts.join(" + ")));
    } else if untimed > 0 {
        out.push_str(&format!(" ({timed_minutes} timed + {untimed} untimed)"));
    }
    out.push_str(". ");
    if !monitoring.is_empty() {
        out.push_str(&format!(
            "Remote therapeutic monitoring, billed per period and not part of the treatment time: {}. ",
            monitoring.join("; ")
        ));
    }
    let mut billed = Vec::new();
    let mut unbilled = Vec::new();
    let mut not_billed = Vec::new();
    for (line, r) in visit.lines.iter().zip(lines) {
        let mins = line.minutes.map(|m| format!(", {m} min")).unwrap_or_default();
        if let Some(why) = &r.not_billed_reason {
            not_billed.push(format!("{}{mins} — {why}", r.code));
            continue;
        }
        if r.units == 0 {
            // A later line of a pooled code has its units on the first line.
            if !(r.timed
                && visit
                    .lines
                    .iter()
                    .zip(lines)
                    .any(|(l2, r2)| l2.code == line.code && r2.units > 0))
            {
                unbilled.push(format!("{}{mins}", r.code));
            }
            continue;
        }
        match &r.split {
            Some(parts) => {
                for p in parts {
                    billed.push(format!("{} × {} ({})", r.code, p.units, p.modifiers.join(", ")));
                }
            }
            None if r.modifiers.is_empty() => billed.push(format!("{} × {}", r.code, r.units)),
            None => billed.push(format!("{} × {} ({})", r.code, r.units, r.modifiers.join(", "))),
        }
    }
    if billed.is_empty() {
        out.push_str("Billed: nothing.");
    } else {
        out.push_str(&format!("Billed: {}.", billed.join("; ")));
    }
    if !unbilled.is_empty() {
        out.push_str(&format!(" Performed, no unit billed: {}.", unbilled.join("; ")));
    }
    if !not_billed.is_empty() {
        out.push_str(&format!(" Not billed: {}.", not_billed.join("; ")));
    }
    out
}
