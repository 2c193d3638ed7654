//! Modifier rules: the therapy modifiers GP/GO/GN, modifiers that do not belong on
//! timed therapy codes (25, 52, 76), conflicting distinct-service modifiers, and
//! modifiers ptbill does not know. Table: `data/modifiers.csv`.

use super::{Ctx, Rule, medicare_error};
use crate::codes::{Kind, table_rows};
use crate::report::Severity;
use crate::visit::Discipline;
use std::sync::OnceLock;

/// The modifier table as compiled in: `data/modifiers.csv` without its
/// provenance comments and with its `confidence` column emptied (never read).
pub const MODIFIERS_CSV: &str = crate::compact_table!(include_bytes!("../../data/modifiers.csv"), 0b0_1111);

/// `missing-therapy-modifier`
pub static MISSING_THERAPY: Rule = Rule {
    id: "missing-therapy-modifier",
    title: "Missing therapy modifier",
    severity: Severity::Error,
    summary: "No GP/GO/GN on a therapy code",
    checks: doc!(
        "A therapy code (always-therapy, or sometimes-therapy furnished under the plan of care the visit names) has none of GP, GO, GN. ptbill adds the discipline's modifier to the corrected set (GP for PT, GO for OT, GN for SLP), so the finding is always `fixed`. When the line's `modifiers` were left out (\"propose the modifiers\"), the addition is an info; when they were given (even `[]`, \"as billed\", and always in an audit), the claim as billed lacks it: an error for Medicare and Medicare Advantage, a warning for other payers. Lines that are not billed are skipped."
    ),
    why: doc!("Medicare returns always-therapy claims without a therapy modifier (edits from 2018-01-01)."),
    source: doc!(
        "CR 10176, Transmittal 3814 (2017-07-27), effective 2018-01-01; WPS (MAC) on always and sometimes therapy codes; billing-rules.md §3 and §8.1. Which codes are always or sometimes therapy is the catalog's `kind` column (CMS's CY 2025 and 2026 lists were not read: `data/codes.csv` can be corrected without code changes)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": []}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Add GP (PT plan), GO (OT plan) or GN (SLP plan) to every therapy line."),
};

/// `therapy-modifier-mismatch`
pub static MISMATCH: Rule = Rule {
    id: "therapy-modifier-mismatch",
    title: "Wrong therapy modifier or code for the plan of care",
    severity: Severity::Error,
    summary: "GP/GO/GN does not fit the code or the discipline, or more than one is present",
    checks: doc!(
        "A therapy line carries the modifier of another discipline (GO on a PT visit), more than one of GP/GO/GN, or a discipline-specific code of the other discipline (97165 OT evaluation on a PT visit). The corrected set keeps only the visit's discipline modifier."
    ),
    why: doc!(
        "The modifier says which plan of care the service belongs to; it drives the KX threshold (PT and SLP share one, OT has its own) and payment edits."
    ),
    source: doc!(
        "MCPM Ch. 5 §20.1 and WPS (MAC) on therapy modifiers: one of GP/GO/GN per line; billing-rules.md §8.1."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "discipline": "pt", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GO"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Use the modifier of the plan of care the service was furnished under, once per line."),
};

/// `modifier-25-misuse`
pub static MOD25: Rule = Rule {
    id: "modifier-25-misuse",
    title: "Modifier 25 on a therapy code",
    severity: Severity::Warning,
    summary: "Modifier 25 (an E/M modifier) on a therapy code",
    checks: doc!("Modifier 25 on any code other than an E/M visit. It is dropped from the corrected set."),
    why: doc!(
        "25 marks a significant, separately identifiable E/M visit on the day of a procedure; on a therapy code it is meaningless and draws denials."
    ),
    source: doc!(
        "CPT 2026 Appendix A, modifier 25 (unchanged throughout ptbill's data); NCCI Policy Manual for Medicare Services (2024) on E/M with procedures."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97161", "modifiers": ["GP", "25"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Remove 25. If the evaluation and a treatment are both billed, check `ncci-edit` instead."),
};

/// `modifier-52-timed`
pub static MOD52: Rule = Rule {
    id: "modifier-52-timed",
    title: "Modifier 52 on a timed code",
    severity: Severity::Error,
    summary: "Modifier 52 on a timed code",
    checks: doc!(
        "Modifier 52 (reduced service) on a code billed in 15-minute units. It is dropped from the corrected set."
    ),
    why: doc!(
        "A short timed service is billed by units from its minutes, not by 52. Some old articles advise 52 below the midpoint; AAPC answers and current guidance say it cannot be used on timed codes."
    ),
    source: doc!(
        "billing-rules.md §2.6 and §8.7 (AAPC forum; chirofreeinfo 2021; the contrary 2003 advice is outdated)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 6, "modifiers": ["GP", "52"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Remove 52 and bill the units the minutes earn (possibly none)."),
};

/// `modifier-76-timed`
pub static MOD76: Rule = Rule {
    id: "modifier-76-timed",
    title: "Modifier 76 on a timed code",
    severity: Severity::Warning,
    summary: "Modifier 76 on a timed code",
    checks: doc!(
        "Modifier 76 (repeat procedure) on a code billed in 15-minute units. It is dropped from the corrected set."
    ),
    why: doc!(
        "76 is for procedures that cannot be billed in units. Timed codes report all their units on one line per day."
    ),
    source: doc!("FCSO and Novitas (MACs) on modifier 76; billing-rules.md §8.6."),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 15, "modifiers": ["GP"]}, {"code": "97110", "minutes": 15, "modifiers": ["GP", "76"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Remove 76 and report the code once with its total units."),
};

/// `conflicting-distinct-modifiers`
pub static CONFLICTING: Rule = Rule {
    id: "conflicting-distinct-modifiers",
    title: "Conflicting distinct-service modifiers",
    severity: Severity::Warning,
    summary: "59 with an X{EPSU} modifier, or two X modifiers, on one line",
    checks: doc!(
        "A line carries 59 together with XE/XS/XP/XU (59 is dropped from the corrected set: the X modifier is the more specific one), or two different X modifiers (kept: choose one)."
    ),
    why: doc!(
        "CMS says the X modifiers are more selective versions of 59, so it is incorrect to use both on one line."
    ),
    source: doc!("CR 8863 (Transmittal 1422, 2014-08-15), effective 2015-01-01; billing-rules.md §8.5."),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97150", "modifiers": ["GP"]}, {"code": "97110", "minutes": 30, "modifiers": ["GP", "59", "XS"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Keep the one modifier that describes why the service was distinct."),
};

/// `unknown-modifier`
pub static UNKNOWN_MODIFIER: Rule = Rule {
    id: "unknown-modifier",
    title: "A modifier ptbill does not know",
    severity: Severity::Warning,
    summary: "A modifier ptbill does not know",
    checks: doc!(
        "A modifier that is not in `data/modifiers.csv`, or one used before its start date (CQ/CO before 2020 are handled by `assistant-modifier`). It is kept in the corrected set."
    ),
    why: doc!("Often a typo (GB for GP) that makes the claim line fail."),
    source: doc!("ptbill's modifier table (`data/modifiers.csv`, as of 2026-11-23), from billing-rules.md §8–§11."),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GB"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Check the modifier; if it is valid for your payer, ignore the warning."),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[
    &MISSING_THERAPY,
    &MISMATCH,
    &MOD25,
    &MOD52,
    &MOD76,
    &CONFLICTING,
    &UNKNOWN_MODIFIER,
];

/// One row of the modifier table: (modifier, group, label, valid from).
pub type ModifierRow = (&'static str, &'static str, &'static str, &'static str);

/// The modifier table, parsed once.
pub fn modifier_table() -> &'static [ModifierRow] {
    static T: OnceLock<Vec<ModifierRow>> = OnceLock::new();
    T.get_or_init(|| {
        table_rows(MODIFIERS_CSV)
            .filter(|f| f.len() == 5)
            .map(|f| (f[0], f[1], f[2], f[3]))
            .collect()
    })
}

/// The row of modifier `m`: its packed form compared with every row's (one
/// integer compare a row, where a string compare is a call per row).
fn modifier_row(m: &str) -> Option<&'static ModifierRow> {
    static PACKED: OnceLock<Vec<Option<u64>>> = OnceLock::new();
    let table = modifier_table();
    let packed = PACKED.get_or_init(|| table.iter().map(|r| crate::ncci_table::pack(r.0)).collect());
    match crate::ncci_table::pack(m) {
        // Confirmed as text: a typed NUL byte would pack like a shorter modifier.
        Some(key) => packed
            .iter()
            .position(|&p| p == Some(key))
            .map(|i| &table[i])
            .filter(|r| r.0 == m),
        None => table.iter().find(|r| r.0 == m),
    }
}

/// The date the modifier table is valid for.
pub fn modifiers_date() -> &'static str {
    static DATE: std::sync::OnceLock<&str> = std::sync::OnceLock::new();
    crate::codes::valid_for(&DATE, MODIFIERS_CSV)
}

/// The therapy modifier of a discipline.
pub fn therapy_modifier(d: Discipline) -> &'static str {
    match d {
        Discipline::Pt => "GP",
        Discipline::Ot => "GO",
        Discipline::Slp => "GN",
    }
}

const THERAPY: &[&str] = &["GP", "GO", "GN"];

/// Whether `m` is in [`THERAPY`] (a `match` compiles to integer compares; a
/// slice search calls `memcmp` per entry).
fn is_therapy(m: &str) -> bool {
    matches!(m, "GP" | "GO" | "GN")
}

/// Whether `m` is one of the X{EPSU} modifiers (XE, XS, XP, XU).
fn is_x(m: &str) -> bool {
    matches!(m, "XE" | "XS" | "XP" | "XU")
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    ctx.used("modifiers", modifiers_date());
    let visit = ctx.visit;
    let want = therapy_modifier(visit.discipline);
    for i in 0..visit.lines.len() {
        // A line that is not billed keeps its modifiers as typed: there is
        // nothing to correct on a line that stays off the claim.
        if !ctx.billable[i] {
            continue;
        }
        let code = &visit.lines[i].code;
        let typed = &visit.lines[i].modifiers;
        let info = ctx.info[i];
        let timed = info.is_some_and(|c| c.timed);
        let needs_therapy =
            info.filter(|c| c.kind.is_therapy() || (c.kind == Kind::Reporting && c.valid_on(visit.date_of_service)));
        // The therapy modifiers typed: the first, and whether there are more
        // (listed only when they are wrong).
        let have = || typed.iter().map(String::as_str).filter(|m| is_therapy(m));
        let (first_have, more) = {
            let mut h = have();
            (h.next(), h.next().is_some())
        };
        let plan = visit.discipline.name();
        if let Some(info) = needs_therapy {
            if !info.fits(visit.discipline) {
                ctx.emit(
                    &MISMATCH,
                    Severity::Error,
                    Some(i),
                    format!("{code} ({}) is not a {plan} service, and this is a {plan} visit.", info.label),
                    "Bill the code of the visit's own discipline, or set the visit's discipline to the plan of care the service was furnished under.",
                );
            }
            if first_have.is_none() && !visit.lines[i].modifiers_given {
                ctx.emit_fixed(
                    &MISSING_THERAPY,
                    Severity::Info,
                    Some(i),
                    msg!(
                        "{want} added: every therapy service under a {plan} plan of care carries {want}.",
                        want,
                        plan,
                        want
                    ),
                    "Nothing to do: the corrected modifiers carry it.",
                );
            } else if first_have.is_none() {
                ctx.emit_fixed(
                    &MISSING_THERAPY,
                    medicare_error(visit.payer),
                    Some(i),
                    msg!("{code} has no therapy modifier: under a {plan} plan of care it takes {want}, and Medicare returns therapy claims without one.", code, plan, want),
                    msg!("Add {want} to the line (the corrected modifiers have it).", want),
                );
            } else if more || first_have != Some(want) {
                ctx.emit_fixed(
                    &MISMATCH,
                    Severity::Error,
                    Some(i),
                    format!(
                        "{code} carries {}, but this is a {plan} visit: it takes {want}, once.",
                        crate::prose::join(&have().collect::<Vec<_>>(), " and ")
                    ),
                    msg!("Use {want} alone (the corrected modifiers have it).", want),
                );
            }
            // The corrected set leads with `want` and holds no other therapy
            // modifier; it mostly does already, and is then left as it is.
            let mods = &ctx.modifiers[i];
            let settled = mods.first().is_some_and(|m| m == want) && !mods[1..].iter().any(|m| is_therapy(m));
            if !settled {
                for m in THERAPY {
                    ctx.drop_modifier(i, m);
                }
                ctx.modifiers[i].insert(0, want.to_string());
            }
        }
        let is_em = info.is_some_and(|c| c.kind == Kind::Em);
        if typed.iter().any(|m| m == "25") && !is_em {
            ctx.emit_fixed(
                &MOD25,
                Severity::Warning,
                Some(i),
                msg!(
                    "Modifier 25 marks a separate office visit by a physician; it does not belong on {code}.",
                    code
                ),
                "Removed from the corrected modifiers.",
            );
            ctx.drop_modifier(i, "25");
        }
        if timed && typed.iter().any(|m| m == "52") {
            ctx.emit_fixed(
                &MOD52,
                Severity::Error,
                Some(i),
                msg!("Modifier 52 (reduced service) on {code}: a short timed service is billed by the units its minutes earn, never with 52.", code),
                "Removed from the corrected modifiers; bill the units shown.",
            );
            ctx.drop_modifier(i, "52");
        }
        if timed && typed.iter().any(|m| m == "76") {
            ctx.emit_fixed(
                &MOD76,
                Severity::Warning,
                Some(i),
                msg!("Modifier 76 (repeat procedure) on {code}: a timed code reports all its units of the day on one line instead.", code),
                "Removed from the corrected modifiers; report the code once with its total units.",
            );
            ctx.drop_modifier(i, "76");
        }
        let xs: Vec<&str> = typed.iter().map(String::as_str).filter(|m| is_x(m)).collect();
        if typed.iter().any(|m| m == "59") && !xs.is_empty() {
            ctx.emit_fixed(
                &CONFLICTING,
                Severity::Warning,
                Some(i),
                format!("{code} carries 59 and {}: {} already says the service was distinct, more precisely than 59, so the two are not used together.", crate::prose::join(&xs, ", "), crate::prose::join(&xs, ", ")),
                "59 removed from the corrected modifiers.",
            );
            ctx.drop_modifier(i, "59");
        } else if xs.len() > 1 {
            ctx.emit(
                &CONFLICTING,
                Severity::Warning,
                Some(i),
                format!(
                    "{code} carries {}: a line takes the one modifier that says why the service was distinct.",
                    crate::prose::join(&xs, " and ")
                ),
                "Keep the one that is true; ptbill cannot know which it is.",
            );
        }
        for m in typed {
            let known = modifier_row(m);
            let too_early = known.is_some_and(|r| {
                r.1 != "assistant"
                    && !r.3.is_empty()
                    && crate::date::Date::parse(r.3).is_ok_and(|from| visit.date_of_service < from)
            });
            if known.is_none() || too_early {
                let close = modifier_table()
                    .iter()
                    .filter(|r| crate::visit::edit_distance(r.0, m) == 1 && r.0.len() == m.len())
                    .map(|r| r.0)
                    .next();
                ctx.emit(
                    &UNKNOWN_MODIFIER,
                    Severity::Warning,
                    Some(i),
                    if too_early {
                        format!("Modifier {m} did not exist yet on {}.", visit.date_of_service)
                    } else {
                        format!(
                            "Modifier {m} is not one ptbill knows{}.",
                            close.map(|c| format!(" (did you mean {c}?)")).unwrap_or_default()
                        )
                    },
                    "Check the modifier; it is kept as typed.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_the_lists() {
        for m in THERAPY {
            assert!(is_therapy(m) && !is_x(m));
        }
        for m in ["XE", "XS", "XP", "XU"] {
            assert!(is_x(m) && !is_therapy(m));
        }
        for m in ["", "G", "GPX", "gp", "59", "X"] {
            assert!(!is_therapy(m) && !is_x(m), "{m}");
        }
    }
}
