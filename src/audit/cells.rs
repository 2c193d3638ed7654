//! Reading cells: one row's text becomes a service line and its visit-wide
//! fields. Plainly valid cells take a fast path; anything else goes to the same
//! strict parser as every other door, so a bad cell is named as `check` names it.
//!
//! What real exports write is accepted here: US dates (`MM/DD/YYYY`,
//! `M/D/YYYY`), payer names (checked as `other` unless mapped), the discipline
//! in words, and lists separated by spaces, commas or semicolons.

use crate::visit::{DISCIPLINES, Line, MAX_DIAGNOSES, MAX_ENTRY, MAX_MODIFIERS, PAYERS, SETTINGS, Visit};
use serde_json::Value;

/// A list cell: spaces per the contract; commas and semicolons are accepted too,
/// as spreadsheets write them.
pub fn list(text: &str) -> List<'_> {
    List { rest: text }
}

/// The entries of a list cell (see [`list`]): the text between separators
/// (white space, commas, semicolons), empty ones skipped. ASCII is split byte
/// by byte; from the first byte that is not ASCII, by characters, so that
/// Unicode white space still separates.
pub struct List<'a> {
    rest: &'a str,
}

impl<'a> Iterator for List<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        while !self.rest.is_empty() {
            let (end, width) = next_separator(self.rest);
            let entry = &self.rest[..end];
            self.rest = &self.rest[end + width..];
            if !entry.is_empty() {
                return Some(entry);
            }
        }
        None
    }
}

/// Where the first separator of `text` is and how many bytes it takes
/// (`text.len()` and 0 when there is none).
fn next_separator(text: &str) -> (usize, usize) {
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b >= 0x80 {
            // Every byte before is ASCII, so `i` starts a character.
            let tail = &text[i..];
            return match tail.char_indices().find(|&(_, c)| is_separator(c)) {
                Some((j, c)) => (i + j, c.len_utf8()),
                None => (text.len(), 0),
            };
        }
        if is_separator(char::from(b)) {
            return (i, 1);
        }
    }
    (text.len(), 0)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ',' || c == ';'
}

/// A date cell as `YYYY-MM-DD`: ISO as it is; `MM/DD/YYYY` and `M/D/YYYY`
/// rewritten. Anything else is returned unchanged (the strict parser names it).
pub fn iso_date(text: &str) -> std::borrow::Cow<'_, str> {
    // Once per row: an ISO date is seen without splitting it.
    if !text.bytes().any(|b| b == b'/') {
        return text.into();
    }
    let mut parts = text.split('/');
    if let (Some(m), Some(d), Some(y), None) = (parts.next(), parts.next(), parts.next(), parts.next()) {
        let digits =
            |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if digits(m, 1..=2) && digits(d, 1..=2) && digits(y, 4..=4) {
            return format!("{y}-{m:0>2}-{d:0>2}").into();
        }
    }
    text.into()
}

/// The contract's payer value for a payer cell: one of the five values (any
/// case, spaces or hyphens for underscores), a name mapped by the user, or
/// `other`. Blank is blank (the default applies).
pub fn payer_value<'a>(cell: &str, map: &'a [(String, String)]) -> &'a str {
    if cell.is_empty() {
        return "";
    }
    if let Some((_, v)) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(cell)) {
        return v;
    }
    // Runs once per row: compared byte by byte, without a new string.
    let same = |name: &str| {
        name.len() == cell.len()
            && name.bytes().zip(cell.bytes()).all(|(n, c)| {
                let c = match c {
                    b' ' | b'-' => b'_',
                    c => c.to_ascii_lowercase(),
                };
                n == c
            })
    };
    PAYERS
        .iter()
        .find(|(name, _)| same(name))
        .map_or("other", |(name, _)| name)
}

/// A cell in lower case (borrowed when it already is).
pub fn lower(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.bytes().any(|b| b.is_ascii_uppercase()) {
        cell.to_ascii_lowercase().into()
    } else {
        cell.into()
    }
}

/// A discipline cell as the contract writes it (words accepted).
pub fn discipline_value(cell: &str) -> std::borrow::Cow<'_, str> {
    let l = lower(cell);
    match l.as_ref() {
        "physical therapy" | "physical" | "p.t." => "pt".into(),
        "occupational therapy" | "occupational" | "o.t." => "ot".into(),
        "speech" | "speech therapy" | "speech-language pathology" | "speech language pathology" | "st" => "slp".into(),
        _ => l,
    }
}

/// The line of a row whose cells are plainly valid: whole numbers, a code of at
/// most 20 characters, at most 10 short modifiers. Anything else is `None` and
/// goes to the strict parser, which names the problem.
pub fn plain_line(code: &str, minutes: &str, assistant: &str, units: &str, modifiers: &str) -> Option<Line> {
    let number = |t: &str| -> Option<Option<u32>> {
        if t.is_empty() {
            Some(None)
        } else {
            t.parse::<u32>().ok().map(Some)
        }
    };
    if code.is_empty() || code.len() > 20 {
        return None;
    }
    let minutes = number(minutes)?;
    let assistant_minutes = number(assistant)?.unwrap_or(0);
    let units = number(units)?;
    if assistant_minutes > 0 && minutes.is_none_or(|m| assistant_minutes > m) {
        return None;
    }
    let mut mods = Vec::new();
    for m in list(modifiers) {
        if mods.len() == MAX_MODIFIERS || m.len() > MAX_ENTRY {
            return None;
        }
        mods.push(m.to_ascii_uppercase());
    }
    Some(Line {
        code: code.to_ascii_uppercase(),
        minutes,
        assistant_minutes,
        units,
        modifiers: mods,
        // An audit row's modifiers cell is always "as billed".
        modifiers_given: true,
    })
}

/// The visit-wide cells (date as ISO, payer value, discipline, setting,
/// diagnoses) when they are plainly valid; anything else is `None`.
pub fn plain_head(typed: [&str; 5]) -> Option<Visit> {
    fn pick<T: Copy>(text: &str, options: &[(&str, T)]) -> Option<T> {
        if text.is_empty() {
            return options.first().map(|o| o.1);
        }
        options.iter().find(|o| o.0.eq_ignore_ascii_case(text)).map(|o| o.1)
    }
    let mut diagnoses = Vec::new();
    for d in list(typed[4]) {
        if diagnoses.len() == MAX_DIAGNOSES || d.len() > MAX_ENTRY {
            return None;
        }
        diagnoses.push(d.to_string());
    }
    Some(Visit {
        date_of_service: crate::date::Date::parse(typed[0]).ok()?,
        payer: pick(typed[1], PAYERS)?,
        method: crate::visit::Method::Cms,
        discipline: pick(typed[2], DISCIPLINES)?,
        setting: pick(typed[3], SETTINGS)?,
        ytd_allowed_cents: None,
        lines: Vec::new(),
        diagnoses,
    })
}

/// The visit-wide cells as a visit, read by the strict parser (with a
/// placeholder line, since a visit needs one; it is dropped).
pub fn strict_head(typed: [&str; 5]) -> Result<Visit, String> {
    let mut probe = serde_json::Map::new();
    probe.insert("date_of_service".into(), Value::String(typed[0].to_string()));
    probe.insert("lines".into(), serde_json::json!([{"code": "97110"}]));
    probe.insert(
        "diagnoses".into(),
        Value::Array(list(typed[4]).map(|d| Value::String(d.to_string())).collect()),
    );
    for (k, v) in [("payer", typed[1]), ("discipline", typed[2]), ("setting", typed[3])] {
        if !v.is_empty() {
            probe.insert(k.into(), Value::String(v.to_ascii_lowercase()));
        }
    }
    let mut visit = crate::visit::visit_from_value(&Value::Object(probe)).map_err(named)?;
    visit.lines.clear();
    Ok(visit)
}

/// The row as a one-line visit, read by the same strict parser as every other
/// door, so that its error names its own column.
pub fn strict_line(code: &str, minutes: &str, assistant: &str, units: &str, modifiers: &str) -> Result<Line, String> {
    let number = |t: &str| -> Value {
        if t.is_empty() {
            Value::Null
        } else if let Ok(n) = t.parse::<u64>() {
            Value::from(n)
        } else if let Ok(n) = t.parse::<i64>() {
            Value::from(n)
        } else if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            Value::Number(n)
        } else {
            Value::String(t.to_string())
        }
    };
    let mut line = serde_json::Map::new();
    line.insert("code".into(), Value::String(code.to_string()));
    line.insert("minutes".into(), number(minutes));
    line.insert("assistant_minutes".into(), number(assistant));
    line.insert("units".into(), number(units));
    line.insert(
        "modifiers".into(),
        Value::Array(list(modifiers).map(|m| Value::String(m.to_string())).collect()),
    );
    crate::visit::line_from_value(&Value::Object(line), 0).map_err(named)
}

/// An input error with the one-line visit's path taken off, so it names the column.
fn named(e: crate::visit::InputError) -> String {
    let field = e.field.replace("lines[0].", "");
    if field.is_empty() {
        e.message
    } else {
        format!("{field}: {}", e.message)
    }
}

/// The visit-wide fields last read (they change at most once per visit, so
/// they are read again only when they differ from the last row's).
#[derive(Default)]
pub struct HeadCache {
    /// date, payer, discipline, setting, diagnoses as normalised.
    typed: [String; 5],
    /// Those fields as parsed, once they passed.
    parsed: Option<Visit>,
}

impl HeadCache {
    /// The visit-wide fields of a row (normalised cells: ISO date, payer value,
    /// discipline code, setting, diagnoses).
    pub fn read(&mut self, typed: [&str; 5]) -> Result<&Visit, String> {
        if self.parsed.is_none() || self.typed.iter().zip(typed).any(|(a, b)| a != b) {
            self.parsed = None;
            for (kept, now) in self.typed.iter_mut().zip(typed) {
                kept.clear();
                kept.push_str(now);
            }
            self.parsed = Some(match plain_head(typed) {
                Some(v) => v,
                None => strict_head(typed)?,
            });
        }
        self.parsed
            .as_ref()
            .ok_or_else(|| "the visit-wide fields could not be read".into())
    }
}

/// A row's line: fast path first, then the strict parser.
pub fn line(code: &str, minutes: &str, assistant: &str, units: &str, modifiers: &str) -> Result<Line, String> {
    if code.is_empty() {
        return Err("code is empty".into());
    }
    match plain_line(code, minutes, assistant, units, modifiers) {
        Some(line) => Ok(line),
        None => strict_line(code, minutes, assistant, units, modifiers),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lists_split_as_str_split_does() {
        let by_split = |t: &str| -> Vec<String> {
            t.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        for t in [
            "",
            " ",
            "GP",
            "GP 59",
            " GP,59;;KX ",
            "a\tb\nc\x0bd\x0ce\rf",
            "M54.50\u{a0}M25.561",
            "é,ü x\u{3000}y\u{2028}z",
            "GP\u{85}59 é",
            ";,; ,",
        ] {
            assert_eq!(list(t).map(str::to_string).collect::<Vec<_>>(), by_split(t), "{t:?}");
        }
    }

    #[test]
    fn dates_and_payers() {
        assert_eq!(iso_date("09/08/2026"), "2026-09-08");
        assert_eq!(iso_date("9/8/2026"), "2026-09-08");
        assert_eq!(iso_date("2026-09-08"), "2026-09-08");
        assert_eq!(iso_date("9/8/26"), "9/8/26");
        let map = vec![("BCBS of TX".to_string(), "commercial".to_string())];
        assert_eq!(payer_value("Aetna", &map), "other");
        assert_eq!(payer_value("bcbs of tx", &map), "commercial");
        assert_eq!(payer_value("Medicare Advantage", &map), "medicare_advantage");
        assert_eq!(payer_value("", &map), "");
    }

    fn number_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            (0u64..100).prop_map(|n| n.to_string()),
            (0u64..100).prop_map(|n| format!("+{n}")),
            (0u64..100).prop_map(|n| format!("{n:03}")),
            (0u64..100).prop_map(|n| format!("{n}.0")),
            (0u64..100).prop_map(|n| format!("-{n}")),
            Just("4294967295".to_string()),
            Just("4294967296".to_string()),
            Just("2.5".to_string()),
            Just("ten".to_string()),
        ]
    }

    fn modifiers_cell() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("GP"),
                Just("gp"),
                Just("59"),
                Just("KX"),
                Just("x".repeat(41).leak() as &str)
            ],
            0..12,
        )
        .prop_flat_map(|m| {
            let n = m.len();
            (
                Just(m),
                prop::collection::vec(prop_oneof![Just(" "), Just(","), Just(";"), Just(" ; ")], n),
            )
        })
        .prop_map(|(m, seps)| m.iter().zip(seps).map(|(m, s)| format!("{m}{s}")).collect())
    }

    fn choice_cell(options: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            prop::sample::select(options).prop_map(str::to_string),
            prop::sample::select(options).prop_map(str::to_ascii_uppercase),
            Just("médicare".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// The fast path reads the visit-wide cells as the strict parser does.
        #[test]
        fn plain_head_agrees_with_the_strict_parser(
            date in prop_oneof![Just("2026-03-02".to_string()), Just("2024-02-29".to_string()), Just("2025-02-29".to_string()), Just(String::new()), "20[0-9]{2}-[01][0-9]-[0-3][0-9]"],
            payer in choice_cell(&["medicare", "medicare_advantage", "medicaid", "commercial", "other", "bcbs"]),
            discipline in choice_cell(&["pt", "ot", "slp", "st"]),
            setting in choice_cell(&["practitioner", "outpatient_hospital", "hospital"]),
            diagnoses in prop::collection::vec(prop_oneof![Just("M54.50"), Just("m54.5"), Just("Z99.89"), Just("x".repeat(41).leak() as &str)], 0..4)
                .prop_map(|d| d.join(" ")),
        ) {
            let typed = [date.as_str(), &payer, &discipline, &setting, &diagnoses];
            let strict = strict_head(typed);
            if let Some(visit) = plain_head(typed) {
                prop_assert_eq!(Ok(visit), strict);
            }
        }

        /// A list cell splits as `str::split` on the separators would split it.
        #[test]
        fn lists_split_as_str_split_does_any_text(text in "[ a-zA-Z0-9.,;\t\u{a0}\u{3000}é]{0,24}") {
            let by_split: Vec<&str> = text
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|s| !s.is_empty())
                .collect();
            prop_assert_eq!(list(&text).collect::<Vec<_>>(), by_split);
        }

        /// The fast path reads a row exactly as the strict parser does.
        #[test]
        fn plain_line_agrees_with_the_strict_parser(
            code in prop_oneof![Just("97110".to_string()), Just("g0283".to_string()), "[A-Z0-9]{0,22}"],
            minutes in number_cell(),
            assistant in number_cell(),
            units in number_cell(),
            modifiers in modifiers_cell(),
        ) {
            let strict = strict_line(&code, &minutes, &assistant, &units, &modifiers);
            if let Some(line) = plain_line(&code, &minutes, &assistant, &units, &modifiers) {
                prop_assert_eq!(Ok(line), strict);
            }
        }
    }
}
