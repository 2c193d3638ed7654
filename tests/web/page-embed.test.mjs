// Embedding, as an educator's course page on another origin does it: the page's
// own snippet pasted into a host page, the frame sized by ptbill:resize, the
// result in view in a 600 px frame, dialogs inside the frame, Copy working in
// the frame, and ?view in a frame without the site header.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { harness, hash, example3, cards, line, OUT } from "./harness.mjs";

let h, host, hostOrigin;
const hostPages = new Map();
before(async () => {
  h = await harness(4);
  // The course page: another origin (another port), serving what the test gives it.
  host = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(hostPages.get(new URL(req.url, "http://x").pathname) ?? "no page");
  });
  await new Promise((ok) => host.listen(h.port + 1, "127.0.0.1", ok));
  hostOrigin = `http://127.0.0.1:${h.port + 1}`;
});
after(async () => {
  host?.close();
  await h.close({ allowOrigins: [hostOrigin] });
});

const course = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course: billing units</title>
<script>window.got = []; addEventListener("message", (e) => got.push({ origin: e.origin, data: e.data }));</script></head>
<body style="margin:0 1rem;font-family:system-ui"><h1>Week 3: the 8-minute rule</h1><p>Try the visit below, then change the minutes.</p>${body}<p id="after">Discussion questions follow.</p></body></html>`;

async function snippet(visit) {
  const { context, page } = await h.open("/" + hash(visit));
  const text = await page.inputValue("#embed-snippet");
  await context.close();
  return text;
}

test("the snippet: a 600 px frame allowed to write the clipboard, and a four-line listener", async () => {
  const text = await snippet(example3);
  assert.match(text, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed#v=[\w-]+"[^>]* height="600"[^>]* allow="clipboard-write"/);
  const script = text.match(/<script>\n([\s\S]*)\n<\/script>/)[1];
  assert.equal(script.split("\n").length, 4, script);
  assert.match(script, /ptbill:resize/);
});

test("in a course page on another origin, ptbill:resize sizes the frame to show the whole result", async () => {
  hostPages.set("/course", course(await snippet(example3)));
  const context = await h.browser.newContext({ viewport: { width: 1000, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: h.origin });
  const page = await context.newPage();
  page.on("pageerror", (e) => h.problems.push(`course: ${e.message}`));
  page.on("request", (r) => h.requests.push(r.url()));
  await page.goto(`${hostOrigin}/course`);
  const frame = page.frameLocator("iframe");
  await frame.locator("body[data-complete='1']").waitFor();
  await page.waitForFunction(() => got.some((m) => m.data?.type === "ptbill:resize"));
  const messages = await page.evaluate(() => got);
  for (const m of messages) {
    assert.equal(m.origin, h.origin);
    assert.deepEqual(Object.keys(m.data).sort(), ["height", "type"]);
    assert.equal(typeof m.data.height, "number");
  }
  // The frame follows the last height reported, and that height holds the whole result.
  const fit = async () => {
    const last = (await page.evaluate(() => got.filter((m) => m.data?.type === "ptbill:resize").at(-1).data.height));
    const frameHeight = await page.$eval("iframe", (f) => f.getBoundingClientRect().height);
    const el = await page.$("iframe");
    const inner = await (await el.contentFrame()).evaluate(() => ({ results: document.getElementById("results").getBoundingClientRect().bottom, doc: document.documentElement.getBoundingClientRect().height }));
    return { last, frameHeight, ...inner };
  };
  await page.waitForFunction(() => document.querySelector("iframe").getBoundingClientRect().height > 600);
  let f = await fit();
  assert.equal(Math.round(f.frameHeight), f.last);
  assert.ok(f.results <= f.frameHeight && Math.abs(f.doc - f.frameHeight) <= 1, JSON.stringify(f));
  await page.screenshot({ path: `${OUT}embed.png` });
  // Typing in the frame changes its height: the host follows.
  await frame.locator("#add-line").click();
  await frame.locator(line(2, "code")).fill("97530");
  await frame.locator(line(2, "minutes")).fill("20");
  await page.waitForFunction((h0) => document.querySelector("iframe").getBoundingClientRect().height !== h0, f.frameHeight);
  f = await fit();
  assert.ok(f.results <= f.frameHeight && Math.abs(f.doc - f.frameHeight) <= 1, JSON.stringify(f));
  // Copy works in the frame (allow="clipboard-write").
  await frame.locator("#copy-doc").click();
  await frame.locator("#copy-status", { hasText: "Copied." }).waitFor();
  // A rule's dialog opens inside the frame, beside its button, within the host's view.
  const rule = frame.locator("#diagnostics button.rule").first();
  await rule.click();
  const dialog = frame.locator("#rule-dialog[open]");
  await dialog.waitFor();
  for (let k = 0; k < 50 && (await dialog.evaluate((d) => d.style.marginTop)) === ""; k++) await page.waitForTimeout(20);
  const box = await dialog.boundingBox(); // both relative to the host's viewport
  const frameBox = await page.locator("iframe").boundingBox();
  assert.ok(box.y >= frameBox.y && box.y + box.height <= frameBox.y + frameBox.height, `dialog inside the frame: ${JSON.stringify({ box, frameBox })}`);
  assert.ok(box.y >= 0 && box.y + box.height <= 900, `dialog in the host's view: ${JSON.stringify(box)}`);
  await frame.locator("#rule-dialog button").click();
  await context.close();
});

test("in a fixed 600 px frame the result shows without scrolling (wide and narrow)", async () => {
  for (const viewport of [{ width: 800, height: 600 }, { width: 375, height: 600 }]) {
    const { context, page } = await h.open("/?embed" + hash(example3), { viewport });
    const boxes = await page.$$eval("#summary, #unit-cards [data-k]", (es) => es.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
    for (const b of boxes) assert.ok(b.top >= 0 && b.bottom <= viewport.height, `${viewport.width}px: ${JSON.stringify(b)}`);
    assert.deepEqual((await cards(page)).map((c) => c.main), [2, 1]);
    await context.close();
  }
});

test("?view in a frame drops the site header and opens the calculator in a new tab", async () => {
  hostPages.set("/view", course(`<iframe src="${h.origin}/?view${hash(example3)}" title="ptbill example" width="100%" height="600"></iframe>`));
  const context = await h.browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => h.problems.push(`view: ${e.message}`));
  await page.goto(`${hostOrigin}/view`);
  const frame = page.frameLocator("iframe");
  await frame.locator("body[data-complete='1']").waitFor();
  assert.equal(await frame.locator(".site-header").isVisible(), false);
  const link = frame.locator(".banner a");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.match(await link.textContent(), /new tab/);
  const [tab] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await tab.waitForSelector("body[data-complete='1']");
  assert.equal(new URL(tab.url()).search, "");
  assert.deepEqual((await cards(tab)).map((c) => c.main), [2, 1]);
  assert.equal(await tab.isVisible(".site-header"), true);
  // Outside a frame the view keeps its header and opens in the same tab.
  const { context: c2, page: plain } = await h.open("/?view" + hash(example3));
  assert.equal(await plain.isVisible(".site-header"), true);
  assert.equal(await plain.getAttribute(".banner a", "target"), null);
  await c2.close();
  await context.close();
});
