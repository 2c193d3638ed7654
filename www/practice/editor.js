// The educator's side: take a visit (the calculator's share link or JSON),
// choose what the learner is asked and which fields are hidden, and get the
// exercise link and an embed snippet. All in this tab; the link is the only output.
import { check } from "../pkg-calc/ptbill.js";
import { ASKABLE, LINE_FIELDS, encodeExercise, exerciseLink, embedSnippet, visitFromText } from "./link.js";
import { EXERCISES } from "./exercises.js";
import { esc } from "./view.js";

const $ = (id) => document.getElementById(id);
const ASK_WORDS = { units: "Units of each line", modifiers: "Modifiers to bill", problems: "Problems on the claim", code: "The code of each line whose code is hidden" };
const FIELD_WORDS = { date_of_service: "Date of service", payer: "Payer", method: "Method", discipline: "Discipline", setting: "Setting", ytd_allowed: "Allowed so far this year", diagnoses: "Diagnoses" };
const LINE_WORDS = { code: "code", minutes: "minutes", assistant_minutes: "assistant minutes", modifiers: "modifiers as billed", units: "units claimed" };

let visit = null;

export function renderEditor(initialVisit) {
  $("exercise").innerHTML = `
    <h3 id="editor-title" tabindex="-1">Make an exercise</h3>
    <p class="note">Start from a visit: in the calculator, enter it and use "Copy share link", then paste the link here (or paste the visit as JSON, or start from a built-in exercise). The exercise lives entirely in the link you get; nothing is kept on a server or on this device.</p>
    <label for="editor-source">Visit: the calculator's share link, or the visit as JSON</label>
    <textarea id="editor-source" rows="3" spellcheck="false"></textarea>
    <div class="practice-actions">
      <button type="button" id="editor-load">Load the visit</button>
      <label class="inline" for="editor-builtin">or start from</label>
      <select id="editor-builtin"><option value="">a built-in exercise…</option>${EXERCISES.map((e) => `<option value="${esc(e.id)}">${esc(e.title)}</option>`).join("")}</select>
    </div>
    <p id="editor-error" class="form-error"></p>
    <div id="editor-body" hidden></div>`;
  $("editor-load").addEventListener("click", () => load($("editor-source").value));
  $("editor-builtin").addEventListener("change", (e) => {
    const ex = EXERCISES.find((x) => x.id === e.target.value);
    if (ex) {
      $("editor-source").value = JSON.stringify(ex.visit);
      load($("editor-source").value, ex);
    }
  });
  if (initialVisit) {
    $("editor-source").value = JSON.stringify(initialVisit);
    load($("editor-source").value);
  }
}

function load(text, from = null) {
  $("editor-error").textContent = "";
  try {
    const v = visitFromText(text);
    check(JSON.stringify(v)); // the engine's own message if it is not a visit (the page's module takes JSON text)
    visit = v;
  } catch (e) {
    $("editor-error").textContent = `Cannot use this visit: ${e.message}`;
    $("editor-error").setAttribute("role", "alert");
    $("editor-body").hidden = true;
    return;
  }
  const hidden = new Set(from?.hide ?? []);
  const asked = new Set(from?.ask ?? ["units"]);
  const lineBoxes = visit.lines
    .map((l, i) => {
      const fields = LINE_FIELDS.filter((k) => l[k] !== undefined || k === "code");
      return `<div class="problem-group"><p class="group-name">Line ${i + 1} (${esc(l.code)})</p>${fields
        .map((k) => `<label class="check"><input type="checkbox" name="hide" value="lines.${i}.${k}"${hidden.has(`lines.${i}.${k}`) ? " checked" : ""}> Line ${i + 1} ${LINE_WORDS[k]}${k === "code" ? "" : ` (${esc(Array.isArray(l[k]) ? l[k].join(" ") || "none" : l[k])})`}</label>`)
        .join("")}</div>`;
    })
    .join("");
  const visitBoxes = Object.keys(FIELD_WORDS)
    .filter((k) => visit[k] !== undefined)
    .map((k) => `<label class="check"><input type="checkbox" name="hide" value="${k}"${hidden.has(k) ? " checked" : ""}> ${FIELD_WORDS[k]}</label>`)
    .join("");
  $("editor-body").hidden = false;
  $("editor-body").innerHTML = `
    <fieldset><legend>Ask the learner for</legend>
      ${ASKABLE.map((a) => `<label class="check"><input type="checkbox" name="ask" value="${a}"${asked.has(a) ? " checked" : ""}> ${ASK_WORDS[a]}</label>`).join("")}
    </fieldset>
    <fieldset><legend>Hide from the learner</legend>
      <div class="problem-groups"><div class="problem-group"><p class="group-name">Visit</p>${visitBoxes}</div>${lineBoxes}</div>
    </fieldset>
    <div class="editor-texts">
      <label for="editor-name">Title (optional)</label><input id="editor-name" value="${esc(from?.title ?? "")}">
      <label for="editor-prompt">Question (optional)</label><input id="editor-prompt" value="${esc(from?.prompt ?? "")}">
      <label for="editor-point">Teaching point (optional, shown after checking and in the summary)</label><input id="editor-point" value="${esc(from?.point ?? "")}">
    </div>
    <h4>The exercise</h4>
    <label for="editor-link">Link for learners</label>
    <input id="editor-link" readonly>
    <div class="practice-actions">
      <button type="button" id="editor-copy-link">Copy link</button>
      <a id="editor-open" href="#" target="_blank" rel="noopener">Try it in a new tab</a>
    </div>
    <label for="editor-embed">Embed it in a course page (the script sizes the frame to the exercise)</label>
    <textarea id="editor-embed" rows="8" readonly spellcheck="false"></textarea>
    <div class="practice-actions"><button type="button" id="editor-copy-embed">Copy snippet</button></div>
    <p id="editor-copy-status" role="status"></p>`;
  $("editor-body").addEventListener("input", refresh);
  $("editor-body").addEventListener("change", refresh);
  $("editor-copy-link").addEventListener("click", () => copy($("editor-link").value));
  $("editor-copy-embed").addEventListener("click", () => copy($("editor-embed").value));
  refresh();
}

/** The options the editor's boxes say: {ask, hide, title, prompt, point}. */
export function editorOptions() {
  const ticked = (name) => [...document.querySelectorAll(`#editor-body input[name="${name}"]:checked`)].map((x) => x.value);
  return { ask: ticked("ask"), hide: ticked("hide"), title: $("editor-name").value.trim(), prompt: $("editor-prompt").value.trim(), point: $("editor-point").value.trim() };
}

function refresh(e) {
  if (e && e.target.id === "editor-link") return;
  const options = editorOptions();
  if (options.ask.length === 0) options.ask = ["units"];
  const link = exerciseLink(visit, options);
  $("editor-link").value = link;
  $("editor-open").href = `?practice#${encodeExercise(visit, options)}`;
  $("editor-embed").value = embedSnippet(visit, options);
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    $("editor-copy-status").textContent = "Copied.";
  } catch {
    $("editor-copy-status").textContent = "Select the text and copy it by hand.";
  }
}
