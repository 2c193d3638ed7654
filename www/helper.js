// "Which code for what I did?": the activity table, each entry marked as a rule
// (the code's definition) or an opinion (common practice), one click adding the line.
import { ACTIVITIES } from "./activities.js";
import { state, esc, emptyLine, addLine } from "./form.js";

const $ = (id) => document.getElementById(id);
const THERAPY_MOD = { pt: "GP", ot: "GO", slp: "GN" };

export function renderActivities() {
  $("activities").innerHTML = ACTIVITIES.map((a) => {
    const label = a.code ? state.codeInfo.get(a.code)?.label ?? "" : "";
    const add = a.code ? `<button type="button" data-activity="${a.id}">Add ${a.code}</button>` : "";
    return `<li><details><summary>${esc(a.name)}</summary><p><strong>${a.code ? `${esc(a.code)} ${esc(label)}` : "Bill the primary intervention"}</strong> <span class="tag ${a.basis}">${a.basis === "rule" ? "rule: the code's definition" : "opinion: common practice"}</span></p><p>${esc(a.why)}</p>${add}</details></li>`;
  }).join("");
}

export function startHelper() {
  renderActivities();
  $("activities").addEventListener("click", (e) => {
    const a = ACTIVITIES.find((x) => x.id === e.target.dataset?.activity);
    if (a) addLine({ ...emptyLine(), code: a.code, modifiers: THERAPY_MOD[$("discipline").value] }, "minutes");
  });
}
