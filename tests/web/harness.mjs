// Shared by the page's end-to-end tests: Debian's chromium driven by
// playwright-core (never a downloaded browser) against the page as it ships
// (dist/, from `make dist`: minified, precompressed) served on 127.0.0.1 by
// scripts/serve.mjs, with every request and console error recorded.
import assert from "node:assert/strict";
import { existsSync, readFileSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

/** The page's sources (what tests read to check the code itself). */
export const WWW = new URL("../../www", import.meta.url).pathname;
/** The page as it ships, which the page tests serve: `make dist` writes it from www/. */
export const SITE = new URL("../../dist", import.meta.url).pathname;
if (!existsSync(`${SITE}/index.html`)) throw new Error("dist/ is missing: run `make dist` (the page tests serve the page as it ships)");
export const OUT = new URL("../../test-results/", import.meta.url).pathname;
export const AXE = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
export const hash = (v) => `#v=${Buffer.from(JSON.stringify(v)).toString("base64url")}`;

export const example3 = {
  date_of_service: "2026-03-02",
  payer: "medicare",
  lines: [
    { code: "97110", minutes: 33, modifiers: ["GP"] },
    { code: "97140", minutes: 7, modifiers: ["GP"] },
  ],
  diagnoses: ["M54.50"],
};

/** 97150 + 97110: an NCCI pair, found only once data/tables.bin is in (the page's module). */
export const pairVisit = {
  date_of_service: "2026-03-02",
  payer: "medicare",
  lines: [
    { code: "97150", modifiers: ["GP"] },
    { code: "97110", minutes: 30, modifiers: ["GP"] },
  ],
  diagnoses: ["M54.50"],
};

/** A visit of four lines (two timed with an assistant's minutes, one untimed): the phone layout's case. */
export const fourLines = {
  date_of_service: "2026-03-02",
  payer: "medicare",
  lines: [
    { code: "97110", minutes: 18 },
    { code: "97140", minutes: 13, assistant_minutes: 13 },
    { code: "97116", minutes: 10 },
    { code: "97161" },
  ],
  diagnoses: ["M54.50"],
};

/** Debian's chromium, headless, with nothing that would reach another origin. */
export const launch = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });

/** One server and one browser per test file; `port` offsets keep files apart. */
export async function harness(offset, { dir = SITE } = {}) {
  mkdirSync(OUT, { recursive: true });
  const port = 20000 + ((process.pid * 7 + offset * 101) % 20000);
  const origin = `http://127.0.0.1:${port}`;
  const throttle = { delay: 0, bandwidth: 0 };
  const responses = [];
  const server = await serve({ dir, port, throttle, onResponse: (r) => responses.push(r) });
  const browser = await launch();
  const problems = [];
  const requests = [];
  const h = {
    origin,
    port,
    throttle,
    responses,
    requests,
    problems,
    browser,
    /** Resolves once the server has answered (or dropped) every request: a closed page's downloads no longer take the link. */
    /** Waits until nothing has been in flight for `quiet` ms (a closed tab's last requests can reach the server just after it closed). */
    async idle(quiet = 300) {
      for (let calm = 0; calm < quiet; ) {
        await new Promise((ok) => setTimeout(ok, 50));
        calm = server.inflight > 0 ? 0 : calm + 50;
      }
    },
    /** Opens a page in a fresh context and waits for its complete answer (tables in, findings whole). */
    async open(path, options = {}, { wait = true, before } = {}) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      page.on("request", (r) => requests.push(r.url()));
      page.on("console", (m) => m.type() === "error" && problems.push(`${path}: ${m.text()}`));
      page.on("pageerror", (e) => problems.push(`${path}: ${e.message}`));
      if (before) await before(page, context);
      await page.goto(origin + path);
      if (wait) await page.waitForSelector("body[data-complete='1']");
      return { context, page };
    },
    /** Privacy and health over every page: only this origin, no console errors. */
    async close({ allowOrigins = [] } = {}) {
      await browser.close();
      server.close();
      for (const url of requests) assert.ok([origin, ...allowOrigins].some((o) => url.startsWith(o + "/")) || url.startsWith("data:"), `request to another origin: ${url}`);
      assert.deepEqual(problems, []);
    },
  };
  return h;
}

/** The per-line results of the cards: CMS (main method), other method, modifiers. */
export const cards = (page) =>
  page.$$eval("#unit-cards .unit-card", (cs) =>
    cs.map((c) => ({
      code: c.querySelector(".code").textContent,
      main: Number(c.querySelector('[data-k="main"] .v').textContent),
      alt: Number(c.querySelector('[data-k="alt"] .v').textContent),
      modifiers: c.querySelector('[data-k="modifiers"] .v').textContent,
    })),
  );
export const line = (i, k) => `#lines input[data-i="${i}"][data-k="${k}"]`;

/** axe-core with the WCAG 2.2 AA tags: every violation, of any impact. */
export async function axe(page, context = "document") {
  await page.evaluate(AXE);
  const result = await page.evaluate(
    (ctx) => window.axe.run(ctx === "document" ? document : ctx, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }, resultTypes: ["violations"] }),
    context,
  );
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}
