//! Plain-text rendering for the command line: a table a person can read.

use ptbill::report::Report;
use ptbill::visit::Visit;

/// The report as a table, the explanation, the diagnostics and the statement.
pub fn report(visit: &Visit, r: &Report) -> String {
    let mut s = String::new();
    let (main, alt) = match r.method {
        ptbill::visit::Method::Cms => ("CMS", "CPT"),
        ptbill::visit::Method::Ama => ("CPT", "CMS"),
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
        s.push_str(&format!(
            "{:<3} {:<6} {:>7} {:>5} {:>5}  {:<14} {}\n",
            i + 1,
            line.code,
            minutes,
            line.units,
            alt_line.units,
            line.modifiers.join(" "),
            line.label.unwrap_or(if line.timed { "timed" } else { "" })
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
        "timed: {} min → {} units ({main}); {} units ({alt})\n\nHow the units were counted:\n",
        r.timed_minutes, r.timed_units, r.alternative.timed_units
    ));
    for (i, step) in r.explanation.iter().enumerate() {
        s.push_str(&format!("  {}. {step}\n", i + 1));
    }
    if r.diagnostics.is_empty() {
        s.push_str("\nNo findings.\n");
    } else {
        s.push_str("\nFindings:\n");
        for d in &r.diagnostics {
            let at = d.line.map(|l| format!(" line {}", l + 1)).unwrap_or_default();
            s.push_str(&format!(
                "  {:<7} {}{at}: {}\n          → {}\n",
                d.severity.as_str(),
                d.rule,
                d.message,
                d.help
            ));
        }
    }
    s.push_str(&format!("\nDocumentation: {}\n", r.documentation));
    let data: Vec<String> = r.data.iter().map(|(k, v)| format!("{k} {v}")).collect();
    s.push_str(&format!("Reference data: {}\n", data.join("; ")));
    s
}

/// The rule list, one line each.
pub fn rules() -> String {
    ptbill::rules::all()
        .map(|r| format!("{:<32} {:<8} {}\n", r.id, r.severity.as_str(), r.summary))
        .collect()
}
