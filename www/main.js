// ptbill's page: a form that builds the contract's visit, the wasm engine that
// checks it on every keystroke, and the results. Everything stays in this tab:
// the visit lives only in the URL fragment, which browsers never send anywhere.
import init, {
  check,
  explain,
  version,
  catalog,
  icd10_lookup,
  icd10_search,
  icd10_load_descriptions,
} from "./pkg/ptbill.js";
import { ACTIVITIES } from "./activities.js";
import { encodeVisit, decodeVisit } from "./visit-link.js";

const $ = (id) => document.getElementById(id);
const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const params = new URLSearchParams(location.search);
const MODE = params.has("embed") ? "embed" : params.has("view") ? "view" : params.has("audit") ? "audit" : "calc";
document.body.classList.add(`mode-${MODE}`);

const METHOD_NAME = { cms: "CMS total time", ama: "CPT per code" };
const THERAPY_MOD = { pt: "GP", ot: "GO", slp: "GN" };
const emptyLine = () => ({ code: "", minutes: "", assistant_minutes: "", modifiers: "", units: "" });

let lines = [emptyLine()];
let diagnoses = [];
let codeInfo = new Map();
let lastReport = null;

// ---------- the visit <-> the form ----------

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A number where the text is one; otherwise the text itself, so the engine names the problem. */
function num(text) {
  const t = String(text ?? "").trim();
  if (t === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

function readVisit() {
  const visit = {
    date_of_service: $("date_of_service").value || "",
    payer: $("payer").value,
    method: $("method").value,
    discipline: $("discipline").value,
    setting: $("setting").value,
    ytd_allowed: num($("ytd_allowed").value),
    lines: lines
      .filter((l) => Object.values(l).some((v) => String(v).trim() !== ""))
      .map((l) => ({
        code: l.code.trim(),
        minutes: num(l.minutes),
        assistant_minutes: num(l.assistant_minutes),
        units: num(l.units),
        modifiers: l.modifiers.split(/[\s,]+/).filter(Boolean),
      })),
    diagnoses,
  };
  return JSON.parse(JSON.stringify(visit)); // drops the undefined fields
}

function fillForm(visit) {
  $("date_of_service").value = visit.date_of_service ?? today();
  for (const f of ["payer", "method", "discipline", "setting"]) if (visit[f]) $(f).value = visit[f];
  $("ytd_allowed").value = visit.ytd_allowed ?? "";
  lines = (visit.lines ?? []).map((l) => ({
    code: l.code ?? "",
    minutes: l.minutes ?? "",
    assistant_minutes: l.assistant_minutes ?? "",
    modifiers: (l.modifiers ?? []).join(" "),
    units: l.units ?? "",
  }));
  if (lines.length === 0) lines = [emptyLine()];
  diagnoses = [...(visit.diagnoses ?? [])];
  renderLines();
  renderChips();
}

function visitFromHash() {
  const m = location.hash.match(/^#v=([A-Za-z0-9_-]+)$/);
  if (!m) return null;
  try {
    return decodeVisit(m[1]);
  } catch {
    return null;
  }
}

// ---------- service lines ----------

function renderLines() {
  const box = $("lines");
  box.innerHTML = "";
  lines.forEach((l, i) => {
    const row = document.createElement("div");
    row.className = "line";
    row.setAttribute("role", "listitem");
    row.innerHTML = `
      <label class="code">Code <input list="code-list" data-i="${i}" data-k="code" data-field="lines[${i}].code" value="${esc(l.code)}" placeholder="97110 or exercise" autocapitalize="characters"></label>
      <label class="num">Minutes <input inputmode="numeric" data-i="${i}" data-k="minutes" data-field="lines[${i}].minutes" value="${esc(l.minutes)}"></label>
      <label class="num">Assistant min <input inputmode="numeric" data-i="${i}" data-k="assistant_minutes" data-field="lines[${i}].assistant_minutes" value="${esc(l.assistant_minutes)}"></label>
      <label class="mods">Modifiers <input data-i="${i}" data-k="modifiers" data-field="lines[${i}].modifiers" value="${esc(l.modifiers)}" placeholder="GP" autocapitalize="characters"></label>
      <label class="num">Units <input inputmode="numeric" data-i="${i}" data-k="units" data-field="lines[${i}].units" value="${esc(l.units)}" placeholder="auto"></label>
      <button type="button" class="remove" data-remove="${i}" aria-label="Remove line ${i + 1}">✕</button>
      <span class="label-hint" id="hint-${i}"></span>`;
    box.append(row);
  });
  lines.forEach((l, i) => showCodeHint(i));
}

function showCodeHint(i) {
  const hint = $(`hint-${i}`);
  if (!hint) return;
  const code = lines[i].code.trim().toUpperCase();
  const info = codeInfo.get(code);
  hint.textContent = info ? `${info.label} · ${info.timed ? "timed, 15-minute units" : "untimed, per service"}` : "";
}

function addLine(line = emptyLine(), focus = "code") {
  lines.push(line);
  renderLines();
  const input = document.querySelector(`#lines input[data-i="${lines.length - 1}"][data-k="${focus}"]`);
  input?.focus();
  update();
}

$("lines").addEventListener("input", (e) => {
  const t = e.target;
  if (!t.dataset.k) return;
  let value = t.value;
  // A pick from the code list may carry its label: keep the code.
  if (t.dataset.k === "code") value = value.replace(/\s+[—-].*$/, "");
  lines[Number(t.dataset.i)][t.dataset.k] = value;
  if (t.dataset.k === "code") showCodeHint(Number(t.dataset.i));
  update();
});
$("lines").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && e.target.dataset.k) {
    e.preventDefault();
    const i = Number(e.target.dataset.i);
    if (e.target.dataset.k === "units" && i === lines.length - 1) addLine();
    else e.target.closest(".line").querySelectorAll("input")[[...e.target.closest(".line").querySelectorAll("input")].indexOf(e.target) + 1]?.focus();
  }
});
$("lines").addEventListener("click", (e) => {
  const i = e.target.dataset?.remove;
  if (i === undefined) return;
  lines.splice(Number(i), 1);
  if (lines.length === 0) lines.push(emptyLine());
  renderLines();
  document.querySelector(`#lines input[data-i="${Math.min(Number(i), lines.length - 1)}"][data-k="code"]`)?.focus();
  update();
});
$("add-line").addEventListener("click", () => addLine());

// ---------- diagnoses ----------

let descriptionsLoading = null;
function loadDescriptions() {
  // Fetched from this same origin the first time a diagnosis is searched.
  descriptionsLoading ??= fetch("data/icd10cm-descriptions.txt")
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((text) => {
      icd10_load_descriptions(text);
      renderChips();
    })
    .catch(() => {
      descriptionsLoading = null;
    });
  return descriptionsLoading;
}

function renderChips() {
  const date = $("date_of_service").value || today();
  $("dx-chips").innerHTML = diagnoses
    .map((d, i) => {
      let title = "";
      try {
        const info = icd10_lookup(d, date);
        title = info.description ? ` — ${info.description}` : "";
      } catch {
        /* shown as a finding */
      }
      return `<li><span>${esc(d)}${esc(title)}</span> <button type="button" data-dx="${i}" aria-label="Remove diagnosis ${esc(d)}">✕</button></li>`;
    })
    .join("");
}

function addDiagnosis() {
  const value = $("dx-input").value.trim().split(/\s+[—-]\s+/)[0].trim();
  if (!value) return;
  diagnoses.push(value.toUpperCase());
  $("dx-input").value = "";
  $("dx-hint").textContent = "";
  renderChips();
  update();
}

let dxTimer = 0;
$("dx-input").addEventListener("input", () => {
  clearTimeout(dxTimer);
  dxTimer = setTimeout(async () => {
    const q = $("dx-input").value.trim();
    const date = $("date_of_service").value || today();
    if (q.length < 2) {
      $("dx-list").innerHTML = "";
      $("dx-hint").textContent = "";
      return;
    }
    await loadDescriptions();
    const found = icd10_search(q, date, 15);
    $("dx-list").innerHTML = found
      .map((f) => `<option value="${esc(f.code)}">${esc(f.code)} — ${esc(f.description || "(new in FY2027)")}${f.needs_seventh ? " (needs a 7th character)" : f.billable ? "" : " (not billable)"}</option>`)
      .join("");
    try {
      const info = icd10_lookup(q, date);
      const words = {
        billable: "billable on this date",
        header: `a category here; use ${info.codes.slice(0, 4).map((c) => c.code).join(", ")}${info.codes.length > 4 ? "…" : ""}`,
        "needs-seventh-character": `needs a 7th character: ${info.codes.map((c) => c.code).join(", ")}`,
        "not-valid-on-date": "not valid on this date",
        unknown: "not an ICD-10-CM code",
      };
      const title = info.description ? ` — ${info.description}` : info.status === "billable" ? " — new in FY2027 (no title in ptbill's data yet)" : "";
      $("dx-hint").textContent = `${info.code}: ${words[info.status] ?? info.status}${title}`;
    } catch {
      $("dx-hint").textContent = "";
    }
  }, 80);
});
$("dx-input").addEventListener("keydown", (e) => {
  if (e.key === "Enter") {
    e.preventDefault();
    addDiagnosis();
  }
});
$("dx-add").addEventListener("click", addDiagnosis);
$("dx-chips").addEventListener("click", (e) => {
  const i = e.target.dataset?.dx;
  if (i === undefined) return;
  diagnoses.splice(Number(i), 1);
  renderChips();
  update();
});

// ---------- checking and results ----------

function clearFieldErrors() {
  for (const el of document.querySelectorAll("[aria-invalid='true']")) {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-errormessage");
  }
  for (const el of document.querySelectorAll(".field-error")) el.remove();
  $("form-error").textContent = "";
}

function showInputError(message) {
  // Messages name the field first ("lines[1].minutes: must not be negative").
  const field = message.split(":")[0];
  const index = field.match(/^lines\[(\d+)\]/);
  let el = document.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (!el && index) {
    // Blank lines are skipped, so map the visit's line index back to the form's row.
    const filled = lines.map((l, i) => [l, i]).filter(([l]) => Object.values(l).some((v) => String(v).trim() !== ""));
    const row = filled[Number(index[1])]?.[1];
    const key = field.split(".")[1]?.replace(/\[\d+\]$/, "");
    el = document.querySelector(`#lines input[data-i="${row}"][data-k="${key ?? "code"}"]`);
  }
  if (!el && field.startsWith("diagnoses")) el = $("dx-input");
  const words = message.replace(/^lines\[(\d+)\]/, (_, n) => `line ${Number(n) + 1}`).replace(/_/g, " ");
  $("form-error").textContent = `Cannot check yet: ${words}`;
  if (el) {
    el.setAttribute("aria-invalid", "true");
    const span = document.createElement("span");
    span.className = "field-error";
    span.id = `err-${Math.random().toString(36).slice(2)}`;
    span.textContent = words;
    el.setAttribute("aria-errormessage", span.id);
    el.closest("label")?.after(span) ?? el.after(span);
  }
}

function update() {
  if (MODE === "audit") return;
  clearFieldErrors();
  const visit = readVisit();
  let report;
  try {
    report = check(visit);
  } catch (e) {
    showInputError(e.message);
    return;
  }
  lastReport = report;
  if (MODE !== "embed" || location.hash.startsWith("#v=")) {
    history.replaceState(null, "", `${location.pathname}${location.search}#v=${encodeVisit(visit)}`);
  }
  renderReport(report, visit);
  updateEmbedSnippet();
  if (!document.body.dataset.ready) performance.mark("ptbill-first-result");
  document.body.dataset.ready = "1";
}

function differenceSentence(r) {
  const main = r.timed_units;
  const alt = r.alternative.timed_units;
  const m = METHOD_NAME[r.method];
  const a = METHOD_NAME[r.alternative.method];
  if (main === alt) return `Both methods give ${main} timed unit${main === 1 ? "" : "s"}.`;
  const cms = r.method === "cms" ? main : alt;
  const ama = r.method === "ama" ? main : alt;
  const why =
    cms > ama
      ? "short leftovers of several codes add up under total time, though none reaches 8 minutes on its own"
      : "each code reaches 8 minutes on its own, but the total of the minutes allows fewer units";
  return `${m}: ${main} timed unit${main === 1 ? "" : "s"}; ${a}: ${alt}. The difference: ${why}.`;
}

function renderReport(r, visit) {
  $("th-main").textContent = r.method === "cms" ? "CMS units" : "CPT units";
  $("th-alt").textContent = r.alternative.method === "cms" ? "CMS units" : "CPT units";
  $("summary").textContent = `${r.timed_minutes} timed minutes. ${differenceSentence(r)}`;
  $("units-table").querySelector("tbody").innerHTML = r.lines
    .map((l, i) => {
      const split = l.split
        ? `<div class="split">Bill as: ${l.split.map((s) => `${esc(l.code)} × ${s.units} (${esc(s.modifiers.join(" "))})`).join("; ")}</div>`
        : "";
      return `<tr><td class="code">${esc(l.code)}</td><td>${esc(l.label ?? "")}${l.timed ? "" : ' <span class="tag">untimed</span>'}</td><td class="num">${esc(visit.lines[i]?.minutes ?? "")}</td><td class="num units">${l.units}</td><td class="num alt">${r.alternative.lines[i].units}</td><td class="mods">${esc(l.modifiers.join(" "))}${split}</td></tr>`;
    })
    .join("");
  $("explanation").innerHTML = r.explanation.map((s) => `<li>${esc(s)}</li>`).join("");
  $("alt-summary").textContent = `${METHOD_NAME[r.alternative.method]}, step by step`;
  $("alt-explanation").innerHTML = r.alternative.explanation.map((s) => `<li>${esc(s)}</li>`).join("");
  const groups = [
    ["error", "Errors"],
    ["warning", "Warnings"],
    ["info", "Notes"],
  ];
  const html = groups
    .map(([sev, title]) => {
      const ds = r.diagnostics.filter((d) => d.severity === sev);
      if (ds.length === 0) return "";
      const items = ds
        .map((d) => {
          const where = d.line === null ? "" : ` <span class="where">line ${d.line + 1} (${esc(r.lines[d.line].code)})</span>`;
          return `<li class="${sev}"><button type="button" class="rule" data-rule="${esc(d.rule)}" aria-label="About the rule ${esc(d.rule)}">${esc(d.rule)}</button>${where}<p>${esc(d.message)}</p><p class="help">${esc(d.help)}</p></li>`;
        })
        .join("");
      return `<section class="sev ${sev}"><h4>${title} (${ds.length})</h4><ul>${items}</ul></section>`;
    })
    .join("");
  $("diagnostics").innerHTML = html || "<p>No findings.</p>";
  $("documentation").textContent = r.documentation;
  const dates = Object.entries(r.data).map(([k, v]) => `${k} ${v}`).join("; ");
  $("data-dates").textContent = `Reference data used: ${dates}.`;
  $("footer-data").textContent = dates;
}

// ---------- rule docs ----------

function markdown(md) {
  const out = [];
  let code = null;
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) {
      if (code === null) code = [];
      else {
        out.push(`<pre><code>${esc(code.join("\n"))}</code></pre>`);
        code = null;
      }
    } else if (code !== null) code.push(line);
    else if (line.startsWith("## ")) out.push(`<h3>${esc(line.slice(3))}</h3>`);
    else if (line.startsWith("# ")) out.push(`<h2 id="rule-title">${esc(line.slice(2))}</h2>`);
    else if (line.trim()) out.push(`<p>${esc(line).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`);
  }
  return out.join("");
}

$("diagnostics").addEventListener("click", (e) => {
  const id = e.target.dataset?.rule;
  if (!id) return;
  $("rule-body").innerHTML = markdown(explain(id));
  $("rule-dialog").showModal();
});

// ---------- copy, share, embed, clear ----------

async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    $(status).textContent = "Copied.";
  } catch {
    $(status).textContent = "Select and copy it by hand.";
  }
  setTimeout(() => ($(status).textContent = ""), 2500);
}
$("copy-doc").addEventListener("click", () => copy($("documentation").textContent, "copy-status"));
$("share").addEventListener("click", () => copy(location.href, "share-status"));
$("copy-embed").addEventListener("click", () => copy($("embed-snippet").value, "embed-status"));

function pageUrl(query) {
  return `${location.origin}${location.pathname}${query}${location.hash}`;
}
function updateEmbedSnippet() {
  $("embed-snippet").value = `<iframe src="${pageUrl("?embed")}" title="ptbill: therapy billing units" width="100%" height="760" loading="lazy"></iframe>`;
}

$("clear").addEventListener("click", () => {
  $("visit-form").reset();
  fillForm({ date_of_service: today() });
  history.replaceState(null, "", `${location.pathname}${location.search}`);
  update();
  $("lines").querySelector("input")?.focus();
});

// ---------- activity helper and worked examples ----------

function renderActivities() {
  $("activities").innerHTML = ACTIVITIES.map((a) => {
    const label = a.code ? codeInfo.get(a.code)?.label ?? "" : "";
    const add = a.code ? `<button type="button" data-activity="${a.id}">Add ${a.code}</button>` : "";
    return `<li><details><summary>${esc(a.name)}</summary><p><strong>${a.code ? `${esc(a.code)} ${esc(label)}` : "Bill the primary intervention"}</strong> <span class="tag ${a.basis}">${a.basis === "rule" ? "rule: the code's definition" : "opinion: common practice"}</span></p><p>${esc(a.why)}</p>${add}</details></li>`;
  }).join("");
}
$("activities").addEventListener("click", (e) => {
  const a = ACTIVITIES.find((x) => x.id === e.target.dataset?.activity);
  if (!a) return;
  const line = { ...emptyLine(), code: a.code, modifiers: THERAPY_MOD[$("discipline").value] };
  // Fill an empty last line rather than leave it dangling.
  const last = lines[lines.length - 1];
  if (Object.values(last).every((v) => String(v).trim() === "")) lines.pop();
  addLine(line, "minutes");
});

const EXAMPLES = [
  ["CMS example 1: 24 + 23 minutes", [["97112", 24], ["97110", 23]]],
  ["CMS example 2: a tie, 20 + 20 minutes", [["97112", 20], ["97110", 20]]],
  ["CMS example 3: 33 + 7 minutes", [["97110", 33], ["97140", 7]]],
  ["CMS example 4: four codes, 49 minutes", [["97110", 18], ["97140", 13], ["97116", 10], ["97035", 8]]],
  ["Per code gives more: 10 + 10 minutes", [["97110", 10], ["97116", 10]]],
];
function renderExamples() {
  $("examples").innerHTML = EXAMPLES.map(([title, mins]) => {
    const visit = {
      date_of_service: today(),
      payer: "medicare",
      lines: mins.map(([code, minutes]) => ({ code, minutes, modifiers: ["GP"] })),
      diagnoses: ["M54.50"],
    };
    return `<li><a href="?view#v=${encodeVisit(visit)}">${esc(title)}</a></li>`;
  }).join("");
}

// ---------- start ----------

function setReadOnly() {
  for (const el of document.querySelectorAll("#visit-form input, #visit-form select")) el.disabled = true;
  for (const el of document.querySelectorAll("#visit-form button")) el.hidden = true;
  const banner = document.createElement("p");
  banner.className = "banner";
  banner.innerHTML = `Worked example, read-only. <a href="./${esc(location.hash)}">Open it in the calculator</a> to change it.`;
  $("calculator").prepend(banner);
}

await init();
$("version").textContent = version();
codeInfo = new Map(catalog().filter((c) => !c.code.includes("–")).map((c) => [c.code, c]));
$("code-list").innerHTML = [...codeInfo.values()]
  .filter((c) => !c.valid_to)
  .map((c) => `<option value="${esc(c.code)}">${esc(c.code)} — ${esc(c.label)}</option>`)
  .join("");
renderActivities();
renderExamples();
for (const id of ["date_of_service", "payer", "method", "discipline", "setting", "ytd_allowed"]) {
  $(id).addEventListener("input", () => {
    if (id === "date_of_service") renderChips();
    update();
  });
}
fillForm(visitFromHash() ?? { date_of_service: today() });
if (MODE === "view") setReadOnly();
if (MODE === "audit") {
  $("calculator").hidden = true;
  $("audit-view").hidden = false;
  $("nav-calc").removeAttribute("aria-current");
  $("nav-audit").setAttribute("aria-current", "page");
  import("./audit.js").then((m) => m.start());
}
update();
if (MODE !== "audit" && !document.body.dataset.ready) document.body.dataset.ready = "1";
window.addEventListener("hashchange", () => {
  const v = visitFromHash();
  if (v && JSON.stringify(v) !== JSON.stringify(readVisit())) {
    fillForm(v);
    update();
  }
});
if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js").catch(() => {});
