//! Code rules: is this a code, is it valid on the date of service, is it a
//! therapy service, and does the payer take it as billed.
//!
//! Tables: `data/codes.csv` (the catalog) and `data/payer-rules.csv`
//! (Medicare substitutions and bundled codes), each with its sources in its header.

use super::{Ctx, Rule};
use crate::codes::{CodeInfo, Kind, Shape, table_rows};
use crate::date::Date;
use crate::report::Severity;
use crate::units::n_minutes;
use crate::visit::{Payer, Visit};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The payer-rules table as compiled in: `data/payer-rules.csv` without its
/// provenance comments and with its `confidence` column emptied (never read).
pub const PAYER_RULES_CSV: &str = crate::compact_table!(include_bytes!("../../data/payer-rules.csv"), 0b101_1111);

/// `invalid-code`
pub static INVALID_CODE: Rule = Rule {
    id: "invalid-code",
    title: "Not a valid code",
    severity: Severity::Error,
    summary: "Not a well-formed CPT or HCPCS code",
    checks: doc!(
        "The code must be five digits (CPT Category I), four digits and F, T, U or M (CPT Category II, III and lab codes), or a letter and four digits (HCPCS Level II). Spaces around the code are trimmed and letters upper-cased first. The line stays in the report, so the rest of the visit can be checked, but it is not billable (`billable: false`): 0 units under both methods, its minutes count toward no unit, and the documentation statement names it under \"Not billed\"."
    ),
    why: doc!("A claim with a malformed code is rejected before anyone looks at it."),
    source: doc!(
        "CPT code structure (AMA) and HCPCS Level II structure (CMS), as used on the CMS-1500 claim; in force throughout ptbill's data."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "9711O", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Retype the code. A common slip is the letter O for the digit 0."),
};

/// `unknown-code`
pub static UNKNOWN_CODE: Rule = Rule {
    id: "unknown-code",
    title: "A code ptbill does not know",
    severity: Severity::Warning,
    summary: "Well-formed, but not a code ptbill knows",
    checks: doc!(
        "The code has the right shape but is not in ptbill's catalog of therapy codes and of the non-therapy codes therapists commonly meet (laboratory codes, four digits and U or M, are named as such). Its units cannot be counted, so the line is not billable: 0 units under both methods, and its minutes count toward no unit."
    ),
    why: doc!("It may be a typo for a therapy code, or a code outside therapy that needs another clinician's claim."),
    source: doc!(
        "ptbill's catalog, `data/codes.csv` (as of 2026-11-23), built from billing-rules.md §3, §4, §6, §7 and §11, with validity dates checked against the CMS I/OCE HCPCS table, versions of 2019-07-01 to 2026-04-01 (hcpcs README)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97109", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Check the code against the current CPT or HCPCS book. If it is right, check its units by hand."),
};

/// `deleted-code`
pub static DELETED_CODE: Rule = Rule {
    id: "deleted-code",
    title: "Code not valid on the date of service",
    severity: Severity::Error,
    summary: "The code is not valid on the date of service",
    checks: doc!(
        "Compares the date of service with the code's valid dates in the catalog: 97001–97006 ended 2016-12-31 (97161–97172 from 2017-01-01); 97532 and 97762 ended 2017-12-31 (97763 from 2018-01-01); 97127 and G0515 ended 2019-12-31 (97129/+97130 from 2020-01-01); the functional-reporting G-codes G8978–G8999 and G9158–G9186 ended 2019-12-31 (no longer required from 2019-01-01). A code used before its start date is flagged the same way (\"not yet valid\": 98985 on 2025-12-15, a CPT 2026 code). The line is not billable: 0 units under both methods, minutes counted toward no unit. The severity modifiers CH–CN are still valid codes and are not flagged."
    ),
    why: doc!("A deleted code is denied; claims must use the code set in force on the date of service."),
    source: doc!(
        "Validity dates checked against the CMS I/OCE HCPCS table, versions of 2019-07-01 to 2026-04-01 (97037 from 2024-01-01; 97550–97552 from 2024-01-01; RTM 98975–98977, 98980, 98981 from 2022-01-01, 98978 from 2023-01-01, 98979 and 98984–98986 from 2026-01-01; 64550 in no quarter); AMA CPT 2017 (evaluation codes, APTA and AAPC summaries); CPT 2018 (97763, 97127); CPT 2020 (97129/97130); CY 2019 PFS final rule CMS-1693-F and MBPM Ch. 15 §220.4 (FLR ended 2019-01-01); billing-rules.md §3, §4, §6.3, §11."
    ),
    example: doc!(
        r#"{"date_of_service": "2017-03-02", "lines": [{"code": "97001", "modifiers": ["GP"]}], "diagnoses": ["M54.5"]}"#
    ),
    fix: doc!("Bill the replacement code named in the message."),
};

/// `medicare-code-substitution`
pub static SUBSTITUTION: Rule = Rule {
    id: "medicare-code-substitution",
    title: "Medicare wants another code",
    severity: Severity::Error,
    summary: "Medicare wants another code for this service",
    checks: doc!(
        "Medicare does not pay 97014 (unattended electrical stimulation); it takes G0283 for non-wound care under a therapy plan of care (G0281/G0282 for wounds). Medicare never paid 97127 and used G0515 in 2018–2019. An error for Medicare, a warning for Medicare Advantage (many plans follow Medicare), silent for other payers (some, such as UnitedHealthcare since 2007, also want G0283)."
    ),
    why: doc!("The CPT code is denied; the HCPCS code is paid."),
    source: doc!(
        "billing-rules.md §6.1 (G0283 in place of 97014, since 2003; the exact start, 2003-03-01 or 2003-04-01, is disputed: the table uses 2003-04-01) and §6.3 (G0515, 2018–2019). Table: `data/payer-rules.csv`."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97014", "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Replace the code with the one named in the message."),
};

/// `bundled-code`
pub static BUNDLED_CODE: Rule = Rule {
    id: "bundled-code",
    title: "Never paid on its own",
    severity: Severity::Error,
    summary: "Never paid separately by this payer",
    checks: doc!(
        "97010 (hot or cold packs) has Medicare status B: bundled into the other services of the day. An error for Medicare, a warning for Medicare Advantage, silent for other payers."
    ),
    why: doc!("A bundled code is never paid on its own, and the patient cannot be billed for it either."),
    source: doc!(
        "Medicare Physician Fee Schedule status indicator B for 97010 (Palmetto GBA, \"Hot or Cold Packs: Bundling Denials\"; billing-rules.md §3). The MUE for 97010 is 0 (CMS policy), 2024-07-01."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97010", "modifiers": ["GP"]}, {"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Leave 97010 off the Medicare claim. Record the packs in the treatment note."),
};

/// `not-therapy-code`
pub static NOT_THERAPY: Rule = Rule {
    id: "not-therapy-code",
    title: "Not billable on a therapy claim",
    severity: Severity::Warning,
    summary: "Not a service a therapist bills this payer",
    checks: doc!(
        "Flags physician procedures (spinal neurostimulators 63650–63688, epidural injections 62320–62327, transforaminal epidurals 64479–64484, facet injections 64490–64495, nerve blocks 64400–64530, nerve destruction 64600–64681, the unlisted nervous-system procedure 64999), physician office visits (99202–99215), chiropractic manipulation (98940–98942), athletic-training evaluations (97169–97172; Medicare MUE 0), and, on a Medicare or Medicare Advantage visit of any discipline, acupuncture 97810–97814 and dry needling 20560/20561. Such a line is not billable: 0 units under both methods, its minutes count toward no unit, and the documentation statement names it under \"Not billed\". For other payers acupuncture is not flagged, and dry needling is a sometimes-therapy service that takes GP/GO."
    ),
    why: doc!(
        "These are billed by physicians, chiropractors or athletic trainers, not under a therapy plan. For acupuncture, Medicare covers it only for chronic low back pain under NCD 30.3.3 (from 2020-01-21), furnished by physicians or by practitioners they supervise; physical and occupational therapists are not among those who bill it in their own right (an inference in billing-rules.md §7.5a). Dry needling has had its own codes since 2020-01-01, and Medicare made them non-covered except as acupuncture under the same NCD, so a therapist cannot bill Medicare for them either. Medicare Advantage plans cover at least what Medicare covers; a plan may add acupuncture as an extra benefit, so the message says to check the plan."
    ),
    source: doc!(
        "billing-rules.md §7.5a (NCD 30.3.3, 2020-01-21) and §7.6 (20560/20561 from 2020-01-01, non-covered by Medicare except as acupuncture; April 2020 MPFSDB update); CMS MUE table 2024-07-01 (97169–97172 = 0); pain-procedure ranges as listed in ptbill issue 3; E/M and CMT by code definition."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "20560", "modifiers": ["GP"]}, {"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.16"]}"#
    ),
    fix: doc!(
        "Remove the line from the therapy claim; the clinician who furnished the service bills it. For acupuncture or dry needling on a Medicare visit, tell the patient beforehand that Medicare will not pay for it."
    ),
};

/// `non-medicare-code`
pub static NON_MEDICARE: Rule = Rule {
    id: "non-medicare-code",
    title: "A code Medicare does not accept",
    severity: Severity::Error,
    summary: "An HCPCS S-code on a Medicare claim (S-codes are for other payers)",
    checks: doc!(
        "A code S0000–S9999. On a Medicare visit it is an error and the line is not billable (0 units, its minutes count toward no unit); on a Medicare Advantage visit too, as a warning (plans follow Medicare's code set). For Medicaid, commercial and other payers it is a warning: some accept S-codes and some do not, and ptbill counts it as one service."
    ),
    why: doc!(
        "S-codes are national HCPCS codes kept for private insurers and Medicaid agencies, for services without another national code; Medicare does not accept them, so the line is rejected."
    ),
    source: doc!(
        "HCPCS Level II S-codes: TRICARE Policy Manual 6010.60-M, Ch. 1, §12.1 (revision of 2019-09-27: temporary codes used by the private sector); MediRegs, \"HCPCS S codes: what are they?\" (2010-05: not reportable to Medicare)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "S9131", "modifiers": ["GP"]}, {"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!(
        "For Medicare, bill the CPT code that describes the service (for a therapy visit, the codes of the treatment given). For another payer, check that it takes the S-code before billing it."
    ),
};

/// `tracking-code`
pub static TRACKING: Rule = Rule {
    id: "tracking-code",
    title: "Quality-reporting code, never paid",
    severity: Severity::Info,
    summary: "CPT Category II: reported for quality tracking, never paid",
    checks: doc!("Codes of four digits and F (for example 1125F, pain severity quantified)."),
    why: doc!(
        "Category II codes carry no payment; they are reported with a zero or token charge for quality programmes."
    ),
    source: doc!(
        "AMA CPT 2026 code set: Category II codes are four digits and F (structure unchanged throughout ptbill's data)."
    ),
    example: doc!(r#"{"date_of_service": "2026-03-02", "lines": [{"code": "1125F"}], "diagnoses": ["M54.50"]}"#),
    fix: doc!("Nothing to fix if you meant to report a quality measure; expect no payment for it."),
};

/// `temporary-code`
pub static TEMPORARY: Rule = Rule {
    id: "temporary-code",
    title: "Emerging-service code, coverage varies",
    severity: Severity::Warning,
    summary: "CPT Category III: emerging technology, coverage varies",
    checks: doc!("Codes of four digits and T."),
    why: doc!("Category III codes are temporary; many payers treat them as investigational and deny them."),
    source: doc!(
        "AMA CPT 2026 code set: Category III codes are four digits and T, temporary and reviewed twice a year (structure unchanged throughout ptbill's data)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "0552T", "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!("Check the payer's policy before the visit; give the patient an ABN (Medicare) if denial is expected."),
};

/// `functional-reporting`
pub static FUNCTIONAL_REPORTING: Rule = Rule {
    id: "functional-reporting",
    title: "Functional-reporting G-code",
    severity: Severity::Info,
    summary: "A functional-limitation reporting G-code (non-payable)",
    checks: doc!(
        "G8978–G8999 and G9158–G9186 on a date when they were still valid codes. From 2013 to 2018 they were required at the evaluation, at least every 10 treatment days and at discharge; in 2019 they were no longer required. After 2019-12-31 the codes themselves are gone and `deleted-code` fires instead."
    ),
    why: doc!("They carry no payment, and from 2019 they are no longer needed at all."),
    source: doc!(
        "MCPM Ch. 5 §10.6 (FLR from 2013-01-01, enforced 2013-07-01); CY 2019 PFS final rule CMS-1693-F and MBPM Ch. 15 §220.4 (ended for dates of service from 2019-01-01); billing-rules.md §11."
    ),
    example: doc!(
        r#"{"date_of_service": "2019-05-02", "lines": [{"code": "G8978", "modifiers": ["GP", "CJ"]}, {"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.5"]}"#
    ),
    fix: doc!("From 2019 on, leave functional-reporting G-codes and their severity modifiers off the claim."),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[
    &INVALID_CODE,
    &UNKNOWN_CODE,
    &DELETED_CODE,
    &SUBSTITUTION,
    &BUNDLED_CODE,
    &NOT_THERAPY,
    &NON_MEDICARE,
    &TRACKING,
    &TEMPORARY,
    &FUNCTIONAL_REPORTING,
];

/// One row of `data/payer-rules.csv`.
#[derive(Debug)]
pub struct PayerRule {
    /// The code Medicare will not pay as billed.
    pub code: &'static str,
    /// `true` for bundled, `false` for a substitution.
    pub bundled: bool,
    /// The code to bill instead.
    pub instead: &'static str,
    /// First date the rule applies.
    pub from: Option<Date>,
    /// Last date it applies.
    pub to: Option<Date>,
    /// Why, in words.
    pub why: &'static str,
}

/// The payer-rules table, parsed once.
pub fn payer_rules() -> &'static [PayerRule] {
    static T: OnceLock<Vec<PayerRule>> = OnceLock::new();
    T.get_or_init(|| {
        table_rows(PAYER_RULES_CSV)
            .filter(|f| f.len() == 7)
            .map(|f| PayerRule {
                code: f[0],
                bundled: f[1] == "bundled",
                instead: f[2],
                from: Date::parse(f[3]).ok(),
                to: Date::parse(f[4]).ok(),
                why: f[6],
            })
            .collect()
    })
}

/// The date the payer-rules table is valid for.
pub fn payer_rules_date() -> &'static str {
    static DATE: std::sync::OnceLock<&str> = std::sync::OnceLock::new();
    crate::codes::valid_for(&DATE, PAYER_RULES_CSV)
}

/// Why a line earns nothing on this claim, in words for the documentation
/// statement ("not a valid code"), or `None` when it is billable. A line that
/// is not billable gets 0 units under both methods and its minutes count toward
/// no unit; the rules of this family say why in a finding.
pub fn unbillable(shape: Shape, info: Option<&CodeInfo>, visit: &Visit) -> Option<String> {
    if shape == Shape::Invalid {
        return Some("not a valid code".into());
    }
    let Some(info) = info else {
        return Some(
            match shape {
                Shape::Tracking => "a quality-reporting code, never paid",
                Shape::Lab => "a laboratory code, not a therapy service",
                _ => "not a code ptbill knows",
            }
            .into(),
        );
    };
    let dos = visit.date_of_service;
    if !info.valid_on(dos) {
        return Some(match (info.valid_from, info.valid_to) {
            (_, Some(to)) if dos > to => format!("deleted after {to}"),
            (Some(from), _) => format!("not valid before {from}"),
            _ => "not valid on the date of service".into(),
        });
    }
    not_billable_kind(info.kind, visit.payer).map(|(why, _)| why.to_string())
}

/// Kinds of code a therapist cannot bill this payer: (reason, what the code is).
fn not_billable_kind(kind: Kind, payer: Payer) -> Option<(&'static str, &'static str)> {
    let medicare_like = matches!(payer, Payer::Medicare | Payer::MedicareAdvantage);
    Some(match kind {
        Kind::Procedure => ("a physician's procedure", "a physician's procedure (pain management)"),
        Kind::Em => (
            "a physician's office visit",
            "a physician's or nurse practitioner's office visit",
        ),
        Kind::Chiro => ("chiropractic manipulation", "chiropractic manipulation"),
        Kind::Athletic => ("an athletic trainer's evaluation", "an athletic trainer's evaluation"),
        Kind::Acupuncture if medicare_like => ("Medicare does not pay a therapist for acupuncture", "acupuncture"),
        Kind::Needling if medicare_like => ("Medicare does not pay a therapist for dry needling", "dry needling"),
        Kind::SCode if medicare_like => ("Medicare does not accept S-codes", "an S-code"),
        _ => return None,
    })
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    ctx.used("payer_rules", payer_rules_date());
    let visit = ctx.visit;
    let dos = visit.date_of_service;
    let payer = visit.payer;
    for i in 0..visit.lines.len() {
        // Borrowed from the visit, not from `ctx`, so `ctx` can take findings.
        let code = &visit.lines[i].code;
        let minutes = ctx.visit.lines[i].minutes.filter(|&m| m > 0);
        // Built only for a finding that says it (most lines have none).
        let uncounted = || {
            minutes
                .map(|m| format!(" and its {} count toward no unit", n_minutes(u64::from(m))))
                .unwrap_or_default()
        };
        match ctx.shapes[i] {
            Shape::Invalid => {
                let hint = if code.contains('O') && code.replace('O', "0").bytes().all(|b| b.is_ascii_digit()) {
                    format!(
                        " Did you mean {}? (the letter O was typed for a zero)",
                        code.replace('O', "0")
                    )
                } else {
                    String::new()
                };
                let uncounted = uncounted();
                ctx.emit(
                    &INVALID_CODE,
                    Severity::Error,
                    Some(i),
                    format!("{code:?} is not a valid procedure code, so it is not billed{uncounted}. A code is 5 digits (97110), 4 digits and a letter (1125F), or a letter and 4 digits (G0283).{hint}"),
                    "Retype the code from the CPT or HCPCS book.",
                );
                continue;
            }
            Shape::Tracking if ctx.info[i].is_none() => {
                ctx.emit(
                    &TRACKING,
                    Severity::Info,
                    Some(i),
                    format!("{code} is a quality-reporting code (CPT Category II): it is reported for quality measures and is never paid, so it earns no unit."),
                    "Keep it only if you report a quality measure.",
                );
                continue;
            }
            Shape::Temporary if ctx.info[i].is_none() => {
                let uncounted = uncounted();
                ctx.emit(
                    &TEMPORARY,
                    Severity::Warning,
                    Some(i),
                    format!("{code} is a Category III code for an emerging service: many payers do not cover it, and ptbill cannot count its units, so it is not billed here{uncounted}."),
                    "Check the payer's coverage policy before the visit; for Medicare, give the patient an ABN if you expect a denial.",
                );
                continue;
            }
            _ => {}
        }
        let Some(info) = ctx.info[i] else {
            let lab = ctx.shapes[i] == Shape::Lab;
            let uncounted = uncounted();
            ctx.emit(
                &UNKNOWN_CODE,
                Severity::Warning,
                Some(i),
                if lab {
                    format!("{code} is a laboratory code, not a therapy service, so it is not billed here{uncounted}.")
                } else {
                    format!("{code} is not a code ptbill knows, so it is not billed here{uncounted}.")
                },
                "Check the code in the current CPT or HCPCS book. If it is right, work out its units by hand.",
            );
            continue;
        };
        if !info.valid_on(dos) {
            let (msg, help) = match (info.valid_from, info.valid_to) {
                (_, Some(to)) if dos > to => (
                    format!(
                        "{code} ({}) was deleted: the last date of service it could be billed for was {to}, and this visit is on {dos}. It is not billed.",
                        info.label
                    ),
                    if info.replaced_by.starts_with("none") {
                        Cow::Borrowed("Leave it off the claim: nothing replaced it.")
                    } else {
                        Cow::Owned(format!("Bill {} instead.", info.replaced_by))
                    },
                ),
                (Some(from), _) => (
                    format!(
                        "{code} ({}) can be billed only for dates of service from {from}; this visit is on {dos}. It is not billed.",
                        info.label
                    ),
                    Cow::Borrowed("Bill the code that was in force on the date of service."),
                ),
                _ => (
                    format!("{code} cannot be billed on {dos}."),
                    Cow::Borrowed("Bill the code that was in force on the date of service."),
                ),
            };
            ctx.emit(&DELETED_CODE, Severity::Error, Some(i), msg, help);
            ctx.explained[i] = true;
            continue;
        }
        if info.kind == Kind::Reporting {
            let msg = if dos.year() >= 2019 {
                format!(
                    "{code} is a functional-reporting G-code: not required for dates of service from 2019-01-01, and deleted after 2019-12-31."
                )
            } else {
                format!(
                    "{code} is a functional-reporting G-code: it carries no payment, and it is required with its severity modifier (CH–CN) at the evaluation, at least every 10 treatment days and at discharge."
                )
            };
            ctx.emit(
                &FUNCTIONAL_REPORTING,
                Severity::Info,
                Some(i),
                msg,
                "It earns nothing. From 2019 on, leave it off the claim.",
            );
            ctx.explained[i] = true;
        }
        check_payer(ctx, i, code);
        if info.kind == Kind::SCode {
            check_scode(ctx, i, code, payer);
            continue;
        }
        check_not_therapy(ctx, i, code, info, payer);
    }
}

fn check_scode(ctx: &mut Ctx<'_>, i: usize, code: &str, payer: Payer) {
    let (severity, msg) = match payer {
        Payer::Medicare => (
            Severity::Error,
            format!(
                "{code} is an HCPCS S-code. Medicare does not accept S-codes (they are kept for private insurers and Medicaid agencies), so this line is not billed."
            ),
        ),
        Payer::MedicareAdvantage => (
            Severity::Warning,
            format!(
                "{code} is an HCPCS S-code. Medicare does not accept S-codes, and Medicare Advantage plans use Medicare's code set, so this line is not billed."
            ),
        ),
        _ => (
            Severity::Warning,
            format!(
                "{code} is an HCPCS S-code: some commercial payers and Medicaid plans accept S-codes, others do not. ptbill counts it as one service and cannot check its units."
            ),
        ),
    };
    ctx.emit(
        &NON_MEDICARE,
        severity,
        Some(i),
        msg,
        "For Medicare, bill the CPT code for the service given. For another payer, check its code list first.",
    );
    ctx.explained[i] = true;
}

fn check_payer(ctx: &mut Ctx<'_>, i: usize, code: &str) {
    let dos = ctx.visit.date_of_service;
    let (severity, who) = match ctx.visit.payer {
        Payer::Medicare => (Severity::Error, ""),
        Payer::MedicareAdvantage => (
            Severity::Warning,
            "Many Medicare Advantage plans follow Medicare here. ",
        ),
        _ => return,
    };
    let applies = |r: &PayerRule| r.code == code && r.from.is_none_or(|f| dos >= f) && r.to.is_none_or(|t| dos <= t);
    // Rows compared by packed code first (an integer compare a row), then as text.
    static KEYS: OnceLock<Vec<Option<u64>>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| payer_rules().iter().map(|r| crate::ncci_table::pack(r.code)).collect());
    let key = crate::ncci_table::pack(code);
    let rows = payer_rules()
        .iter()
        .zip(keys)
        .filter(|(_, k)| key.is_none() || **k == key);
    for r in rows.map(|(r, _)| r).filter(|r| applies(r)) {
        // The rule's own code is the line's code, and lives for the program.
        let code = r.code;
        if r.bundled {
            ctx.emit(
                &BUNDLED_CODE,
                severity,
                Some(i),
                msg!("{who}Medicare never pays {code} on its own: its payment is included in the other services of the day, and the patient cannot be billed for it either.", who, code),
                msg!("Leave {code} off the claim and record it in the treatment note.", code),
            );
        } else {
            ctx.emit(
                &SUBSTITUTION,
                severity,
                Some(i),
                msg!("{who}{why}.", who, r.why),
                msg!("Bill {instead} in place of {code}.", r.instead, code),
            );
        }
        ctx.explained[i] = true;
    }
}

fn check_not_therapy(ctx: &mut Ctx<'_>, i: usize, code: &str, info: &CodeInfo, payer: Payer) {
    let kind = info.kind;
    let Some((_, what)) = not_billable_kind(kind, payer) else {
        return;
    };
    let ma = if payer == Payer::MedicareAdvantage {
        " Medicare Advantage plans follow Medicare here unless the plan covers it as an extra benefit."
    } else {
        ""
    };
    let (msg, help) = match kind {
        Kind::Acupuncture => (
            format!(
                "{code} is acupuncture. Medicare covers acupuncture only for chronic low back pain (national coverage decision 30.3.3), furnished by a physician or by a practitioner working under one; a physical, occupational or speech therapist cannot bill Medicare for it. It is not billed.{ma}"
            ),
            "Leave it off the therapy claim. If you furnish it, tell the patient beforehand that Medicare will not pay for it.",
        ),
        Kind::Needling => (
            format!(
                "{code} is dry needling. Medicare pays for dry needling only as acupuncture (chronic low back pain, furnished by a physician or by a practitioner working under one), so a therapist cannot bill Medicare for it. It is not billed.{ma}"
            ),
            "Leave it off the therapy claim. If you furnish it, tell the patient beforehand that Medicare will not pay for it.",
        ),
        Kind::Em => (
            format!("{code} is {what}, not a therapy service. It is not billed on this claim."),
            "Therapists bill their evaluations as 97161–97168.",
        ),
        Kind::Chiro => (
            format!(
                "{code} is {what}, billed by chiropractors, not a therapy service. It is not billed on this claim."
            ),
            "Therapists bill joint mobilisation and manipulation as 97140.",
        ),
        Kind::Athletic => (
            format!(
                "{code} is {what}, not a physical or occupational therapy evaluation; Medicare never pays it. It is not billed on this claim."
            ),
            "Bill 97161–97163 for a PT evaluation or 97165–97167 for an OT evaluation.",
        ),
        _ => (
            format!(
                "{code} ({}) is a physician's procedure, not a therapy service. It is not billed on this claim.",
                info.label
            ),
            "Leave it off the therapy claim; the physician who performed it bills it.",
        ),
    };
    ctx.emit(&NOT_THERAPY, Severity::Warning, Some(i), msg, help);
    ctx.explained[i] = true;
}
