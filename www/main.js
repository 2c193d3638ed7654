// Placeholder page for the engine issue: check the visit as you type and show
// units by both methods, the explanation and the findings.
import init, { check } from "./pkg/ptbill.js";

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function render() {
  let report;
  try {
    report = check($("visit").value);
    $("error").textContent = "";
  } catch (e) {
    $("error").textContent = e.message;
    return;
  }
  const rows = report.lines
    .map((l, i) => `<tr><td>${esc(l.code)}</td><td>${esc(l.label ?? "")}</td><td class="units">${l.units}</td><td class="alt">${report.alternative.lines[i].units}</td><td>${esc(l.modifiers.join(" "))}</td></tr>`)
    .join("");
  $("result").innerHTML = `
    <table><thead><tr><th>Code</th><th>Service</th><th>${report.method.toUpperCase()} units</th><th>${report.alternative.method.toUpperCase()} units</th><th>Modifiers</th></tr></thead>
    <tbody>${rows}</tbody></table>
    <ol class="explanation">${report.explanation.map((s) => `<li>${esc(s)}</li>`).join("")}</ol>
    <ul class="diagnostics">${report.diagnostics.map((d) => `<li class="${d.severity}"><b>${d.severity}</b> ${esc(d.rule)}: ${esc(d.message)}</li>`).join("")}</ul>
    <p class="documentation">${esc(report.documentation)}</p>`;
  document.body.dataset.ready = "1";
}

await init();
$("visit").addEventListener("input", render);
render();
