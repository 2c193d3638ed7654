// ptbill's page, started here: the form works at once (the first service line
// is in the HTML); the wasm engine loads beside it and, once ready, checks the
// visit on every change. Everything stays in this tab: the visit lives only in
// the URL fragment, which browsers never send anywhere. One module per concern:
//   form.js, input.js, diagnoses.js — the visit form and forgiving input
//   result.js, findings.js           — the answer and the findings
//   rule-docs.js                     — a rule's docs (fetched when one is opened)
//   share.js, embed.js, offline.js   — links, embedding, the service worker
//   engine.js                        — loading the wasm, and restarting it after a trap
import { loadEngine, loadTables, call, callWhenReady, isReady, EngineStopped, onRestart, restarted } from "./engine.js";
import { state, startForm, fillForm, readVisit, problems, filledRows, showFieldErrors, showCodeHint, clearForm, undoClear, today, esc } from "./form.js";
import { engineProblem } from "./input.js";
import { startShare, visitChanged, visitFromHash, setReadOnly, inFrame, copy, forgetUrl } from "./share.js";

// The answer's modules and the chips' are asked for now but not waited for: the
// form is filled from the link while they and the engine download (over
// HTTP/1.1 a browser opens 6 connections to a host, so they come in a second
// round of requests, beside the wasm's end; see _headers). Until the answer's
// are in, update() waits, as it does for the engine; the chips follow the first
// result.
let result = null;
let findings = null;
let diagnoses = null;
const answer = Promise.all([import("./result.js"), import("./findings.js")]).then((m) => ([result, findings] = m));
answer.catch(() => {}); // awaited below
const chips = import("./diagnoses.js");
chips.catch(() => {}); // awaited below

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const MODE = params.has("embed") ? "embed" : params.has("view") ? "view" : params.has("audit") ? "audit" : "calc";
document.body.classList.add(`mode-${MODE}`);
if (inFrame) document.body.classList.add("in-frame");
// The service worker's module, imported after the first result (one request
// fewer before it); its news of a new version is asked for again then.
const offline = () => import("./offline.js").then((m) => (m.listenForUpdates(), m));

// A visit that stopped the engine is tried once more on the fresh instance; if it
// stops that one too, it is not tried again until it changes (no restart loop).
let stopped = null;
let gaveUp = null;
let retryTables = false; // the tables failed to load: try again on the next change

// "First result": the units (and every check that needs no table) are on
// screen; "complete result": the NCCI and ICD-10-CM checks too, once
// data/tables.bin is in (#results data-state="ready"; body data-complete="1").
function firstResult() {
  if (document.body.dataset.ready) return;
  performance.mark("ptbill-first-result");
  document.body.dataset.ready = "1";
}
function completeResult() {
  if (document.body.dataset.complete) return;
  performance.mark("ptbill-complete-result");
  document.body.dataset.complete = "1";
}

function update() {
  if (MODE === "audit" || !result || (!isReady() && !early)) return; // (a trap on the early check is handled below)
  if (retryTables) {
    retryTables = false;
    completeChecks();
  }
  const list = problems();
  if (filledRows().length === 0) {
    showFieldErrors(list.filter((p) => p.row === undefined));
    result.showEmpty();
    visitChanged(null, { embed: MODE === "embed" });
    return firstResult();
  }
  if (list.length) {
    showFieldErrors(list);
    result.showStale(list);
    return firstResult();
  }
  const visit = readVisit();
  const key = JSON.stringify(visit);
  if (key === gaveUp) return;
  let report;
  try {
    report = takeEarly(key) ?? call("check", key); // JSON text: the page's module has no object walk (it has the text already)
  } catch (e) {
    if (e instanceof EngineStopped) {
      const again = stopped === key;
      stopped = key;
      if (again) gaveUp = key;
      result.showStale([{ message: again ? "ptbill cannot check this visit: the engine stops on it each time; change the visit and it checks again" : "The billing engine stopped and is restarting" }]);
      if (!again) restarted().then(update);
      return;
    }
    const rows = filledRows();
    const p = engineProblem(e.message, (i) => rows[i]?.[1] ?? i);
    showFieldErrors([p]);
    result.showStale([p]);
    return firstResult();
  }
  stopped = gaveUp = null;
  showFieldErrors([]);
  result.renderReport(report, visit);
  visitChanged(visit, { embed: MODE === "embed" });
  firstResult();
}

// The first check needs none of the answer's modules, so it runs as soon as the
// engine is in, while they may still be arriving (it is the slow one: V8
// compiles the engine's functions on their first call). update() then takes its
// report, or its error, as if it had called the engine itself.
let early = null;
function checkEarly() {
  if (MODE === "audit" || filledRows().length === 0 || problems().length) return;
  const key = JSON.stringify(readVisit());
  try {
    early = { key, report: call("check", key) };
  } catch (error) {
    early = { key, error };
  }
}
function takeEarly(key) {
  const e = early;
  early = null;
  if (!e || e.key !== key) return null;
  if (e.error) throw e.error;
  return e.report;
}

function undoOffer(show, { said = "Cleared.", label = "Undo clear" } = {}) {
  $("undo").hidden = !show;
  $("undo").textContent = label;
  $("share-status").textContent = show ? said : "";
}

startForm(
  () => {
    undoOffer(false);
    update();
  },
  { removed: (i) => undoOffer(true, { said: `Line ${i + 1} removed.`, label: "Undo remove" }) },
);
/** What the form holds before this module ran: the HTML's first line and
 * selects are usable at once, and on a slow phone a clinician may have typed
 * into them already, which must not be wiped when the form is rendered. */
function typedEarly() {
  const line = {};
  for (const input of document.querySelectorAll('#lines input[data-i="0"]')) line[input.dataset.k] = input.value;
  const visit = { date_of_service: $("date_of_service").value || today(), lines: [{ ...line, modifiers: (line.modifiers ?? "").split(/\s+/).filter(Boolean) }] };
  for (const f of ["payer", "method", "discipline", "setting"]) visit[f] = $(f).value;
  visit.ytd_allowed = $("ytd_allowed").value;
  return visit;
}

startShare({
  onForget: () => {
    clearForm({ undoable: false });
    undoOffer(false);
    diagnoses?.renderChips();
    update();
  },
});
fillForm(visitFromHash() ?? typedEarly());
if (MODE === "view") setReadOnly();
// Only in a frame: the host is told the page's height (fetched only then).
if (inFrame || MODE === "embed") import("./embed.js").then((m) => m.startResizeReports());

$("clear").addEventListener("click", () => {
  clearForm({ undoable: true });
  forgetUrl();
  diagnoses?.renderChips();
  update();
  undoOffer(true);
  $("lines").querySelector("input")?.focus();
});
$("undo").addEventListener("click", () => {
  undoClear();
  diagnoses?.renderChips();
  undoOffer(false);
  update();
  $("lines").querySelector("input")?.focus();
});
for (const id of ["copy-doc", "summary-copy"]) $(id).addEventListener("click", () => copy($("documentation").textContent, id === "copy-doc" ? "copy-status" : "share-status"));
window.addEventListener("hashchange", () => {
  const v = visitFromHash();
  if (v && JSON.stringify(v) !== JSON.stringify(readVisit())) {
    fillForm(v);
    diagnoses?.renderChips();
    update();
    diagnoses?.showTitles();
  }
});
onRestart((sentence) => {
  $("notice").textContent = sentence;
});

if (MODE === "audit") {
  $("calculator").hidden = true;
  $("audit-view").hidden = false;
  $("nav-calc").removeAttribute("aria-current");
  $("nav-audit").setAttribute("aria-current", "page");
  // The audit's files are stored for offline use the first time this view
  // opens online; before that, offline, say so instead of doing nothing.
  import("./audit.js")
    .then((m) => m.start())
    .catch(() => {
      const p = document.createElement("p");
      p.className = "result-error";
      p.textContent = navigator.onLine
        ? "The audit could not start: its files did not load. Reload the page to try again."
        : "The audit is not on this device yet: open this view once while online, and it works offline after that. The calculator works offline now.";
      $("audit-result").replaceChildren(p);
      for (const id of ["audit-file", "audit-sample"]) $(id).disabled = true;
    });
  offline().then((m) => m.startOffline());
}

let engineFailed = null;
try {
  await loadEngine();
  $("version").textContent = call("version");
  checkEarly();
} catch (e) {
  engineFailed = e;
}
await answer;
findings.startFindings();
if (engineFailed) {
  result.setState("stale");
  $("summary-text").textContent = `ptbill could not start its engine in this browser (${engineFailed.message}). Reload the page to try again.`;
  throw engineFailed;
}
// The first result comes first: its findings carry their titles, and the chips'
// titles come only with the ICD-10-CM descriptions (loaded on first use), so the
// rule list and the chips wait until just after it (and the tables' request).
update();
// Right after the first result: the tables the NCCI and ICD-10-CM checks need,
// then the visit checked again (a failure is said where the findings are; the
// next change of the visit tries again).
async function completeChecks() {
  try {
    await loadTables();
  } catch (e) {
    retryTables = true;
    result.showTablesFailed(e.message);
    return;
  }
  await chipsIn;
  diagnoses.renderChips();
  update();
  completeResult();
  diagnoses.showTitles();
}
const chipsIn = chips.then((m) => {
  diagnoses = m;
  diagnoses.startDiagnoses();
  diagnoses.renderChips();
});
if (MODE === "audit") completeResult();
else completeChecks();
findings.loadRuleTitles();
await chipsIn;
// Then, once the first result has had a chance to be drawn, while the tables
// download: the code catalog, for the label under each code and the code
// suggestions (the units and findings do not need it).
await new Promise((ok) => setTimeout(ok));
// (After a trap on the first check, once the engine has restarted.)
state.codeInfo = new Map((await callWhenReady("catalog")).filter((c) => !c.code.includes("–")).map((c) => [c.code, c]));
state.lines.forEach((_, i) => showCodeHint(i)); // not a re-render: the user may be typing already
$("code-list").innerHTML = [...state.codeInfo.values()]
  .filter((c) => !c.valid_to)
  .map((c) => `<option value="${esc(c.code)}">${esc(c.code)} — ${esc(c.label)}</option>`)
  .join("");
// After the answer: the activity helper, then the service worker (which
// installs from the HTTP cache once the page has fetched its files).
const { startHelper } = await import("./helper.js");
startHelper();
import("./rule-docs.js"); // so that the first rule tag clicked opens its docs at once
if (MODE !== "audit") offline().then((m) => m.startOffline());
