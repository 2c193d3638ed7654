// Teaching mode, started by boot.js when the address has `?practice`: takes
// over the page (the calculator is hidden) and runs the exercises.

export async function start(opened) {
  const params = new URLSearchParams(location.search);
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

  const [{ default: init, catalog, version }, { startResizeReports }] = await Promise.all([import("../pkg-calc/ptbill.js"), import("../embed.js")]);
  startResizeReports();
  await calculatorStarted();
  await init(); // at once when the calculator has started the same module; else loads it
  // The exercises' answers need every check: the NCCI and ICD-10-CM tables too,
  // through the calculator's engine when it runs (one download), else here.
  const { tables_loaded, load_tables } = await import("../pkg-calc/ptbill.js");
  const engine = await import("../engine.js");
  if (engine.isReady()) await engine.loadTables();
  if (!tables_loaded()) {
    const r = await fetch(new URL("../data/tables.bin", import.meta.url));
    if (!r.ok) throw new Error(`HTTP ${r.status} for data/tables.bin`);
    load_tables(new Uint8Array(await r.arrayBuffer()));
  }

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
