// Teaching mode end to end: Debian's chromium driven by playwright-core against
// dist/ (the page as it ships) on 127.0.0.1 (launch flags as in page.test.mjs). The expected answers come
// from the engine under Node, so the page is checked against the same engine it
// runs, and the CMS ties against the outcomes CMS itself lists.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { launch, example3 } from "./harness.mjs";
import { initSync, check } from "../../www/pkg/ptbill.js";
import { EXERCISES } from "../../www/practice/exercises.js";
import { ACTIVITIES } from "../../www/activities.js";

initSync({ module: readFileSync(new URL("../../www/pkg/ptbill_bg.wasm", import.meta.url)) });

const PORT = 19000 + (process.pid % 1000);
const HOST_PORT = PORT + 1000;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const HOST = `http://127.0.0.1:${HOST_PORT}`; // another origin (other port) for the embedding host page
const AXE = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const OUT = new URL("../../test-results/", import.meta.url).pathname;
const SHOT = process.env.PTBILL_SCREENSHOTS ? new URL("../../docs/screenshots/practice.png", import.meta.url).pathname : `${OUT}practice.png`;
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
let server, hostServer, browser;
const problems = [];
const requests = [];

before(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await serve({ dir: new URL("../../dist", import.meta.url).pathname, port: PORT }); // the page as it ships (make dist)
  const hostDir = mkdtempSync(join(tmpdir(), "ptbill-host-"));
  writeFileSync(
    join(hostDir, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A course page</title></head><body>
<h1>Week 3: the 8-minute rule</h1><p><a href="#before">Before the exercise</a></p>
<iframe id="ptbill-practice" title="ptbill practice exercise" width="100%" height="300" style="border:0" allow="clipboard-write"></iframe>
<p><a href="#after">After the exercise</a></p>
<script>
window.messages = [];
addEventListener("message", (e) => {
  const f = document.getElementById("ptbill-practice");
  if (e.source === f.contentWindow && e.data && e.data.type === "ptbill:resize") { window.messages.push(e.data); f.style.height = e.data.height + "px"; }
});
document.getElementById("ptbill-practice").src = decodeURIComponent(location.hash.slice(1));
</script></body></html>`,
  );
  hostServer = await serve({ dir: hostDir, port: HOST_PORT });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
  hostServer?.close();
  // Privacy over every page of every test: only ptbill's origin (and the test's own host page).
  for (const url of requests) assert.ok(url.startsWith(ORIGIN + "/") || url.startsWith(HOST + "/"), `request to another origin: ${url}`);
  assert.deepEqual(problems, []);
});

async function open(path, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  watch(page, path);
  await page.goto(ORIGIN + path);
  await page.waitForSelector("body[data-practice='ready']");
  return { context, page };
}
function watch(page, path) {
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && problems.push(`${path}: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`${path}: ${e.message}`));
}

/** The engine's answer under Node: what the page must accept. */
function engineAnswer(visit) {
  const r = check(visit);
  return {
    units: r.lines.map((l) => l.units),
    modifiers: r.lines.map((l) => l.modifiers),
    problems: [...new Set(r.diagnostics.filter((d) => d.severity !== "info" && d.rule !== "reference-data-date").map((d) => d.rule))],
    tie: r.explanation.some((s) => /^Tie\b/.test(s)),
  };
}

async function goTo(page, id) {
  await page.evaluate((h) => (location.hash = h), `#e=${id}`);
  await page.waitForFunction((id) => document.getElementById("practice-pick")?.value === id && document.getElementById("exercise-title"), id);
}

async function enter(page, ex, answer, units = answer.units) {
  const hidden = new Set(ex.hide ?? []);
  for (let i = 0; i < ex.visit.lines.length; i++) {
    if (ex.ask.includes("code") && hidden.has(`lines.${i}.code`)) await page.fill(`#answer-code-${i}`, ex.visit.lines[i].code);
    if (ex.ask.includes("units")) await page.fill(`#answer-units-${i}`, String(units[i]));
    if (ex.ask.includes("modifiers")) await page.fill(`#answer-mods-${i}`, answer.modifiers[i].join(" "));
  }
  if (ex.ask.includes("problems")) {
    for (const box of await page.$$('#practice-problems input[name="problem"]')) {
      const want = answer.problems.includes(await box.getAttribute("value"));
      if ((await box.isChecked()) !== want) await box.setChecked(want);
    }
  }
}

const marks = (page) =>
  page.$$eval("#exercise .mark[data-mark]", (ms) => ms.map((m) => ({ key: m.dataset.mark, ok: m.dataset.ok === "true", text: m.textContent })));

async function checkNow(page) {
  // The status line is the only live text: count how often it is set per check.
  await page.evaluate(() => {
    const s = document.getElementById("practice-status");
    window.announced = [];
    window.announcer?.disconnect();
    window.announcer = new MutationObserver(() => s.textContent && window.announced.push(s.textContent));
    window.announcer.observe(s, { childList: true, characterData: true, subtree: true });
  });
  await page.click("#practice-check");
  await page.waitForSelector("#exercise .mark[data-mark]");
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
  return page.evaluate(() => window.announced);
}

test("there are at least 30 built-in exercises in three levels, each with its own teaching point and explanation", () => {
  assert.ok(EXERCISES.length >= 30, `${EXERCISES.length} exercises`);
  assert.deepEqual([...new Set(EXERCISES.map((e) => e.level))].sort(), [1, 2, 3]);
  assert.equal(new Set(EXERCISES.map((e) => e.id)).size, EXERCISES.length, "ids are unique");
  for (const ex of EXERCISES) {
    assert.ok(ex.point && ex.explain && ex.title, ex.id);
    assert.doesNotThrow(() => check(ex.visit), ex.id);
  }
  assert.equal(new Set(EXERCISES.map((e) => e.explain)).size, EXERCISES.length, "every explanation is written for its exercise");
  // The code-choice exercises agree with the calculator's activity helper.
  for (const ex of EXERCISES.filter((e) => e.activity)) {
    for (const [i, id] of Object.entries(ex.activity)) {
      const a = ACTIVITIES.find((x) => x.id === id);
      assert.ok(a, `${ex.id}: activity ${id}`);
      if (a.code) assert.equal(ex.visit.lines[i].code, a.code, `${ex.id}: the helper bills ${id} as ${a.code}`);
    }
  }
  // Every teaching point of the issue is covered by at least one exercise.
  const all = JSON.stringify(EXERCISES);
  for (const seed of ["971110", "M54.5\"", "S93.0R", "G8978", "\"25\"", "97150", "G0283", "97014", "assistant_minutes", "ytd_allowed", "\"ama\"", "59", "XU", "pne-alone", "pne-woven"]) {
    assert.ok(all.includes(seed), `an exercise uses ${seed}`);
  }
  const kinds = new Set(EXERCISES.flatMap((e) => engineAnswer(e.visit).problems));
  for (const rule of ["invalid-code", "deleted-code", "icd10-not-billable", "icd10-invalid", "ncci-edit", "mue-exceeded", "modifier-25-misuse", "kx-threshold", "assistant-modifier", "medicare-code-substitution", "unneeded-distinct-modifier", "conflicting-distinct-modifiers", "payer-method"]) {
    assert.ok(kinds.has(rule), `an exercise teaches ${rule}`);
  }
});

test("the service worker precaches every practice module and the stylesheet (offline after any visit)", () => {
  const www = new URL("../../www/", import.meta.url);
  const sw = readFileSync(new URL("sw.js", www), "utf8");
  const shell = new Set(JSON.parse(`[${sw.match(/SHELL = \[([^\]]*)\]/)[1].replace(/,\s*$/, "")}]`));
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(new URL(file, www), "utf8");
    for (const [, spec] of text.matchAll(/(?:import|from)\s*\(?\s*"(\.\.?\/[\w./-]+\.js)"/g)) walk(new URL(spec, new URL(file, www)).pathname.slice(www.pathname.length));
  };
  walk("practice/boot.js");
  assert.deepEqual([...seen].filter((f) => !shell.has(f)), []);
  for (const f of readdirSync(new URL("practice/", www))) assert.ok(shell.has(`practice/${f}`), `practice/${f} is precached`);
});

test("every built-in exercise: the engine's answer scores right; one unit changed marks exactly that line, with a reason", async () => {
  const { context, page } = await open("/?practice");
  await page.selectOption("#practice-level", "0");
  for (const ex of EXERCISES) {
    await goTo(page, ex.id);
    const answer = engineAnswer(ex.visit);
    await enter(page, ex, answer);
    const announced = await checkNow(page);
    const right = await marks(page);
    assert.ok(right.length > 0 && right.every((m) => m.ok), `${ex.id}: ${JSON.stringify(right)}`);
    assert.deepEqual(announced.length, 1, `${ex.id}: the result is announced once: ${JSON.stringify(announced)}`);
    assert.match(announced[0], /^All \d+ right/, ex.id);
    if (!ex.ask.includes("units")) continue;
    for (let i = 0; i < ex.visit.lines.length; i++) {
      if (await page.isVisible("#practice-retry")) await page.click("#practice-retry");
      const units = [...answer.units];
      units[i] += 1;
      await enter(page, ex, answer, units);
      const said = await checkNow(page);
      const wrong = (await marks(page)).filter((m) => !m.ok);
      assert.deepEqual(wrong.map((m) => m.key), [`units-${i}`], `${ex.id} line ${i + 1} +1`);
      const code = (ex.hide ?? []).includes(`lines.${i}.code`) ? `line ${i + 1}` : ex.visit.lines[i].code;
      assert.match(wrong[0].text, new RegExp(`You gave ${code} ${units[i] === 1 ? "1 unit" : `${units[i]} units`}; it earns`), ex.id);
      assert.ok(wrong[0].text.length > 80, `${ex.id}: a reason, not just a cross`);
      assert.equal(said.length, 1, `${ex.id}: announced once`);
      assert.match(said[0], new RegExp(`To fix: Line ${i + 1}\\b[^;]*units\\.$`), ex.id);
      await page.click("#practice-retry");
      assert.equal(await page.textContent("#practice-status"), "");
    }
  }
  await context.close();
});

test("the reasons follow the engine: CMS example 3's 97140 gets the 3rd unit for its 7 leftover minutes", async () => {
  const { context, page } = await open("/?practice#e=cms-ex3");
  const wasm = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length);
  assert.equal(wasm, 1, "practice shares the calculator's engine: one wasm download");
  await page.fill("#answer-units-0", "3");
  await page.fill("#answer-units-1", "0");
  await checkNow(page);
  const m = await marks(page);
  assert.match(m[1].text, /You gave 97140 no unit; it earns 1 unit\. Under total time the visit's 40 timed minutes make 3 units\..*the 3rd unit goes to the largest leftover minutes, and 97140's 7 is the largest/);
  assert.match(m[0].text, /97140's 7, against 97110's 3/);
  // Text where a number belongs is named as such, not scored as a number.
  await page.click("#practice-retry");
  await page.fill("#answer-units-0", "two");
  await page.fill("#answer-units-1", "1");
  await checkNow(page);
  assert.match((await marks(page))[0].text, /Type the units as a whole number, like 2; 97110 earns 2 units/);
  // Modifiers and problems: the engine's findings, in words.
  await goTo(page, "59-and-xs");
  await page.fill("#answer-mods-0", "GP");
  await page.fill("#answer-mods-1", "GP 59 XS");
  await checkNow(page);
  const n = await marks(page);
  assert.deepEqual(n.map((x) => [x.key, x.ok]), [["mods-0", true], ["mods-1", false], ["problems", false]]);
  assert.match(n[1].text, /should carry GP XS.*59 and XS/);
  assert.match(n[2].text, /Missed/);
  // Show the answer: the engine's steps and the exercise's explanation.
  await page.click("#practice-show");
  assert.match(await page.textContent("#practice-answer"), /How ptbill counted.*Why:/s);
  assert.equal(await page.evaluate(() => document.activeElement.id), "answer-title");
  await context.close();
});

test("a CMS tie accepts every allowed answer and says so; giving all units to one code is wrong", async () => {
  // The outcomes CMS lists (Pub. 100-04 Ch. 5 §20.2 example 2) and the 7 + 7 rule.
  const ties = {
    "cms-ex2-tie": { allowed: [[2, 1], [1, 2]], forbidden: [3, 0] },
    "tie-7-7": { allowed: [[1, 0], [0, 1]], forbidden: [1, 1] },
    "three-sevens": { allowed: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], forbidden: [1, 1, 1] },
    "ten-ten-cms": { allowed: [[1, 0], [0, 1]], forbidden: [1, 1] },
  };
  const { context, page } = await open("/?practice");
  for (const [id, { allowed, forbidden }] of Object.entries(ties)) {
    const ex = EXERCISES.find((e) => e.id === id);
    await goTo(page, id);
    for (const units of allowed) {
      await enter(page, ex, engineAnswer(ex.visit), units);
      const said = await checkNow(page);
      assert.ok((await marks(page)).every((m) => m.ok), `${id}: ${units}`);
      assert.match(said[0], /All \d+ right\. A tie: \d answers are correct/, `${id}: ${units}`);
      await page.click("#practice-show");
      assert.match(await page.textContent("#practice-answer"), /A tie: any of/);
    }
    await enter(page, ex, engineAnswer(ex.visit), forbidden);
    await checkNow(page);
    assert.ok((await marks(page)).some((m) => !m.ok), `${id}: ${forbidden} is not allowed`);
  }
  await context.close();
});

test("an educator's exercise: made in the calculator, opened in a fresh browser, fields hidden", async () => {
  const visit = example3;
  const share = `${ORIGIN}/#v=${Buffer.from(JSON.stringify(visit)).toString("base64url")}`;
  // In the calculator: "Make an exercise from this visit" opens the editor with the visit.
  const calc = await browser.newContext();
  const calcPage = await calc.newPage();
  watch(calcPage, "calculator");
  await calcPage.goto(share);
  await calcPage.waitForSelector("#results[data-state='ready']");
  const [page] = await Promise.all([calc.waitForEvent("page"), calcPage.click("#make-exercise")]);
  watch(page, "editor");
  await page.waitForSelector("#editor-body:not([hidden])");
  const loaded = JSON.parse(await page.inputValue("#editor-source"));
  assert.deepEqual([loaded.date_of_service, loaded.payer, loaded.lines, loaded.diagnoses], [visit.date_of_service, visit.payer, visit.lines, visit.diagnoses]);
  // A visit pasted with a JSON slip, or a link cut short, is said in plain words (not the browser's parser message).
  await page.fill("#editor-source", '{"date_of_service": "2026-03-02", "lines": [{"code": "97110" "minutes": 30}]}');
  await page.click("#editor-load");
  assert.equal(await page.textContent("#editor-error"), "Cannot use this visit: its JSON could not be read near character 62: check the commas, quotes and brackets there, or paste the calculator's share link instead.");
  assert.equal(await page.isHidden("#editor-body"), true);
  await page.fill("#editor-source", share.slice(0, -7) + "%%");
  await page.click("#editor-load");
  assert.match(await page.textContent("#editor-error"), /^Cannot use this visit: this share link is damaged/);
  // Pasting the share link gives the same visit.
  await page.fill("#editor-source", share);
  await page.click("#editor-load");
  await page.check('#editor-body input[name="hide"][value="lines.1.minutes"]');
  await page.check('#editor-body input[name="ask"][value="problems"]');
  await page.fill("#editor-name", "Where did the 3rd unit go?");
  const link = await page.inputValue("#editor-link");
  assert.match(link, new RegExp(`^${ORIGIN}/\\?practice#x=[A-Za-z0-9_-]+$`));
  const snippet = await page.inputValue("#editor-embed");
  assert.match(snippet, /<iframe [^>]*src="[^"]*\?embed&amp;practice#x=/);
  assert.match(snippet, /allow="clipboard-write"/);
  assert.match(snippet, /ptbill:resize/);
  // The calculator's button can make the same link with exerciseLink().
  const made = await page.evaluate(
    ([v]) => import("/practice/link.js").then((m) => m.exerciseLink(v, { ask: ["units", "problems"], hide: ["lines.1.minutes"], title: "Where did the 3rd unit go?" })),
    [visit],
  );
  assert.equal(made, link);
  await calc.close();

  const fresh = await browser.newContext();
  const learner = await fresh.newPage();
  watch(learner, "educator link");
  await learner.goto(link);
  await learner.waitForSelector("body[data-practice='ready']");
  assert.equal(await learner.textContent("#exercise-title"), "Where did the 3rd unit go?");
  const lines = await learner.$$eval(".line-facts", (ps) => ps.map((p) => p.textContent));
  assert.match(lines[0], /97110.*33 min/);
  assert.match(lines[1], /97140.*minutes hidden/);
  assert.doesNotMatch(lines[1], /7 min/);
  assert.ok(await learner.$("#practice-problems"), "problems are asked");
  assert.equal(await learner.$("#answer-mods-0"), null, "modifiers are not asked");
  await learner.fill("#answer-units-0", "2");
  await learner.fill("#answer-units-1", "1");
  await checkNow(learner);
  assert.ok((await marks(learner)).every((m) => m.ok));
  // A reload keeps the exercise (the address is the exercise's, not the calculator's).
  assert.equal(new URL(learner.url()).hash, new URL(link).hash);
  await learner.reload();
  await learner.waitForSelector("body[data-practice='ready']");
  assert.equal(await learner.textContent("#exercise-title"), "Where did the 3rd unit go?");
  // A damaged link says so in words.
  await learner.goto(`${ORIGIN}/?practice#x=notjson`);
  await learner.waitForSelector("body[data-practice='ready']");
  assert.match(await learner.textContent("#exercise"), /damaged/);
  await fresh.close();
});

test("practice in a cross-origin frame: the host receives ptbill:resize and a whole exercise is done by keyboard", async () => {
  const context = await browser.newContext({ viewport: { width: 800, height: 700 } });
  const page = await context.newPage();
  watch(page, "host");
  await page.goto(`${HOST}/#${encodeURIComponent(`${ORIGIN}/?embed&practice#e=cms-ex1`)}`);
  const frame = await (await page.waitForSelector("#ptbill-practice")).contentFrame();
  await frame.waitForSelector("body[data-practice='ready']");
  await page.waitForFunction(() => window.messages.length > 0);
  const first = await page.evaluate(() => window.messages.at(-1).height);
  assert.ok(first > 300, `reported height ${first}`);
  assert.equal(await frame.isVisible("header.chrome"), false, "no site header in the frame");
  // Keyboard only: Tab from the host page into the frame to the first answer.
  await page.focus("a[href='#before']");
  const active = () => frame.evaluate(() => document.activeElement?.id ?? "");
  for (let n = 0; n < 15 && (await active()) !== "answer-units-0"; n++) await page.keyboard.press("Tab");
  assert.equal(await active(), "answer-units-0");
  await page.keyboard.type("1");
  await page.keyboard.press("Tab");
  await page.keyboard.type("1");
  await page.keyboard.press("Enter"); // Enter in a field checks
  await frame.waitForSelector("#exercise .mark[data-mark]");
  const wrong = await frame.$$eval(".mark[data-ok='false']", (m) => m.map((x) => x.dataset.mark));
  assert.deepEqual(wrong, ["units-0"]);
  // The frame grew with the marks, and the host followed.
  await page.waitForFunction((h) => window.messages.at(-1).height > h, first);
  const last = await page.evaluate(() => window.messages.at(-1).height);
  assert.equal(await page.evaluate(() => document.getElementById("ptbill-practice").style.height), `${last}px`);
  // Try again (by keyboard), fix the answer, check, then Next.
  for (let n = 0; n < 10 && (await active()) !== "practice-retry"; n++) await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.equal(await active(), "answer-units-0", "Try again returns to the first wrong answer");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("2");
  await page.keyboard.press("Enter");
  await frame.waitForSelector("#exercise .mark[data-mark]");
  assert.match(await frame.textContent("#practice-status"), /^All 2 right/);
  for (let n = 0; n < 10 && (await active()) !== "practice-next"; n++) await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await frame.waitForFunction(() => document.getElementById("practice-pick").value === "cms-ex1-reordered");
  assert.equal(await active(), "exercise-title", "focus moves to the new exercise");
  await context.close();
});

test("the session summary: score, teaching points missed, and a result to copy; nothing stored", async () => {
  const { context, page } = await open("/?practice#e=chart-23");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: ORIGIN });
  // Check pressed before typing is not a wrong first try: nothing is marked, and the score below counts only real checks.
  await page.click("#practice-check");
  assert.equal(await page.textContent("#practice-status"), "Nothing to check yet: type the units for each line first.");
  assert.equal(await page.$("#exercise .mark[data-mark]"), null);
  assert.equal(await page.evaluate(() => document.activeElement.id), "answer-units-0");
  await page.fill("#answer-units-0", "2");
  await checkNow(page);
  await page.click("#practice-next");
  await page.fill("#answer-units-0", "3"); // chart-53 is 4
  await checkNow(page);
  await page.click("#practice-finish");
  assert.match(await page.textContent("#practice-score"), /^1 of 2 right at the first check/);
  const missed = EXERCISES.find((e) => e.id === "chart-53").point;
  assert.equal(await page.textContent("#practice-missed"), missed);
  const text = await page.inputValue("#practice-result");
  assert.match(text, /1 of 2 exercises right at the first check/);
  assert.ok(text.includes(missed));
  await page.click("#practice-copy");
  await page.waitForFunction(() => document.getElementById("practice-copy-status").textContent !== "");
  assert.match(await page.textContent("#practice-copy-status"), /Copied/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
  const stored = await page.evaluate(async () => ({
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).length,
    cached: (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search + new URL(r.url).hash)))).flat(),
  }));
  assert.deepEqual([stored.cookie, stored.local, stored.session, stored.databases], ["", 0, 0, 0]);
  for (const path of stored.cached) assert.match(path, /^\/(|index\.html|[\w-]+\.(js|css|svg|webmanifest|csv|wasm|txt)|(pkg(-audit|-calc)?|data|practice)\/[\w.-]+)$/);
  await context.close();
});

test("after one visit, practice works with the network cut (service worker)", async () => {
  const { context, page } = await open("/?practice#e=cms-ex3");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector("body[data-practice='ready']");
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("body[data-practice='ready']");
  await page.fill("#answer-units-0", "2");
  await page.fill("#answer-units-1", "1");
  await checkNow(page);
  assert.ok((await marks(page)).every((m) => m.ok));
  // The worker kept the page's files only: no exercise, answer or fragment in Cache Storage.
  const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat());
  assert.ok(cached.some((u) => u.endsWith("/practice/check.js")), "practice is cached for offline use");
  for (const url of cached) assert.match(url.slice(ORIGIN.length), /^\/(|[\w-]+\.(js|css|svg|webmanifest|csv|wasm|txt)|(pkg(-audit|-calc)?|data|practice)\/[\w.-]+)$/);
  await context.close();
});

for (const [name, options] of [
  ["desktop", { viewport: { width: 1280, height: 900 } }],
  ["phone, dark", { viewport: { width: 375, height: 812 }, colorScheme: "dark", isMobile: true, hasTouch: true }],
  ["embed, phone", { viewport: { width: 375, height: 700 }, path: "/?embed&practice#e=" }],
]) {
  test(`${name}: axe-core WCAG 2.2 AA finds no violation before and after checking; no sideways scroll`, async () => {
    const axe = async (page, state) => {
      await page.evaluate(AXE);
      const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), WCAG);
      assert.deepEqual(result.violations.map((v) => `${state}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(" ")}`), []);
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= options.viewport.width, `${state}: no sideways scroll`);
    };
    const { path = "/?practice#e=", ...contextOptions } = options;
    const { context, page } = await open(`${path}59-and-xs`, { ...contextOptions, bypassCSP: true });
    await axe(page, "59-and-xs before");
    await page.fill("#answer-mods-1", "GP 59");
    await page.check('#practice-problems input[value="ncci-edit"]');
    await checkNow(page);
    await axe(page, "59-and-xs checked");
    await page.click("#practice-show");
    await axe(page, "59-and-xs answer shown");
    await goTo(page, "cms-ex3");
    await axe(page, "cms-ex3 before");
    await page.fill("#answer-units-0", "2");
    await page.fill("#answer-units-1", "0");
    await checkNow(page);
    await axe(page, "cms-ex3 checked");
    if (name === "desktop") {
      await page.evaluate(() => document.activeElement.blur());
      await page.locator("#practice").screenshot({ path: SHOT });
    }
    await page.click("#practice-finish");
    await axe(page, "summary");
    await page.evaluate(() => (location.hash = "#make"));
    await page.waitForSelector("#editor-source");
    await page.selectOption("#editor-builtin", "cms-ex3");
    await page.waitForSelector("#editor-link");
    await axe(page, "editor");
    await context.close();
  });
}
