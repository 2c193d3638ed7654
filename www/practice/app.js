// The practice controller: which exercise is on screen, the buttons, and the
// session. Routes are fragments (see boot.js); everything stays in memory.
import { EXERCISES, LEVELS, exercisesOf } from "./exercises.js";
import { expectedAnswer } from "./answer.js";
import { checkAnswer } from "./check.js";
import { renderExercise, readAnswer, showMarks, clearMarks, showAnswer, esc } from "./view.js";
import { Session, renderSummary } from "./summary.js";
import { decodeExercise, decodeEditorVisit } from "./link.js";
import { renderEditor } from "./editor.js";
import { setFragment } from "./address.js";

const $ = (id) => document.getElementById(id);
const session = new Session();
let ctx = null; // {labels, version, embedded}
let level = 1;
let current = null; // {ex, expected, single, lastResult}
let hash = "";

export function run(options) {
  ctx = options;
  if (location.hash !== options.hash) setFragment(options.hash);
  route(options.hash, false);
  window.addEventListener("hashchange", () => {
    if (location.hash.startsWith("#v=")) return; // the calculator's, not ours
    route(location.hash, true);
  });
  document.body.dataset.practice = "ready";
}

function setHash(h) {
  hash = h;
  if (location.hash !== h) setFragment(h);
}

function go(h) {
  setHash(h);
  route(h, true);
}

function route(h, focus) {
  hash = h;
  $("practice-summary").hidden = true;
  $("exercise").hidden = false;
  if (h.startsWith("#x=")) {
    let ex;
    try {
      ex = decodeExercise(h.slice(3));
      current = { ex, expected: expectedAnswer(ex.visit), single: true };
    } catch (e) {
      renderBar(null);
      $("exercise").innerHTML = `<h3 id="exercise-title" tabindex="-1">This exercise cannot be opened</h3><p class="form-error">${esc(e.message)}</p><p><a href="?practice">Open the built-in exercises</a></p>`;
      current = null;
      return;
    }
    renderBar(null);
    show(null, focus);
    return;
  }
  if (h.startsWith("#make")) {
    renderBar("make");
    let visit = null;
    try {
      if (h.startsWith("#make=")) visit = decodeEditorVisit(h.slice(6));
    } catch {
      visit = null;
    }
    current = null;
    renderEditor(visit);
    if (focus) $("editor-title").focus();
    return;
  }
  const id = h.startsWith("#e=") ? decodeURIComponent(h.slice(3)) : null;
  let ex = EXERCISES.find((e) => e.id === id);
  if (ex && level && ex.level !== level) level = ex.level;
  ex ??= exercisesOf(level)[0];
  current = { ex, expected: null, single: false };
  renderBar(ex.id);
  const list = exercisesOf(level);
  show({ index: list.indexOf(ex), total: list.length, levelName: LEVELS.find((l) => l.level === ex.level)?.name }, focus);
}

function renderBar(selected) {
  const bar = $("practice-bar");
  if (selected === "make") {
    bar.innerHTML = `<a href="#e=${esc(exercisesOf(level)[0].id)}">Back to the exercises</a>`;
    return;
  }
  if (selected === null) {
    // An educator's exercise: no built-in navigation, only the summary.
    bar.innerHTML = `<button type="button" id="practice-finish">See my summary</button>${ctx.embedded ? "" : ' <a href="?practice">Built-in exercises</a>'}`;
  } else {
    bar.innerHTML = `
      <div><label for="practice-level">Level</label>
      <select id="practice-level"><option value="0">All levels</option>${LEVELS.map((l) => `<option value="${l.level}"${l.level === level ? " selected" : ""}>${l.level}. ${esc(l.name)}</option>`).join("")}</select></div>
      <div><label for="practice-pick">Exercise</label>
      <select id="practice-pick">${exercisesOf(level)
        .map((e) => `<option value="${esc(e.id)}"${e.id === selected ? " selected" : ""}>${esc(e.title)}</option>`)
        .join("")}</select></div>
      <div class="bar-actions"><button type="button" id="practice-finish">See my summary</button>
      <a href="#make" id="practice-make">Make an exercise</a></div>`;
    if (level === 0) $("practice-level").value = "0";
    $("practice-level").addEventListener("change", (e) => {
      level = Number(e.target.value);
      go(`#e=${exercisesOf(level)[0].id}`);
    });
    $("practice-pick").addEventListener("change", (e) => go(`#e=${e.target.value}`));
  }
  $("practice-finish").addEventListener("click", finish);
}

function show(where, focus) {
  const { ex } = current;
  renderExercise(ex, where, ctx.labels);
  if (current.single) $("practice-next").textContent = "Finish";
  $("practice-form").addEventListener("submit", (e) => {
    e.preventDefault();
    onCheck();
  });
  $("practice-show").addEventListener("click", onShow);
  $("practice-retry").addEventListener("click", onRetry);
  $("practice-next").addEventListener("click", onNext);
  if (focus) $("exercise-title").focus();
}

function expected() {
  current.expected ??= expectedAnswer(current.ex.visit);
  return current.expected;
}

/** No unit and no code typed where they are asked (an empty modifier field or no problem ticked is an answer). */
function blank(ex, answer) {
  const typed = (v) => v !== null && !(typeof v === "string" && v.trim() === "");
  return (ex.ask.includes("units") || ex.ask.includes("code")) && ![...answer.units, ...answer.codes].some(typed);
}

function onCheck() {
  const answer = readAnswer(current.ex);
  if (blank(current.ex, answer)) {
    // A Check pressed before anything was typed is not a try: nothing is marked or counted.
    clearMarks();
    $("practice-status").textContent = `Nothing to check yet: type the ${current.ex.ask.includes("units") ? "units" : "code"} for each line first.`;
    document.querySelector("#practice-form input")?.focus();
    return;
  }
  const result = checkAnswer(current.ex, expected(), answer);
  current.lastResult = result;
  clearMarks();
  showMarks(result, current.ex);
  session.checked(current.ex, result.right);
}

function onShow() {
  session.shown(current.ex);
  showAnswer(current.ex, expected());
}

function onRetry() {
  const wrong = current.lastResult?.items.find((x) => !x.ok);
  clearMarks();
  const target = wrong && (wrong.key === "problems" ? document.querySelector('#practice-problems input[name="problem"]') : $(`answer-${wrong.key}`));
  (target ?? document.querySelector("#practice-form input"))?.focus();
}

function onNext() {
  if (current.single) return finish();
  const list = exercisesOf(level);
  const i = list.indexOf(current.ex);
  if (i + 1 < list.length) go(`#e=${list[i + 1].id}`);
  else finish();
}

function finish() {
  $("exercise").hidden = true;
  const scope = current?.single ? current.ex.title : level ? LEVELS.find((l) => l.level === level).name : "all levels";
  renderSummary(session, ctx.version, scope);
  $("practice-copy").addEventListener("click", async () => {
    const text = $("practice-result").value;
    try {
      await navigator.clipboard.writeText(text);
      $("practice-copy-status").textContent = "Copied. Paste it into your course's quiz or forum.";
    } catch {
      $("practice-result").select();
      $("practice-copy-status").textContent = "Copying is blocked here: the text is selected, press Ctrl+C (or ⌘C).";
    }
  });
  $("practice-back").addEventListener("click", () => {
    $("practice-summary").hidden = true;
    $("exercise").hidden = false;
    $("exercise-title")?.focus();
  });
}
