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

/** Registers the worker (after the first answer, so it never competes with it). */
export function startOffline() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.controller?.postMessage({ type: "ptbill:ask" });
  navigator.serviceWorker.register("sw.js").catch(() => {});
}
