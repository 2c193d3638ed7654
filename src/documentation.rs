//! The statement a Medicare treatment note needs (MBPM Ch. 15 §220.3): total
//! timed-code treatment minutes, total treatment time, and what was billed.
//! Lines that earn nothing on this claim (an invalid, unknown or out-of-date
//! code, or one this provider cannot bill this payer) are not under "Billed:"
//! and their minutes are in neither total: they are named under "Not billed:"
//! with the reason.

use crate::report::ReportLine;
use crate::visit::Visit;

/// Writes the statement from the visit and its report lines.
pub fn statement(visit: &Visit, lines: &[ReportLine], timed_minutes: u64, total_minutes: u64) -> String {
    let mut out = format!("Date of service: {}. ", visit.date_of_service);
    out.push_str(&format!("Total timed code treatment minutes: {timed_minutes}. "));
    let untimed = total_minutes - timed_minutes;
    let unrecorded: Vec<&str> = visit
        .lines
        .iter()
        .zip(lines)
        .filter(|(l, r)| r.billable && !r.timed && l.minutes.is_none())
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
    if untimed > 0 {
        out.push_str(&format!(" ({timed_minutes} timed + {untimed} untimed)"));
    }
    out.push_str(". ");
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
