//! The KX modifier threshold (Medicare). Amounts by calendar year: `data/kx.csv`.

use super::{Ctx, Rule};
use crate::codes::table_rows;
use crate::report::Severity;
use crate::visit::{Discipline, Payer};
use std::sync::OnceLock;

/// The threshold table, as compiled in.
pub const KX_CSV: &str = include_str!("../../data/kx.csv");

/// `kx-threshold`
pub static KX: Rule = Rule {
    id: "kx-threshold",
    severity: Severity::Error,
    summary: "Above the year's therapy threshold without KX, or KX below it",
    checks: "Medicare only, when `ytd_allowed` is given (the patient's allowed amount so far this calendar year, this visit included: PT and SLP combined for a PT or SLP visit, OT alone for an OT visit). Above the amount for the year of the date of service, every therapy line needs KX: an error when it is missing. At or below it, KX on a line is a warning and is removed from the corrected set. ptbill never adds KX. Above $3,000 (the targeted medical review threshold, 2018 onward) an info says the claim may be reviewed. Amounts: 2017 $1,980 (then a cap), 2018 $2,010, 2019 $2,040, 2020 $2,080 (INFERRED from the 2021 increase of 1.4%: no source states it), 2021 $2,110, 2022 $2,150, 2023 $2,230, 2024 $2,330, 2025 $2,410, 2026 $2,480. A year past the table uses the latest amount and says so.",
    why: "Claims above the threshold without KX are denied. KX attests that the care is medically necessary and the record shows it; when it is not necessary, the path is an ABN signed before the service and the GA modifier, not KX.",
    source: "BBA 2018 §50202 (SSA §1833(g)(7)), signed 2018-02-09; NGS and Noridian (MACs) for 2019–2024; consistent secondary sources for 2025 and 2026 (billing-rules.md §10.1, §10.2). Table: `data/kx.csv`.",
    example: r#"{"date_of_service": "2026-03-02", "ytd_allowed": 2600, "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#,
    fix: "If the care is medically necessary and documented, add KX to each therapy line. If it is not, obtain an ABN before the service and use GA.",
};

/// This family's rules.
pub static RULES: &[&Rule] = &[&KX];

/// (year, amount in cents, inferred).
pub fn thresholds() -> &'static [(u16, u64, bool)] {
    static T: OnceLock<Vec<(u16, u64, bool)>> = OnceLock::new();
    T.get_or_init(|| {
        table_rows(KX_CSV)
            .filter_map(|f| {
                let year = f.first()?.parse().ok()?;
                let (dollars, cents) = f.get(1)?.split_once('.')?;
                let cents = dollars.parse::<u64>().ok()? * 100 + cents.parse::<u64>().ok()?;
                Some((year, cents, f.get(2) == Some(&"inferred")))
            })
            .collect()
    })
}

/// The years the table covers.
pub fn kx_date() -> &'static str {
    static DATE: std::sync::OnceLock<&str> = std::sync::OnceLock::new();
    crate::codes::valid_for(&DATE, KX_CSV)
}

/// The threshold used for a year: its own, or the latest before it. Returns
/// (amount in cents, year of the amount, inferred).
pub fn threshold_for(year: u16) -> Option<(u64, u16, bool)> {
    thresholds()
        .iter()
        .filter(|t| t.0 <= year)
        .max_by_key(|t| t.0)
        .map(|t| (t.1, t.0, t.2))
}

fn dollars(cents: u64) -> String {
    let whole = cents / 100;
    let s = whole.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}.{:02}", cents % 100)
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let visit = ctx.visit;
    ctx.data.insert("kx", kx_date().into());
    if visit.payer != Payer::Medicare {
        return;
    }
    let Some(ytd) = visit.ytd_allowed_cents else {
        return;
    };
    let year = visit.date_of_service.year();
    let Some((amount, amount_year, inferred)) = threshold_for(year) else {
        return;
    };
    if amount_year != year {
        ctx.emit(
            &super::data_date::DATA_DATE,
            Severity::Info,
            None,
            format!("The KX threshold for {year} is not in ptbill's table (it covers {}); the {amount_year} amount of {} was used.", kx_date(), dollars(amount)),
            "Check the year's amount in CMS's annual therapy threshold notice and update data/kx.csv.",
        );
    }
    let pool = match visit.discipline {
        Discipline::Ot => "OT",
        Discipline::Pt | Discipline::Slp => "PT and SLP combined",
    };
    let note = if inferred {
        " (inferred amount: see the rule's docs)"
    } else {
        ""
    };
    let therapy: Vec<usize> = (0..visit.lines.len())
        .filter(|&i| ctx.info[i].is_some_and(|c| c.kind.is_therapy() && c.valid_on(visit.date_of_service)))
        .collect();
    if ytd > amount {
        let missing: Vec<usize> = therapy
            .iter()
            .copied()
            .filter(|&i| !visit.lines[i].modifiers.iter().any(|m| m == "KX"))
            .collect();
        if !missing.is_empty() {
            let codes: Vec<&str> = missing.iter().map(|&i| visit.lines[i].code.as_str()).collect();
            ctx.emit(
                &KX,
                Severity::Error,
                None,
                format!(
                    "Year-to-date allowed {} ({pool}) is above the {year} KX threshold of {}{note}, but {} {} no KX.",
                    dollars(ytd),
                    dollars(amount),
                    codes.join(", "),
                    if codes.len() == 1 { "has" } else { "have" }
                ),
                "Add KX to each therapy line if the care is medically necessary and the record shows it: KX attests that. If it is not necessary, the patient signs an ABN before the service and the line takes GA instead. ptbill never adds KX.",
            );
        }
        if ytd > 300_000 && year >= 2018 {
            ctx.emit(
                &KX,
                Severity::Info,
                None,
                format!("Year-to-date allowed {} ({pool}) is above $3,000, the targeted medical review threshold: the claim may be chosen for review.", dollars(ytd)),
                "Make sure the record supports medical necessity for continued care.",
            );
        }
    } else {
        for &i in &therapy {
            if visit.lines[i].modifiers.iter().any(|m| m == "KX") {
                ctx.emit(
                    &KX,
                    Severity::Warning,
                    Some(i),
                    format!(
                        "KX on {}, but year-to-date allowed {} ({pool}) is at or below the {year} threshold of {}{note}.",
                        visit.lines[i].code,
                        dollars(ytd),
                        dollars(amount)
                    ),
                    "KX is used only above the threshold. Removed from the corrected modifiers.",
                );
                ctx.drop_modifier(i, "KX");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(threshold_for(2025), Some((241_000, 2025, false)));
        assert_eq!(threshold_for(2026), Some((248_000, 2026, false)));
        assert_eq!(threshold_for(2020), Some((208_000, 2020, true)));
        assert_eq!(threshold_for(2030).map(|t| t.1), Some(2026));
        assert_eq!(threshold_for(2010), None);
        assert_eq!(dollars(248_000), "$2,480.00");
        assert_eq!(dollars(183_450), "$1,834.50");
    }
}
