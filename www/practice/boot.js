// Teaching mode's entry, loaded on every page before the calculator's script.
// With `?practice` in the address it starts practice (start.js); in the
// calculator it adds "Make an exercise from this visit" once the first result is
// shown (so nothing here delays it). Routes, all in the fragment (never sent to a server):
//   ?practice            the built-in exercises, level 1 first
//   ?practice#e=ID       one built-in exercise
//   ?practice#x=…        an educator's exercise (link.js; exerciseLink() makes one)
//   ?practice#make[=…]   the exercise editor, optionally with a visit loaded
// Nothing is stored: the session lives in the practice modules' memory only.
const params = new URLSearchParams(location.search);
if (params.has("practice")) {
  // The calculator's script keeps its visit in the address; in practice the
  // address belongs to the exercise, so other scripts' writes are dropped (an own
  // property shadows the prototype's method, which practice/address.js still uses).
  // This runs, and the fragment is read, before the calculator's script starts.
  history.replaceState = () => {};
  const opened = location.hash;
  import("./start.js").then((m) => m.start(opened));
} else if (!["audit", "view", "embed"].some((k) => params.has(k))) {
  const add = () => import("./calculator.js").then((m) => m.addExerciseButton());
  if (document.body.dataset.ready) add();
  else {
    const observer = new MutationObserver(() => {
      if (!document.body.dataset.ready) return;
      observer.disconnect();
      add();
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-ready"] });
  }
}
