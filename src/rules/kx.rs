//! The KX modifier threshold (Medicare). Amounts by calendar year: `data/kx.csv`.

use super::{Ctx, Rule};
use crate::codes::table_rows;
use crate::report::Severity;
use crate::visit::{Discipline, Payer};
use std::sync::OnceLock;

/// The threshold table as compiled in: `data/kx.csv` without its provenance
/// comments and with its `source` column emptied (never read).
pub const KX_CSV: &str = crate::compact_table!(include_bytes!("../../data/kx.csv"), 0b0111);

/// `kx-threshold`
pub static KX: Rule = Rule {
    id: "kx-threshold",
    title: "KX modifier and the yearly therapy threshold",
    severity: Severity::Error,
    summary: "Above the year's therapy threshold without KX, or KX below it",
    checks: doc!(
        "Medicare only, when `ytd_allowed` is given (the patient's allowed amount so far this calendar year, this visit included: PT and SLP combined for a PT or SLP visit, OT alone for an OT visit). Above the amount for the year of the date of service, every therapy line needs KX: an error when it is missing. At or below it, KX on a line is a warning and is removed from the corrected set. ptbill never adds KX. Only billable therapy lines count. A year past the table (2027 today) has no published amount: the latest amount stands in, the message says so (\"2027's amount is not published yet; 2026's $2,480 was used\"), and a missing KX is a warning rather than an error until the year's amount is known. The $3,000 targeted medical review amount is a rule of its own, `medical-review-threshold`. Amounts: 2017 $1,980 (then a cap), 2018 $2,010, 2019 $2,040, 2020 $2,080 (secondary sources citing the CY2020 fee schedule rule; it agrees with 2021's increase of 1.4%), 2021 $2,110, 2022 $2,150, 2023 $2,230, 2024 $2,330, 2025 $2,410, 2026 $2,480. A row marked inferred in the table is named so in the message."
    ),
    why: doc!(
        "Claims above the threshold without KX are denied. KX attests that the care is medically necessary and the record shows it; when it is not necessary, the path is an ABN signed before the service and the GA modifier, not KX."
    ),
    source: doc!(
        "BBA 2018 §50202 (SSA §1833(g)(7)), signed 2018-02-09; NGS and Noridian (MACs) for 2019–2024; secondary sources for 2017, 2018, 2020 and 2025; CMS's Therapy Services page (revised February 2026, CR 14252) for 2026 (billing-rules.md §10.1, §10.2; ../shared/data/kx). Table: `data/kx.csv`."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "ytd_allowed": 2600, "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!(
        "If the care is medically necessary and documented, add KX to each therapy line. If it is not, obtain an ABN before the service and use GA."
    ),
};

/// `medical-review-threshold`
pub static MEDICAL_REVIEW: Rule = Rule {
    id: "medical-review-threshold",
    title: "Above the medical review amount",
    severity: Severity::Info,
    summary: "Year-to-date allowed above $3,000: the claim may be chosen for targeted medical review",
    checks: doc!(
        "Medicare only, when `ytd_allowed` is given (PT and SLP combined for a PT or SLP visit, OT alone for an OT visit): above $3,000 for a date of service in 2018 or later, an info. The amount is $3,000 for each calendar year from 2018 through 2027; from 2028 the law indexes it each year, and ptbill, having no later amount, keeps $3,000 and says so. Independent of KX: a correct claim with KX can still be reviewed."
    ),
    why: doc!(
        "Above this amount Medicare's contractors may review the therapy claims for medical necessity (not every claim above it is reviewed). The record, not the KX modifier, carries the case for continued care."
    ),
    source: doc!(
        "Bipartisan Budget Act of 2018 (P.L. 115-123) §50202, signed 2018-02-09: SSA §1833(g)(7)(B), targeted medical review at $3,000 replacing the $3,700 manual review; CMS Therapy Services page (revised February 2026): $3,000 \"until 2028 at which time it is indexed annually\"; NGS and Noridian (MACs); billing-rules.md §10.2.5, §10.2.6 and §10.3.1."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "ytd_allowed": 3200, "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP", "KX"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!(
        "Nothing to change on the claim. Keep the record current: goals, progress and why skilled care is still needed."
    ),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[&KX, &MEDICAL_REVIEW];

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

/// "$2,480.00": dollars with thousands separators and cents.
fn dollars(cents: u64) -> String {
    let mut buf = [0u8; 20];
    let digits = crate::message::decimal(&mut buf, cents / 100);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    out.push('$');
    for (i, &d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(d));
    }
    let rest = (cents % 100) as u8;
    out.push('.');
    out.push(char::from(b'0' + rest / 10));
    out.push(char::from(b'0' + rest % 10));
    out
}

/// "$2,480": whole dollars, for sentences about a table's amount.
fn whole_dollars(cents: u64) -> String {
    let s = dollars(cents);
    s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let visit = ctx.visit;
    ctx.used("kx", kx_date());
    if visit.payer != Payer::Medicare {
        return;
    }
    let Some(ytd) = visit.ytd_allowed_cents else {
        return;
    };
    let year = visit.date_of_service.year();
    let pool = match visit.discipline {
        Discipline::Ot => "OT",
        Discipline::Pt | Discipline::Slp => "PT and SLP combined",
    };
    check_review(ctx, ytd, year, pool);
    let Some((amount, amount_year, inferred)) = threshold_for(year) else {
        return;
    };
    // A year past the table: its amount is not published, so the finding is
    // softer and says which year's amount stood in.
    let unknown = (amount_year != year).then(|| {
        format!(
            "{year}'s amount is not published yet; {amount_year}'s {} was used",
            whole_dollars(amount)
        )
    });
    if let Some(stand_in) = &unknown {
        ctx.emit(
            &super::data_date::DATA_DATE,
            Severity::Info,
            None,
            format!("KX threshold: {stand_in} (ptbill's table covers {}).", kx_date()),
            "Check the year's amount in CMS's annual therapy threshold notice and update data/kx.csv.",
        );
    }
    let note = if inferred {
        " (an inferred amount: see the rule's docs)"
    } else {
        ""
    };
    // Built only for a finding: most visits with an amount draw none.
    let threshold = || match &unknown {
        Some(stand_in) => format!("the KX threshold ({stand_in})"),
        None => format!("the {year} KX threshold of {}{note}", dollars(amount)),
    };
    let therapy: Vec<usize> = (0..visit.lines.len())
        .filter(|&i| ctx.billable[i] && ctx.info[i].is_some_and(|c| c.kind.is_therapy()))
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
                if unknown.is_some() { Severity::Warning } else { Severity::Error },
                None,
                format!(
                    "This year's allowed amount so far, {} ({pool}), is above {}, but {} {} no KX.",
                    dollars(ytd),
                    threshold(),
                    crate::prose::join(&codes, ", "),
                    crate::units::word(codes.len() as u64, "has", "have")
                ),
                "Add KX to each therapy line if the care is medically necessary and the record shows it: KX attests that. If it is not necessary, the patient signs an ABN before the service and the line takes GA instead. ptbill never adds KX.",
            );
        }
    } else {
        for &i in &therapy {
            if visit.lines[i].modifiers.iter().any(|m| m == "KX") {
                ctx.emit_fixed(
                    &KX,
                    Severity::Warning,
                    Some(i),
                    format!(
                        "KX on {}, but this year's allowed amount so far, {} ({pool}), is not above {}: KX is used only above it.",
                        visit.lines[i].code,
                        dollars(ytd),
                        threshold()
                    ),
                    "Removed from the corrected modifiers.",
                );
                ctx.drop_modifier(i, "KX");
            }
        }
    }
}

/// The targeted medical review amount, in cents: $3,000 from CY2018 through CY2027.
const REVIEW_CENTS: u64 = 300_000;

fn check_review(ctx: &mut Ctx<'_>, ytd: u64, year: u16, pool: &str) {
    if ytd <= REVIEW_CENTS || year < 2018 {
        return;
    }
    let later = if year > 2027 {
        " ($3,000 is the amount through 2027; from 2028 it is indexed each year, and ptbill has no later amount)"
    } else {
        ""
    };
    ctx.emit(
        &MEDICAL_REVIEW,
        Severity::Info,
        None,
        format!(
            "This year's allowed amount so far, {} ({pool}), is above $3,000{later}: above that amount Medicare may choose the claim for a targeted medical review.",
            dollars(ytd)
        ),
        "Nothing to change on the claim; make sure the record shows why continued care is medically necessary.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(threshold_for(2025), Some((241_000, 2025, false)));
        assert_eq!(threshold_for(2026), Some((248_000, 2026, false)));
        assert_eq!(threshold_for(2020), Some((208_000, 2020, false)));
        assert_eq!(threshold_for(2030).map(|t| t.1), Some(2026));
        assert_eq!(threshold_for(2010), None);
        assert_eq!(dollars(248_000), "$2,480.00");
        assert_eq!(dollars(183_450), "$1,834.50");
        for cents in [0, 5, 99, 100, 12_345, 99_999_999, 100_000_001, u64::MAX] {
            let whole = (cents / 100).to_string();
            let mut grouped = String::new();
            for (i, c) in whole.chars().enumerate() {
                if i > 0 && (whole.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            assert_eq!(dollars(cents), format!("${grouped}.{:02}", cents % 100));
        }
    }
}
