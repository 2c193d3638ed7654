// End to end in the page: Debian's chromium driven by playwright-core (never a
// downloaded browser), against www/ served on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

const PORT = 18000 + (process.pid % 1000);
const ORIGIN = `http://127.0.0.1:${PORT}`;
let server, browser;

before(async () => {
  server = await serve({ dir: new URL("../../www", import.meta.url).pathname, port: PORT });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

test("the page checks CMS example 3 and asks nothing of any other origin", async () => {
  const page = await browser.newPage();
  const requests = [];
  const problems = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  const t0 = Date.now();
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector("body[data-ready='1']");
  const firstResultMs = Date.now() - t0;
  const units = await page.$$eval("td.units", (tds) => tds.map((td) => Number(td.textContent)));
  const alt = await page.$$eval("td.alt", (tds) => tds.map((td) => Number(td.textContent)));
  assert.deepEqual(units, [2, 1]);
  assert.deepEqual(alt, [2, 0]);
  // Typing updates the result; bad input is named in words.
  await page.fill("#visit", '{"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minuts": 3}]}');
  assert.match(await page.textContent("#error"), /lines\[0\]\.minuts/);
  assert.deepEqual(problems, []);
  for (const url of requests) assert.ok(url.startsWith(ORIGIN + "/"), `request to another origin: ${url}`);
  console.log(`# first result ${firstResultMs} ms after navigation`);
  await page.close();
});
