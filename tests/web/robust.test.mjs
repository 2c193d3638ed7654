// The wasm robustness suite (robust-suite.mjs) against the real built module,
// through wasm-bindgen's glue: under Node with initSync, and in Debian's
// Chromium (playwright-core, 127.0.0.1 only). PTBILL_PKG names the build
// (www/pkg by default; the Makefile runs it against www/pkg-calc too).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { robustness } from "./robust-suite.mjs";

const root = new URL("../../", import.meta.url);
const pkg = (process.env.PTBILL_PKG ?? "www/pkg").replace(/\/$/, "");
// The calculator's www/pkg-calc leaves the audit out; every other build has it (as in pkg.test.mjs).
const hasAudit = process.env.PTBILL_AUDIT ? process.env.PTBILL_AUDIT === "1" : pkg !== "www/pkg-calc";
// ... and takes the visit as JSON text only (as in pkg.test.mjs).
const textOnly = process.env.PTBILL_OBJECTS ? process.env.PTBILL_OBJECTS === "0" : pkg === "www/pkg-calc";

test(`every export of ${pkg} throws an Error for hostile arguments and keeps working (Node)`, async () => {
  const m = await import(new URL(`${pkg}/ptbill.js`, root));
  m.initSync({ module: readFileSync(new URL(`${pkg}/ptbill_bg.wasm`, root)) });
  const { failures, calls, exports } = robustness(m, { textOnly });
  assert.ok(exports.includes("check"), `exports: ${exports}`);
  for (const name of ["audit", "audit_compact", "audit_summary", "AuditStream"]) assert.equal(exports.includes(name), hasAudit, `${name} in ${exports}`);
  assert.ok(calls > 300, `only ${calls} calls`);
  assert.deepEqual(failures, []);
});

test(`the same in Chromium (${pkg})`, async () => {
  const { chromium } = await import("playwright-core");
  const { serve } = await import("../../scripts/serve.mjs");
  const port = 19000 + (process.pid % 1000);
  const origin = `http://127.0.0.1:${port}`;
  // The whole repository is served: compress only what is asked for.
  const server = await serve({ dir: new URL(".", root).pathname, port, precompress: false });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${origin}/README.md`);
    const result = await page.evaluate(
      async ([pkg, textOnly]) => {
        const m = await import(`/${pkg}/ptbill.js`);
        await m.default();
        const { robustness } = await import("/tests/web/robust-suite.mjs");
        return robustness(m, { textOnly });
      },
      [pkg, textOnly],
    );
    assert.ok(result.calls > 300, `only ${result.calls} calls`);
    assert.deepEqual(result.failures, []);
    for (const url of requests) assert.ok(url.startsWith(origin + "/"), `request to another origin: ${url}`);
  } finally {
    await browser.close();
    server.close();
  }
});
