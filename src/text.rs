//! Plain-text rendering for the command line. It leads with the answer (what
//! to bill in all), then the lines, then the findings grouped by rule, then how
//! the units were counted.

use ptbill::report::{Diagnostic, Report};
use ptbill::units::{n_units, plural};
use ptbill::visit::{Method, Visit};

/// The method's short name ("CMS total time").
fn method_label(m: Method) -> &'static str {
    match m {
        Method::Cms => "CMS total time",
        Method::Ama => "CPT per code",
    }
}

/// "Bill 4 units: 97110 × 2, 97140 × 1, 97161 × 1 (CMS total time); CPT per code: 3 units".
pub fn answer(r: &Report) -> String {
    let parts: Vec<String> = r
        .lines
        .iter()
        .filter(|l| l.billable && l.units > 0)
        .map(|l| format!("{} × {}", l.code, l.units))
        .collect();
    let what = if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    };
    let mut s = format!(
        "Bill {}{what} ({}); {}: {}",
        n_units(r.total_units),
        method_label(r.method),
        method_label(r.alternative.method),
        n_units(r.alternative.total_units)
    );
    let not_billed: Vec<String> = r
        .lines
        .iter()
        .filter_map(|l| Some(format!("{} ({})", l.code, l.not_billed_reason.as_deref()?)))
        .collect();
    if !not_billed.is_empty() {
        s.push_str(&format!("\nNot billed: {}", not_billed.join("; ")));
    }
    s
}

/// 1-based line numbers as ranges: "line 2", "lines 1–4, 6", "the whole visit".
fn line_ranges(lines: &[Option<usize>]) -> String {
    let mut nums: Vec<usize> = lines.iter().flatten().map(|l| l + 1).collect();
    nums.sort_unstable();
    nums.dedup();
    let mut ranges: Vec<String> = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut j = i;
        while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
            j += 1;
        }
        ranges.push(if j > i {
            format!("{}–{}", nums[i], nums[j])
        } else {
            nums[i].to_string()
        });
        i = j + 1;
    }
    let mut parts: Vec<String> = Vec::new();
    if lines.iter().any(Option::is_none) {
        parts.push("the whole visit".to_string());
    }
    if !ranges.is_empty() {
        let word = ptbill::units::word(nums.len() as u64, "line", "lines");
        parts.push(format!("{word} {}", ranges.join(", ")));
    }
    parts.join("; ")
}

/// Findings of one rule (and severity) together: "info Missing therapy
/// modifier · lines 1–4 · fixed", then each distinct message and help once.
fn findings(ds: &[Diagnostic]) -> String {
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    for d in ds {
        match groups
            .iter_mut()
            .find(|g| g[0].rule == d.rule && g[0].severity == d.severity && g[0].fixed == d.fixed)
        {
            Some(g) => g.push(d),
            None => groups.push(vec![d]),
        }
    }
    let mut s = String::new();
    for g in groups {
        let first = g[0];
        let lines: Vec<Option<usize>> = g.iter().map(|d| d.line).collect();
        let fixed = if first.fixed {
            " · fixed in the modifiers above"
        } else {
            ""
        };
        s.push_str(&format!(
            "  {:<7}  {} · {}{fixed} ({})\n",
            first.severity.as_str(),
            first.title,
            line_ranges(&lines),
            first.rule
        ));
        // Each distinct message once, each followed by its help unless that
        // help was already given (the GP proposals share one of each).
        let mut said: Vec<&str> = Vec::new();
        for d in &g {
            if !said.contains(&d.message.as_str()) {
                said.push(&d.message);
                s.push_str(&format!("           {}\n", d.message));
            }
            if !said.contains(&d.help.as_ref()) {
                said.push(&d.help);
                s.push_str(&format!("           → {}\n", d.help));
            }
        }
    }
    s
}

/// The report: the answer, the lines, the findings, the explanation and the statement.
pub fn report(visit: &Visit, r: &Report) -> String {
    let mut s = answer(r);
    s.push_str("\n\n");
    let (main, alt) = match r.method {
        Method::Cms => ("CMS", "CPT"),
        Method::Ama => ("CPT", "CMS"),
    };
    s.push_str(&format!(
        "{:<3} {:<6} {:>7} {:>5} {:>5}  {:<14} {}\n",
        "#", "code", "minutes", main, alt, "modifiers", "label"
    ));
    for (i, (line, alt_line)) in r.lines.iter().zip(&r.alternative.lines).enumerate() {
        let minutes = visit.lines[i]
            .minutes
            .map(|m| m.to_string())
            .unwrap_or_else(|| "-".into());
        let label = match &line.not_billed_reason {
            Some(why) => format!("not billed: {why}"),
            None => line.label.unwrap_or(if line.timed { "timed" } else { "" }).to_string(),
        };
        s.push_str(&format!(
            "{:<3} {:<6} {:>7} {:>5} {:>5}  {:<14} {}\n",
            i + 1,
            line.code,
            minutes,
            line.units,
            alt_line.units,
            line.modifiers.join(" "),
            label
        ));
        if let Some(split) = &line.split {
            for p in split {
                s.push_str(&format!(
                    "      claim line: {} × {} ({})\n",
                    line.code,
                    p.units,
                    p.modifiers.join(", ")
                ));
            }
        }
    }
    s.push_str(&format!(
        "timed: {} → {} ({main}); {} ({alt})\n",
        plural(r.timed_minutes, "minute", "minutes"),
        n_units(r.timed_units),
        n_units(r.alternative.timed_units)
    ));
    if r.diagnostics.is_empty() {
        s.push_str("\nNo findings.\n");
    } else {
        s.push_str("\nFindings:\n");
        s.push_str(&findings(&r.diagnostics));
    }
    s.push_str("\nHow the units were counted:\n");
    for (i, step) in r.explanation.iter().enumerate() {
        s.push_str(&format!("  {}. {step}\n", i + 1));
    }
    s.push_str(&format!("\nDocumentation: {}\n", r.documentation));
    let data: Vec<String> = r.data.iter().map(|(k, v)| format!("{k} {v}")).collect();
    s.push_str(&format!("Reference data: {}\n", data.join("; ")));
    s
}

/// The rule list, one line each, by rank: rank, id, severity, title.
pub fn rules() -> String {
    let mut list: Vec<&ptbill::rules::Rule> = ptbill::rules::all().collect();
    list.sort_by_key(|r| r.rank());
    list.iter()
        .map(|r| format!("{:>2}  {:<32} {:<8} {}\n", r.rank(), r.id, r.severity.as_str(), r.title))
        .collect()
}
