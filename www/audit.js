// "Audit a file": read a CSV in this browser, check every visit in a Web Worker
// with a progress bar and Cancel, then show the summary, filters, the findings
// (each visit opens in the calculator) and a findings CSV to download.
import { encodeVisit } from "./visit-link.js";

const $ = (id) => document.getElementById(id);
const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

let worker = null;
let result = null;

function cell(s) {
  const t = String(s ?? "");
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** The findings CSV, in the same columns as `ptbill audit --format csv`. */
export function findingsCsv(r) {
  const out = ["visit_id,row,line,code,rule,severity,message"];
  for (const v of r.results) {
    for (const f of v.findings) out.push([v.visit_id, f.row, f.line ?? "", f.code ?? "", f.rule, f.severity, f.message].map(cell).join(","));
  }
  for (const e of r.row_errors) out.push([e.visit_id ?? "", e.row, "", "", "row-error", "error", e.message].map(cell).join(","));
  return out.join("\n") + "\n";
}

function table(title, counts, key) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return `<table class="audit-${key}"><caption>${esc(title)}</caption><thead><tr><th scope="col">${esc(key)}</th><th scope="col">findings</th></tr></thead><tbody>${rows
    .map(([k, n]) => `<tr><td>${esc(k)}</td><td class="num">${n}</td></tr>`)
    .join("")}</tbody></table>`;
}

function renderFindings() {
  const sev = $("audit-sev").value;
  const rule = $("audit-rule").value;
  const text = $("audit-text").value.trim().toLowerCase();
  const rows = [];
  for (const v of result.results) {
    for (const f of v.findings) {
      if ((sev && f.severity !== sev) || (rule && f.rule !== rule)) continue;
      if (text && !`${v.visit_id} ${f.code ?? ""} ${f.message}`.toLowerCase().includes(text)) continue;
      rows.push([v, f]);
    }
  }
  const shown = rows.slice(0, 300);
  $("audit-findings").innerHTML = `<p class="note">${rows.length} findings match${rows.length > shown.length ? `; the first ${shown.length} are shown (the download has all)` : ""}.</p>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Findings"><table><thead><tr><th scope="col">Visit</th><th scope="col">Row</th><th scope="col">Code</th><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Message</th></tr></thead><tbody>${shown
      .map(
        ([v, f]) =>
          `<tr><td><a href="./#v=${encodeVisit(v.visit)}" target="_blank" rel="noopener">${esc(v.visit_id)}</a></td><td class="num">${f.row ?? ""}</td><td>${esc(f.code ?? "")}</td><td>${esc(f.severity)}</td><td>${esc(f.rule)}</td><td>${esc(f.message)}</td></tr>`,
      )
      .join("")}</tbody></table></div>`;
}

function render(r) {
  result = r;
  const s = r.summary;
  const findings = Object.values(s.by_severity).reduce((a, b) => a + b, 0);
  const rules = Object.keys(s.by_rule).sort();
  $("audit-result").innerHTML = `
    <h3>Summary</h3>
    <p class="summary" id="audit-summary">${r.visits} visits, ${r.rows} rows: <span id="audit-findings-count">${findings}</span> findings, ${r.row_errors.length} row errors, ${s.visits_with_errors} visits with errors.</p>
    <p>Timed units computed: ${s.timed_units}. Units claimed (where given): ${s.claimed_units}: <strong>${s.units_over}</strong> more than the minutes earn (risk of over-billing), <strong>${s.units_under}</strong> earned but not claimed.</p>
    <div class="audit-tables">${table("By severity", s.by_severity, "severity")}${table("By rule", s.by_rule, "rule")}${table("By code", s.by_code, "code")}</div>
    <p><button type="button" id="audit-download">Download findings (CSV)</button></p>
    <h3>Findings</h3>
    <div class="grid">
      <label>Severity <select id="audit-sev"><option value="">all</option><option>error</option><option>warning</option><option>info</option></select></label>
      <label>Rule <select id="audit-rule"><option value="">all</option>${rules.map((x) => `<option>${esc(x)}</option>`).join("")}</select></label>
      <label>Visit, code or words <input id="audit-text"></label>
    </div>
    <div id="audit-findings"></div>
    <h3>Rows that could not be used (${r.row_errors.length})</h3>
    <ul class="row-errors">${r.row_errors.map((e) => `<li>Row ${e.row}${e.visit_id ? ` (${esc(e.visit_id)})` : ""}: ${esc(e.message)}</li>`).join("")}</ul>`;
  for (const id of ["audit-sev", "audit-rule", "audit-text"]) $(id).addEventListener("input", renderFindings);
  $("audit-download").addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([findingsCsv(r)], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "ptbill-findings.csv";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  renderFindings();
}

function run(text) {
  worker?.terminate();
  worker = new Worker("audit-worker.js", { type: "module" });
  $("audit-result").innerHTML = "";
  $("audit-progress").hidden = false;
  $("audit-bar").value = 0;
  $("audit-count").textContent = "Starting…";
  worker.onmessage = ({ data }) => {
    if (data.type === "progress") {
      $("audit-bar").max = Math.max(1, data.total);
      $("audit-bar").value = data.done;
      $("audit-count").textContent = `${data.done} of ${data.total} rows`;
    } else if (data.type === "done") {
      $("audit-progress").hidden = true;
      worker.terminate();
      worker = null;
      render(data.result);
      document.body.dataset.audited = "1";
    } else {
      $("audit-progress").hidden = true;
      $("audit-result").innerHTML = `<p class="form-error">${esc(data.message)}</p>`;
    }
  };
  worker.postMessage(text);
}

export function start() {
  $("audit-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (file) run(await file.text());
  });
  const drop = $("audit-drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer.files[0];
    if (file) run(await file.text());
  });
  $("audit-cancel").addEventListener("click", () => {
    worker?.terminate();
    worker = null;
    $("audit-progress").hidden = true;
    $("audit-count").textContent = "";
    $("audit-result").innerHTML = "<p>Cancelled.</p>";
  });
  $("audit-sample").addEventListener("click", async () => run(await (await fetch("sample-audit.csv")).text()));
  document.body.dataset.ready = "1";
}
