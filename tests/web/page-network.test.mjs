// The page on the network: validators and 304s, no request per keystroke, a
// repeat visit answered from the service worker's cache even when the network
// is slow (the delay is in the test server, so the worker's fetches are slowed
// too), nothing about a visit in Cache Storage, one download of each file, a new
// version announced and taken on the next load; and the load figures, measured.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, appendFileSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { COMPRESSIBLE } from "../../scripts/compress.mjs";
import { harness, hash, example3, pairVisit, cards, line, OUT, WWW, SITE } from "./harness.mjs";

let h;
before(async () => {
  h = await harness(2);
});
after(async () => {
  await h.close();
});

/** A page whose service worker is installed and controls it (after one visit). */
async function warm(path = "/" + hash(example3), options = {}, hooks = {}) {
  const opened = await h.open(path, options, hooks);
  await opened.page.evaluate(() => navigator.serviceWorker.ready);
  await opened.page.reload();
  await opened.page.waitForSelector("body[data-ready='1']");
  await opened.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return opened;
}
const settle = (ms) => new Promise((ok) => setTimeout(ok, ms));

test("the units come first; the tables follow, then the full findings and data-state ready", async () => {
  h.throttle.paths = { "/data/tables.bin": 1500 };
  try {
    const { context, page } = await h.open("/" + hash(pairVisit), {}, { wait: false });
    await page.waitForSelector("body[data-ready='1']");
    assert.equal(await page.getAttribute("#results", "data-state"), "loading");
    assert.deepEqual((await cards(page)).map((c) => c.main), [1, 2]);
    assert.equal(await page.isVisible("#unit-cards"), true, "the units are shown while the tables load");
    assert.match(await page.textContent("#pending"), /^Still loading the tables for code pairs \(NCCI edits\) and the diagnosis codes \(ICD-10-CM\)/);
    assert.match(await page.textContent("#summary-text"), /^Bill 3 units/);
    assert.equal(await page.$(".finding[data-rule='ncci-edit']"), null);
    assert.equal(await page.isDisabled("#copy-doc"), true, "nothing to copy until the result is complete");
    await page.waitForSelector("body[data-complete='1']");
    assert.equal(await page.getAttribute("#results", "data-state"), "ready");
    assert.equal(await page.$("#pending"), null);
    assert.match(await page.textContent(".finding[data-rule='ncci-edit']"), /97110 is not paid with 97150/);
    const t = await page.evaluate(() => ["ptbill-first-result", "ptbill-complete-result"].map((n) => performance.getEntriesByName(n)[0].startTime));
    assert.ok(t[1] - t[0] >= 1000, `the complete result waited for the tables (${t})`);
    await context.close();
  } finally {
    h.throttle.paths = {};
  }
});

test("a rule's docs opened before the tables arrive fill in when they do; closing it then gives focus back to its rule tag", async () => {
  h.throttle.paths = { "/data/tables.bin": 2500 };
  try {
    const visit = { date_of_service: "2026-03-02", payer: "medicare", lines: [{ code: "97110", minutes: 30, modifiers: ["GP"] }, { code: "97140", minutes: 15, modifiers: ["GP"] }], diagnoses: [] };
    const { context, page } = await h.open("/" + hash(visit), {}, { wait: false });
    await page.waitForSelector("body[data-ready='1']");
    assert.equal(await page.getAttribute("#results", "data-state"), "loading");
    await page.click('button.rule[data-rule="missing-diagnosis"]');
    await page.waitForSelector("#rule-dialog[open]");
    assert.match(await page.textContent("#rule-body"), /still loading; it appears here in a moment/);
    await page.waitForSelector("body[data-complete='1']");
    await page.waitForSelector("#rule-body h3"); // the docs page's sections, without closing and opening again
    assert.doesNotMatch(await page.textContent("#rule-body"), /still loading/);
    await page.keyboard.press("Escape");
    // The dialog's close event comes as a task after the key: focus moves then, not within the key press.
    const onTag = () => document.activeElement.matches('#diagnostics button.rule[data-rule="missing-diagnosis"]');
    await page.waitForFunction(onTag, null, { timeout: 2000 }).catch(() => {});
    assert.equal(await page.evaluate(onTag), true, "focus is on the rule's tag");
    await context.close();
  } finally {
    h.throttle.paths = {};
  }
});

test("tables that cannot be loaded are said, never a silent pass", async () => {
  const { context, page } = await h.open("/" + hash(pairVisit), {}, {
    wait: false,
    before: (p) => p.route("**/data/tables.bin", (route) => route.fulfill({ status: 200, body: "# not the tables" })),
  });
  await page.waitForSelector("body[data-ready='1']");
  await page.waitForFunction(() => /could not load the tables/.test(document.getElementById("pending")?.textContent));
  assert.equal(await page.getAttribute("#results", "data-state"), "loading");
  assert.match(await page.textContent("#pending"), /not ptbill's tables file/);
  h.problems.length = 0; // the bad file's console noise is this test's point
  await context.close();
});

test("scripts/serve.mjs sends ETag and Last-Modified and answers 304", async () => {
  const first = await fetch(`${h.origin}/style.css`);
  assert.equal(first.status, 200);
  const etag = first.headers.get("etag");
  const modified = first.headers.get("last-modified");
  assert.match(etag, /^"[\w-]+"$/);
  assert.ok(Date.parse(modified) > 0);
  assert.equal((await fetch(`${h.origin}/style.css`, { headers: { "if-none-match": etag } })).status, 304);
  assert.equal((await fetch(`${h.origin}/style.css`, { headers: { "if-modified-since": modified } })).status, 304);
  assert.equal((await fetch(`${h.origin}/style.css`, { headers: { "if-none-match": '"other"' } })).status, 200);
});

test("no request during 20 keystrokes, and the address bar follows at most once a second", async () => {
  const { context, page } = await warm("/" + hash(example3), {}, {
    before: (p) =>
      p.addInitScript(() => {
        const replace = history.replaceState.bind(history);
        window.__urlWrites = 0;
        history.replaceState = (...a) => {
          window.__urlWrites += 1;
          return replace(...a);
        };
      }),
  });
  await settle(1500); // the worker's background refreshes of this load
  const pageRequests = h.requests.length;
  const served = h.responses.length;
  const writes = await page.evaluate(() => window.__urlWrites);
  await page.click(line(0, "minutes"));
  await page.keyboard.press("End");
  const before = page.url();
  for (let k = 0; k < 10; k++) {
    await page.keyboard.press("Backspace", { delay: 40 });
    await page.keyboard.type(String(k), { delay: 40 }); // ends at "39"
  }
  assert.equal(await page.evaluate(() => window.__urlWrites), writes, "no URL write while typing");
  await settle(1300);
  assert.deepEqual(h.requests.slice(pageRequests), [], "no request from the page");
  // Only the browser's own check for a new service worker (once per load, not per key) may reach the server.
  const reached = h.responses.slice(served).filter((r) => r.path !== "/sw.js");
  assert.deepEqual(reached, [], "nothing of the page reached the server");
  assert.ok(h.responses.slice(served).length <= 1);
  assert.equal(await page.evaluate(() => window.__urlWrites), writes + 1, "one URL write after the pause");
  assert.notEqual(page.url(), before);
  assert.equal(await page.inputValue(line(0, "minutes")), "39");
  await context.close();
});

test("a repeat visit is answered from the cache in under 1 s with the network delayed by 3 s", async () => {
  const { context, page } = await warm();
  h.throttle.delay = 3000;
  try {
    const start = Date.now();
    await page.reload();
    await page.waitForSelector("body[data-ready='1']");
    const wall = Date.now() - start;
    const ms = await page.evaluate(() => performance.getEntriesByName("ptbill-first-result")[0].startTime);
    console.log(`repeat visit, network delayed 3 s: first result ${Math.round(ms)} ms after navigation start (${wall} ms wall clock)`);
    assert.ok(ms < 1000, `first result after ${ms} ms`);
    assert.deepEqual((await cards(page)).map((c) => c.main), [2, 1]);
  } finally {
    h.throttle.delay = 0;
  }
  await context.close();
});

test("the first visit downloads each file once (the worker installs from the HTTP cache)", async () => {
  const from = h.responses.length;
  const { context, page } = await h.open("/" + hash(example3));
  await page.evaluate(() => navigator.serviceWorker.ready);
  await settle(500);
  const full = h.responses.slice(from).filter((r) => r.status === 200).map((r) => r.path);
  const twice = full.filter((p, i) => full.indexOf(p) !== i);
  assert.deepEqual(twice, [], `downloaded twice: ${twice}`);
  assert.equal(full.filter((p) => p === "/pkg-calc/ptbill_bg.wasm").length, 1);
  await context.close();
});

test("no visit data in Cache Storage after opening share links (keys carry no query or fragment)", async () => {
  const visit = { ...example3, diagnoses: ["S83.511A"], lines: [{ code: "97530", minutes: 41, modifiers: ["GP"] }] };
  const { context, page } = await warm("/?view" + hash(visit));
  for (const path of ["/?audit", "/?embed" + hash(visit), "/" + hash(visit)]) {
    await page.goto(h.origin + path);
    await page.waitForSelector("body[data-ready='1']");
  }
  await page.fill("#dx-input", "S83"); // fetches the titles, which are kept
  await page.waitForFunction(() => document.querySelectorAll("#dx-list option").length > 0);
  await settle(500);
  const cached = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const body = await (await cache.match(req)).text();
        out.push({ url: req.url, body: body.slice(0, 3_000_000) });
      }
    }
    return out;
  });
  assert.ok(cached.length > 5);
  const token = hash(visit).slice(3, 40);
  for (const { url, body } of cached) {
    const u = new URL(url);
    assert.equal(u.search + u.hash, "", `a cache key with a query or fragment: ${url}`);
    assert.match(u.pathname, /^\/(|[\w-]+\.(js|css|svg|webmanifest|csv)|pkg(-audit|-calc)?\/ptbill(_bg)?\.(js|wasm)|data\/[\w.-]+|practice\/[\w-]+\.(js|css))$/);
    assert.ok(!body.includes(token) && !body.includes("S83.511A"), `visit data in ${url}`);
  }
  await context.close();
});

test("a new version is fetched in the background, announced, and takes over on the next load", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ptbill-www-"));
  cpSync(SITE, dir, { recursive: true, filter: (src) => !src.includes("pkg-audit") });
  const other = await harness(3, { dir });
  try {
    const { context, page } = await other.open("/" + hash(example3));
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForSelector("body[data-ready='1']");
    assert.equal(await page.textContent("#notice"), "");
    // (dist's stylesheet is inside its HTML, under the CSP's hash: a module is changed instead.)
    appendFileSync(join(dir, "result.js"), '\ndocument.documentElement.dataset.version = "2";\n');
    await page.reload();
    await page.waitForSelector("body[data-ready='1']");
    await page.waitForFunction(() => /new version/.test(document.getElementById("notice").textContent), null, { timeout: 10_000 });
    assert.match(await page.textContent("#notice"), /takes over the next time you open or reload the page/);
    // This load still ran the old module; the next one runs the new.
    assert.equal(await page.evaluate(() => document.documentElement.dataset.version), undefined);
    await page.reload();
    await page.waitForSelector("body[data-ready='1']");
    assert.equal(await page.evaluate(() => document.documentElement.dataset.version), "2");
    await context.close();
  } finally {
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------- figures ----------

/** What a served file costs as gzip -9 (as scripts/serve.mjs sends it to a browser without brotli). */
const gzipped = new Map();
function gzipSize(path) {
  if (!gzipped.has(path)) {
    const body = readFileSync(join(SITE, path === "/" ? "index.html" : path));
    gzipped.set(path, COMPRESSIBLE.has(extname(path === "/" ? "index.html" : path)) ? Math.min(body.length, gzipSync(body, { level: 9 }).length) : body.length);
  }
  return gzipped.get(path);
}

/**
 * One load: the first result (the units shown: body data-ready), the complete
 * result (the NCCI and ICD-10-CM findings in: data-state ready), in ms after
 * navigation start, and the bytes the server sent before the first result
 * (brotli, as sent; and what the same responses would be as gzip).
 */
async function measure(page, from, { cold = false } = {}) {
  await page.waitForSelector("body[data-complete='1']");
  const t = await page.evaluate(() => {
    const [first, complete] = ["ptbill-first-result", "ptbill-complete-result"].map((n) => performance.getEntriesByName(n)[0].startTime);
    return { ms: first, at: performance.timeOrigin + first, complete };
  });
  await settle(300);
  // A cold load starts at its own HTML: a response that ends before it is a closed tab's (the last load's service worker).
  const html = h.responses.findIndex((r, i) => i >= from && r.path === "/");
  if (cold && html >= 0) from = html;
  const sent = h.responses.slice(from).filter((r) => r.at <= t.at);
  const before = sent.reduce((n, r) => n + r.bytes, 0);
  const gzip = sent.reduce((n, r) => n + (r.status === 200 ? gzipSize(r.path) : 0), 0);
  return { ms: Math.round(t.ms), complete: Math.round(t.complete), before, gzip, requests: sent.length, paths: sent.map((r) => r.path) };
}

test("figures: first result and bytes, cold and repeat, desktop and 4× CPU + Slow 4G", async () => {
  // Slow 4G as DevTools and Lighthouse define it: 150 ms RTT × 3.75 = 562.5 ms
  // per request, 1.6 Mbit/s × 0.9 = 180,000 bytes/s, here in the server.
  const profiles = [
    ["desktop", { delay: 0, bandwidth: 0 }, 1],
    ["4× CPU + Slow 4G", { delay: 563, bandwidth: 180_000 }, 4],
  ];
  // A cold load's time swings by ±5 % on this shared machine: `make bench` takes
  // the median of PTBILL_FIGURE_RUNS cold loads per profile (each in a fresh
  // context), `make test` one.
  const runs = Math.max(1, Number(process.env.PTBILL_FIGURE_RUNS ?? 1));
  const rows = [];
  for (const [name, net, cpu] of profiles) {
    const colds = [];
    let repeat;
    for (let run = 0; run < runs; run++) {
      const context = await h.browser.newContext();
      const page = await context.newPage();
      page.on("pageerror", (e) => h.problems.push(`figures: ${e.message}`));
      if (cpu > 1) await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: cpu });
      Object.assign(h.throttle, net);
      try {
        let from = h.responses.length;
        await page.goto(h.origin + "/" + hash(example3));
        colds.push(await measure(page, from, { cold: true }));
        if (run === 0) {
          await page.evaluate(() => navigator.serviceWorker.ready);
          await settle(net.delay ? 6000 : 500); // the worker's install and this load's refreshes
          from = h.responses.length;
          await page.reload();
          repeat = await measure(page, from);
        }
      } finally {
        Object.assign(h.throttle, { delay: 0, bandwidth: 0 });
        await context.close();
        await h.idle();
      }
    }
    const median = (k) => colds.map((c) => c[k]).sort((x, y) => x - y)[(colds.length - 1) >> 1];
    const cold = { ...colds[0], ms: median("ms"), complete: median("complete"), range: [Math.min(...colds.map((c) => c.ms)), Math.max(...colds.map((c) => c.ms))] };
    rows.push({ profile: name, cold, colds, repeat, slow: net.delay > 0 });
  }
  const n = (x) => x.toLocaleString("en-US");
  const table = [
    "| profile | cold: first result (units) | cold: complete result (data-state ready) | cold: bytes before the first result, brotli (as gzip) | repeat: first result | repeat: complete result | repeat: bytes before it |",
    "|---|---|---|---|---|---|---|",
  ];
  const spread = (r) => (runs > 1 ? ` (median of ${runs}: ${r.cold.range[0]}–${r.cold.range[1]})` : "");
  for (const r of rows) table.push(`| ${r.profile} | ${r.cold.ms} ms${spread(r)} | ${r.cold.complete} ms | ${n(r.cold.before)} (${n(r.cold.gzip)}), ${r.cold.requests} responses | ${r.repeat.ms} ms | ${r.repeat.complete} ms | ${n(r.repeat.before)} (${r.repeat.requests} responses) |`);
  console.log(table.join("\n"));
  writeFileSync(`${OUT}page-figures.md`, table.join("\n") + "\n");
  for (const r of rows) {
    // What comes after the first result is asked for only then (main.js), so it never shares the link with it.
    const early = r.colds.flatMap((c) => c.paths).filter((p) => /^\/(offline|helper|activities)\.js$|^\/data\/|^\/pkg-audit\//.test(p));
    assert.deepEqual(early, [], `${r.profile}: fetched before the first result, in the cold loads ${JSON.stringify(r.colds.map((c) => [c.ms, c.paths]))}`);
    assert.equal(r.repeat.before, 0, `${r.profile}: a repeat visit downloads nothing before its first result`);
    // On a slow network the cache must win; unthrottled on a busy 2-core machine the two are within noise.
    if (r.slow) assert.ok(r.repeat.ms * 2 < r.cold.ms, `${r.profile}: repeat ${r.repeat.ms} ms, cold ${r.cold.ms} ms`);
  }
});

test("the service worker keeps every module the page imports, and dist/ copies them (Makefile)", async () => {
  const { readFileSync, readdirSync } = await import("node:fs");
  const sw = readFileSync(`${WWW}/sw.js`, "utf8");
  const shell = JSON.parse(`[${sw.match(/SHELL = \[([^\]]*)\]/)[1].replace(/,\s*$/, "")}]`);
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(`${WWW}/${file}`, "utf8");
    for (const [, spec] of text.matchAll(/(?:import|from)\s*\(?\s*"\.\/([\w./-]+\.js)"/g)) if (!spec.startsWith("audit")) walk(spec);
  };
  walk("main.js");
  const missing = [...seen].filter((f) => !shell.includes(f));
  assert.deepEqual(missing, []);
  for (const f of readdirSync(WWW).filter((x) => x.endsWith(".js") && x !== "sw.js")) {
    assert.ok(shell.includes(f) || /^audit/.test(f), `${f}: neither in the shell nor kept on first use`);
  }
  // dist/ (make dist) has every file the worker keeps, and the host headers.
  const { existsSync } = await import("node:fs");
  for (const f of [...shell.filter((x) => x !== "./"), "index.html", "_headers", "sw.js"]) assert.ok(existsSync(`${SITE}/${f}`), `dist/${f} is missing`);
});
