// Offline and fast repeat visits. The page's own files are answered from the
// cache at once and refreshed in the background (stale-while-revalidate): a new
// version is fetched during one visit and takes over on the next load, and the
// page is told so. Cache keys carry no query and no fragment, and only the
// page's files are kept, so nothing about a visit (which lives in the fragment)
// is ever stored. Nothing is sent to any other origin.
const CACHE = "ptbill-v4";
// The page's files, kept at install; data/tables.bin is the NCCI and ICD-10-CM
// tables the page's module fetches right after its first result.
const SHELL = [
  "./",
  "style.css",
  "main.js",
  "engine.js",
  "form.js",
  "input.js",
  "diagnoses.js",
  "result.js",
  "findings.js",
  "rule-docs.js",
  "share.js",
  "embed.js",
  "offline.js",
  "helper.js",
  "activities.js",
  "practice/boot.js",
  "practice/start.js",
  "practice/address.js",
  "practice/calculator.js",
  "practice/app.js",
  "practice/exercises.js",
  "practice/answer.js",
  "practice/check.js",
  "practice/view.js",
  "practice/summary.js",
  "practice/link.js",
  "practice/editor.js",
  "practice/practice.css",
  "icon.svg",
  "manifest.webmanifest",
  "pkg-calc/ptbill.js",
  "pkg-calc/ptbill_bg.wasm",
  "data/tables.bin",
];
// Kept when first used, not at install: the audit view (audit.js, its worker and
// the speed-optimised pkg-audit/ build, with the JS snippet its glue imports)
// and the ICD-10-CM titles (data/).
const ON_USE = /^(index\.html|audit\.js|audit-worker\.js|audit-store\.js|sample-audit\.csv|pkg-audit\/[\w./-]+|data\/[\w.-]+|practice\/[\w./-]+)$/;
const scope = new URL(self.registration.scope);

/** The cache key: the file's URL without query or fragment, or null for what is not the page's. */
function keyOf(request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  const path = url.pathname.slice(scope.pathname.length);
  const file = path === "" ? "./" : path;
  if (!SHELL.includes(file) && !ON_USE.test(file)) return null;
  return new URL(file === "index.html" ? "./" : file, scope).href;
}

// Installed from the browser's HTTP cache (the page has just fetched these
// files; the server's validators make each a 304), so nothing is downloaded twice.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL.map((f) => new Request(new URL(f, scope), { cache: "default" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

let updated = false; // a kept file changed during this worker's life
async function tellUpdated() {
  updated = true;
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "ptbill:updated" });
}
// A page that started listening late asks whether it missed the news.
self.addEventListener("message", (event) => {
  if (event.data?.type === "ptbill:ask" && updated) event.source?.postMessage({ type: "ptbill:updated" });
  if (event.data?.type === "ptbill:keep" && Array.isArray(event.data.urls)) event.waitUntil(keepFetched(event.data.urls));
});

/**
 * The first visit's files fetched before this worker controlled the page (a
 * first visit straight to the audit view fetches audit.js then, and, audited at
 * once, the audit's build and the sample too): the page names them once it is
 * controlled, and those of the page's files not kept yet are kept now (from the
 * HTTP cache, revalidated), so the view works offline after that one visit.
 */
async function keepFetched(urls) {
  const cache = await caches.open(CACHE);
  for (const url of urls.slice(0, 500)) {
    let key;
    try {
      key = keyOf(new Request(String(url)));
    } catch {
      continue;
    }
    if (!key || (await cache.match(key))) continue;
    // As at install: from the HTTP cache (revalidated); a failure is kept on a later visit.
    await cache.add(new Request(key, { cache: "default" })).catch(() => {});
  }
}

/** Fetches the file and keeps it; says so when it differs from the kept copy. */
async function refresh(key, request, cached) {
  const response = await fetch(request.url.split("#")[0].split("?")[0], { cache: "no-cache" });
  if (!response.ok) return response;
  const cache = await caches.open(CACHE);
  const tag = (r) => r?.headers.get("etag") ?? r?.headers.get("last-modified");
  if (cached && tag(cached) !== tag(response)) tellUpdated();
  if (!cached || tag(cached) !== tag(response)) await cache.put(key, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const key = keyOf(event.request);
  if (!key) return; // not the page's file: the network, uncached
  event.respondWith(
    caches.match(key).then((cached) => {
      const fresh = refresh(key, event.request, cached);
      if (cached) {
        event.waitUntil(fresh.catch(() => {}));
        return cached;
      }
      return fresh;
    }),
  );
});

// The audit's findings download: the page hands over the gzip Blob of the
// findings CSV (kept in this worker's memory, never in a cache), then opens
// download/<id>/<name>; the answer is the CSV decompressed as it is saved, so
// a file of any size never sits whole in memory. Each download is served once.
const downloads = new Map(); // id → { blob, name }
self.addEventListener("message", (event) => {
  const d = event.data;
  if (d?.type !== "ptbill:download" || !(d.blob instanceof Blob)) return;
  downloads.set(String(d.id), { blob: d.blob, name: String(d.name || "download.csv") });
  event.ports[0]?.postMessage({ type: "ptbill:download-ready" });
});
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const m = url.origin === scope.origin && url.pathname.slice(scope.pathname.length).match(/^download\/([\w-]+)\//);
  if (!m || event.request.method !== "GET") return;
  const d = downloads.get(m[1]);
  downloads.delete(m[1]);
  if (!d) return event.respondWith(new Response("This download has expired: download the findings again from the audit page.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } }));
  event.respondWith(
    new Response(d.blob.stream().pipeThrough(new DecompressionStream("gzip")), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${d.name.replace(/[^\w.-]/g, "_")}"`,
        "Cache-Control": "no-store",
      },
    }),
  );
});
