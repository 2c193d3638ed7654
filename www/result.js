// The result: its state (loading | empty | ready | stale, on #results), the
// summary that stays in view ("Bill 4 units · CMS 3 timed + 1 untimed · CPT per
// code: 4"), a card per code, the unit chart with this visit marked, the steps,
// the statement, and the reference-data dates. Screen readers hear only the
// summary, once typing pauses, from a small role="status" element.
import { esc } from "./form.js";
import { renderFindings } from "./findings.js";

const $ = (id) => document.getElementById(id);
const METHOD = { cms: "CMS", ama: "CPT per code" };
const METHOD_LONG = { cms: "CMS total time", ama: "CPT per code" };
const s = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Billable units of a result (`total_units`, or the billable lines' sum from an older engine). */
export function totalUnits(result) {
  if (typeof result.total_units === "number") return result.total_units;
  return result.lines.reduce((n, l) => n + (l.billable === false ? 0 : l.units), 0);
}

/** The summary's words for a report. */
export function summaryText(r) {
  const total = totalUnits(r);
  const untimed = total - r.timed_units;
  const alt = totalUnits(r.alternative);
  const other = r.alternative.method === "cms" ? "CMS total time" : "CPT per code";
  return `Bill ${s(total, "unit")} · ${METHOD[r.method]} ${r.timed_units} timed${untimed ? ` + ${untimed} untimed` : ""} · ${other}: ${alt}`;
}

/**
 * `partial`: "loading" with the units shown, while the tables some checks need
 * are still on their way (the result stays "loading" until it is complete).
 */
export function setState(value, { partial = false } = {}) {
  $("results").dataset.state = value;
  const stale = value === "stale";
  for (const id of ["copy-doc", "summary-copy"]) $(id).disabled = value !== "ready";
  $("result-body").hidden = value === "empty" || (value === "loading" && !partial);
  $("result-empty").hidden = value !== "empty";
  $("result-error").hidden = !stale;
  if (value === "empty" || stale) $("summary-alert").hidden = true;
  if (value === "empty") $("summary-text").textContent = "Type a code and its minutes to see the units to bill.";
  if (value === "loading" && !partial) $("summary-text").textContent = "Loading…";
}

/** The tables could not be fetched: said where the pending checks are named. */
export function showTablesFailed(why) {
  const p = document.getElementById("pending");
  if (p) p.textContent = `ptbill could not load the tables for the remaining checks (${why}), so they are not done. Change the visit to try again, or reload the page.`;
}

let announceTimer = 0;
let announced = "";
/** Tells screen readers the summary once typing has paused; never the same words twice. */
function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    if (text === announced) return;
    announced = text;
    $("announce").textContent = text;
  }, 1200);
}

/** Out of date: the old result stays, greyed, with what to fix, at the top and in the summary. */
export function showStale(problems) {
  const first = problems[0];
  const fix = first.name ? `Fix ${first.name.replace(/^Line/, "line")} to update.` : "Fix the visit to update.";
  const words = problems.map((p) => p.message);
  $("result-error").innerHTML = `<strong>Out of date.</strong> ${esc(fix)} ${words.map((w) => `<span class="problem">${esc(w)}.</span>`).join(" ")}`;
  setState("stale");
  $("summary-text").textContent = `Out of date: ${fix}`;
  announce(`Result out of date. ${words[0]}.`);
}

export function showEmpty() {
  setState("empty");
  announce("");
}

function cardsHtml(r, visit) {
  const main = METHOD[r.method];
  const other = METHOD[r.alternative.method];
  return r.lines
    .map((l, i) => {
      const alt = r.alternative.lines[i];
      const minutes = visit.lines[i]?.minutes;
      const split = l.split ? `<p class="split">Bill as: ${l.split.map((x) => `${esc(l.code)} × ${x.units} (${esc(x.modifiers.join(" "))})`).join("; ")}</p>` : "";
      // A line that is not billed says why, not whether its code is timed
      // (a mistyped 9711O is no "untimed" code).
      const notBilled = l.billable === false ? ` <span class="tag">not billed${l.not_billed_reason ? `: ${esc(l.not_billed_reason)}` : ""}</span>` : "";
      return `<li class="unit-card${l.billable === false ? " not-billable" : ""}" data-line="${i}">
        <p class="card-head"><span class="code">${esc(l.code)}</span> <span class="label">${esc(l.label ?? "")}</span>${l.timed || l.billable === false ? "" : ' <span class="tag">untimed</span>'}${notBilled}${minutes !== undefined ? ` <span class="mins">${esc(minutes)} min</span>` : ""}</p>
        <p class="card-units"><span class="u main" data-k="main"><span class="k">${main}</span> <span class="v">${l.units}</span></span>
          <span class="u alt" data-k="alt"><span class="k">${other}</span> <span class="v">${alt.units}</span></span>
          <span class="u mods" data-k="modifiers"><span class="k">Modifiers to bill</span> <span class="v">${esc(l.modifiers.join(" ")) || "none"}</span></span></p>${split}
      </li>`;
    })
    .join("");
}

/** 8–22 minutes = 1 unit, 23–37 = 2, …, with the visit's timed total marked. */
export function unitChartHtml(timedMinutes, timedUnits) {
  const rows = [["0–7", 0, 0, 7]];
  for (let u = 1; u <= 8; u++) rows.push([`${15 * u - 7}–${15 * u + 7}`, u, 15 * u - 7, 15 * u + 7]);
  const body = rows
    .map(([range, units, lo, hi]) => {
      const here = timedMinutes >= lo && timedMinutes <= hi;
      return `<tr${here ? ' class="here"' : ""}><td>${range}</td><td class="num">${units}</td><td>${here ? `<strong>This visit: ${timedMinutes} min → ${s(timedUnits, "unit")}</strong>` : ""}</td></tr>`;
    })
    .join("");
  const beyond = timedMinutes > 127 ? `<p>This visit: ${timedMinutes} timed minutes → ${s(timedUnits, "unit")} (each further 15 minutes adds one).</p>` : "";
  return `<table class="chart"><caption>CMS total timed minutes to units</caption><thead><tr><th scope="col">Total timed minutes</th><th scope="col">Units</th><th scope="col">This visit</th></tr></thead><tbody>${body}</tbody></table>${beyond}
    <p class="note">CMS counts the total minutes of all timed codes; CPT per code applies the same midpoints to each code on its own.</p>`;
}

function differenceSentence(r) {
  const main = r.timed_units;
  const alt = r.alternative.timed_units;
  if (main === alt) return `Both methods give ${s(main, "timed unit")}.`;
  const cms = r.method === "cms" ? main : alt;
  const ama = r.method === "ama" ? main : alt;
  const why =
    cms > ama
      ? "short leftovers of several codes add up under total time, though none reaches 8 minutes on its own"
      : "each code reaches 8 minutes on its own, but the total of the minutes allows fewer units";
  return `${METHOD_LONG[r.method]}: ${s(main, "timed unit")}; ${METHOD_LONG[r.alternative.method]}: ${alt}. The difference: ${why}.`;
}

export function renderReport(r, visit) {
  $("unit-cards").innerHTML = cardsHtml(r, visit);
  $("difference").textContent = `${r.timed_minutes} timed minutes. ${differenceSentence(r)}`;
  const cmsMinutes = r.timed_minutes;
  const cmsUnits = r.method === "cms" ? r.timed_units : r.alternative.timed_units;
  $("unit-chart-body").innerHTML = unitChartHtml(cmsMinutes, cmsUnits);
  $("explanation").innerHTML = r.explanation.map((x) => `<li>${esc(x)}</li>`).join("");
  $("alt-summary").textContent = `${METHOD_LONG[r.alternative.method]}, step by step`;
  $("alt-explanation").innerHTML = r.alternative.explanation.map((x) => `<li>${esc(x)}</li>`).join("");
  const caveats = renderFindings(r, visit);
  $("documentation").textContent = r.documentation;
  const dates = Object.entries(r.data).map(([k, v]) => `${k} ${v}`).join("; ");
  $("data-dates").innerHTML = `<p>Reference data used: ${esc(dates)}.</p>${caveats.map((d) => `<p class="caveat"><strong>Data date:</strong> ${esc(d.message)} ${esc(d.help)}</p>`).join("")}`;
  $("footer-data").textContent = dates;
  const text = summaryText(r);
  $("summary-text").textContent = text;
  // The answer bar is all a clinician may read between patients: an error
  // still to fix is said there, not only in the findings further down.
  const errors = r.diagnostics.filter((d) => d.severity === "error" && !d.fixed).length;
  $("summary-alert").textContent = errors ? `${s(errors, "error")} to fix before billing: see Findings` : "";
  $("summary-alert").hidden = !errors;
  const pending = (r.pending ?? []).length > 0;
  setState(pending ? "loading" : "ready", { partial: pending });
  announce(text);
}
