//! Minutes to units, by both methods.
//!
//! - **cms** — Medicare's total-time rule, CMS Pub. 100-04 (Claims Processing
//!   Manual) Ch. 5 §20.2 C, in force since April 2000: the minutes of all timed
//!   codes are added, the total is converted by the unit chart, then each code
//!   gets its full 15-minute blocks and the remaining units go to the largest
//!   leftover minutes. Ties: CMS says either code is correct (§20.2 example 2);
//!   ptbill gives the unit to the code entered first and says so.
//! - **ama** — CPT's per-code rule: each code converts its own minutes; a unit is
//!   earned once its midpoint (8 of 15 minutes) is passed.
//!
//! Both use the same chart: `units(T) = 0 if T < 8, else (T + 7) / 15`.
//! All arithmetic is in `u64`, so no sum of `u32` minutes can overflow.

use crate::visit::Method;

/// The unit chart (§20.2): 8–22 minutes = 1, 23–37 = 2, … and so on past 2 hours.
pub const fn chart(minutes: u64) -> u64 {
    if minutes < 8 { 0 } else { (minutes + 7) / 15 }
}

/// The chart row that gives `units`, in words ("38–52 minutes").
pub fn chart_row(units: u64) -> String {
    if units == 0 {
        "fewer than 8 minutes".to_string()
    } else {
        format!(
            "{}–{} minutes",
            units.saturating_mul(15).saturating_sub(7),
            units.saturating_mul(15).saturating_add(7)
        )
    }
}

/// What the unit counter needs to know about one input line.
#[derive(Clone, Debug)]
pub struct LineInput<'a> {
    /// The code as normalised.
    pub code: &'a str,
    /// Whether the code is counted in 15-minute units.
    pub timed: bool,
    /// Whether the line earns anything: a line that does not gets 0 units and
    /// its minutes count toward no unit.
    pub billable: bool,
    /// Minutes given (0 when absent).
    pub minutes: u32,
    /// Units claimed, if any (used for untimed codes).
    pub claimed: Option<u32>,
}

/// A timed code's minutes pooled over its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeGroup {
    /// The code.
    pub code: String,
    /// Indexes of its lines, in input order.
    pub lines: Vec<usize>,
    /// Total minutes.
    pub minutes: u64,
    /// Full 15-minute blocks (cms) — 0 under ama.
    pub full_units: u64,
    /// Minutes left after the full blocks (cms).
    pub leftover: u64,
    /// Units the code earns under the method.
    pub units: u64,
}

/// A tie in the cms allocation: codes with equal leftover minutes competing for
/// fewer remaining units than there are codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    /// Leftover minutes each tied code has.
    pub leftover: u64,
    /// Tied codes that got a unit (entered first).
    pub winners: Vec<String>,
    /// Tied codes that did not.
    pub losers: Vec<String>,
}

/// The units of one visit under one method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    /// Which method.
    pub method: Method,
    /// Sum of timed minutes.
    pub timed_minutes: u64,
    /// Sum of timed units.
    pub timed_units: u64,
    /// Units per input line, in input order.
    pub line_units: Vec<u64>,
    /// Timed codes in order of first appearance.
    pub groups: Vec<CodeGroup>,
    /// Units left after full blocks (cms only).
    pub remaining: u64,
    /// The tie, if the last remaining unit(s) had to choose between equals.
    pub tie: Option<Tie>,
}

/// Counts units for a visit's lines under `method`.
pub fn allocate(lines: &[LineInput<'_>], method: Method) -> Allocation {
    let mut groups: Vec<CodeGroup> = Vec::new();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.timed && l.billable) {
        match groups.iter_mut().find(|g| g.code == line.code) {
            Some(g) => {
                g.lines.push(i);
                g.minutes += u64::from(line.minutes);
            }
            None => groups.push(CodeGroup {
                code: line.code.to_string(),
                lines: vec![i],
                minutes: u64::from(line.minutes),
                full_units: 0,
                leftover: 0,
                units: 0,
            }),
        }
    }
    let timed_minutes: u64 = groups.iter().map(|g| g.minutes).sum();
    let mut remaining = 0;
    let mut tie = None;
    match method {
        Method::Ama => {
            for g in &mut groups {
                g.units = chart(g.minutes);
            }
        }
        Method::Cms => {
            let total_units = chart(timed_minutes);
            for g in &mut groups {
                g.full_units = g.minutes / 15;
                g.leftover = g.minutes % 15;
                g.units = g.full_units;
            }
            let placed: u64 = groups.iter().map(|g| g.full_units).sum();
            // Never negative: chart(T) = Σ full + (Σ leftover + 7) / 15.
            remaining = total_units.saturating_sub(placed);
            // Largest leftover first; among equals, the code entered first.
            let mut order: Vec<usize> = (0..groups.len()).filter(|&i| groups[i].leftover > 0).collect();
            order.sort_by_key(|&i| (std::cmp::Reverse(groups[i].leftover), groups[i].lines[0]));
            // remaining <= order.len() always (each leftover is at most 14 minutes).
            let take = usize::try_from(remaining).unwrap_or(usize::MAX).min(order.len());
            for &i in &order[..take] {
                groups[i].units += 1;
            }
            if take > 0 && take < order.len() {
                let cut = groups[order[take - 1]].leftover;
                if groups[order[take]].leftover == cut {
                    let tied = order.iter().filter(|&&i| groups[i].leftover == cut);
                    let (win, lose): (Vec<usize>, Vec<usize>) = tied.partition(|&&i| order[..take].contains(&i));
                    tie = Some(Tie {
                        leftover: cut,
                        winners: win.iter().map(|&i| groups[i].code.clone()).collect(),
                        losers: lose.iter().map(|&i| groups[i].code.clone()).collect(),
                    });
                }
            }
        }
    }
    let mut line_units: Vec<u64> = lines
        .iter()
        .map(|l| {
            if l.timed || !l.billable {
                0
            } else {
                u64::from(l.claimed.unwrap_or(1))
            }
        })
        .collect();
    for g in &groups {
        // A code on several lines is reported once: its units go on its first line.
        line_units[g.lines[0]] = g.units;
    }
    Allocation {
        method,
        timed_minutes,
        timed_units: groups.iter().map(|g| g.units).sum(),
        line_units,
        groups,
        remaining,
        tie,
    }
}

/// The teacher's steps for an allocation, citing the source.
pub fn explain(a: &Allocation, lines: &[LineInput<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    let plus = |parts: Vec<String>| parts.join(" + ");
    match a.method {
        Method::Cms => out.push(
            "Medicare total-time method (CMS Claims Processing Manual, Pub. 100-04, Ch. 5, §20.2): add the minutes of every timed code, convert the total with the unit chart, then give the units out."
                .to_string(),
        ),
        Method::Ama => out.push(
            "CPT per-code method: each timed code counts only its own minutes, and a 15-minute unit is earned once its midpoint (8 minutes) is reached."
                .to_string(),
        ),
    }
    for g in a.groups.iter().filter(|g| g.lines.len() > 1) {
        let nums: Vec<String> = g.lines.iter().map(|i| (i + 1).to_string()).collect();
        let mins: Vec<String> = g.lines.iter().map(|&i| lines[i].minutes.to_string()).collect();
        out.push(format!(
            "{} is on lines {}: its minutes are pooled ({} = {}) and its units are reported on line {}.",
            g.code,
            nums.join(", "),
            plus(mins),
            g.minutes,
            g.lines[0] + 1
        ));
    }
    if a.groups.is_empty() {
        out.push("No timed codes: no timed units.".to_string());
    } else {
        match a.method {
            Method::Cms => explain_cms(a, &mut out),
            Method::Ama => {
                let parts: Vec<String> = a
                    .groups
                    .iter()
                    .map(|g| {
                        let why = if g.minutes < 8 {
                            " (under 8 minutes)".to_string()
                        } else {
                            format!(" ({})", chart_row(g.units))
                        };
                        format!("{} {} min → {} {}{why}", g.code, g.minutes, g.units, unit_word(g.units))
                    })
                    .collect();
                out.push(format!("Each code on its own: {}.", parts.join("; ")));
            }
        }
        let result: Vec<String> = a.groups.iter().map(|g| format!("{} × {}", g.code, g.units)).collect();
        out.push(format!(
            "Timed result: {} ({} timed {}).",
            result.join(", "),
            a.timed_units,
            unit_word(a.timed_units)
        ));
    }
    let untimed: Vec<&LineInput<'_>> = lines.iter().filter(|l| !l.timed && l.billable).collect();
    if !untimed.is_empty() {
        let parts: Vec<String> = lines
            .iter()
            .zip(&a.line_units)
            .filter(|(l, _)| !l.timed && l.billable)
            .map(|(l, u)| format!("{} × {u}", l.code))
            .collect();
        let mut s = format!(
            "Untimed codes are billed per service, not by the clock: {}.",
            parts.join(", ")
        );
        let untimed_minutes: u64 = untimed.iter().map(|l| u64::from(l.minutes)).sum();
        if untimed_minutes > 0 {
            s.push_str(&format!(
                " Their {} count toward total treatment time, not toward timed units.",
                n_minutes(untimed_minutes)
            ));
        }
        out.push(s);
    }
    out
}

fn explain_cms(a: &Allocation, out: &mut Vec<String>) {
    let total_units = chart(a.timed_minutes);
    let mins: Vec<String> = a.groups.iter().map(|g| format!("{} {}", g.code, g.minutes)).collect();
    out.push(format!("Timed minutes: {} = {}.", mins.join(" + "), a.timed_minutes));
    out.push(format!(
        "Total timed minutes {} → {} {} ({}).",
        a.timed_minutes,
        total_units,
        unit_word(total_units),
        chart_row(total_units)
    ));
    if total_units == 0 {
        return;
    }
    let blocks: Vec<String> = a
        .groups
        .iter()
        .map(|g| {
            format!(
                "{} {} min = {} full, {} min left",
                g.code, g.minutes, g.full_units, g.leftover
            )
        })
        .collect();
    let placed = total_units - a.remaining;
    out.push(format!(
        "Full 15-minute blocks first: {}. That places {placed} of {total_units} {}.",
        blocks.join("; "),
        unit_word(total_units)
    ));
    let mut left: Vec<&crate::units::CodeGroup> = a.groups.iter().filter(|g| g.leftover > 0).collect();
    left.sort_by_key(|g| (std::cmp::Reverse(g.leftover), g.lines[0]));
    if a.remaining > 0 {
        let ranked: Vec<String> = left
            .iter()
            .map(|g| format!("{} ({} min)", g.code, g.leftover))
            .collect();
        let got: Vec<&str> = left
            .iter()
            .take(a.remaining as usize)
            .map(|g| g.code.as_str())
            .collect();
        out.push(format!(
            "{} {} left, given to the largest leftover minutes: {} → {}.",
            a.remaining,
            unit_word(a.remaining),
            ranked.join(", "),
            got.join(", ")
        ));
    } else if !left.is_empty() {
        let rest: Vec<String> = left.iter().map(|g| format!("{} {} min", g.code, g.leftover)).collect();
        out.push(format!(
            "No unit is left for the leftover minutes ({}): the total allows only the full blocks.",
            rest.join(", ")
        ));
    }
    if let Some(t) = &a.tie {
        let all: Vec<&str> = t.winners.iter().chain(&t.losers).map(String::as_str).collect();
        out.push(format!(
            "Tie: {} each have {} minutes left. CMS says either may take the unit; ptbill gives it to {} because it is entered first. Billing {} instead is equally correct.",
            all.join(" and "),
            t.leftover,
            t.winners.join(", "),
            t.losers.join(", ")
        ));
    }
}

/// The one plural rule every message uses: `one` for exactly 1, `many` otherwise.
pub fn word(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// A count with its noun: "1 unit", "2 units", "0 minutes".
pub fn plural(n: u64, one: &'static str, many: &'static str) -> String {
    format!("{n} {}", word(n, one, many))
}

/// "1 unit", "3 units".
pub fn n_units(n: u64) -> String {
    plural(n, "unit", "units")
}

/// "1 minute", "20 minutes".
pub fn n_minutes(n: u64) -> String {
    plural(n, "minute", "minutes")
}

/// "unit" or "units".
pub fn unit_word(n: u64) -> &'static str {
    word(n, "unit", "units")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(method: Method, mins: &[(&'static str, u32)]) -> Allocation {
        let lines: Vec<LineInput<'_>> = mins
            .iter()
            .map(|&(code, minutes)| LineInput {
                code,
                timed: true,
                billable: true,
                minutes,
                claimed: None,
            })
            .collect();
        allocate(&lines, method)
    }

    #[test]
    fn chart_rows() {
        for (t, u) in [
            (0, 0),
            (7, 0),
            (8, 1),
            (22, 1),
            (23, 2),
            (37, 2),
            (38, 3),
            (52, 3),
            (53, 4),
            (67, 4),
            (68, 5),
            (82, 5),
            (83, 6),
            (97, 6),
            (98, 7),
            (112, 7),
            (113, 8),
            (127, 8),
            (128, 9),
            (142, 9),
        ] {
            assert_eq!(chart(t), u, "{t} minutes");
        }
        assert_eq!(chart(u64::from(u32::MAX) * 1000), (u64::from(u32::MAX) * 1000 + 7) / 15);
        assert_eq!(chart_row(3), "38–52 minutes");
    }

    #[test]
    fn cms_example_3() {
        let a = run(Method::Cms, &[("97110", 33), ("97140", 7)]);
        assert_eq!(a.line_units, vec![2, 1]);
        assert_eq!(a.tie, None);
    }

    #[test]
    fn cms_example_2_tie_goes_first_and_is_disclosed() {
        let a = run(Method::Cms, &[("97112", 20), ("97110", 20)]);
        assert_eq!(a.line_units, vec![2, 1]);
        let t = a.tie.clone().unwrap();
        assert_eq!(t.winners, vec!["97112"]);
        assert_eq!(t.losers, vec!["97110"]);
        let text = explain(&a, &[]).join("\n");
        assert!(text.contains("Tie"), "{text}");
    }

    #[test]
    fn no_tie_when_all_equal_leftovers_get_a_unit() {
        // 97110 20 + 97112 20 + 97116 20 = 60 → 4 units: full 3, one left, three tied at 5.
        let a = run(Method::Cms, &[("97110", 20), ("97112", 20), ("97116", 20)]);
        assert_eq!(a.line_units, vec![2, 1, 1]);
        assert_eq!(a.tie.unwrap().losers.len(), 2);
        // 97110 12 + 97112 12 = 24 → 2 units, both leftovers get one: no tie.
        let a = run(Method::Cms, &[("97110", 12), ("97112", 12)]);
        assert_eq!(a.line_units, vec![1, 1]);
        assert_eq!(a.tie, None);
    }

    #[test]
    fn ama_per_code() {
        let a = run(Method::Ama, &[("97110", 10), ("97116", 10)]);
        assert_eq!(a.line_units, vec![1, 1]);
        let a = run(Method::Ama, &[("97110", 33), ("97140", 7)]);
        assert_eq!(a.line_units, vec![2, 0]);
    }

    #[test]
    fn pooled_lines_report_on_first() {
        let a = run(Method::Cms, &[("97110", 10), ("97140", 5), ("97110", 15)]);
        assert_eq!(a.groups[0].minutes, 25);
        assert_eq!(a.line_units, vec![2, 0, 0]);
    }
}
