// Teaching mode's entry: with `?practice` in the address this module takes over
// the page (the calculator is hidden) and runs the exercises; otherwise it does
// nothing. Routes, all in the fragment (never sent to a server):
//   ?practice            the built-in exercises, level 1 first
//   ?practice#e=ID       one built-in exercise
//   ?practice#x=…        an educator's exercise (see link.js)
//   ?practice#make[=…]   the exercise editor, optionally with a visit loaded
// Nothing is stored: the session lives in this module's memory only.
export { exerciseLink, editorLink } from "./link.js";
import { keepAddress } from "./address.js";

const params = new URLSearchParams(location.search);
if (params.has("practice")) {
  // The fragment is read before the calculator's script (listed after this one) starts.
  keepAddress();
  start(location.hash);
} else if (!["audit", "view", "embed"].some((k) => params.has(k))) {
  import("./calculator.js").then((m) => m.addExerciseButton());
}

async function start(opened) {
  const framed = window.parent !== window;
  const embedded = params.has("embed") || framed;
  document.body.classList.add("mode-practice");
  if (embedded) document.body.classList.add("practice-embedded");
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("practice.css", import.meta.url).href;
  document.head.append(css);
  for (const id of ["calculator", "audit-view"]) {
    const el = document.getElementById(id);
    if (el) el.hidden = true;
  }
  document.querySelector(".views [aria-current]")?.removeAttribute("aria-current");
  document.getElementById("nav-practice")?.setAttribute("aria-current", "page");
  const skip = document.querySelector("a.skip");
  if (skip) {
    skip.href = "#practice";
    skip.textContent = "Skip to the exercise";
  }
  document.title = "ptbill practice: therapy billing exercises";

  const root = document.createElement("main");
  root.id = "practice";
  root.tabIndex = -1;
  root.setAttribute("aria-labelledby", "practice-heading");
  root.innerHTML = `<${embedded ? "h1" : "h2"} id="practice-heading">Practice</${embedded ? "h1" : "h2"}>
    <p class="note practice-intro">Try first, then check: ptbill's engine works out the answer to every exercise and explains each mistake. Your answers stay in this tab.</p>
    <div class="practice-bar" id="practice-bar"></div>
    <section id="exercise" aria-labelledby="exercise-title"><p>Loading the exercises…</p></section>
    <section id="practice-summary" aria-labelledby="summary-title" hidden></section>`;
  (document.querySelector("header") ?? document.body.firstElementChild).after(root);

  const [{ default: init, catalog, version }, { startResizeReports }] = await Promise.all([import("../pkg/ptbill.js"), import("../embed.js")]);
  startResizeReports();
  await calculatorStarted();
  await init(); // at once when the calculator has started the same module; else loads it

  const app = await import("./app.js");
  app.run({ labels: new Map(catalog().map((c) => [c.code, c.label])), version: version(), embedded, hash: opened });
}

/** Resolves when the calculator's script has its first result (its engine is then
 *  loaded, and practice shares it instead of downloading the wasm again), or after 3 s. */
function calculatorStarted() {
  return new Promise((resolve) => {
    if (document.body.dataset.ready) return resolve();
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const observer = new MutationObserver(() => document.body.dataset.ready && done());
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-ready"] });
    const timer = setTimeout(done, 3000);
  });
}
