// Offline and fast repeat visits: registers the service worker (sw.js), and says
// so when it has fetched a new version, which takes over on the next load.
const $ = (id) => document.getElementById(id);

/** Listens for the worker's news (main.js calls it after the first result; startOffline asks again for news sent before). */
export function listenForUpdates() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (e) => {
    if (e.data?.type === "ptbill:updated") {
      $("notice").textContent = "A new version of ptbill has been downloaded; it takes over the next time you open or reload the page.";
    }
  });
  navigator.serviceWorker.startMessages();
}

// Files this page (and its workers) fetched before the service worker
// controlled it: named to the worker once it does (sw.js keepFetched).
const early = new Set();
function sendEarly() {
  const worker = navigator.serviceWorker.controller;
  if (!worker || early.size === 0) return;
  worker.postMessage({ type: "ptbill:keep", urls: [...early] });
  early.clear();
}

/**
 * URLs fetched by a worker of this page (the audit's). A worker started before
 * the service worker took over fetches past it all its life, so they are named
 * to it (now, or once it controls the page); what it keeps already is skipped.
 */
export function fetchedToo(urls) {
  if (!("serviceWorker" in navigator)) return;
  for (const url of urls) early.add(url);
  sendEarly();
}

/** Registers the worker (after the first answer, so it never competes with it). */
export function startOffline() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.controller?.postMessage({ type: "ptbill:ask" });
  if (!navigator.serviceWorker.controller) {
    // The first visit: what was fetched before the worker took over (the
    // audit view's module among them) is kept once it does.
    navigator.serviceWorker.addEventListener(
      "controllerchange",
      () => {
        for (const e of performance.getEntriesByType("resource")) early.add(e.name);
        sendEarly();
      },
      { once: true },
    );
  }
  navigator.serviceWorker.register("sw.js").catch(() => {});
}
