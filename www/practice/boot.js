// Teaching mode's entry: with `?practice` in the address this module takes over
// the page (the calculator is hidden) and runs the exercises; otherwise it does
// nothing. Routes, all in the fragment (never sent to a server):
//   ?practice            the built-in exercises, level 1 first
//   ?practice#e=ID       one built-in exercise
//   ?practice#x=…        an educator's exercise (see link.js)
//   ?practice#make[=…]   the exercise editor, optionally with a visit loaded
// Nothing is stored: the session lives in this module's memory only.
export { exerciseLink, editorLink } from "./link.js";

const params = new URLSearchParams(location.search);
if (params.has("practice")) {
  // This script runs before the calculator's (index.html lists it first). The
  // calculator keeps its visit in the address ("#v=…"); here the address belongs
  // to the exercise, so those writes are dropped and a reload keeps the exercise.
  const replace = history.replaceState.bind(history);
  history.replaceState = (state, title, url) => {
    if (url !== undefined && /#v=/.test(String(url))) return;
    replace(state, title, url);
  };
  start(location.hash);
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
  await init();
  const app = await import("./app.js");
  app.run({ labels: new Map(catalog().map((c) => [c.code, c.label])), version: version(), embedded, hash: opened });
}
