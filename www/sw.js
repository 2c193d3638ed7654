// Offline support: the app shell and the wasm are cached on install; every
// same-origin GET is answered from the network when it can be (so updates show
// at once) and from the cache when it cannot. Nothing is sent anywhere else.
const CACHE = "ptbill-v2";
const SHELL = [
  "./",
  "index.html",
  "style.css",
  "main.js",
  "activities.js",
  "visit-link.js",
  "embed.js",
  "practice/boot.js",
  "practice/app.js",
  "practice/exercises.js",
  "practice/answer.js",
  "practice/check.js",
  "practice/view.js",
  "practice/summary.js",
  "practice/link.js",
  "practice/editor.js",
  "practice/practice.css",
  "audit.js",
  "audit-worker.js",
  "sample-audit.csv",
  "icon.svg",
  "manifest.webmanifest",
  "pkg/ptbill.js",
  "pkg/ptbill_bg.wasm",
];
// Not in the shell: pkg-audit/ (the audit worker's build) and data/ (ICD-10-CM
// titles) are fetched when first used, then kept by the fetch handler below, so
// a clinician who never audits a file never downloads the audit build.

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: true }).then((hit) => hit ?? Response.error())),
  );
});
