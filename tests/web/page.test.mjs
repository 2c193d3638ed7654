// The page end to end: Debian's chromium driven by playwright-core (never a
// downloaded browser) against dist/ (the page as it ships) served on 127.0.0.1 with gzip, as a static
// host would serve it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { harness, hash, example3, fourLines, pairVisit, cards, line, axe, OUT } from "./harness.mjs";

let h;
before(async () => {
  h = await harness(0);
});
after(async () => {
  await h.close();
});
const open = (...a) => h.open(...a);
const column = async (page, k) => (await cards(page)).map((c) => c[k]);

test("typing CMS example 3 into the form gives 97110 × 2, 97140 × 1, and the per-code alternative", async () => {
  const { context, page } = await open("/");
  // Measured in the page: navigation start to the first rendered result, and the
  // bytes fetched (compressed, as sent) up to that moment.
  const { ms, bytes } = await page.evaluate(() => {
    const at = performance.getEntriesByName("ptbill-first-result")[0].startTime;
    const entries = performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"));
    return { ms: Math.round(at), bytes: entries.filter((e) => e.responseEnd <= at).reduce((n, e) => n + e.transferSize, 0) };
  });
  console.log(`first result ${ms} ms after navigation start; ${bytes} bytes transferred (gzip) before it`);
  assert.ok(bytes < 300_000, `${bytes} bytes before the first result`);
  await page.fill("#date_of_service", "2026-03-02");
  await page.fill('#lines input[data-i="0"][data-k="code"]', "97110");
  await page.fill('#lines input[data-i="0"][data-k="minutes"]', "33");
  await page.fill('#lines input[data-i="0"][data-k="modifiers"]', "GP");
  await page.press('#lines input[data-i="0"][data-k="modifiers"]', "Enter");
  await page.press('#lines input[data-i="0"][data-k="units"]', "Enter"); // Enter in the last field adds a line
  await page.keyboard.type("97140");
  await page.fill('#lines input[data-i="1"][data-k="minutes"]', "7");
  await page.fill('#lines input[data-i="1"][data-k="modifiers"]', "GP");
  await page.fill("#dx-input", "M54.50");
  await page.press("#dx-input", "Enter");
  assert.deepEqual(await column(page, "main"), [2, 1]);
  assert.deepEqual(await column(page, "alt"), [2, 0]);
  assert.match(await page.textContent("#summary"), /Bill 3 units · CMS 3 timed · CPT per code: 2/);
  assert.match(await page.textContent("#difference"), /CMS total time: 3 timed units; CPT per code: 2/);
  assert.match(await page.textContent("#explanation"), /97140 \(7 min\), 97110 \(3 min\) → 97140/);
  assert.match(await page.textContent("#documentation"), /Total timed code treatment minutes: 40/);
  assert.equal(await page.$$eval("#diagnostics .error", (x) => x.length), 0);
  // A bad number is named next to its field, in words.
  await page.fill('#lines input[data-i="1"][data-k="minutes"]', "-3");
  assert.match(await page.textContent(".field-error"), /^Line 2 minutes: type a whole number, like 23$/);
  assert.equal(await page.getAttribute('#lines input[data-i="1"][data-k="minutes"]', "aria-invalid"), "true");
  await page.fill('#lines input[data-i="1"][data-k="minutes"]', "7");
  assert.equal(await page.$(".field-error"), null);
  // A rule's docs open from its finding.
  await page.fill('#lines input[data-i="1"][data-k="modifiers"]', "GP 59");
  await page.click('button.rule[data-rule="unneeded-distinct-modifier"]');
  await page.waitForSelector("#rule-dialog[open]"); // its module (rule-docs.js) may still be arriving
  assert.match(await page.textContent("#rule-body"), /Source/);
  // Its title in bold, not as Markdown's asterisks.
  assert.equal(await page.$eval("#rule-body strong", (e) => e.textContent), "Distinct-service modifier not needed");
  assert.doesNotMatch(await page.textContent("#rule-body"), /\*\*/);
  await page.click("#rule-dialog button");
  // Nothing is stored about the visit: no cookies, web storage or databases; the
  // service worker's cache holds only the page's own files.
  const stored = await page.evaluate(async () => ({
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).length,
    cached: (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)))).flat(),
  }));
  assert.deepEqual([stored.cookie, stored.local, stored.session, stored.databases], ["", 0, 0, 0]);
  for (const path of stored.cached) assert.match(path, /^\/(|index\.html|[\w-]+\.(js|css|svg|webmanifest|csv|wasm|txt)|pkg(-audit|-calc)?\/[\w.-]+|data\/[\w.-]+|practice\/[\w.-]+\.(js|css))$/);
  // The share link reproduces the visit in a fresh tab.
  await page.click("#share");
  const link = page.url();
  assert.match(link, /#v=/);
  const other = await open(link.slice(h.origin.length));
  assert.deepEqual(await column(other.page, "main"), [2, 1]);
  assert.equal(await other.page.inputValue('#lines input[data-i="1"][data-k="modifiers"]'), "GP 59");
  await other.context.close();
  await context.close();
});

test("diagnosis search loads the titles from this origin and adds a code", async () => {
  const { context, page } = await open("/" + hash(example3));
  await page.fill("#dx-input", "low back pain");
  await page.waitForFunction(() => document.querySelectorAll("#dx-list option").length > 0);
  assert.ok(await page.$('#dx-list option[value="M54.50"]'));
  await page.fill("#dx-input", "M54.5");
  await page.waitForFunction(() => /category/.test(document.getElementById("dx-hint").textContent));
  await page.press("#dx-input", "Enter");
  assert.match(await page.textContent("#diagnostics"), /icd10-not-billable/);
  assert.match(await page.textContent("#dx-chips"), /Low back pain, unspecified/);
  await context.close();
});

test("a shared visit's diagnosis chips show their titles without a search (fetched once, after the complete result)", async () => {
  const { context, page } = await open("/" + hash({ ...example3, diagnoses: ["M54.50", "S83.511A"] }));
  await page.waitForSelector("body[data-complete='1']");
  await page.waitForFunction(() => /Low back pain, unspecified/.test(document.getElementById("dx-chips").textContent));
  assert.match(await page.textContent("#dx-chips"), /S83\.511A — .*anterior cruciate ligament/i);
  const fetched = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.includes("icd10cm-descriptions")).length);
  assert.equal(fetched, 1);
  // A code typed whole gets its title too.
  await page.fill("#dx-input", "M25.561");
  await page.press("#dx-input", "Enter");
  await page.waitForFunction(() => /M25\.561 — Pain in right knee/.test(document.getElementById("dx-chips").textContent));
  await context.close();
});

test("the activity helper adds a line with the discipline's modifier", async () => {
  const { context, page } = await open("/" + hash(example3));
  await page.click("#activities li:nth-child(6) summary"); // balance and coordination
  await page.click('button[data-activity="balance"]');
  assert.equal(await page.inputValue('#lines input[data-i="2"][data-k="code"]'), "97112");
  assert.equal(await page.inputValue('#lines input[data-i="2"][data-k="modifiers"]'), "GP");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.k), "minutes");
  await context.close();
});

test("embed, read-only example and print views render the results", async () => {
  const embed = await open("/?embed" + hash(example3));
  assert.deepEqual(await column(embed.page, "main"), [2, 1]);
  assert.equal(await embed.page.isVisible("#helper"), false);
  await embed.context.close();
  const view = await open("/?view" + hash(example3));
  assert.equal(await view.page.isDisabled('#lines input[data-i="0"][data-k="code"]'), true);
  assert.match(await view.page.textContent(".banner"), /read-only/);
  await view.context.close();
  const { context, page } = await open("/" + hash(example3));
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("#results"), true);
  assert.equal(await page.isVisible("#helper"), false);
  assert.equal(await page.isVisible("#documentation"), true);
  await page.pdf({ path: `${OUT}print.pdf` });
  await context.close();
});

/** Opens `path`, lets the service worker take the page, reloads, then cuts the network. */
async function openThenOffline(path) {
  const { context, page } = await open(path);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector("body[data-complete='1']");
  await context.setOffline(true);
  return { context, page };
}

test("after one visit the page works with the network cut (service worker)", async () => {
  const { context, page } = await openThenOffline("/" + hash(example3));
  await page.reload();
  await page.waitForSelector("body[data-complete='1']");
  assert.deepEqual(await column(page, "main"), [2, 1]);
  // The NCCI and ICD-10-CM tables (data/tables.bin) come from the cache too: complete findings.
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  await page.goto(page.url().split("#")[0] + hash(pairVisit));
  await page.waitForSelector(".finding[data-rule='ncci-edit']");
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  await context.close();
});

test("auditing a 10,000-visit file in the page: progress, a correct summary, one download row per finding", async () => {
  // The same engine under Node gives the expected summary (the audit's build: www/pkg has no audit).
  const { initSync, audit_compact } = await import("../../www/pkg-audit/ptbill.js");
  initSync({ module: readFileSync(new URL("../../www/pkg-audit/ptbill_bg.wasm", import.meta.url)) });
  const codes = ["97110", "97112", "97140", "97530", "97161", "97150", "97010", "97014"];
  const rows = ["visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses"];
  for (let v = 0; v < 10_000; v++) {
    const n = 1 + (v % 3);
    for (let k = 0; k < n; k++) {
      const code = codes[(v * 7 + k * 3) % codes.length];
      rows.push(`V${v},2026-03-${String(1 + (v % 28)).padStart(2, "0")},${v % 5 ? "medicare" : "commercial"},pt,${code},${5 + ((v * 13 + k) % 40)},,${v % 4 ? "" : 2},GP${v % 9 ? "" : " 59"},M54.50`);
    }
  }
  rows.push("V-bad,2026-02-30,medicare,pt,97110,20,,,GP,M54.50");
  const text = rows.join("\n") + "\n";
  const expected = audit_compact(text, 0, () => true);
  const findings = Object.values(expected.summary.by_severity).reduce((a, b) => a + b, 0);

  const { context, page } = await open("/?audit");
  assert.equal(await page.isVisible("#calculator"), false, "the audit view replaces the calculator");
  await page.setInputFiles("#audit-file", { name: "visits.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
  await page.waitForSelector("#audit-progress:not([hidden])");
  await page.waitForSelector("body[data-audited='1']", { timeout: 120_000 });
  assert.match(await page.textContent("#audit-summary"), new RegExp(`^${expected.visits} visits, ${expected.rows} rows: ${findings} findings, 1 row errors`));
  assert.equal(await page.textContent(".audit-rule tbody tr:first-child td.num"), String(Math.max(...Object.values(expected.summary.by_rule))));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#audit-download")]);
  const csv = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.equal(csv[0], "visit_id,row,line,code,rule,severity,message");
  const notices = expected.summary.data_notices.length + expected.summary.notices.length;
  assert.equal(csv.length - 1, findings + 1 + notices, "one row per finding, per row error and per file notice");
  // Filters narrow the list; a visit opens in the calculator.
  await page.selectOption("#audit-sev", "error");
  // The worker answers a filter asynchronously (it reads its kept findings back);
  // the list holds row errors too (severity error).
  const want = `${expected.summary.by_severity.error + expected.row_errors.length} entries match (findings, row errors and file notes)`;
  await page.waitForFunction((w) => document.querySelector("#audit-findings").textContent.startsWith(w), want);
  const href = await page.getAttribute("#audit-findings a", "href");
  assert.match(href, /^\.\/#v=/);
  await context.close();
});

/** With the network cut, the page reloaded audits the sample as it did online (same summary); closes the context. */
async function auditsOfflineAsOnline(context, page, online) {
  await context.setOffline(true);
  await page.reload();
  await page.click("#audit-sample");
  await page.waitForSelector("body[data-audited='1']", { timeout: 60_000 });
  assert.equal(await page.textContent("#audit-summary"), online);
  await context.close();
}

test("after one audit, auditing works with the network cut (the audit build is kept when first used)", async () => {
  const { context, page } = await open("/?audit");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.click("#audit-sample");
  await page.waitForSelector("body[data-audited='1']", { timeout: 60_000 });
  const online = await page.textContent("#audit-summary");
  await auditsOfflineAsOnline(context, page, online);
});

test("a first visit straight to the audit view, audited before the service worker took over: offline after that one visit, the audit still works", async () => {
  h.throttle.paths = { "/sw.js": 4000 }; // the worker arrives after the audit: its module, build and sample all came past it
  try {
    const { context, page } = await open("/?audit");
    await page.click("#audit-sample");
    await page.waitForSelector("body[data-audited='1']", { timeout: 60_000 });
    const online = await page.textContent("#audit-summary");
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null, "audited before the service worker took over");
    await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 20_000 });
    // Once it controls the page, it keeps the files that came before it (the page names them).
    const kept = () =>
      page.evaluate(async () => {
        const cache = await caches.open((await caches.keys())[0]);
        const files = ["audit.js", "audit-worker.js", "audit-store.js", "pkg-audit/ptbill.js", "pkg-audit/ptbill_bg.wasm", "sample-audit.csv"];
        return (await Promise.all(files.map((f) => cache.match(new URL(f, location.href).href)))).every(Boolean);
      });
    for (const start = Date.now(); !(await kept()); await new Promise((r) => setTimeout(r, 200))) assert.ok(Date.now() - start < 20_000, "the audit's files were not kept");
    await auditsOfflineAsOnline(context, page, online);
  } finally {
    h.throttle.paths = {};
  }
});

test("offline before the audit was ever opened: the audit view says it needs one visit online instead of doing nothing", async () => {
  const { context, page } = await openThenOffline("/" + hash(example3));
  const seen = h.problems.length;
  await page.goto(page.url().split("#")[0].replace(/\/?$/, "/") + "?audit");
  await page.waitForSelector("#audit-result .result-error");
  assert.match(await page.textContent("#audit-result"), /not on this device yet: open this view once while online/);
  assert.equal(await page.isDisabled("#audit-sample"), true);
  // The one expected console error: the audit's module could not be fetched offline.
  const fresh = h.problems.splice(seen);
  assert.ok(fresh.every((p) => /ERR_FAILED|Failed to fetch dynamically imported module/.test(p)), fresh.join("\n"));
  await context.close();
});

test("offline before the ICD-10-CM titles were ever fetched: a word search says to type the code, and a code typed whole is still added", async () => {
  const { context, page } = await openThenOffline("/"); // no diagnoses: the titles were never fetched
  await page.reload();
  await page.waitForSelector("body[data-complete='1']");
  const seen = h.problems.length;
  await page.fill("#dx-input", "low back");
  await page.waitForFunction(() => /type the code itself/.test(document.getElementById("dx-hint").textContent));
  await page.press("#dx-input", "Enter");
  await page.waitForFunction(() => /type the code itself/.test(document.getElementById("dx-hint").textContent));
  assert.equal(await page.$$eval("#dx-chips li", (l) => l.length), 0);
  await page.fill("#dx-input", "M54.50");
  await page.press("#dx-input", "Enter");
  await page.waitForSelector("#dx-chips li");
  assert.match(await page.textContent("#dx-chips"), /M54\.50/);
  // The only console errors: the titles' fetch, refused offline.
  const fresh = h.problems.splice(seen);
  assert.ok(fresh.every((p) => /ERR_FAILED|ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(p)), fresh.join("\n"));
  await context.close();
});

test("the audit can be cancelled and the page stays responsive", async () => {
  const { context, page } = await open("/?audit");
  const rows = ["visit_id,date_of_service,code,minutes"];
  for (let v = 0; v < 150_000; v++) rows.push(`V${v},2026-03-02,97110,${10 + (v % 30)}`);
  await page.setInputFiles("#audit-file", { name: "big.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
  await page.waitForSelector("#audit-progress:not([hidden])");
  // The main thread answers while the worker runs.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await page.click("#audit-cancel");
  assert.match(await page.textContent("#audit-result"), /Cancelled/);
  await context.close();
});

// The README's screenshots come from here (test-results/desktop.png, mobile.png;
// copied to docs/screenshots/ by hand after looking at them).
for (const [name, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["mobile", { width: 375, height: 812 }],
]) {
  test(`${name}: no accessibility violation (WCAG 2.2 AA), no horizontal scroll, screenshot`, async () => {
    const { context, page } = await open("/" + hash(fourLines), { viewport, bypassCSP: true, deviceScaleFactor: name === "mobile" ? 2 : 1 });
    assert.deepEqual(await axe(page), []);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= viewport.width);
    if (name === "mobile") await page.$eval("#results", (e) => e.scrollIntoView({ block: "start" }));
    await page.evaluate(() => new Promise(requestAnimationFrame));
    await page.screenshot({ path: `${OUT}${name}.png` });
    await context.close();
  });
}

test("phone: the audit view fits the screen (its long column list wraps)", async () => {
  const { context, page } = await open("/?audit", { viewport: { width: 390, height: 844 } });
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, "no horizontal scroll");
  // The summary reads as one sentence: its findings count is not broken onto a line of its own.
  await page.click("#audit-sample");
  await page.waitForSelector("body[data-audited='1']");
  const [count, after] = await page.$eval("#audit-findings-count", (span) => {
    // The word after the count ("findings"), as laid out.
    const range = document.createRange();
    range.setStart(span.nextSibling, 1);
    range.setEnd(span.nextSibling, 9);
    return [span.getBoundingClientRect().top, range.getClientRects()[0].top];
  });
  assert.ok(Math.abs(after - count) < 4, `"findings" follows its count on the same line (${after - count} px apart)`);
  await context.close();
});
