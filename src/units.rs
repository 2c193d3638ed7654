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
//!
//! Codes that are not plain 15-minute codes are counted by their catalog unit
//! kind ([`Unit`]):
//! - a first-15-minutes code and its add-on (97129 + 97130) are timed codes of
//!   one service: their minutes are pooled, the first code takes one unit (it
//!   is reported once a day) and the add-on the rest;
//! - codes of longer blocks (97550 first 30 minutes + 97551 each further 15;
//!   97545 first 2 hours + 97546 each further hour) stay out of the 8-minute
//!   total, which CMS defines for 15-minute codes, and follow the CPT time rule:
//!   a block is earned once its midpoint is passed (16 of 30 minutes, 31 of 60);
//! - per-period codes (remote therapeutic monitoring) are one unit a period,
//!   never counted by minutes.

use crate::codes::Unit;
use crate::prose::{Put, from_fn, joined};
use crate::visit::Method;
use std::fmt::{self, Write as _};

/// The unit chart (§20.2): 8–22 minutes = 1, 23–37 = 2, … and so on past 2 hours.
pub const fn chart(minutes: u64) -> u64 {
    if minutes < 8 { 0 } else { (minutes + 7) / 15 }
}

/// The chart row that gives `units`, in words ("38–52 minutes").
pub fn chart_row(units: u64) -> String {
    ChartRow(units).to_string()
}

/// [`chart_row`] written straight into a sentence.
struct ChartRow(u64);

impl fmt::Display for ChartRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = self.0;
        if units == 0 {
            f.write_str("fewer than 8 minutes")
        } else {
            write!(
                f,
                "{}–{} minutes",
                units.saturating_mul(15).saturating_sub(7),
                units.saturating_mul(15).saturating_add(7)
            )
        }
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
    /// How the code's units are counted (the catalog's unit kind).
    pub unit: Unit,
}

/// Add-on units the minutes earn that have no line of their own on the visit
/// (97129 with 30 minutes earns 97129 × 1 + 97130 × 1): the claim needs a line
/// for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extra {
    /// The add-on code to add.
    pub code: String,
    /// Its units.
    pub units: u64,
    /// The line of its primary code.
    pub primary_line: usize,
    /// Whether these are timed units (8-minute pool).
    pub timed: bool,
}

/// A code counted by its own time blocks (CPT time rule), with its add-on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnTime {
    /// The primary code (first block).
    pub first: String,
    /// The add-on code (each further block).
    pub addon: String,
    /// Length of the first block.
    pub initial: u64,
    /// Length of each further block.
    pub each: u64,
    /// Minutes of the primary's and the add-on's lines together.
    pub minutes: u64,
    /// Units of the primary code.
    pub first_units: u64,
    /// Units of the add-on.
    pub addon_units: u64,
    /// No line had minutes: the units are as claimed (or 1).
    pub as_claimed: bool,
}

/// Units of an add-on's blocks of `each` minutes in `extra` minutes: a block is
/// earned once its midpoint is passed (CPT time rule).
pub const fn blocks(extra: u64, each: u64) -> u64 {
    if each == 0 {
        return 0;
    }
    extra / each + if (extra % each) * 2 > each { 1 } else { 0 }
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

/// The order leftover minutes are served in: largest leftover first, then
/// the code entered first (a leftover is at most 14 minutes).
fn leftover_first(leftover: u64, first_line: usize) -> u64 {
    (u64::from(u32::MAX) - leftover.min(u64::from(u32::MAX))) << 32 | first_line as u64 & u64::from(u32::MAX)
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
    /// Add-on units that need a line of their own.
    pub extra: Vec<Extra>,
    /// Codes counted by their own time blocks.
    pub own_time: Vec<OwnTime>,
}

impl Allocation {
    /// Units on the lines plus the add-on units that need a line: what the visit earns.
    pub fn total_units(&self) -> u64 {
        self.line_units.iter().sum::<u64>() + self.extra.iter().map(|e| e.units).sum::<u64>()
    }
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
            crate::order::stable_by_key(&mut order, |&i| leftover_first(groups[i].leftover, groups[i].lines[0]));
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
    let mut extra = Vec::new();
    // A first-15-minutes code and its add-on are one service: the first code
    // takes one unit, the add-on the rest of what their minutes earn.
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.billable) {
        let Unit::First {
            addon, pooled: true, ..
        } = line.unit
        else {
            continue;
        };
        let Some(fi) = groups.iter().position(|g| g.code == line.code) else {
            continue;
        };
        if groups[fi].lines[0] != i {
            continue;
        }
        let ai = groups.iter().position(|g| g.code == addon);
        let earned = match method {
            Method::Cms => groups[fi].units + ai.map_or(0, |a| groups[a].units),
            Method::Ama => chart(groups[fi].minutes + ai.map_or(0, |a| groups[a].minutes)),
        };
        groups[fi].units = earned.min(1);
        let rest = earned - groups[fi].units;
        match ai {
            Some(a) => groups[a].units = rest,
            None if rest > 0 => extra.push(Extra {
                code: addon.to_string(),
                units: rest,
                primary_line: i,
                timed: true,
            }),
            None => {}
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
    let own_time = own_time_units(lines, &mut line_units, &mut extra);
    Allocation {
        method,
        timed_minutes,
        timed_units: groups.iter().map(|g| g.units).sum::<u64>()
            + extra.iter().filter(|e| e.timed).map(|e| e.units).sum::<u64>(),
        line_units,
        groups,
        remaining,
        tie,
        extra,
        own_time,
    }
}

/// Units of the codes counted by their own time blocks (97550 + 97551, 97545 +
/// 97546): the same under both methods, since the 8-minute rule covers only
/// 15-minute codes. The minutes of a primary and its add-on are added; the
/// primary earns its one unit once half its first block has passed, the add-on
/// one unit for each further block whose midpoint is passed.
fn own_time_units(lines: &[LineInput<'_>], line_units: &mut [u64], extra: &mut Vec<Extra>) -> Vec<OwnTime> {
    // Families by primary code, in order of first appearance.
    let mut keys: Vec<(&str, &str, u64, u64)> = Vec::new();
    for l in lines.iter().filter(|l| l.billable) {
        let key = match l.unit {
            Unit::First {
                minutes,
                addon,
                pooled: false,
            } => {
                // The add-on's block length is in its own catalog row.
                let each = match crate::codes::lookup(addon).map(|c| c.unit) {
                    Some(Unit::Each { minutes, .. }) => u64::from(minutes),
                    _ => 0,
                };
                (l.code, addon, u64::from(minutes), each)
            }
            Unit::Each {
                minutes,
                of,
                pooled: false,
            } => (of, l.code, 0, u64::from(minutes)),
            _ => continue,
        };
        match keys.iter_mut().find(|k| k.0 == key.0) {
            Some(k) => {
                k.2 = k.2.max(key.2);
                k.3 = k.3.max(key.3);
            }
            None => keys.push(key),
        }
    }
    let mut out = Vec::new();
    for (first, addon, initial, each) in keys {
        let members: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].billable && (lines[i].code == first || lines[i].code == addon))
            .collect();
        let minutes: u64 = members.iter().map(|&i| u64::from(lines[i].minutes)).sum();
        let first_line = members.iter().copied().find(|&i| lines[i].code == first);
        let addon_line = members.iter().copied().find(|&i| lines[i].code == addon);
        for &i in &members {
            line_units[i] = 0;
        }
        let as_claimed = minutes == 0;
        let (first_units, addon_units) = if as_claimed {
            let claimed = |l: Option<usize>| l.map_or(0, |i| u64::from(lines[i].claimed.unwrap_or(1)));
            (claimed(first_line), claimed(addon_line))
        } else if first_line.is_some() {
            let f = u64::from(minutes * 2 > initial);
            (
                f,
                if f == 1 {
                    blocks(minutes.saturating_sub(initial), each)
                } else {
                    0
                },
            )
        } else {
            // The add-on alone (add-on-without-primary says so): its own blocks.
            (0, blocks(minutes, each))
        };
        if let Some(i) = first_line {
            line_units[i] = first_units;
        }
        match (addon_line, first_line) {
            (Some(i), _) => line_units[i] = addon_units,
            (None, Some(f)) if addon_units > 0 => extra.push(Extra {
                code: addon.to_string(),
                units: addon_units,
                primary_line: f,
                timed: false,
            }),
            _ => {}
        }
        out.push(OwnTime {
            first: first.to_string(),
            addon: addon.to_string(),
            initial,
            each,
            minutes,
            first_units,
            addon_units,
            as_claimed,
        });
    }
    out
}

/// The teacher's steps for an allocation, citing the source.
pub fn explain(a: &Allocation, lines: &[LineInput<'_>]) -> Vec<String> {
    let mut out = Vec::with_capacity(16);
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
        out.push(sentence!(
            "{} is on lines {}: its minutes are pooled ({} = {}) and its units are reported on line {}.",
            g.code,
            joined(", ", g.lines.iter().map(|i| i + 1)),
            joined(" + ", g.lines.iter().map(|&i| lines[i].minutes)),
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
                let mut s = String::with_capacity(256);
                s.put("Each code on its own: ").list("; ", &a.groups, |s, g| {
                    s.put(&g.code).put(" ").num(g.minutes).put(" min → ").num(g.units);
                    s.put(" ").put(unit_word(g.units));
                    if g.minutes < 8 {
                        s.put(" (under 8 minutes)");
                    } else {
                        put_chart_row(s.put(" ("), g.units).put(")");
                    }
                });
                s.put(".");
                out.push(s);
            }
        }
        explain_families(a, lines, &mut out);
        let mut s = String::with_capacity(256);
        s.put("Timed result: ");
        let mut first = true;
        let mut sep = |s: &mut String| {
            if !std::mem::take(&mut first) {
                s.put(", ");
            }
        };
        for g in &a.groups {
            sep(&mut s);
            s.put(&g.code).put(" × ").num(g.units);
        }
        for e in a.extra.iter().filter(|e| e.timed) {
            sep(&mut s);
            s.put(&e.code).put(" × ").num(e.units).put(" (a line to add)");
        }
        s.put(" (")
            .num(a.timed_units)
            .put(" timed ")
            .put(unit_word(a.timed_units))
            .put(").");
        out.push(s);
    }
    explain_own_time(a, &mut out);
    let untimed = || {
        lines
            .iter()
            .zip(&a.line_units)
            .filter(|(l, _)| l.unit == Unit::Service && l.billable)
    };
    if untimed().next().is_some() {
        let mut s = String::with_capacity(256);
        s.put("Untimed codes are billed per service, not by the clock: ")
            .list(", ", untimed(), |s, (l, u)| {
                s.put(l.code).put(" × ").num(*u);
            })
            .put(".");
        let untimed_minutes: u64 = untimed().map(|(l, _)| u64::from(l.minutes)).sum();
        if untimed_minutes > 0 {
            s.put(" Their ")
                .num(untimed_minutes)
                .put(" ")
                .put(word(untimed_minutes, "minute", "minutes"));
            s.put(" count toward total treatment time, not toward timed units.");
        }
        out.push(s);
    }
    let periods = || {
        lines
            .iter()
            .zip(&a.line_units)
            .filter(|(l, _)| l.billable)
            .filter_map(|(l, u)| match l.unit {
                Unit::Period(p) => Some(from_fn(move |f| write!(f, "{} × {u} ({})", l.code, p.words()))),
                _ => None,
            })
    };
    if periods().next().is_some() {
        out.push(sentence!(
            "Remote monitoring codes are billed per period, never in 15-minute units, and their minutes are not added to the timed minutes: {}.",
            joined(", ", periods())
        ));
    }
    out
}

/// The first-15-minutes families (97129 + 97130): how their units were split.
fn explain_families(a: &Allocation, lines: &[LineInput<'_>], out: &mut Vec<String>) {
    for g in &a.groups {
        let Some(Unit::First {
            addon, pooled: true, ..
        }) = lines.get(g.lines[0]).map(|l| l.unit)
        else {
            continue;
        };
        let on_line = a.groups.iter().find(|x| x.code == addon).map(|x| x.units);
        let extra = a.extra.iter().find(|e| e.code == addon && e.timed).map(|e| e.units);
        let rest = on_line.or(extra).unwrap_or(0);
        let total = g.units + rest;
        let mut s = sentence!(
            "{} is the first 15 minutes of the service, reported once a day, and +{addon} each further 15 minutes: their minutes count together, and the {} they earn are billed as {} × {} + {addon} × {rest}.",
            g.code,
            Count(total, "unit", "units"),
            g.code,
            g.units
        );
        if let Some(e) = extra {
            let _ = write!(
                s,
                " No {addon} line is entered: add one with {} for the time past the first 15 minutes.",
                Count(e, "unit", "units")
            );
        }
        out.push(s);
    }
}

/// A time block in words: "2 hours", "30 minutes".
struct Block(u64);

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(60) {
            Count(self.0 / 60, "hour", "hours").fmt(f)
        } else {
            Count(self.0, "minute", "minutes").fmt(f)
        }
    }
}

/// Codes counted by their own time blocks (97550 + 97551, 97545 + 97546).
fn explain_own_time(a: &Allocation, out: &mut Vec<String>) {
    for o in &a.own_time {
        let s = if o.as_claimed {
            sentence!(
                "{} (the first {}) and +{} (each further {}) are counted by time, but no minutes are entered: billed as entered, {} × {} + {} × {}.",
                o.first,
                Block(o.initial),
                o.addon,
                Block(o.each),
                o.first,
                o.first_units,
                o.addon,
                o.addon_units
            )
        } else {
            let mut s = sentence!(
                "{} covers the first {} and +{} each further {}. These blocks are not 15-minute units, so Medicare's 8-minute rule does not count them; by the CPT time rule a block is earned once its midpoint is passed ({} of the first block, {} of each further one). {} in all → {} × {} + {} × {}.",
                o.first,
                Block(o.initial),
                o.addon,
                Block(o.each),
                Count(o.initial / 2 + 1, "minute", "minutes"),
                Count(o.each / 2 + 1, "minute", "minutes"),
                Count(o.minutes, "minute", "minutes"),
                o.first,
                o.first_units,
                o.addon,
                o.addon_units
            );
            if let Some(e) = a.extra.iter().find(|e| e.code == o.addon && !e.timed) {
                let _ = write!(
                    s,
                    " No {} line is entered: add one with {}.",
                    o.addon,
                    Count(e.units, "unit", "units")
                );
            }
            s
        };
        out.push(s);
    }
}

/// [`ChartRow`] appended without the formatting machinery.
fn put_chart_row(s: &mut String, units: u64) -> &mut String {
    if units == 0 {
        s.put("fewer than 8 minutes")
    } else {
        s.num(units.saturating_mul(15).saturating_sub(7))
            .put("–")
            .num(units.saturating_mul(15).saturating_add(7))
            .put(" minutes")
    }
}

fn explain_cms(a: &Allocation, out: &mut Vec<String>) {
    let total_units = chart(a.timed_minutes);
    let mut s = String::with_capacity(256);
    s.put("Timed minutes: ").list(" + ", &a.groups, |s, g| {
        s.put(&g.code).put(" ").num(g.minutes);
    });
    s.put(" = ").num(a.timed_minutes).put(".");
    out.push(s);
    let mut s = String::with_capacity(256);
    s.put("Total timed minutes ")
        .num(a.timed_minutes)
        .put(" → ")
        .num(total_units);
    s.put(" ").put(unit_word(total_units)).put(" (");
    put_chart_row(&mut s, total_units).put(").");
    out.push(s);
    if total_units == 0 {
        return;
    }
    let placed = total_units - a.remaining;
    let mut s = String::with_capacity(256);
    s.put("Full 15-minute blocks first: ").list("; ", &a.groups, |s, g| {
        s.put(&g.code).put(" ").num(g.minutes).put(" min = ").num(g.full_units);
        s.put(" full, ").num(g.leftover).put(" min left");
    });
    s.put(". That places ").num(placed).put(" of ").num(total_units);
    s.put(" ").put(unit_word(total_units)).put(".");
    out.push(s);
    let mut left: Vec<&crate::units::CodeGroup> = a.groups.iter().filter(|g| g.leftover > 0).collect();
    crate::order::stable_by_key(&mut left, |g| leftover_first(g.leftover, g.lines[0]));
    if a.remaining > 0 {
        let mut s = String::with_capacity(256);
        s.num(a.remaining).put(" ").put(unit_word(a.remaining));
        s.put(" left, given to the largest leftover minutes: ")
            .list(", ", &left, |s, g| {
                s.put(&g.code).put(" (").num(g.leftover).put(" min)");
            });
        s.put(" → ")
            .list(", ", left.iter().take(a.remaining as usize), |s, g| {
                s.put(&g.code);
            })
            .put(".");
        out.push(s);
    } else if !left.is_empty() {
        let mut s = String::with_capacity(256);
        s.put("No unit is left for the leftover minutes (")
            .list(", ", &left, |s, g| {
                s.put(&g.code).put(" ").num(g.leftover).put(" min");
            })
            .put("): the total allows only the full blocks.");
        out.push(s);
    }
    if let Some(t) = &a.tie {
        out.push(sentence!(
            "Tie: {} each have {} minutes left. CMS says either may take the unit; ptbill gives it to {} because it is entered first. Billing {} instead is equally correct.",
            joined(" and ", t.winners.iter().chain(&t.losers)),
            t.leftover,
            joined(", ", t.winners.iter()),
            joined(", ", t.losers.iter())
        ));
    }
}

/// The one plural rule every message uses: `one` for exactly 1, `many` otherwise.
pub fn word(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// A count with its noun: "1 unit", "2 units", "0 minutes".
pub fn plural(n: u64, one: &'static str, many: &'static str) -> String {
    Count(n, one, many).to_string()
}

/// [`plural`] written straight into a sentence.
pub struct Count(pub u64, pub &'static str, pub &'static str);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, word(self.0, self.1, self.2))
    }
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
                unit: Unit::Timed15,
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
