// The learner's session: what was right at the first check, after trying
// again, or shown; kept in memory only (nothing on the device, nothing sent).
import { esc } from "./view.js";

export class Session {
  constructor() {
    this.results = new Map(); // id → {title, point, first, right, shown}
  }
  /** Records a check; only the first check of an exercise sets `first`. */
  checked(ex, right) {
    const r = this.results.get(ex.id) ?? { title: ex.title, point: ex.point, first: null, right: false, shown: false };
    if (r.first === null) r.first = right && !r.shown;
    if (right) r.right = true;
    this.results.set(ex.id, r);
  }
  shown(ex) {
    const r = this.results.get(ex.id) ?? { title: ex.title, point: ex.point, first: null, right: false, shown: false };
    r.shown = true;
    if (r.first === null) r.first = false;
    this.results.set(ex.id, r);
  }
  tally() {
    const all = [...this.results.values()];
    return {
      tried: all.length,
      first: all.filter((r) => r.first).length,
      later: all.filter((r) => !r.first && r.right).length,
      shown: all.filter((r) => r.shown && !r.right).length,
      missed: all.filter((r) => !r.first),
    };
  }
  /** The text a learner can paste into a course quiz or forum. */
  text(version, scope) {
    const t = this.tally();
    const points = [...new Set(t.missed.map((r) => r.point).filter(Boolean))];
    return [
      `ptbill practice${scope ? ` (${scope})` : ""}: ${t.first} of ${t.tried} exercise${t.tried === 1 ? "" : "s"} right at the first check${t.later ? `, ${t.later} more after trying again` : ""}${t.shown ? `, ${t.shown} answer${t.shown === 1 ? "" : "s"} shown` : ""}.`,
      ...(points.length ? ["Teaching points to review:", ...points.map((p) => `- ${p}`)] : ["No teaching point missed."]),
      `Checked with ptbill ${version} on ${new Date().toISOString().slice(0, 10)}.`,
    ].join("\n");
  }
}

/** Renders the summary into #practice-summary. */
export function renderSummary(session, version, scope) {
  const t = session.tally();
  const box = document.getElementById("practice-summary");
  const points = [...new Set(t.missed.map((r) => r.point).filter(Boolean))];
  box.hidden = false;
  box.innerHTML = `<h3 id="summary-title" tabindex="-1">Your session</h3>
    <p class="score" id="practice-score">${t.tried === 0 ? "No exercise checked yet." : `${t.first} of ${t.tried} right at the first check${t.later ? `; ${t.later} more after trying again` : ""}${t.shown ? `; ${t.shown} answer${t.shown === 1 ? "" : "s"} shown` : ""}.`}</p>
    ${points.length ? `<h4>Teaching points to review</h4><ul id="practice-missed">${points.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>` : t.tried ? "<p>No teaching point missed.</p>" : ""}
    <label for="practice-result">Your result, to paste into your course</label>
    <textarea id="practice-result" rows="6" readonly>${esc(session.text(version, scope))}</textarea>
    <div class="practice-actions">
      <button type="button" id="practice-copy">Copy my result</button>
      <button type="button" id="practice-back">Back to the exercises</button>
    </div>
    <p id="practice-copy-status" role="status"></p>
    <p class="note">Your answers stay in this tab: nothing is stored on this device or sent anywhere, and closing the tab forgets them.</p>`;
  box.querySelector("#summary-title").focus();
}
