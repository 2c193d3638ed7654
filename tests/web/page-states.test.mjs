// The page's states and its input, as a clinician and a screen-reader user meet
// them: never stale, the answer first on a phone, forgiving input, accessible
// names and focus, axe in every state, print, and recovery from an engine trap.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { harness, hash, example3, fourLines, cards, line, axe, OUT, WWW } from "./harness.mjs";

let h;
before(async () => {
  h = await harness(1);
});
after(async () => {
  await h.close();
});

test("never stale: after 23a the result is out of date, copy is disabled, the error stands beside its field and atop the result", async () => {
  const { context, page } = await h.open("/" + hash(example3));
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  assert.equal(await page.isDisabled("#copy-doc"), false);
  await page.fill(line(0, "minutes"), "23a");
  assert.equal(await page.getAttribute("#results", "data-state"), "stale");
  assert.equal(await page.isDisabled("#copy-doc"), true);
  assert.equal(await page.isDisabled("#summary-copy"), true);
  // Visibly greyed: the old numbers are still there, but the result is filtered grey.
  assert.match(await page.$eval("#result-body", (e) => getComputedStyle(e).filter), /grayscale/);
  assert.match(await page.textContent("#summary"), /Out of date: Fix line 1 minutes to update/);
  assert.match(await page.textContent("#result-error"), /Line 1 minutes: type a whole number, like 23/);
  // Beside the field: after its label (not inside it), and tied to the input.
  const tie = await page.$eval(line(0, "minutes"), (el) => {
    const id = el.getAttribute("aria-describedby");
    const err = document.getElementById(id);
    return { text: err?.textContent, afterLabel: el.closest("label").nextElementSibling === err, invalid: el.getAttribute("aria-invalid"), name: el.labels[0].textContent.trim() };
  });
  assert.deepEqual(tie, { text: "Line 1 minutes: type a whole number, like 23", afterLabel: true, invalid: "true", name: "Line 1 Minutes" });
  // The error is not re-created while it stays the same (nothing re-fires).
  const id = await page.getAttribute(line(0, "minutes"), "aria-describedby");
  await page.fill(line(0, "code"), "97112");
  assert.equal(await page.getAttribute(line(0, "minutes"), "aria-describedby"), id);
  await page.fill(line(0, "minutes"), "33");
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  assert.equal(await page.$(".field-error"), null);
  assert.equal(await page.isDisabled("#copy-doc"), false);
  // A cleared date and a bad dollar amount are stale too, each in words.
  await page.fill("#date_of_service", "");
  assert.equal(await page.getAttribute("#results", "data-state"), "stale");
  assert.match(await page.textContent("#result-error"), /Date of service: pick the date of the visit/);
  await page.fill("#date_of_service", "2026-03-02");
  await page.fill("#ytd_allowed", "$1,8x");
  assert.match(await page.textContent("#result-error"), /Allowed so far this year: type an amount in dollars/);
  await context.close();
});

test("loading: the first service line is in the HTML and the result says Loading… until the engine is ready", async () => {
  const html = readFileSync(`${WWW}/index.html`, "utf8");
  assert.match(html, /data-state="loading"/);
  assert.match(html, /data-k="code" data-field="lines\[0\]\.code"/);
  let release;
  const held = new Promise((ok) => (release = ok));
  const { context, page } = await h.open("/", {}, {
    wait: false,
    before: (p) => p.route("**/pkg-calc/ptbill_bg.wasm", async (route) => {
      await held;
      await route.continue();
    }),
  });
  await page.waitForSelector(line(0, "code"));
  assert.equal(await page.getAttribute("#results", "data-state"), "loading");
  assert.match(await page.textContent("#summary"), /Loading…/);
  // The form already works: typing and Add line.
  await page.fill(line(0, "code"), "97110");
  await page.fill(line(0, "minutes"), "30");
  await page.click("#add-line");
  assert.equal(await page.locator("#lines .line").count(), 2);
  release();
  await page.waitForSelector("body[data-complete='1']");
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  assert.equal((await cards(page))[0].main, 2);
  await context.close();
});

test("slow start: what is typed into the first line before the page's script runs is kept, and checked", async () => {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => h.problems.push(`slow start: ${e.message}`));
  // main.js held back, as on a slow phone: the HTML's first line is there first
  // (the load event waits for it, so the test does not).
  await page.route(/\/main\.js$/, async (route) => {
    await new Promise((ok) => setTimeout(ok, 1500));
    await route.continue();
  });
  await page.goto(h.origin + "/", { waitUntil: "commit" });
  await page.waitForSelector('#lines input[data-i="0"][data-k="code"]');
  assert.equal(await page.$("body[data-ready]"), null, "typed before the page's script ran");
  await page.fill('#lines input[data-i="0"][data-k="code"]', "97110");
  await page.fill('#lines input[data-i="0"][data-k="minutes"]', "23");
  await page.selectOption("#payer", "commercial");
  await page.waitForSelector("body[data-ready='1']");
  assert.equal(await page.inputValue('#lines input[data-i="0"][data-k="code"]'), "97110");
  assert.equal(await page.inputValue('#lines input[data-i="0"][data-k="minutes"]'), "23");
  assert.equal(await page.inputValue("#payer"), "commercial");
  await page.waitForFunction(() => /^\s*Bill 2 units/.test(document.getElementById("summary").textContent));
  await context.close();
});

test("the empty form opens without errors", async () => {
  const { context, page } = await h.open("/");
  assert.equal(await page.getAttribute("#results", "data-state"), "empty");
  assert.equal(await page.$(".field-error"), null);
  assert.equal(await page.$("[aria-invalid='true']"), null);
  assert.equal(await page.isVisible("#result-error"), false);
  assert.equal(await page.$$eval("#diagnostics .finding", (x) => x.length), 0);
  // The footer names the data's dates once a visit is checked; before, it says so (not "Reference data: .").
  assert.match(await page.textContent("footer"), /Reference data: dated with each result\./);
  await page.fill(line(0, "code"), "97110");
  await page.fill(line(0, "minutes"), "30");
  await page.waitForFunction(() => /^codes 20\d\d-\d\d-\d\d; /.test(document.getElementById("footer-data").textContent));
  await context.close();
});

test("phone, four lines: the summary is in view with the units to bill, and every card shows CMS, CPT and modifiers", async () => {
  const viewport = { width: 375, height: 812 };
  const { context, page } = await h.open("/", { viewport, hasTouch: true, isMobile: true });
  await page.fill("#date_of_service", "2026-03-02");
  for (const [i, l] of fourLines.lines.entries()) {
    if (i > 0) await page.click("#add-line");
    await page.fill(line(i, "code"), l.code);
    if (l.minutes) await page.fill(line(i, "minutes"), String(l.minutes));
    if (l.assistant_minutes) await page.fill(line(i, "assistant_minutes"), String(l.assistant_minutes));
  }
  // Each service line fits in two rows.
  const rows = await page.$$eval("#lines .line", (ls) => ls.map((l) => new Set([...l.querySelectorAll("input, button")].map((e) => Math.round(e.getBoundingClientRect().top))).size));
  assert.deepEqual(rows, [2, 2, 2, 2]);
  // The summary stays in view while the form is being typed.
  const inView = (sel) => page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.width > 0; });
  assert.ok(await inView("#summary"), "summary in view at the form");
  const summary = await page.textContent("#summary-text");
  assert.match(summary, /^Bill 4 units · CMS 3 timed \+ 1 untimed · CPT per code: \d+$/);
  // Scrolled to the result: every line's CMS, CPT and modifiers inside the viewport, with the summary.
  await page.$eval("#results", (e) => e.scrollIntoView({ block: "start" }));
  assert.ok(await inView("#summary"), "summary in view at the result");
  const summaryTop = await page.$eval("#summary", (e) => e.getBoundingClientRect().top);
  const boxes = await page.$$eval("#unit-cards .unit-card [data-k]", (es) => es.map((e) => { const r = e.getBoundingClientRect(); return { k: e.dataset.k, top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: e.textContent }; }));
  assert.equal(boxes.length, 12);
  for (const b of boxes) {
    assert.ok(b.top >= 0 && b.bottom <= summaryTop && b.left >= 0 && b.right <= viewport.width, `${b.k} "${b.text}" outside the viewport: ${JSON.stringify(b)}`);
  }
  const c = await cards(page);
  assert.deepEqual(c.map((x) => x.modifiers), ["GP", "GP CQ", "GP", "GP"]);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= viewport.width);
  // The unit chart is one tap away and marks this visit's total.
  await page.tap("#unit-chart summary");
  assert.match(await page.textContent("#unit-chart tr.here"), /38–52\s*3\s*This visit: 41 min → 3 units/);
  await context.close();
});

test("each code's label is shown whole under its line, wide and narrow (not cut to the code box's width)", async () => {
  const visit = { date_of_service: "2026-03-02", payer: "medicare", lines: [{ code: "97112", minutes: 12 }, { code: "97530", minutes: 20 }] };
  for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 812 }]) {
    const { context, page } = await h.open("/" + hash(visit), { viewport });
    await page.waitForFunction(() => document.getElementById("hint-0").textContent !== "");
    const hints = await page.$$eval(".label-hint", (l) => l.map((x) => ({ text: x.textContent, cut: x.scrollWidth > x.clientWidth, right: x.getBoundingClientRect().right, line: x.closest(".line").getBoundingClientRect().right })));
    assert.equal(hints[0].text, "Neuromuscular re-education · timed");
    for (const x of hints) assert.ok(!x.cut && x.right <= x.line + 0.5, `${viewport.width} px: "${x.text}" ${JSON.stringify(x)}`);
    await context.close();
  }
});

test("screen readers: no live region on the result; the summary is announced once typing pauses; line-numbered names", async () => {
  const { context, page } = await h.open("/" + hash(example3));
  assert.equal(await page.getAttribute("#results", "aria-live"), null);
  assert.equal(await page.$$eval("#results [aria-live], #results [role=alert]", (x) => x.length), 0);
  assert.equal(await page.getAttribute("#announce", "role"), "status");
  await page.waitForFunction(() => document.getElementById("announce").textContent !== "");
  const first = await page.textContent("#announce");
  assert.match(first, /^Bill 3 units/);
  // Typing: the announcement waits for the pause, then says the new summary only.
  await page.fill(line(0, "minutes"), "3");
  await page.fill(line(0, "minutes"), "38");
  assert.equal(await page.textContent("#announce"), first);
  await page.waitForFunction((f) => document.getElementById("announce").textContent !== f, first);
  assert.equal(await page.textContent("#announce"), await page.textContent("#summary-text"));
  const names = await page.$$eval("#lines input", (is) => is.map((i) => i.labels[0].textContent.replace(/\s+/g, " ").trim()));
  assert.deepEqual(names.slice(0, 6), ["Line 1 Code", "Line 1 Minutes", "Line 1 Assistant minutes", "Line 1 Modifiers", "Line 1 Units", "Line 2 Code"]);
  await context.close();
});

test("keyboard: removing a diagnosis chip keeps focus in the list; Enter on a word search picks the first suggestion", async () => {
  const { context, page } = await h.open("/" + hash({ ...example3, diagnoses: ["M54.50", "M25.561", "M25.562"] }));
  await page.focus('#dx-chips button[data-dx="1"]');
  await page.keyboard.press("Enter");
  assert.deepEqual(await page.$$eval("#dx-chips li span", (s) => s.map((x) => x.textContent.split(" ")[0])), ["M54.50", "M25.562"]);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.dx), "1");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.dx), "0");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "dx-input");
  await page.fill("#dx-input", "low back pain");
  await page.waitForFunction(() => document.querySelectorAll("#dx-list option").length > 0);
  const suggestion = await page.getAttribute("#dx-list option", "value");
  await page.press("#dx-input", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#dx-chips li").length === 1);
  const chip = await page.textContent("#dx-chips li span");
  assert.ok(chip.startsWith(`${suggestion} — `), `the first suggestion ${suggestion}, never the words: ${chip}`);
  assert.equal(await page.inputValue("#dx-input"), "");
  await context.close();
});

test("forgiving input: $1,834.50, 15 min, a pasted 97110 23 GP and a spreadsheet row; Clear can be undone; Forget", async () => {
  const { context, page } = await h.open("/" + hash(example3), { permissions: ["clipboard-read", "clipboard-write"] });
  const entries = await page.evaluate(() => history.length);
  await page.fill("#ytd_allowed", "$1,834.50");
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  await page.fill(line(1, "minutes"), "15 min");
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  assert.deepEqual((await cards(page)).map((c) => c.main), [2, 1]);
  // Paste into a new line's code field.
  await page.click("#add-line");
  const paste = (sel, text) =>
    page.$eval(sel, (el, t) => {
      const data = new DataTransfer();
      data.setData("text/plain", t);
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
  await paste(line(2, "code"), "97110 23 GP");
  assert.deepEqual(
    await page.evaluate(() => ["code", "minutes", "modifiers"].map((k) => document.querySelector(`#lines input[data-i="2"][data-k="${k}"]`).value)),
    ["97110", "23", "GP"],
  );
  await page.click("#add-line");
  await paste(line(3, "code"), "V7\t2026-03-02\tmedicare\tpt\t97530\t20\t\t\tGP 59\tM54.50");
  assert.deepEqual(
    await page.evaluate(() => ["code", "minutes", "modifiers"].map((k) => document.querySelector(`#lines input[data-i="3"][data-k="${k}"]`).value)),
    ["97530", "20", "GP 59"],
  );
  assert.equal((await cards(page)).length, 4);
  // Clear, then Undo brings the visit back.
  await page.click("#clear");
  assert.equal(await page.getAttribute("#results", "data-state"), "empty");
  assert.doesNotMatch(page.url(), /#v=/);
  await page.click("#undo");
  assert.equal((await cards(page)).length, 4);
  assert.equal(await page.inputValue("#ytd_allowed"), "1834.5");
  // Removing a line by mistake: one Undo brings it back where it was.
  const codes = () => page.$$eval('#lines input[data-k="code"]', (l) => l.map((x) => x.value));
  const all = await codes();
  await page.click('#lines [data-remove="1"]');
  assert.equal((await cards(page)).length, 3);
  assert.equal(await page.textContent("#share-status"), "Line 2 removed.");
  assert.equal(await page.textContent("#undo"), "Undo remove");
  await page.click("#undo");
  assert.deepEqual(await codes(), all);
  assert.equal((await cards(page)).length, 4);
  assert.equal(await page.isVisible("#undo"), false);
  // An edit after the removal ends the offer (as after Clear).
  await page.click('#lines [data-remove="3"]');
  assert.equal(await page.isVisible("#undo"), true);
  await page.fill(line(0, "minutes"), "40");
  assert.equal(await page.isVisible("#undo"), false);
  await page.click("#add-line"); // four lines again for what follows
  await page.fill(line(3, "code"), "97530");
  await page.fill(line(3, "minutes"), "20");
  // Forget: the form, the fragment and the history entry no longer hold the visit.
  await page.click("#share");
  assert.match(page.url(), /#v=/);
  assert.match(await page.textContent("#share-note"), /link contains this visit/);
  await page.click("#forget");
  assert.equal(await page.getAttribute("#results", "data-state"), "empty");
  assert.equal(await page.isVisible("#undo"), false);
  assert.doesNotMatch(page.url(), /#/);
  assert.equal(await page.evaluate(() => history.length), entries, "no history entry added");
  await context.close();
});

test("44 px touch targets on every button and form control", async () => {
  const { context, page } = await h.open("/" + hash(example3), { viewport: { width: 375, height: 812 } });
  const small = await page.$$eval("button, input, select, summary, .views a, #examples a", (es) =>
    es.filter((e) => e.offsetParent !== null || getComputedStyle(e).position === "fixed").map((e) => [e.id || e.dataset.rule || e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height]).filter(([, hgt]) => hgt < 44),
  );
  assert.deepEqual(small, []);
  await context.close();
});

test("axe-core, WCAG 2.2 AA: no violation in any state", async () => {
  const states = [
    ["empty", "/", {}],
    ["filled", "/" + hash(example3), {}],
    ["invalid field", "/" + hash(example3), {}, async (p) => p.fill(line(0, "minutes"), "23a")],
    ["dark", "/" + hash(example3), { colorScheme: "dark" }],
    ["dark, invalid", "/" + hash(example3), { colorScheme: "dark" }, async (p) => p.fill(line(0, "minutes"), "23a")],
    ["phone", "/" + hash(fourLines), { viewport: { width: 375, height: 812 } }],
    ["embed", "/?embed" + hash(example3), { viewport: { width: 800, height: 600 } }],
    ["view", "/?view" + hash(example3), {}],
    ["audit view", "/?audit", {}, async (p) => {
      await p.click("#audit-sample");
      await p.waitForSelector("body[data-audited='1']");
    }],
    ["rule dialog", "/" + hash(example3), {}, async (p) => {
      await p.click("#diagnostics button.rule");
      await p.waitForSelector("#rule-dialog[open]");
    }],
    ["unit chart and steps open", "/" + hash(example3), { colorScheme: "dark" }, async (p) => {
      await p.click("#unit-chart summary");
      await p.click("#alt-details summary");
    }],
  ];
  const failures = [];
  for (const [name, path, options, act] of states) {
    const { context, page } = await h.open(path, { bypassCSP: true, ...options });
    if (act) await act(page);
    await page.waitForTimeout(50);
    const v = await axe(page);
    if (v.length) failures.push(`${name}: ${v.join("; ")}`);
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test("print: no placeholders, no selects, the print date and the share link in the footer", async () => {
  const { context, page } = await h.open("/" + hash({ ...example3, setting: "outpatient_hospital" }));
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.equal(await page.$$eval("select", (s) => s.filter((x) => getComputedStyle(x).display !== "none").length), 0);
  assert.match(await page.$$eval(".print-value", (s) => s.map((x) => x.textContent).join("|")), /Hospital outpatient, SNF Part B, agency/);
  const placeholders = await page.$$eval("input", (is) => is.filter((i) => i.offsetParent && !i.value && i.placeholder && getComputedStyle(i, "::placeholder").color !== "rgba(0, 0, 0, 0)").length);
  assert.equal(placeholders, 0);
  const footer = await page.textContent("#print-footer");
  assert.ok(await page.isVisible("#print-footer"));
  assert.match(footer, /^Printed \d{4}-\d{2}-\d{2} from ptbill\. Share link \(contains this visit\): http:\/\/127\.0\.0\.1:\d+\/#v=/);
  await page.pdf({ path: `${OUT}print.pdf` });
  await context.close();
});

/** Serves a build whose `check` traps once on the code 99999 (standing in for
 * memory exhaustion): after a trap that instance refuses every call, as a dead one does. */
function trapOnce(page) {
  const glue = readFileSync(`${WWW}/pkg-calc/ptbill.js`, "utf8");
  const patched =
    glue.replace("export function check(", "function check_(") +
    `\nlet dead = false;
export function check(visit) {
  if (dead) throw new WebAssembly.RuntimeError("unreachable (instance is dead)");
  if (!globalThis.__trapped && JSON.stringify(visit).includes("99999")) { globalThis.__trapped = true; dead = true; throw new WebAssembly.RuntimeError("unreachable"); }
  return check_(visit);
}\n`;
  return page.route(/\/pkg-calc\/ptbill\.js(\?.*)?$/, (route) => route.fulfill({ body: patched, contentType: "text/javascript" }));
}

test("a wasm trap: the engine is started again, the user is told in one sentence, and the page keeps checking", async () => {
  const { context, page } = await h.open("/" + hash(example3), {}, {
    before: trapOnce,
  });
  await page.fill(line(1, "code"), "99999");
  await page.waitForFunction(() => /restarted/.test(document.getElementById("notice").textContent));
  const sentence = await page.textContent("#notice");
  assert.equal(sentence.split(/(?<=\.)\s/).length, 1, `one sentence: ${sentence}`);
  await page.waitForFunction(() => document.getElementById("results").dataset.state === "ready");
  assert.equal((await cards(page))[1].code, "99999");
  await page.fill(line(1, "code"), "97140");
  assert.deepEqual((await cards(page)).map((c) => c.main), [2, 1]);
  await context.close();
});

test("a trap on the very first check (a shared link): the start-up after it still runs once the engine is back (labels, code suggestions, helper, offline)", async () => {
  const visit = { ...example3, lines: [...example3.lines, { code: "99999", minutes: 10 }] };
  const { context, page } = await h.open("/" + hash(visit), {}, {
    before: trapOnce,
  });
  assert.match(await page.textContent("#notice"), /restarted/);
  assert.match(await page.textContent("#summary"), /^\s*Bill \d+ units?/);
  // What start-up does after the first result: it waited for the restart instead of dying.
  await page.waitForFunction(() => document.querySelectorAll("#code-list option").length > 50);
  assert.match(await page.textContent("#hint-0"), /· timed$/);
  assert.equal(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => Boolean(r.active))), true);
  await context.close();
});

test("findings: one card per rule in the engine's order, headed by its title with the id as a tag; fixes as notes; the data-date caveat beside the dates", async () => {
  const { initSync, check, rules, load_tables } = await import("../../www/pkg-calc/ptbill.js");
  const { readFileSync: read } = await import("node:fs");
  initSync({ module: read(`${WWW}/pkg-calc/ptbill_bg.wasm`) });
  load_tables(read(`${WWW}/data/tables.bin`)); // as the page does after its first result
  // Modifiers left blank (ptbill proposes GP and CQ), an unneeded 59, an unspecified side.
  const visit = { ...fourLines, lines: [{ code: "97110", minutes: 18, modifiers: ["GP", "59"] }, ...fourLines.lines.slice(1)], diagnoses: ["M54.50", "M25.569"] };
  const report = check(JSON.stringify(visit)); // the page's module takes JSON text, as the page hands it
  const titles = new Map(rules().map((r) => [r.id, r.title]));
  const { context, page } = await h.open("/" + hash(visit));
  const shown = await page.$$eval("#diagnostics .findings:not(.notes) > .finding", (cs) => cs.map((c) => ({ rule: c.dataset.rule, title: c.querySelector("h5").textContent, tag: c.querySelector("button.rule").textContent })));
  const open = [...new Set(report.diagnostics.filter((d) => !d.fixed && d.rule !== "reference-data-date").map((d) => d.rule))];
  assert.deepEqual(shown.map((c) => c.rule), open, "one card per rule, in the report's order");
  for (const c of shown) {
    assert.ok(c.title.includes(titles.get(c.rule)), `${c.rule} headed by its title: ${c.title}`);
    assert.equal(c.tag, c.rule);
  }
  // What ptbill did: the corrected modifiers, grouped by modifier, and the fixed findings as notes.
  const did = await page.textContent("#diagnostics .did");
  assert.match(did, /GP added to lines 2–4/);
  assert.match(did, /CQ added to line 2/);
  assert.match(did, /59 left off line 1/);
  const notes = await page.$$eval("#diagnostics .notes .finding", (cs) => cs.map((c) => c.dataset.rule));
  const fixed = [...new Set(report.diagnostics.filter((d) => d.fixed).map((d) => d.rule))];
  assert.deepEqual(notes, fixed);
  assert.ok(fixed.includes("missing-therapy-modifier"));
  // The data-date caveat: beside the dates, never a card.
  assert.equal(await page.$('#diagnostics [data-rule="reference-data-date"]'), null);
  assert.match(await page.textContent("#data-dates"), /Reference data used: .*Data date:/s);
  await context.close();
});

test("an error to fix is said in the answer bar; a mistyped code's card says why it is not billed; fixed findings are labelled fixed", async () => {
  const typo = { date_of_service: "2026-11-30", payer: "medicare", lines: [{ code: "9711O", minutes: 23, modifiers: ["GP"] }, { code: "97140", minutes: 12, modifiers: ["GP"] }], diagnoses: ["M54.50"] };
  const { context, page } = await h.open("/" + hash(typo));
  assert.equal(await page.getAttribute("#results", "data-state"), "ready");
  assert.equal(await page.isHidden("#summary-alert"), false);
  assert.match(await page.textContent("#summary-alert"), /^1 error to fix before billing/);
  const head = await page.textContent('#unit-cards [data-line="0"] .card-head');
  assert.match(head, /not billed: /);
  assert.doesNotMatch(head, /untimed/);
  // A clean visit: no alert.
  const clean = { ...typo, lines: [{ code: "97110", minutes: 23, modifiers: ["GP"] }] };
  await page.goto(h.origin + "/" + hash(clean));
  await page.waitForSelector('#results[data-state="ready"]');
  assert.equal(await page.isHidden("#summary-alert"), true);
  // GO on a PT visit: ptbill puts GP in its place, so nothing is left to fix.
  const go = { ...clean, discipline: "pt", lines: [{ code: "97110", minutes: 23, modifiers: ["GO"] }] };
  await page.goto(h.origin + "/" + hash(go));
  await page.waitForSelector('#results[data-state="ready"]');
  assert.match(await page.textContent("#diagnostics"), /Nothing left to fix/);
  assert.doesNotMatch(await page.textContent("#diagnostics"), /No problems found/);
  assert.match(await page.textContent("#diagnostics .notes .sev-word"), /^Fixed:/);
  assert.equal(await page.isHidden("#summary-alert"), true);
  await context.close();
});

test("keyboard: Tab from a line's minutes goes to its assistant minutes, not to Remove; the rule button is named by the rule's title", async () => {
  const { context, page } = await h.open("/" + hash(example3));
  await page.focus(line(0, "minutes"));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.k), "assistant_minutes");
  const names = await page.$$eval("#diagnostics button.rule", (bs) => bs.map((b) => b.getAttribute("aria-label")));
  assert.ok(names.length > 0);
  for (const n of names) assert.match(n, /^[a-z0-9-]+: about this rule, [A-Z]/);
  await context.close();
});
