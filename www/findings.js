// Findings: the report's diagnostics grouped by rule ("Therapy modifier added
// to lines 1–4"), in the engine's order (severity, then the rule's rank); the
// findings ptbill already fixed in the corrected modifiers read as notes of what
// it did. Each card is headed by the rule's title, with its id as a small tag
// that opens the rule's docs in a dialog.
import { callWhenReady } from "./engine.js";
import { esc } from "./form.js";

const $ = (id) => document.getElementById(id);
let titles = new Map();

/** The rule titles, from the engine's rule list (used when a finding has none). */
export async function loadRuleTitles() {
  try {
    titles = new Map((await callWhenReady("rules")).map((r) => [r.id, r.title ?? r.summary]));
  } catch {
    titles = new Map();
  }
}

/** "lines 1–4", "lines 1, 3", "line 2" (0-based indices in). */
export function lineList(indices) {
  const n = [...new Set(indices)].sort((a, b) => a - b).map((i) => i + 1);
  if (n.length === 0) return "";
  const runs = [];
  for (const x of n) {
    const run = runs[runs.length - 1];
    if (run && x === run[1] + 1) run[1] = x;
    else runs.push([x, x]);
  }
  const text = runs.map(([a, b]) => (a === b ? `${a}` : b === a + 1 ? `${a}, ${b}` : `${a}–${b}`)).join(", ");
  return `${n.length === 1 ? "line" : "lines"} ${text}`;
}

/** Groups diagnostics by rule, severity and fixed, keeping the order of each group's first finding. */
export function groupFindings(diagnostics) {
  const groups = new Map();
  for (const d of diagnostics) {
    const key = `${d.rule}|${d.severity}|${d.fixed === true}`;
    if (!groups.has(key)) groups.set(key, { rule: d.rule, severity: d.severity, fixed: d.fixed === true, title: d.title ?? titles.get(d.rule) ?? d.rule, items: [] });
    groups.get(key).items.push(d);
  }
  return [...groups.values()];
}

/** What the corrected modifiers changed: "GP added to lines 1–4". */
export function modifierChanges(report, visit) {
  const added = new Map();
  const removed = new Map();
  report.lines.forEach((l, i) => {
    const typed = (visit.lines[i]?.modifiers ?? []).map((m) => m.toUpperCase());
    for (const m of l.modifiers) if (!typed.includes(m)) added.set(m, [...(added.get(m) ?? []), i]);
    for (const m of typed) if (!l.modifiers.includes(m)) removed.set(m, [...(removed.get(m) ?? []), i]);
  });
  return [...[...added].map(([m, is]) => `${m} added to ${lineList(is)}`), ...[...removed].map(([m, is]) => `${m} left off ${lineList(is)}`)];
}

function card(g, report) {
  const where = g.items.some((d) => d.line !== null) ? lineList(g.items.filter((d) => d.line !== null).map((d) => d.line)) : "";
  const codes = [...new Set(g.items.filter((d) => d.line !== null).map((d) => report.lines[d.line]?.code))].join(", ");
  const messages = g.items.map((d) => `<li>${esc(d.message)}</li>`).join("");
  const helps = [...new Set(g.items.map((d) => d.help))].map((h) => `<p class="help">${esc(h)}</p>`).join("");
  return `<li class="finding ${g.severity}${g.fixed ? " fixed" : ""}" data-rule="${esc(g.rule)}">
    <h5><span class="sev-word">${g.fixed ? "Fixed" : { error: "Error", warning: "Warning", info: "Note" }[g.severity]}:</span> ${esc(g.title)}${where ? ` <span class="where">${esc(where)}${codes ? ` (${esc(codes)})` : ""}</span>` : ""}
    <button type="button" class="rule" data-rule="${esc(g.rule)}" aria-label="${esc(g.rule)}: about this rule, ${esc(g.title)}"><span>${esc(g.rule)}</span></button></h5>
    ${g.fixed ? `<details><summary>What ptbill found</summary><ul class="messages">${messages}</ul></details>` : `<ul class="messages">${messages}</ul>${helps}`}</li>`;
}

// What a pending rule checks, for the "still loading" sentence.
const PENDING_WORDS = {
  "ncci-edit": "code pairs (NCCI edits)",
  "unneeded-distinct-modifier": "whether a 59 or X modifier is needed",
  "icd10-invalid": "the diagnosis codes (ICD-10-CM)",
  "icd10-not-billable": "the diagnosis codes (ICD-10-CM)",
  "icd10-seventh-character": "the diagnosis codes (ICD-10-CM)",
  "icd10-unspecified": "the diagnosis codes (ICD-10-CM)",
  "reference-data-date": "code pairs (NCCI edits)", // its notes on the pair table's dates
};

/** "Still checking code pairs (NCCI edits) and the diagnosis codes (ICD-10-CM): …", or "". */
export function pendingSentence(pending = []) {
  const words = [...new Set(pending.map((id) => PENDING_WORDS[id] ?? id))];
  if (!words.length) return "";
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
  return `Still loading the tables for ${list}: those findings follow in a moment. The units above do not depend on them.`;
}

/** Renders the findings; returns the data-date caveats (shown beside the reference dates). */
export function renderFindings(report, visit) {
  const caveats = report.diagnostics.filter((d) => d.rule === "reference-data-date");
  const groups = groupFindings(report.diagnostics.filter((d) => d.rule !== "reference-data-date"));
  const open = groups.filter((g) => !g.fixed);
  const fixed = groups.filter((g) => g.fixed);
  const changes = modifierChanges(report, visit);
  const waiting = pendingSentence(report.pending);
  let html = waiting ? `<p id="pending" class="pending">${esc(waiting)}</p>` : "";
  html += open.length ? `<ul class="findings">${open.map((g) => card(g, report)).join("")}</ul>` : waiting
      ? "<p>No problems found in the checks done so far.</p>"
      : fixed.length
        ? "<p>Nothing left to fix: ptbill corrected what it found, below. Bill the modifiers as shown.</p>"
        : "<p>No problems found.</p>";
  if (changes.length || fixed.length) {
    html += `<h4>What ptbill did</h4>`;
    if (changes.length) html += `<ul class="did">${changes.map((c) => `<li>${esc(c)} (in “Modifiers to bill”).</li>`).join("")}</ul>`;
    if (fixed.length) html += `<ul class="findings notes">${fixed.map((g) => card(g, report)).join("")}</ul>`;
  }
  $("diagnostics").innerHTML = html;
  return caveats;
}

export function startFindings() {
  $("diagnostics").addEventListener("click", (e) => {
    const b = e.target.closest("button.rule");
    if (b) import("./rule-docs.js").then((m) => m.openRule(b.dataset.rule, b));
  });
}
