// The visit form: the visit fields and the service lines, read into the
// contract's visit (blank modifiers = "propose them"), filled from one, and the
// field errors shown beside their fields. Changes are reported to `onChange`.
import { parseDollars, parseMinutes, parseUnits, parseModifiers, formProblems, parsePastedLines, looksLikeLine } from "./input.js";

const $ = (id) => document.getElementById(id);
export const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

export const emptyLine = () => ({ code: "", minutes: "", assistant_minutes: "", modifiers: "", units: "" });
const isBlank = (l) => Object.values(l).every((v) => String(v).trim() === "");
export const VISIT_FIELDS = ["date_of_service", "payer", "method", "discipline", "setting", "ytd_allowed"];

export const state = { lines: [emptyLine()], diagnoses: [], codeInfo: new Map() };
let onChange = () => {};

export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Form rows that hold something, with their row numbers (blank rows are not sent). */
export const filledRows = () => state.lines.map((l, row) => [l, row]).filter(([l]) => !isBlank(l));

/** Problems the page can name before the engine sees the visit. */
export function problems() {
  return formProblems({ date: $("date_of_service").value, ytd: $("ytd_allowed").value.trim() || undefined, lines: state.lines });
}

/** The contract's visit from the form (call when `problems()` is empty). */
export function readVisit() {
  const visit = {
    date_of_service: $("date_of_service").value,
    payer: $("payer").value,
    method: $("method").value,
    discipline: $("discipline").value,
    setting: $("setting").value,
    ytd_allowed: parseDollars($("ytd_allowed").value),
    lines: filledRows().map(([l]) => ({
      code: l.code.trim(),
      minutes: parseMinutes(l.minutes),
      assistant_minutes: parseMinutes(l.assistant_minutes),
      units: parseUnits(l.units),
      modifiers: parseModifiers(l.modifiers), // absent: ptbill proposes them
    })),
    diagnoses: state.diagnoses,
  };
  return JSON.parse(JSON.stringify(visit)); // drops the undefined fields
}

/** The form as typed, for Clear's undo even while a field does not read yet. */
export function readTyped() {
  const pick = (parse, t) => parse(t) ?? (String(t).trim() || undefined);
  const visit = {
    ...readVisit(),
    ytd_allowed: pick(parseDollars, $("ytd_allowed").value),
    lines: filledRows().map(([l]) => ({
      code: l.code.trim(),
      minutes: pick(parseMinutes, l.minutes),
      assistant_minutes: pick(parseMinutes, l.assistant_minutes),
      units: pick(parseUnits, l.units),
      modifiers: parseModifiers(l.modifiers),
    })),
  };
  return JSON.parse(JSON.stringify(visit));
}

export function fillForm(visit) {
  $("date_of_service").value = visit.date_of_service ?? today();
  for (const f of ["payer", "method", "discipline", "setting"]) $(f).value = visit[f] ?? $(f).querySelector("option").value;
  $("ytd_allowed").value = visit.ytd_allowed ?? "";
  state.lines = (visit.lines ?? []).map((l) => ({
    code: l.code ?? "",
    minutes: l.minutes ?? "",
    assistant_minutes: l.assistant_minutes ?? "",
    modifiers: (l.modifiers ?? []).join(" "),
    units: l.units ?? "",
  }));
  if (state.lines.length === 0) state.lines = [emptyLine()];
  state.diagnoses = [...(visit.diagnoses ?? [])];
  renderLines();
  syncPrintValues();
}

// ---------- service lines ----------

function lineHtml(l, i) {
  const n = `<span class="sr-only">Line ${i + 1} </span>`;
  const input = (k, attrs) => `<input ${attrs} data-i="${i}" data-k="${k}" data-field="lines[${i}].${k}" value="${esc(l[k])}">`;
  // Remove comes last in the tab order (the grid still shows it beside the
  // minutes): a key pressed between Minutes and Assistant must not delete the line.
  return `<div class="line" role="listitem" data-line="${i}">
    <div class="code"><label>${n}Code ${input("code", `list="code-list" placeholder="97110 or exercise" autocapitalize="characters" aria-describedby="hint-${i}"`)}</label><span class="label-hint" id="hint-${i}"></span></div>
    <label class="num min">${n}Minutes ${input("minutes", 'inputmode="numeric"')}</label>
    <label class="num asst">${n}Assistant<span class="sr-only"> minutes</span> ${input("assistant_minutes", 'inputmode="numeric"')}</label>
    <label class="mods">${n}Modifiers ${input("modifiers", 'placeholder="auto" autocapitalize="characters"')}</label>
    <label class="num units">${n}Units ${input("units", 'inputmode="numeric" placeholder="auto"')}</label>
    <button type="button" class="remove" data-remove="${i}" aria-label="Remove line ${i + 1}">✕</button>
  </div>`;
}

export function renderLines() {
  $("lines").innerHTML = state.lines.map(lineHtml).join("");
  state.lines.forEach((_, i) => showCodeHint(i));
  shown.clear();
}

export function showCodeHint(i) {
  const hint = $(`hint-${i}`);
  if (!hint) return;
  const info = state.codeInfo.get(state.lines[i].code.trim().toUpperCase());
  hint.textContent = info ? `${info.label} · ${info.timed ? "timed" : "untimed"}` : "";
}

const field = (i, k) => document.querySelector(`#lines input[data-i="${i}"][data-k="${k}"]`);

export function addLine(line = emptyLine(), focus = "code") {
  if (state.lines.length && isBlank(state.lines[state.lines.length - 1]) && !isBlank(line)) state.lines.pop();
  state.lines.push(line);
  renderLines();
  field(state.lines.length - 1, focus)?.focus();
  onChange();
}

function onLineInput(e) {
  const t = e.target;
  if (!t.dataset.k) return;
  let value = t.value;
  // A pick from the code list may carry its label: keep the code.
  if (t.dataset.k === "code") value = value.replace(/\s+[—-].*$/, "");
  state.lines[Number(t.dataset.i)][t.dataset.k] = value;
  if (t.dataset.k === "code") showCodeHint(Number(t.dataset.i));
  onChange();
}

function onLinePaste(e) {
  const t = e.target;
  if (!t.dataset.k) return;
  const text = e.clipboardData?.getData("text/plain") ?? "";
  if (!looksLikeLine(text)) return;
  e.preventDefault();
  const pasted = parsePastedLines(text);
  const i = Number(t.dataset.i);
  state.lines.splice(i, 1, ...pasted);
  renderLines();
  field(i + pasted.length - 1, "minutes")?.focus();
  onChange();
}

function onLineKey(e) {
  if (e.key !== "Enter" || !e.target.dataset.k) return;
  e.preventDefault();
  const i = Number(e.target.dataset.i);
  const inputs = [...e.target.closest(".line").querySelectorAll("input")];
  const next = inputs[inputs.indexOf(e.target) + 1];
  if (next) next.focus();
  else if (i === state.lines.length - 1) addLine();
  else field(i + 1, "code")?.focus();
}

function onLineClick(e) {
  const i = e.target.closest("[data-remove]")?.dataset.remove;
  if (i === undefined) return;
  // A line with anything typed in it can be brought back (one Undo, as after Clear).
  const before = isBlank(state.lines[Number(i)]) ? null : { ...readTyped(), method: $("method").value };
  state.lines.splice(Number(i), 1);
  if (state.lines.length === 0) state.lines.push(emptyLine());
  renderLines();
  field(Math.min(Number(i), state.lines.length - 1), "code")?.focus();
  onChange();
  if (before) {
    undoVisit = before;
    onRemoved(Number(i));
  }
}

// ---------- field errors ----------

const shown = new Map(); // element → message shown beside it

function elementFor(p) {
  if (p.row !== undefined) return field(p.row, p.key ?? "code");
  if (p.field === "diagnoses") return $("dx-input");
  return p.field ? $(p.field) : null;
}

/**
 * Shows each problem beside its field (after the label, tied with
 * aria-describedby). Unchanged errors are left alone, so nothing re-fires.
 */
export function showFieldErrors(list) {
  const want = new Map();
  for (const p of list) {
    const el = elementFor(p);
    if (el && !want.has(el)) want.set(el, p.message);
  }
  for (const [el, message] of shown) {
    if (want.get(el) === message && el.isConnected) continue;
    document.getElementById(el.dataset.errorId)?.remove();
    const ids = (el.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== el.dataset.errorId);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
    el.removeAttribute("aria-invalid");
    delete el.dataset.errorId;
    shown.delete(el);
  }
  let n = 0;
  for (const [el, message] of want) {
    if (shown.get(el) === message) continue;
    const span = document.createElement("span");
    span.className = "field-error";
    span.id = `err-${el.dataset.field?.replace(/\W/g, "-") ?? el.id}-${n++}`;
    span.textContent = message;
    const label = el.closest("label");
    (label ?? el).after(span);
    el.dataset.errorId = span.id;
    el.setAttribute("aria-invalid", "true");
    el.setAttribute("aria-describedby", [el.getAttribute("aria-describedby"), span.id].filter(Boolean).join(" "));
    shown.set(el, message);
  }
}

// ---------- print: selects as plain text ----------

export function syncPrintValues() {
  for (const s of document.querySelectorAll("#visit-form select")) {
    let span = s.nextElementSibling;
    if (!span?.classList.contains("print-value")) {
      span = document.createElement("span");
      span.className = "print-value";
      span.setAttribute("aria-hidden", "true");
      s.after(span);
    }
    span.textContent = s.selectedOptions[0]?.textContent ?? "";
  }
}

// ---------- clear, with undo ----------

let undoVisit = null;

/** Empties the form; `undoable` keeps what was there for one Undo. */
export function clearForm({ undoable }) {
  undoVisit = undoable ? { ...readTyped(), method: $("method").value } : null;
  $("visit-form").reset();
  fillForm({ date_of_service: today() });
  return undoVisit !== null;
}

export function undoClear() {
  if (!undoVisit) return false;
  fillForm(undoVisit);
  undoVisit = null;
  return true;
}

let onRemoved = () => {};

/** `changed` after every edit; `removed(i)` after line i (with something typed) was removed, which undoClear() brings back. */
export function startForm(changed, { removed = () => {} } = {}) {
  onRemoved = removed;
  onChange = () => {
    undoVisit = null; // an edit after Clear: the cleared visit is gone for good
    changed();
  };
  $("lines").addEventListener("input", onLineInput);
  $("lines").addEventListener("paste", onLinePaste);
  $("lines").addEventListener("keydown", onLineKey);
  $("lines").addEventListener("click", onLineClick);
  $("add-line").addEventListener("click", () => addLine());
  for (const id of VISIT_FIELDS) {
    $(id).addEventListener("input", () => {
      syncPrintValues();
      onChange();
    });
  }
  syncPrintValues();
}

/** Reports a change made by another module (diagnoses). */
export const changed = () => onChange();
