//! Whether the reference tables cover the date of service. No data is not a
//! pass: when a table is older (or newer) than the visit, the report says so.

use super::{Ctx, Rule};
use crate::date::Date;
use crate::report::Severity;
use crate::visit::Setting;

/// `reference-data-date`
pub static DATA_DATE: Rule = Rule {
    id: "reference-data-date",
    title: "Reference tables do not cover this date",
    severity: Severity::Info,
    summary: "The date of service is outside what a reference table covers",
    checks: doc!(
        "Compares the date of service with each table's dates, for the visit's `setting`. Code-pair (PTP) edits: the practitioner table is CMS's release of 2024-07-01, covering dates of service to 2024-09-30, with exact deletion dates but no start dates (apart from the inferred 2020 gap), so for a date before 2020 an edit added later may be applied; the outpatient-hospital table is the NCCI hospital edits as CMS's I/OCE applies them from 2019-07-01 to the quarter of 2026-04-01, covering dates of service to 2026-06-30, with each edit's first quarter, so only a date before 2019-07-01 (where the I/OCE data begin) lacks start dates. Daily unit limits (MUE): CMS's tables of 2024-07-01 for both settings, covering dates of service to 2024-09-30. Also the KX thresholds (by calendar year), the code catalog (as of 2026-11-23, covering 2026), and the ICD-10-CM code set (FY2016–FY2027: 2015-10-01 to 2027-09-30). The check still runs with the nearest table, and this note says so."
    ),
    why: doc!(
        "Edits, limits and code sets change every quarter or year; a check against an older table can miss a new edit or flag a removed one."
    ),
    source: doc!(
        "Each table's header in `data/` names its source and date: practitioner PTP and MUE 2024-07-01 (CMS, quarterly); outpatient-hospital PTP from the CMS I/OCE 2019-07-01 to 2026-04-01 (`covers_to: 2026-06-30`); codes and modifiers 2026-11-23; KX CY2017–CY2026; ICD-10-CM FY2016–FY2027."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.50"]}"#
    ),
    fix: doc!(
        "Nothing to fix in the visit; check the payer's current edits for anything critical, and update the tables (`tools/update-data` with CMS's newer files)."
    ),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[&DATA_DATE];

/// Last date of service the MUE tables cover (one quarter after 2024-07-01).
const MUE_COVERS_TO: Date = Date::new(2024, 9, 30).unwrap();
/// First date of service the outpatient-hospital table gives start dates for
/// (the first I/OCE quarter in the data).
const HOSPITAL_STARTS_FROM: Date = Date::new(2019, 7, 1).unwrap();
/// Last date of service the code catalog is meant for.
const CATALOG_COVERS_TO: Date = Date::new(2026, 12, 31).unwrap();

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    // The page's module before its tables: the code-pair checks wait, and the
    // notes on them, which say the edits were checked, wait with them.
    if ctx.pending.contains(&super::ncci::NCCI_EDIT.id) {
        ctx.pending(&DATA_DATE);
    } else {
        pair_and_limit_notes(ctx);
    }
    let dos = ctx.visit.date_of_service;
    if dos > CATALOG_COVERS_TO {
        ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            {
                let (catalog, year) = (crate::codes::catalog_date(), dos.year());
                msg!("ptbill's code catalog reflects CPT and HCPCS as of {catalog} (calendar year 2026); codes added or deleted for {year} are not known.", catalog, year)
            },
            "Check new and deleted codes for the year in the current CPT and HCPCS updates.",
        );
    }
    ctx.used("codes", crate::codes::catalog_date());
}

/// The notes on the code-pair (NCCI) and daily-limit (MUE) tables' dates.
fn pair_and_limit_notes(ctx: &mut Ctx<'_>) {
    let dos = ctx.visit.date_of_service;
    let setting = ctx.visit.setting;
    let ptp_to = crate::ncci_table::ptp_covers_to(setting).unwrap_or(MUE_COVERS_TO);
    let ptp_date = crate::ncci_table::ptp_date(setting);
    let which = match setting {
        Setting::Practitioner => "practitioner",
        Setting::OutpatientHospital => "outpatient-hospital",
    };
    let mue = super::ncci::mue_date();
    let help = "For a pair or limit that matters, check CMS's current quarterly NCCI files. Therapy edits have been stable since 2020.";
    if dos > ptp_to && ptp_to == MUE_COVERS_TO {
        ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            msg!("Code-pair edits and daily unit limits were checked with CMS's {which} tables of {mue}, which cover dates of service to {ptp_to}; this visit is on {dos}, so changes since then are not reflected.", which, mue, ptp_to, dos),
            help,
        );
    } else if dos > ptp_to {
        ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            msg!("Code-pair edits were checked with CMS's {which} table of {ptp_date}, which covers dates of service to {ptp_to}, and daily unit limits with CMS's table of {mue}, which covers them to {MUE_COVERS_TO}; this visit is on {dos}, so changes since then are not reflected.", which, ptp_date, ptp_to, mue, MUE_COVERS_TO, dos),
            help,
        );
    } else if dos > MUE_COVERS_TO {
        ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            msg!("Daily unit limits were checked with CMS's table of {mue}, which covers dates of service to {MUE_COVERS_TO}; this visit is on {dos}, so changes since then are not reflected. Code-pair edits are from the {which} table of {ptp_date}, which covers this date.", mue, MUE_COVERS_TO, dos, which, ptp_date),
            "For a limit that matters, check CMS's current quarterly MUE file.",
        );
    }
    match setting {
        Setting::Practitioner if dos.year() < 2020 => ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            msg!("Code-pair edits were checked with CMS's practitioner table of {ptp_date}: edits that ended before {dos} are skipped, but that table does not say when each edit began, so one added after {dos} may be applied.", ptp_date, dos, dos),
            "For an old date of service, check CMS's NCCI table of that quarter.",
        ),
        Setting::OutpatientHospital if dos < HOSPITAL_STARTS_FROM => ctx.emit(
            &DATA_DATE,
            Severity::Info,
            None,
            msg!("Code-pair edits were checked with the outpatient-hospital edits as CMS's I/OCE applied them from {HOSPITAL_STARTS_FROM}: edits that ended before {dos} are skipped, but for an edit already in force on {HOSPITAL_STARTS_FROM} the data do not say when it began, so one added after {dos} may be applied.", HOSPITAL_STARTS_FROM, dos, HOSPITAL_STARTS_FROM, dos),
            "For an old date of service, check CMS's NCCI table of that quarter.",
        ),
        _ => {}
    }
}
