//! Diagnosis rules: a claim needs at least one ICD-10-CM code, and each must be
//! a code in force on the date of service.

use super::{Ctx, Rule};
use crate::report::Severity;

/// `missing-diagnosis`
pub static MISSING_DIAGNOSIS: Rule = Rule {
    id: "missing-diagnosis",
    severity: Severity::Error,
    summary: "No diagnosis code",
    checks: "The visit has no ICD-10-CM code in `diagnoses`.",
    why: "Every line of a claim points to at least one diagnosis; a claim without one is returned.",
    source: "CMS-1500 claim instructions (item 21: ICD-10-CM codes required for dates of service from 2015-10-01).",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}]}"#,
    fix: "Add the ICD-10-CM code(s) that justify the treatment, most specific first.",
};

/// `icd10-invalid`
pub static ICD10_INVALID: Rule = Rule {
    id: "icd10-invalid",
    severity: Severity::Error,
    summary: "Not an ICD-10-CM code",
    checks: "The diagnosis is not shaped like an ICD-10-CM code: a letter, a digit, a digit or letter, then up to four more letters or digits, with an optional dot after the third character. Case and the dot do not matter.",
    why: "A malformed diagnosis code rejects the claim.",
    source: "ICD-10-CM Official Guidelines for Coding and Reporting, code structure (CDC/NCHS; in force since 2015-10-01).",
    example: r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54-50"]}"#,
    fix: "Retype the code from the ICD-10-CM tabular list.",
};

/// This family's rules.
pub static RULES: &[&Rule] = &[&MISSING_DIAGNOSIS, &ICD10_INVALID];

/// Normalises a typed diagnosis: upper case, no dot. `None` when it cannot be an
/// ICD-10-CM code by shape.
pub fn normalise(typed: &str) -> Option<String> {
    let t = typed.trim().to_ascii_uppercase();
    let compact: String = match t.find('.') {
        Some(3) => t.replacen('.', "", 1),
        Some(_) => return None,
        None => t,
    };
    let b = compact.as_bytes();
    let ok = (3..=7).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphanumeric()
        && b[3..].iter().all(u8::is_ascii_alphanumeric);
    ok.then_some(compact)
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let visit = ctx.visit;
    if visit.diagnoses.is_empty() {
        ctx.emit(
            &MISSING_DIAGNOSIS,
            Severity::Error,
            None,
            "The visit has no diagnosis code.".into(),
            "Add the ICD-10-CM code(s) that justify the treatment.".into(),
        );
    }
    for typed in &visit.diagnoses {
        if normalise(typed).is_none() {
            ctx.emit(
                &ICD10_INVALID,
                Severity::Error,
                None,
                format!("{typed:?} is not shaped like an ICD-10-CM code (a letter, two digits or a digit and a letter, then up to four characters; a dot may follow the third)."),
                "Retype the code from the ICD-10-CM tabular list.".into(),
            );
        }
    }
    ctx.data.insert("icd10cm", "shape only".into());
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn shapes() {
        assert_eq!(normalise("m54.50").as_deref(), Some("M5450"));
        assert_eq!(normalise("M5450").as_deref(), Some("M5450"));
        assert_eq!(normalise("S86.011A").as_deref(), Some("S86011A"));
        assert_eq!(normalise("M54").as_deref(), Some("M54"));
        assert_eq!(normalise("M5.450"), None);
        assert_eq!(normalise("M54-50"), None);
        assert_eq!(normalise("54.50"), None);
        assert_eq!(normalise("M54.50123"), None);
    }
}
