//! Whether the reference tables cover the date of service. No data is not a
//! pass: when a table is older (or newer) than the visit, the report says so.

use super::{Ctx, Rule};
use crate::date::Date;
use crate::report::Severity;

/// `reference-data-date`
pub static DATA_DATE: Rule = Rule {
    id: "reference-data-date",
    title: "Reference tables do not cover this date",
    severity: Severity::Info,
    summary: "The date of service is outside what a reference table covers",
    checks: "Compares the date of service with each table's date: the NCCI and MUE tables (CMS, quarterly; ptbill has the 2024-07-01 release, which covers dates of service to 2024-09-30), the KX thresholds (by calendar year), the code catalog (as of 2026-11-23, covering 2026), and the ICD-10-CM code set (FY2016–FY2027: 2015-10-01 to 2027-09-30). The check still runs with the nearest table, and this note says so.",
    why: "Edits, limits and code sets change every quarter or year; a check against an older table can miss a new edit or flag a removed one.",
    source: "Each table's header in `data/` names its source and date: NCCI and MUE 2024-07-01, codes and modifiers 2026-11-23, KX CY2017–CY2026, ICD-10-CM FY2016–FY2027. CMS publishes NCCI PTP and MUE tables quarterly.",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#,
    fix: "Nothing to fix in the visit; check the payer's current edits for anything critical, and update the tables (tools/ncci.py).",
};

/// This family's rules.
pub static RULES: &[&Rule] = &[&DATA_DATE];

/// Last date of service the NCCI and MUE tables cover (one quarter).
const NCCI_COVERS_TO: Date = Date::new(2024, 9, 30).unwrap();
/// Last date of service the code catalog is meant for.
const CATALOG_COVERS_TO: Date = Date::new(2026, 12, 31).unwrap();

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let dos = ctx.visit.date_of_service;
    if dos > NCCI_COVERS_TO {
        ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            msg!("Code-pair edits and daily unit limits were checked with CMS's tables of {mue}, which cover dates of service to {NCCI_COVERS_TO}; this visit is on {dos}, so changes since then are not reflected.", super::ncci::mue_date(), NCCI_COVERS_TO, dos),
            "For a pair or limit that matters, check CMS's current quarterly NCCI files. Therapy edits have been stable since 2020.",
        );
    } else if dos.year() < 2020 {
        ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            format!("Code-pair edits were checked with CMS's table of {}: edits that ended before {dos} are skipped, but the table does not say when each edit began, so one added after {dos} may be applied.", super::ncci::mue_date()),
            "For an old date of service, check CMS's NCCI table of that quarter.",
        );
    }
    if dos > CATALOG_COVERS_TO {
        ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            format!("ptbill's code catalog reflects CPT and HCPCS as of {} (calendar year 2026); codes added or deleted for {} are not known.", crate::codes::catalog_date(), dos.year()),
            "Check new and deleted codes for the year in the current CPT and HCPCS updates.",
        );
    }
    ctx.data.insert("codes", crate::codes::catalog_date().into());
}
