// Diagnoses: chips with their ICD-10-CM titles, a search by code or words
// (titles fetched from this origin the first time), Enter picking the first
// suggestion of a word search, and focus kept in place when a chip is removed.
import { call, loadDescriptions, loadTables } from "./engine.js";
import { state, esc, today, changed } from "./form.js";

const $ = (id) => document.getElementById(id);
const date = () => $("date_of_service").value || today();
const looksLikeCode = (q) => /^[A-Z]\d/i.test(q) && !/\s/.test(q);

// Offline before the titles were ever fetched, a word search has nothing to
// search; a code typed in full is still checked (the code set is in the tables).
const NO_TITLES = "Searching by words needs the ICD-10-CM titles, which load once while online; type the code itself (as M54.50) and it is checked.";

let loading = null;
/** Resolves to whether the titles are in (false: they could not be fetched). */
function titles() {
  // The search needs the code set too (data/tables.bin, fetched after the first result).
  loading ??= Promise.all([fetch("data/icd10cm-descriptions.txt").then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`)))), loadTables()])
    .then(([text]) => {
      loadDescriptions(text);
      renderChips();
      return true;
    })
    .catch(() => {
      loading = null;
      return false;
    });
  return loading;
}

export function renderChips() {
  $("dx-chips").innerHTML = state.diagnoses
    .map((d, i) => {
      let title = "";
      try {
        const info = call("icd10_lookup", d, date());
        title = info.description ? ` — ${info.description}` : "";
      } catch {
        /* shown as a finding */
      }
      return `<li><span>${esc(d)}${esc(title)}</span> <button type="button" data-dx="${i}" aria-label="Remove diagnosis ${esc(d)}">✕</button></li>`;
    })
    .join("");
}

function add(code) {
  state.diagnoses.push(code.toUpperCase());
  $("dx-input").value = "";
  $("dx-hint").textContent = "";
  $("dx-list").innerHTML = "";
  renderChips();
  changed();
  titles(); // a code typed whole: its chip gets its title once they are in
}

/**
 * The chips' titles for the diagnoses a visit opened with (a shared link, a
 * reload, an embed): the titles are fetched then, once, after the complete
 * result; a visit without diagnoses never fetches them.
 */
export function showTitles() {
  if (state.diagnoses.length) titles();
}

/** Enter or Add: a code is added as typed; words pick the first suggestion. */
async function addFromInput() {
  const q = $("dx-input").value.trim().split(/\s+[—-]\s+/)[0].trim();
  if (!q) return;
  if (looksLikeCode(q)) return add(q);
  if (!(await titles())) {
    $("dx-hint").textContent = NO_TITLES;
    return;
  }
  const [first] = call("icd10_search", q, date(), 15); // the list shown (a limit of 1 can rank differently)
  if (first) add(first.code);
  else $("dx-hint").textContent = `No ICD-10-CM code matches “${q}”; try other words or the code.`;
}

const STATUS_WORDS = (info) => ({
  billable: "billable on this date",
  header: `a category here; use ${info.codes.slice(0, 4).map((c) => c.code).join(", ")}${info.codes.length > 4 ? "…" : ""}`,
  "needs-seventh-character": `needs a 7th character: ${info.codes.map((c) => c.code).join(", ")}`,
  "not-valid-on-date": "not valid on this date",
  unknown: "not an ICD-10-CM code",
});

async function suggest() {
  const q = $("dx-input").value.trim();
  if (q.length < 2) {
    $("dx-list").innerHTML = "";
    $("dx-hint").textContent = "";
    return;
  }
  if (!(await titles()) && !looksLikeCode(q)) {
    $("dx-list").innerHTML = "";
    $("dx-hint").textContent = NO_TITLES;
    return;
  }
  const found = call("icd10_search", q, date(), 15);
  $("dx-list").innerHTML = found
    .map((f) => `<option value="${esc(f.code)}">${esc(f.code)} — ${esc(f.description || "(new in FY2027)")}${f.needs_seventh ? " (needs a 7th character)" : f.billable ? "" : " (not billable)"}</option>`)
    .join("");
  if (!looksLikeCode(q)) {
    $("dx-hint").textContent = found.length ? `Enter adds ${found[0].code} — ${found[0].description}` : "No match yet.";
    return;
  }
  try {
    const info = call("icd10_lookup", q, date());
    const title = info.description ? ` — ${info.description}` : info.status === "billable" ? " — new in FY2027 (no title in ptbill's data yet)" : "";
    $("dx-hint").textContent = `${info.code}: ${STATUS_WORDS(info)[info.status] ?? info.status}${title}`;
  } catch {
    $("dx-hint").textContent = "";
  }
}

export function startDiagnoses() {
  let timer = 0;
  $("dx-input").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => suggest().catch(() => {}), 80);
  });
  $("dx-input").addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    addFromInput().catch(() => {});
  });
  $("dx-add").addEventListener("click", () => addFromInput().catch(() => {}));
  $("dx-chips").addEventListener("click", (e) => {
    const i = e.target.closest("[data-dx]")?.dataset.dx;
    if (i === undefined) return;
    state.diagnoses.splice(Number(i), 1);
    renderChips();
    // Focus stays in the list: the chip now in that place, the one before, or the search.
    const buttons = $("dx-chips").querySelectorAll("button");
    (buttons[Math.min(Number(i), buttons.length - 1)] ?? $("dx-input")).focus();
    changed();
  });
  $("date_of_service").addEventListener("input", () => renderChips());
}
