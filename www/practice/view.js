// The exercise on screen: the visit (with the educator's hidden fields), the
// answer form, the marks after Check, and the answer when asked for.
import { problemChoices, ruleInfo } from "./answer.js";

const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const $ = (id) => document.getElementById(id);

const PAYER = { medicare: "Medicare", medicare_advantage: "Medicare Advantage", medicaid: "Medicaid", commercial: "Commercial", other: "Other" };
const METHOD = { cms: "Medicare total time (8-minute rule)", ama: "CPT per code (rule of eights)" };
const DISCIPLINE = { pt: "Physical therapy", ot: "Occupational therapy", slp: "Speech-language pathology" };
const SETTING = { practitioner: "Private practice", outpatient_hospital: "Hospital outpatient, SNF Part B, agency" };

/** Problem families for the picker, so 30 choices read as six short lists. */
const FAMILY = [
  ["Codes", ["invalid-code", "unknown-code", "deleted-code", "medicare-code-substitution", "bundled-code", "not-therapy-code", "temporary-code", "tracking-code", "functional-reporting", "add-on-without-primary"]],
  ["Minutes and units", ["missing-minutes", "units-mismatch", "split-timed-code", "implausible-minutes", "payer-method"]],
  ["Modifiers", ["missing-therapy-modifier", "therapy-modifier-mismatch", "assistant-modifier", "modifier-25-misuse", "modifier-52-timed", "modifier-76-timed", "unknown-modifier"]],
  ["NCCI and MUE edits", ["ncci-edit", "unneeded-distinct-modifier", "conflicting-distinct-modifiers", "mue-exceeded"]],
  ["Threshold", ["kx-threshold", "medical-review-threshold"]],
  ["Diagnoses", ["missing-diagnosis", "icd10-invalid", "icd10-not-billable", "icd10-seventh-character", "icd10-unspecified"]],
];

function money(n) {
  return `$${Number(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

const HIDDEN = '<span class="hidden-field">hidden</span>';

function visitFacts(ex) {
  const v = ex.visit;
  const hide = new Set(ex.hide ?? []);
  const show = (field, text) => (hide.has(field) ? HIDDEN : esc(text));
  const facts = [
    ["Date of service", show("date_of_service", v.date_of_service)],
    ["Payer", show("payer", PAYER[v.payer ?? "medicare"] ?? v.payer)],
    ["Method", show("method", METHOD[v.method ?? "cms"] ?? v.method)],
    ["Discipline", show("discipline", DISCIPLINE[v.discipline ?? "pt"] ?? v.discipline)],
  ];
  if (v.setting && v.setting !== "practitioner") facts.push(["Setting", show("setting", SETTING[v.setting] ?? v.setting)]);
  if (v.ytd_allowed !== undefined) facts.push(["Allowed so far this year", show("ytd_allowed", money(v.ytd_allowed))]);
  facts.push(["Diagnoses", hide.has("diagnoses") ? HIDDEN : esc((v.diagnoses ?? []).join(", ") || "none")]);
  return `<dl class="practice-facts">${facts.map(([k, val]) => `<div><dt>${k}</dt><dd>${val}</dd></div>`).join("")}</dl>`;
}

function lineFacts(ex, i, labels) {
  const l = ex.visit.lines[i];
  const hide = new Set(ex.hide ?? []);
  const h = (k) => hide.has(`lines.${i}.${k}`);
  const parts = [];
  if (h("code")) parts.push(ex.describe?.[i] ? `<span class="what">${esc(ex.describe[i])}</span> (code ${HIDDEN})` : `Code ${HIDDEN}`);
  else parts.push(`<strong class="code">${esc(l.code)}</strong>${labels.get(l.code.toUpperCase()) ? ` ${esc(labels.get(l.code.toUpperCase()))}` : ""}`);
  if (l.minutes !== undefined || h("minutes")) parts.push(h("minutes") ? `minutes ${HIDDEN}` : `${l.minutes} min`);
  if (l.assistant_minutes || h("assistant_minutes")) parts.push(h("assistant_minutes") ? `assistant alone ${HIDDEN}` : `assistant alone ${l.assistant_minutes} min`);
  if (l.modifiers !== undefined || h("modifiers")) parts.push(h("modifiers") ? `modifiers as billed ${HIDDEN}` : `modifiers as billed: ${esc(l.modifiers.join(" ") || "none")}`);
  if (l.units !== undefined || h("units")) parts.push(h("units") ? `units claimed ${HIDDEN}` : `units claimed: ${l.units}`);
  return parts.join(" · ");
}

function answerInputs(ex, i) {
  const ask = new Set(ex.ask);
  const hidden = new Set(ex.hide ?? []);
  const out = [];
  const field = (kind, label, attrs) =>
    `<div class="answer-field"><label for="answer-${kind}-${i}"><span class="sr-only">Line ${i + 1} </span>${label}</label><input id="answer-${kind}-${i}" data-answer="${kind}" data-i="${i}" ${attrs} aria-describedby="mark-${kind}-${i}"><p class="mark" id="mark-${kind}-${i}" hidden></p></div>`;
  if (ask.has("code") && hidden.has(`lines.${i}.code`)) out.push(field("code", "Code to bill", 'autocapitalize="characters" autocomplete="off" spellcheck="false"'));
  if (ask.has("units")) out.push(field("units", "Units", 'inputmode="numeric" autocomplete="off"'));
  if (ask.has("modifiers")) out.push(field("mods", "Modifiers to bill", 'autocapitalize="characters" autocomplete="off" spellcheck="false" placeholder="e.g. GP CQ"'));
  return out.join("");
}

function problemPicker() {
  const choices = problemChoices();
  const byId = new Map(choices.map((r) => [r.id, r]));
  const used = new Set();
  // Families in a fixed order; inside each, the engine's rank (what a mistake costs).
  const groups = FAMILY.map(([name, ids]) => [name, choices.filter((r) => ids.includes(r.id)).map((r) => r.id)]);
  for (const [, ids] of groups) ids.forEach((id) => used.add(id));
  const other = choices.filter((r) => !used.has(r.id)).map((r) => r.id);
  if (other.length) groups.push(["Other", other]);
  const box = (id) =>
    `<label class="check"><input type="checkbox" name="problem" value="${esc(id)}"> ${esc(byId.get(id).title)}</label>`;
  return `<fieldset id="practice-problems" class="practice-problems" aria-describedby="problems-note mark-problems">
    <legend>Problems on this claim</legend>
    <p class="note" id="problems-note">Tick every problem the claim has as billed; leave all unticked if it has none.</p>
    <div class="problem-groups">${groups
      .filter(([, ids]) => ids.length)
      .map(([name, ids]) => `<div class="problem-group"><p class="group-name">${esc(name)}</p>${ids.map(box).join("")}</div>`)
      .join("")}</div>
    <p class="mark" id="mark-problems" hidden></p>
  </fieldset>`;
}

/** Renders an exercise into #exercise. `where`: {index, total, levelName} or null for a single link. */
export function renderExercise(ex, where, labels) {
  const lines = ex.visit.lines.map((_, i) => `<li class="practice-line"><p class="line-facts"><span class="line-no">Line ${i + 1}</span> ${lineFacts(ex, i, labels)}</p><div class="answers">${answerInputs(ex, i)}</div></li>`).join("");
  $("exercise").innerHTML = `
    ${where ? `<p class="practice-where">Exercise ${where.index + 1} of ${where.total}${where.levelName ? ` · ${esc(where.levelName)}` : ""}</p>` : ""}
    <h3 id="exercise-title" tabindex="-1">${esc(ex.title)}</h3>
    ${ex.prompt ? `<p class="practice-prompt">${esc(ex.prompt)}</p>` : `<p class="practice-prompt">${esc(defaultPrompt(ex))}</p>`}
    ${visitFacts(ex)}
    <form id="practice-form" novalidate autocomplete="off">
      <ol class="practice-lines" aria-label="Services">${lines}</ol>
      ${ex.ask.includes("problems") ? problemPicker() : ""}
      <div class="practice-actions">
        <button type="submit" id="practice-check">Check</button>
        <button type="button" id="practice-show">Show the answer</button>
        <button type="button" id="practice-retry" hidden>Try again</button>
        <button type="button" id="practice-next">Next</button>
      </div>
    </form>
    <p id="practice-status" role="status" class="practice-status"></p>
    <div id="practice-feedback" hidden></div>
    <section id="practice-answer" aria-labelledby="answer-title" hidden></section>`;
}

function defaultPrompt(ex) {
  const asks = { units: "the units of each line", modifiers: "the modifiers each line should carry", problems: "the problems of the claim", code: "the code for each line whose code is hidden" };
  return `Give ${ex.ask.map((a) => asks[a]).join(", ")}.`;
}

/** The learner's answer as typed: null where not asked; units as numbers (NaN for text). */
export function readAnswer(ex) {
  const n = ex.visit.lines.length;
  const val = (kind, i) => document.getElementById(`answer-${kind}-${i}`)?.value ?? null;
  return {
    units: Array.from({ length: n }, (_, i) => {
      const t = val("units", i);
      if (t === null || t.trim() === "") return null;
      return /^\d+$/.test(t.trim()) ? Number(t.trim()) : NaN;
    }),
    modifiers: Array.from({ length: n }, (_, i) => {
      const t = val("mods", i);
      return t === null ? null : t.split(/[\s,]+/).filter(Boolean);
    }),
    codes: Array.from({ length: n }, (_, i) => val("code", i)),
    problems: [...document.querySelectorAll('#practice-problems input[name="problem"]:checked')].map((x) => x.value),
  };
}

/** Shows the marks: beside each field, and once in the status line (the only live text). */
export function showMarks(result, ex) {
  const wrong = result.items.filter((x) => !x.ok);
  for (const item of result.items) {
    const mark = $(`mark-${item.key.replace(/^mods/, "mods")}`);
    if (!mark) continue;
    mark.hidden = false;
    mark.dataset.mark = item.key;
    mark.dataset.ok = String(item.ok);
    mark.className = `mark ${item.ok ? "right" : "wrong"}`;
    mark.innerHTML = `<strong>${item.ok ? "Right." : "Not right."}</strong> ${esc(item.ok ? item.note ?? "" : `${item.reason}${item.note ? ` ${item.note}` : ""}`)}`;
  }
  const right = result.items.length - wrong.length;
  $("practice-status").textContent = result.right
    ? `All ${result.items.length} right.${result.items.some((x) => x.note) ? " " + result.items.find((x) => x.note).note : ""}`
    : `${right} of ${result.items.length} right. To fix: ${wrong.map((x) => x.label).join("; ")}.`;
  const fb = $("practice-feedback");
  fb.hidden = false;
  fb.innerHTML = `${ex.point ? `<p class="point"><strong>Teaching point:</strong> ${esc(ex.point)}</p>` : ""}${result.right && ex.explain ? `<p class="why"><strong>Why:</strong> ${esc(ex.explain)}</p>` : ""}`;
  $("practice-retry").hidden = result.right;
}

/** Removes the marks and the status line, keeping what the learner typed. */
export function clearMarks() {
  for (const m of document.querySelectorAll("#exercise .mark")) {
    m.hidden = true;
    m.textContent = "";
    delete m.dataset.mark;
    delete m.dataset.ok;
  }
  $("practice-status").textContent = "";
  $("practice-feedback").hidden = true;
  $("practice-answer").hidden = true;
  $("practice-retry").hidden = true;
}

/** The engine's answer, its steps, and the exercise's explanation. */
export function showAnswer(ex, expected) {
  const info = ruleInfo();
  const r = expected.report;
  const ask = new Set(ex.ask);
  const rows = ex.visit.lines
    .map((l, i) => {
      const bits = [];
      if (ask.has("code") || !(ex.hide ?? []).includes(`lines.${i}.code`)) bits.push(`<strong>${esc(l.code)}</strong>`);
      const unitChoices = [...new Set(expected.units.map((a) => a[i]))];
      bits.push(`${unitChoices.join(" or ")} unit${unitChoices.length === 1 && unitChoices[0] === 1 ? "" : "s"}`);
      bits.push(`modifiers ${esc(expected.modifiers[i].join(" ") || "none")}`);
      if (r.lines[i].split) bits.push(`billed as ${r.lines[i].split.map((s) => `${s.units} with ${esc(s.modifiers.join(" "))}`).join(" + ")}`);
      return `<li>Line ${i + 1}: ${bits.join(" · ")}</li>`;
    })
    .join("");
  const tie = expected.units.length > 1 ? `<p>A tie: any of ${expected.units.map((a) => esc(a.join(" + "))).join(", ")} is correct.</p>` : "";
  const problems = expected.problems.length
    ? `<ul>${expected.problems.map((id) => `<li>${esc(info.get(id)?.title ?? id)} <span class="tag">${esc(id)}</span>: ${esc(r.diagnostics.find((d) => d.rule === id).message)}</li>`).join("")}</ul>`
    : "<p>No problem: the claim is clean as billed.</p>";
  const box = $("practice-answer");
  box.hidden = false;
  box.innerHTML = `<h4 id="answer-title" tabindex="-1">The answer</h4>
    <ul>${rows}</ul>${tie}
    ${ask.has("problems") ? `<h5>Problems</h5>${problems}` : ""}
    <h5>How ptbill counted</h5><ol>${r.explanation.map((s) => `<li>${esc(s)}</li>`).join("")}</ol>
    ${ex.explain && !$("practice-feedback").querySelector(".why") ? `<p class="why"><strong>Why:</strong> ${esc(ex.explain)}</p>` : ""}
    ${ex.point && $("practice-feedback").hidden ? `<p class="point"><strong>Teaching point:</strong> ${esc(ex.point)}</p>` : ""}`;
  box.querySelector("#answer-title").focus();
}

export { esc };
