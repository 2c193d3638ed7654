// "Audit a file": a CSV export is checked in this browser by a Web Worker
// (www/audit-worker.js) that reads the file in chunks, with a progress bar and
// Cancel; then the summary (with a payer-name mapping step), filters, the
// findings a page at a time (each visit opens in the calculator) and the
// findings CSV to download. Files of any size: the page holds one page of
// findings; a store worker (www/audit-store.js) keeps the rest compressed, and
// the download is decompressed as it is saved (by the service worker, www/sw.js,
// or, when none controls the page, in this page).
import { encodeVisit } from "./share.js";

const $ = (id) => document.getElementById(id);
const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const PAYERS = ["medicare", "medicare_advantage", "medicaid", "commercial", "other"];
const PAGE = 100;

let worker = null;
let store = null; // the store worker of the current audit
let asked = 0; // the newest page request (an older answer is dropped)
let result = null; // the last finished (or cancelled) audit
let csvGz = null; // the findings CSV, gzip-compressed
let file = null; // the file last audited (re-run when a payer is mapped)
let payers = {}; // payer name → contract value
let offset = 0;
let pendingCheck = null;

/** Checks one visit with the audit worker's engine instance (used by tests to
 * show the instance still works after an audit). */
export function checkInWorker(visit) {
  if (!worker) startWorker();
  return new Promise((resolve) => {
    pendingCheck = resolve;
    worker.postMessage({ type: "check", visit });
  });
}

function table(title, counts, key) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return `<table class="audit-${key}"><caption>${esc(title)}</caption><thead><tr><th scope="col">${esc(key)}</th><th scope="col">findings</th></tr></thead><tbody>${rows
    .map(([k, n]) => `<tr><td>${esc(k)}</td><td class="num">${n}</td></tr>`)
    .join("")}</tbody></table>`;
}

function filter() {
  return { severity: $("audit-sev").value, rule: $("audit-rule").value, text: $("audit-text").value };
}

/** The list's count, in words: `p.total` entries match (findings, row errors and file notes). */
function matched(total) {
  return `${total} ${total === 1 ? "entry matches" : "entries match"} (findings, row errors and file notes)`;
}

function showPage(p) {
  offset = p.offset;
  const last = Math.min(p.total, p.offset + p.entries.length);
  // The list holds row errors and file notes beside the findings, so its count
  // is of entries: the summary's "findings" counts findings alone.
  $("audit-findings").innerHTML = `<p class="note">${matched(p.total)}${p.total > p.entries.length ? `; ${p.total ? p.offset + 1 : 0}–${last} shown` : ""}.</p>
    <p class="pager"><button type="button" id="audit-prev"${p.offset > 0 ? "" : " disabled"}>Previous ${PAGE}</button> <button type="button" id="audit-next"${last < p.total ? "" : " disabled"}>Next ${PAGE}</button></p>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Findings"><table><thead><tr><th scope="col">Visit</th><th scope="col">Row</th><th scope="col">Code</th><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Message</th></tr></thead><tbody>${p.entries
      .map(
        (f) =>
          `<tr><td>${f.visit ? `<a href="./#v=${encodeVisit(f.visit)}" target="_blank" rel="noopener">${esc(f.visit_id)}</a>` : esc(f.visit_id)}</td><td class="num">${f.row ?? ""}</td><td>${esc(f.code ?? "")}</td><td>${esc(f.severity)}</td><td>${f.title ? `${esc(f.title)} <code>${esc(f.rule)}</code>` : esc(f.rule)}</td><td>${esc(f.message)}</td></tr>`,
      )
      .join("")}</tbody></table></div>`;
  $("audit-prev").addEventListener("click", () => ask(Math.max(0, offset - PAGE)));
  $("audit-next").addEventListener("click", () => ask(offset + PAGE));
}

function ask(at) {
  if (!store) return;
  store.postMessage({ type: "page", id: ++asked, offset: at, size: PAGE, ...filter() });
}

function payerStep(s) {
  const names = Object.keys(s.payers).filter((n) => !PAYERS.includes(n.replace(/[ -]/g, "_")));
  if (!names.length) return "";
  return `<fieldset class="audit-payers"><legend>Payer names in this file</legend>
    <p class="note">Names that are not one of ptbill's payer types are checked as "other". Choose what each one is; the file is audited again.</p>
    ${names
      .map(
        (n) =>
          `<label>${esc(n)} (${s.payers[n]} visits) <select data-payer="${esc(n)}">${PAYERS.map((p) => `<option${(payers[n] ?? s.payers_checked_as[n]) === p ? " selected" : ""}>${p}</option>`).join("")}</select></label>`,
      )
      .join(" ")}</fieldset>`;
}

function render(r, first) {
  result = r;
  const s = r.summary;
  const findings = Object.values(s.by_severity).reduce((a, b) => a + b, 0);
  const rules = Object.keys(s.by_rule).sort();
  const notices = [...s.data_notices, ...s.notices];
  $("audit-result").innerHTML = `
    ${r.cancelled ? `<p class="form-error" role="status">Cancelled after ${r.visits_checked} of ${r.visits} visits: the results below are those checked so far.</p>` : ""}
    <h3>Summary</h3>
    <p class="summary" id="audit-summary">${r.visits} visits, ${r.rows} rows: <span id="audit-findings-count">${findings}</span> findings, ${s.row_errors} row errors, ${s.visits_with_errors} visits with errors.</p>
    <p>Units to bill: ${s.total_units} (timed ${s.timed_units}). Units claimed (where given): ${s.claimed_units}: <strong>${s.units_over}</strong> more than the minutes earn (risk of over-billing), <strong>${s.units_under}</strong> earned but not claimed.</p>
    ${notices.map((n) => `<p class="note audit-notice">${esc(n.message)}</p>`).join("")}
    ${payerStep(s)}
    <div class="audit-tables">${table("By severity", s.by_severity, "severity")}${table("By rule", s.by_rule, "rule")}${table("By code", s.by_code, "code")}</div>
    <p><button type="button" id="audit-download">Download findings (CSV)</button></p>
    <h3>Findings</h3>
    <div class="grid">
      <label>Severity <select id="audit-sev"><option value="">all</option><option>error</option><option>warning</option><option>info</option></select></label>
      <label>Rule <select id="audit-rule"><option value="">all</option><option>row-error</option><option>row-warning</option>${rules.map((x) => `<option>${esc(x)}</option>`).join("")}</select></label>
      <label>Visit, code or words <input id="audit-text"></label>
    </div>
    <div id="audit-findings"></div>`;
  // A new filter reads every kept finding once (seconds for a large file): say so meanwhile.
  const refilter = () => {
    const note = document.querySelector("#audit-findings .note");
    if (note) note.textContent = "Looking through the findings…";
    ask(0);
  };
  for (const id of ["audit-sev", "audit-rule"]) $(id).addEventListener("input", refilter);
  // Words: asked once the typing pauses.
  let typing = null;
  $("audit-text").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(refilter, 250);
  });
  for (const sel of document.querySelectorAll("[data-payer]")) {
    sel.addEventListener("change", () => {
      payers[sel.dataset.payer] = sel.value;
      if (file) run(file, true);
    });
  }
  $("audit-download").addEventListener("click", () => download(csvGz, "ptbill-findings.csv"));
  showPage(first);
}

/** Saves a gzip Blob decompressed: streamed by the service worker when one
 * controls the page (nothing whole in memory), else decompressed here first. */
async function download(gz, name) {
  const sw = navigator.serviceWorker?.controller;
  if (sw) {
    const id = crypto.randomUUID();
    const { port1, port2 } = new MessageChannel();
    const taken = new Promise((resolve) => {
      port1.onmessage = () => resolve(true);
      setTimeout(() => resolve(false), 2000);
    });
    sw.postMessage({ type: "ptbill:download", id, name, blob: gz }, [port2]);
    if (await taken) {
      // A frame's navigation to the worker's URL: its answer is an attachment, so the page stays.
      let frame = $("audit-download-frame");
      if (!frame) {
        frame = Object.assign(document.createElement("iframe"), { id: "audit-download-frame", hidden: true, title: "download" });
        document.body.append(frame);
      }
      frame.src = `download/${id}/${encodeURIComponent(name)}`;
      document.body.dataset.download = "stream";
      return;
    }
  }
  // No service worker: the whole CSV is made here first (the button waits meanwhile).
  const button = $("audit-download");
  button.disabled = true;
  button.textContent = "Preparing the download…";
  let blob;
  try {
    blob = await new Response(gz.stream().pipeThrough(new DecompressionStream("gzip"))).blob();
  } finally {
    button.disabled = false;
    button.textContent = "Download findings (CSV)";
  }
  const url = URL.createObjectURL(new Blob([blob], { type: "text/csv" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  document.body.dataset.download = "memory";
}

function say(sentence) {
  $("audit-progress").hidden = true;
  $("audit-result").innerHTML = `<p class="form-error" role="alert">${esc(sentence)}</p>`;
}

function startWorker() {
  worker?.terminate();
  store?.terminate();
  worker = new Worker("audit-worker.js", { type: "module" });
  store = new Worker("audit-store.js", { type: "module" });
  const { port1, port2 } = new MessageChannel();
  store.postMessage({ type: "port", port: port2 }, [port2]);
  worker.port = port1;
  store.onmessage = worker.onmessage = ({ data }) => {
    if (data.type === "progress") {
      $("audit-bar").max = Math.max(1, data.total);
      $("audit-bar").value = data.done;
      $("audit-count").textContent =
        data.phase === "count" ? `Reading the file: ${(data.done / 1e6).toFixed(0)} of ${(data.total / 1e6).toFixed(0)} MB` : `${data.done} of ${data.total} rows`;
    } else if (data.type === "done") {
      $("audit-progress").hidden = true;
      csvGz = data.csv;
      render(data.result, data.page);
      document.body.dataset.audited = "1";
    } else if (data.type === "fetched") {
      import("./offline.js").then((m) => m.fetchedToo(data.urls));
    } else if (data.type === "page") {
      if (data.id === asked) showPage(data.page);
    } else if (data.type === "checked") {
      pendingCheck?.(data.report);
      pendingCheck = null;
    } else if (data.type === "cancelled") {
      $("audit-result").innerHTML = "<p>Cancelled. Choose a file to audit again.</p>";
    } else if (data.type === "unkept") {
      // The store could not keep or read back the findings (the browser refused the memory).
      startWorker();
      say(`This browser tab could not keep the findings of this file (${data.message}); the checker has been restarted. Close other tabs and try again, or split the file into smaller files.`);
    } else if (data.type === "fatal") {
      say(`This file cannot be audited: ${data.message}.`.replace(/\.\.$/, "."));
    } else if (data.type === "trap") {
      // The engine stopped (out of memory): a fresh worker loads it anew.
      startWorker();
      say("The audit stopped because this browser tab ran out of memory for it; the checker has been restarted. Close other tabs and try again, or split the file into smaller files.");
    }
  };
  store.onerror = worker.onerror = (e) => {
    e.preventDefault();
    startWorker();
    say(`The audit stopped unexpectedly (${e.message || "the worker failed"}); the checker has been restarted. Try again.`);
  };
}

function run(f, again = false) {
  file = f;
  if (!again) payers = {};
  // A new worker per audit: the previous one's Blobs are let go, and a worker
  // that is still checking is stopped.
  startWorker();
  delete document.body.dataset.audited;
  $("audit-result").innerHTML = "";
  $("audit-progress").hidden = false;
  $("audit-bar").value = 0;
  $("audit-count").textContent = "Starting…";
  csvGz = null;
  worker.postMessage({ type: "audit", file: f, payers, store: worker.port }, [worker.port]);
}

export function start() {
  const input = $("audit-file");
  input.addEventListener("change", () => {
    const f = input.files[0];
    // Reset, so choosing the same file again audits it again.
    input.value = "";
    if (f) run(f);
  });
  const drop = $("audit-drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const f = e.dataTransfer.files[0];
    if (f) run(f);
  });
  $("audit-cancel").addEventListener("click", () => {
    // The worker stops at its next chunk and sends what it checked so far.
    worker?.postMessage({ type: "cancel" });
    $("audit-progress").hidden = true;
    $("audit-count").textContent = "";
    $("audit-result").innerHTML = "<p>Cancelled. Choose a file to audit again.</p>";
    input.focus();
  });
  $("audit-sample").addEventListener("click", async () => {
    const blob = await (await fetch("sample-audit.csv")).blob();
    run(new File([blob], "sample-audit.csv", { type: "text/csv" }));
  });
  document.body.dataset.ready = "1";
}
