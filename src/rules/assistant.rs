//! CQ/CO: services furnished in whole or in part by a PT or OT assistant.
//!
//! Which units of a timed code need the modifier is an interpretation (see the
//! rule's docs): a unit goes without CQ/CO when the therapist alone furnished at
//! least 8 minutes of it. Packing the therapist's minutes into whole units first,
//! that is `chart(therapist minutes)` units, capped at the units the code earned.

use super::{Ctx, Rule};
use crate::date::Date;
use crate::report::{Severity, Split};
use crate::units::{chart, n_minutes, n_units, word};
use crate::visit::{Discipline, Payer};

/// `assistant-modifier`
pub static ASSISTANT: Rule = Rule {
    id: "assistant-modifier",
    title: "Assistant modifier (CQ/CO)",
    severity: Severity::Error,
    summary: "CQ/CO needed for an assistant's part of a service, or present without one",
    checks: doc!(
        "For dates of service from 2020-01-01, on a Medicare PT (CQ) or OT (CO) visit: an untimed service needs the modifier when the assistant alone furnished more than 10% of its minutes. A timed code is decided unit by unit: a unit goes without CQ/CO when the therapist alone furnished at least 8 minutes of it, otherwise it carries CQ/CO (the assistant then furnished more than 10% of it). When only some units need it, the line carries `split` with the claim lines to write. Missing where required, for Medicare: added to the corrected set (`fixed`), as an info when the line's `modifiers` were left out (\"propose the modifiers\") and an error when they were given (\"as billed\", always so in an audit); for Medicare Advantage a warning, not added (plans differ); silent for other payers. Present without assistant minutes, before 2020, on the wrong discipline, or where the therapist covered every unit: a warning, and removed (`fixed`). Lines that are not billed are skipped."
    ),
    why: doc!(
        "Medicare requires the modifiers from 2020 and pays CQ/CO lines at 85% (a 15% reduction) from 2022-01-01. Missing modifiers are overpayments; needless ones cost 15%."
    ),
    source: doc!(
        "SSA §1834(v), added by BBA 2018 §53107; CY 2020 PFS final rule (84 FR 62702–62707: the more-than-10% de minimis standard; modifiers required from 2020-01-01); CY 2022 PFS final rule (86 FR 64996, 2021-11-19: 85% payment from 2022-01-01, and the two-unit case where each of PT and PTA furnish 9–14 minutes: one unit with CQ and one without). The per-unit rule (the therapist's ≥ 8 minutes of a unit) is INTERPRETATION A of billing-rules.md §9.2, as summarised by APTA-derived guides; CMS's own worked examples were not read in full. Confirm against CMS's \"Billing Examples Using CQ/CO Modifiers\" page."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 24, "assistant_minutes": 12, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Bill the split shown: the units the assistant furnished with CQ (PT) or CO (OT), the rest without."),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[&ASSISTANT];

const CQ_START: Date = Date::new(2020, 1, 1).unwrap();
const REDUCTION_START: Date = Date::new(2022, 1, 1).unwrap();

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let visit = ctx.visit;
    let dos = visit.date_of_service;
    let own = match visit.discipline {
        Discipline::Pt => Some("CQ"),
        Discipline::Ot => Some("CO"),
        Discipline::Slp => None,
    };
    let mut used = false;
    // Modifiers that are wrong whatever the minutes.
    for i in 0..visit.lines.len() {
        for m in ["CQ", "CO"] {
            if !visit.lines[i].modifiers.iter().any(|x| x == m) {
                continue;
            }
            let code = &visit.lines[i].code;
            let problem = if dos < CQ_START {
                Some(format!(
                    "{m} on {code}: the assistant modifiers apply to dates of service from 2020-01-01; this visit is on {dos}."
                ))
            } else if own != Some(m) {
                Some(format!(
                    "{m} on {code}: {m} marks a {} assistant's service, and this is a {} visit.",
                    if m == "CQ" {
                        "physical therapist"
                    } else {
                        "occupational therapist"
                    },
                    visit.discipline.name()
                ))
            } else {
                None
            };
            if let Some(msg) = problem {
                ctx.emit_fixed(
                    &ASSISTANT,
                    Severity::Warning,
                    Some(i),
                    msg,
                    "Removed from the corrected modifiers.",
                );
                ctx.drop_modifier(i, m);
            }
        }
    }
    let Some(modifier) = own else { return };
    if dos < CQ_START {
        return;
    }
    let required = match visit.payer {
        Payer::Medicare => Some(Severity::Error),
        Payer::MedicareAdvantage => Some(Severity::Warning),
        _ => None,
    };
    // Each timed code (pooled over its lines) and each untimed line: its
    // lines (borrowed, not copied), minutes, assistant minutes, units, timed.
    let alloc = ctx.alloc;
    let mut units_of: Vec<(Of<'_>, u64, u64, u64, bool)> = Vec::with_capacity(alloc.groups.len() + visit.lines.len());
    for g in &alloc.groups {
        let a: u64 = g
            .lines
            .iter()
            .map(|&l| u64::from(visit.lines[l].assistant_minutes))
            .sum();
        units_of.push((Of::Group(&g.lines), g.minutes, a, g.units, true));
    }
    for (i, line) in visit.lines.iter().enumerate() {
        if ctx.billable[i] && ctx.info[i].is_some_and(|c| !c.timed) {
            units_of.push((
                Of::Line(i),
                u64::from(line.minutes.unwrap_or(0)),
                u64::from(line.assistant_minutes),
                alloc.line_units[i],
                false,
            ));
        }
    }
    for (of, minutes, assistant, units, timed) in units_of {
        let lines = of.lines();
        let first = lines[0];
        let code = &visit.lines[first].code;
        let typed = lines
            .iter()
            .any(|&l| visit.lines[l].modifiers.iter().any(|x| x == modifier));
        let proposed = lines.iter().all(|&l| !visit.lines[l].modifiers_given);
        let (with, without) = if assistant == 0 || units == 0 {
            (0, units)
        } else if timed {
            let therapist_units = units.min(chart(minutes - assistant));
            (units - therapist_units, therapist_units)
        } else if assistant * 10 > minutes {
            (units, 0)
        } else {
            (0, units)
        };
        if with == 0 {
            if typed {
                let msg = if assistant == 0 {
                    msg!(
                        "{modifier} on {code}, but no minutes furnished by an assistant alone are entered.",
                        modifier,
                        code
                    )
                } else if timed {
                    msg!(
                        "{modifier} on {code}, but the therapist alone furnished at least 8 minutes of every unit, so no unit needs it.",
                        modifier,
                        code
                    )
                } else {
                    msg!(
                        "{modifier} on {code}, but the assistant alone furnished 10% of its minutes or less, so it does not need it.",
                        modifier,
                        code
                    )
                };
                ctx.emit_fixed(
                    &ASSISTANT,
                    Severity::Warning,
                    Some(first),
                    msg,
                    msg!("Removed from the corrected modifiers. If an assistant furnished part of the service alone, enter those minutes as assistant minutes. From 2022 a needless {modifier} costs 15% of the line.", modifier),
                );
                for &l in lines {
                    ctx.drop_modifier(l, modifier);
                }
            }
            continue;
        }
        used = true;
        let detail = if timed && without == 0 {
            format!(
                "{code}: the assistant alone furnished {assistant} of its {}, so {} {modifier}.",
                n_minutes(minutes),
                if units == 1 {
                    "its one unit needs".to_string()
                } else {
                    format!("all {} need", n_units(units))
                }
            )
        } else if timed {
            let other = if without == 1 {
                "the other unit".to_string()
            } else {
                format!("each of the other {without}")
            };
            format!(
                "{code}: the assistant alone furnished {assistant} of its {}, so {with} of its {} {} {modifier}; the therapist alone furnished at least 8 minutes of {other}, billed without it.",
                n_minutes(minutes),
                n_units(units),
                word(with, "needs", "need")
            )
        } else {
            format!(
                "{code}: the assistant alone furnished {assistant} of its {}, more than 10%, so it needs {modifier}.",
                n_minutes(minutes)
            )
        };
        ctx.notes.push(format!(
            "{detail} (CQ/CO per unit: ptbill's reading of the CY 2022 rule; see assistant-modifier.)"
        ));
        if !typed && let Some(sev) = required {
            if visit.payer != Payer::Medicare {
                ctx.emit(
                    &ASSISTANT,
                    sev,
                    Some(first),
                    msg!("{detail} The line does not carry {modifier}.", detail, modifier),
                    msg!("Medicare requires {modifier} here; check whether this Medicare Advantage plan does too (ptbill does not add it).", modifier),
                );
            } else if proposed {
                ctx.emit_fixed(
                    &ASSISTANT,
                    Severity::Info,
                    Some(first),
                    msg!("{detail} ptbill added {modifier}.", detail, modifier),
                    "Nothing to do: the corrected modifiers (and the claim lines shown, when only some units need it) carry it.",
                );
            } else {
                ctx.emit_fixed(
                    &ASSISTANT,
                    sev,
                    Some(first),
                    msg!("{detail} The line as billed does not carry {modifier}.", detail, modifier),
                    msg!("Add {modifier} to the units the assistant furnished (the corrected modifiers and claim lines have it).", modifier),
                );
            }
        }
        if visit.payer == Payer::Medicare || typed {
            add_after_therapy(ctx, first, modifier);
            if without > 0 {
                let cq = ctx.modifiers[first].clone();
                let base: Vec<String> = cq.iter().filter(|m| *m != modifier).cloned().collect();
                ctx.split[first] = Some(vec![
                    Split {
                        units: with,
                        modifiers: cq,
                    },
                    Split {
                        units: without,
                        modifiers: base,
                    },
                ]);
            }
        }
    }
    if used && dos >= REDUCTION_START {
        ctx.notes.push(format!(
            "From 2022-01-01 Medicare pays units with {modifier} at 85% of the fee schedule amount (a 15% reduction)."
        ));
    }
}

/// The lines of a timed code (its group's) or of one untimed line.
enum Of<'a> {
    Group(&'a [usize]),
    Line(usize),
}

impl Of<'_> {
    fn lines(&self) -> &[usize] {
        match self {
            Of::Group(lines) => lines,
            Of::Line(i) => std::slice::from_ref(i),
        }
    }
}

fn add_after_therapy(ctx: &mut Ctx<'_>, i: usize, m: &str) {
    if ctx.has_modifier(i, m) {
        return;
    }
    let at = ctx.modifiers[i]
        .iter()
        .position(|x| matches!(x.as_str(), "GP" | "GO" | "GN"))
        .map_or(0, |p| p + 1);
    ctx.modifiers[i].insert(at, m.to_string());
}
