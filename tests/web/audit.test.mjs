// The audit through the wasm door (www/pkg-audit under Node) and in the page
// (Chromium): every real-export fixture gives the CLI's findings CSV byte for
// byte, in any chunk size; fatal files throw an Error; bad arguments throw an
// Error naming them. In the page: the findings download is the CLI's CSV byte
// for byte, through the service worker and through the in-page fallback; page N
// of the list (filtered or not) shows the CLI's findings N; cancel keeps what
// was checked; the same file chosen again audits again; and a 60 MB file audits
// to the end. Needs `make build` (the CLI and www/pkg-audit).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, createReadStream, openSync, closeSync, unlinkSync } from "node:fs";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { launch } from "./harness.mjs";

const root = new URL("../../", import.meta.url);
const BIN = process.env.PTBILL_BIN ?? new URL("target/release/ptbill", root).pathname;
const { initSync, audit, audit_compact, check, AuditStream } = await import(new URL("www/pkg-audit/ptbill.js", root));
initSync({ module: readFileSync(new URL("www/pkg-audit/ptbill_bg.wasm", root)) });
const FIX = new URL("tests/fixtures/", root).pathname;
const HEADER = "visit_id,row,line,code,rule,severity,message\n";
const FATAL = {
  "audit-empty.csv": /the file is empty/,
  "audit-binary.xlsx": /not a text file/,
  "audit-duplicate-column.csv": /two diagnoses columns/,
  "audit-missing-column.csv": /no visit_id, no date_of_service column \(it has: account, service day, CPT, minutes\)/,
};
const visit = { date_of_service: "2026-03-02", lines: [{ code: "97110", minutes: 33 }, { code: "97140", minutes: 7 }], diagnoses: ["M54.50"] };
const stillChecks = () => assert.deepEqual(check(visit).lines.map((l) => l.units), [2, 1]);

/** `got` is `want` (plain JSON data), keys in the same order. */
function sameJson(got, want, name) {
  assert.deepEqual(got, want, name);
  assert.equal(JSON.stringify(got), JSON.stringify(want), `${name}: the same keys in the same order`);
}

/** The streaming API fed `bytes` in chunks of the given sizes (cycled): the findings CSV and the end result. */
function streamed(bytes, sizes, payers) {
  const s = new AuditStream(payers ? { payers } : undefined);
  const each = (f) => {
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const n = Math.min(sizes[k % sizes.length], bytes.length - at);
      f(bytes.subarray(at, at + n));
      at += n;
    }
  };
  each((c) => s.count(c));
  s.begin();
  let csv = HEADER;
  let lines = "";
  each((c) => {
    s.check(c);
    csv += s.takeCsv();
    lines += s.takeLines();
  });
  const result = s.finish(false);
  csv += s.takeCsv();
  lines += s.takeLines();
  s.free();
  return { csv, lines, result };
}

const cli = (args, input) => spawnSync(BIN, args, { input, maxBuffer: 1 << 30 });

test("every fixture: the wasm streaming API gives the CLI's findings CSV in any chunk size, and its summary", () => {
  for (const name of readdirSync(FIX).filter((f) => f.startsWith("audit-") && !FATAL[f])) {
    const bytes = readFileSync(join(FIX, name));
    const want = cli(["audit", join(FIX, name)]).stdout.toString();
    const json = JSON.parse(cli(["audit", "--format", "json", join(FIX, name)]).stdout.toString());
    for (const sizes of [[bytes.length || 1], [1], [7, 3, 64], [4096]]) {
      const { csv, result } = streamed(bytes, sizes);
      assert.equal(csv, want, `${name} in chunks of ${sizes}`);
      assert.deepEqual(result.summary, json.summary, name);
      assert.equal(result.visits, json.visits, name);
      assert.equal(result.visits_checked, json.visits_checked, name);
      assert.equal(result.rows, json.rows, name);
      assert.equal(result.cancelled, false);
    }
    // The whole-text export (a JS string: valid UTF-8 fixtures only) is the CLI's JSON,
    // keys in the same order.
    if (name !== "audit-not-utf8.csv") sameJson(audit(bytes.toString("utf8")), json, name);
  }
  stillChecks();
});

/**
 * Every auditable fixture streamed in 97-byte slices, its output taken after
 * each by `take(stream, name)` (which returns [csv, lines] as text); each must
 * equal the text takes, and listed() must count the list's entries. Returns the
 * entries over all fixtures and the number of fixtures.
 */
function takenLikeText(take) {
  let all = 0;
  let files = 0;
  for (const name of readdirSync(FIX).filter((f) => f.startsWith("audit-") && !FATAL[f])) {
    const bytes = readFileSync(join(FIX, name));
    const want = streamed(bytes, [4096]);
    const s = new AuditStream();
    s.count(bytes);
    s.begin();
    let csv = HEADER;
    let lines = "";
    const add = ([c, l]) => ((csv += c), (lines += l));
    for (let at = 0; at < bytes.length; at += 97) {
      s.check(bytes.subarray(at, at + 97));
      add(take(s, name));
    }
    s.finish(false);
    add(take(s, name));
    assert.equal(csv, want.csv, name);
    assert.equal(lines, want.lines, name);
    // Every finding of a visit's line, and each row error or warning, is one entry.
    const entries = lines
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .reduce((n, item) => n + (item.visit ? item.visit.findings.length : 1), 0);
    assert.equal(s.listed(), entries, name);
    all += entries;
    files++;
    s.free();
  }
  return { all, files };
}

test("the byte takes (the page's worker) give the same CSV and lines as the text takes; listed() counts the list's entries", () => {
  const decoder = new TextDecoder();
  const { all } = takenLikeText((s) => {
    const c = s.takeCsvBytes();
    const l = s.takeLinesBytes();
    assert.ok(c instanceof Uint8Array && l instanceof Uint8Array);
    return [decoder.decode(c), decoder.decode(l)];
  });
  assert.ok(all > 20, `${all} entries`);
});

test("takeInto (the page's worker, one reused buffer) gives the same CSV and lines as the byte takes; a wrong or short buffer is an Error naming it", () => {
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(1 << 16);
  const { files } = takenLikeText((s, name) => {
    const n = s.pendingBytes();
    // Stale bytes from the last batch must not leak into this one.
    buffer.fill(0x7e);
    const [c, l] = s.takeInto(buffer);
    assert.equal(c + l, n, name);
    assert.equal(s.pendingBytes(), 0, name);
    return [decoder.decode(buffer.subarray(0, c)), decoder.decode(buffer.subarray(c, c + l))];
  });
  assert.ok(files > 5, `${files} fixtures`);
  const bytes = readFileSync(join(FIX, readdirSync(FIX).find((f) => f.startsWith("audit-") && !FATAL[f])));
  const s = new AuditStream();
  s.count(bytes);
  s.begin();
  s.check(bytes);
  const n = s.pendingBytes();
  assert.ok(n > 0);
  assert.throws(() => s.takeInto(new Uint8Array(n - 1)), (e) => e instanceof Error && /takeInto\(buffer\): buffer holds \d+ bytes, \d+ are pending/.test(e.message));
  assert.throws(() => s.takeInto([1, 2, 3]), (e) => e instanceof Error && /takeInto\(buffer\): buffer must be a Uint8Array, got/.test(e.message));
  // Nothing was taken by the failed calls.
  assert.equal(s.pendingBytes(), n);
  s.free();
});

test("fatal files throw an Error with one sentence; the module still checks a visit", () => {
  for (const [name, want] of Object.entries(FATAL)) {
    const bytes = readFileSync(join(FIX, name));
    assert.throws(() => audit(bytes.toString("latin1")), (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && want.test(e.message), name);
    assert.throws(() => streamed(bytes, [5]), (e) => e instanceof Error && want.test(e.message), name);
    const out = cli(["audit", join(FIX, name)]);
    assert.equal(out.status, 2, name);
    assert.match(out.stderr.toString(), want);
  }
  stillChecks();
});

test("wrong arguments throw an Error naming the argument, never a trap", () => {
  for (const bad of [123, {}, undefined, null, { length: 3e9 }, [1, 2]]) {
    assert.throws(() => audit(bad), (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && /csvText must be a string/.test(e.message));
    assert.throws(() => audit_compact(bad, 0, () => true), /csvText must be a string/);
  }
  assert.throws(() => audit_compact("visit_id,date_of_service,code\n", "x", null), /every must be a whole number/);
  assert.throws(() => audit_compact("visit_id,date_of_service,code\n", 1, 5), /progress must be a function/);
  const s = new AuditStream();
  for (const bad of ["text", 5, {}, undefined]) assert.throws(() => s.count(bad), /chunk must be a Uint8Array/);
  assert.throws(() => new AuditStream(5), /options must be an object/);
  assert.throws(() => new AuditStream({ payers: { Aetna: "blue" } }), /not a payer value/);
  s.free();
  stillChecks();
});

test("payer names are mapped through the streaming API as with --payer", () => {
  const bytes = readFileSync(join(FIX, "audit-payers.csv"));
  const { result } = streamed(bytes, [9], { Aetna: "commercial" });
  const json = JSON.parse(cli(["audit", "--format", "json", "--payer", "Aetna=commercial", join(FIX, "audit-payers.csv")]).stdout.toString());
  assert.deepEqual(result.summary, json.summary);
  assert.equal(result.summary.payers_checked_as.aetna, "commercial");
});

test("1,000 visits dated after the NCCI table: exactly one reference-data-date notice", () => {
  let text = "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses\n";
  for (let v = 0; v < 1000; v++) text += `V${v},2026-03-02,medicare,pt,97110,30,,,GP,M54.50\n`;
  const r = audit(text);
  assert.equal(r.visits_checked, 1000);
  assert.equal(JSON.stringify(r).match(/reference-data-date/g).length, 1);
  assert.equal(r.summary.data_notices[0].visits, 1000);
  const { csv } = streamed(Buffer.from(text), [1000]);
  assert.equal(csv.match(/reference-data-date/g).length, 1);
  assert.match(csv.split("\n")[1], /^,,,,reference-data-date,info,/);
  const compact = audit_compact(text, 0, null);
  assert.equal(JSON.stringify(compact).match(/reference-data-date/g).length, 1);
});

// A seeded generator of valid-looking exports with the shapes real files have.
function generate(seed, visits) {
  let s = seed >>> 0 || 1;
  const rnd = (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const eol = ["\n", "\r\n", "\r"][rnd(3)];
  const sep = [",", ";", "\t"][rnd(3)];
  const codes = ["97110", "97140", "97530", "97161", "97150", "G0283", "97010", "9711"];
  const payers = ["medicare", "Aetna", "", "commercial", "BCBS"];
  const rows = [["Visit ID", "DOS", "Payer", "discipline", "CPT", "minutes", "assistant_minutes", "units", "modifiers", "Dx"].join(sep)];
  for (let v = 0; v < visits; v++) {
    const date = rnd(2) ? `2026-0${1 + rnd(9)}-1${rnd(9)}` : `${1 + rnd(9)}/1${rnd(9)}/2024`;
    const payer = payers[rnd(payers.length)];
    for (let k = 0, n = 1 + rnd(4); k < n; k++) {
      rows.push([`V${v}`, date, payer, "pt", codes[rnd(codes.length)], rnd(6) ? 5 + rnd(40) : "", rnd(5) ? "" : rnd(5), rnd(3) ? "" : 1 + rnd(3), ["GP", "", "GP 59"][rnd(3)], ["M54.50", "M25.561 M54.50", ""][rnd(3)]].join(sep));
    }
  }
  return Buffer.from((rnd(2) ? "\uFEFF" : "") + rows.join(eol) + eol);
}

test("property: random files through a pipe, a file and the wasm stream in random chunks are identical and deterministic", () => {
  const dir = join(tmpdir(), `ptbill-audit-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  for (let seed = 1; seed <= 25; seed++) {
    const bytes = generate(seed * 7919, 1 + ((seed * 37) % 400));
    const path = join(dir, "visits.csv");
    writeFileSync(path, bytes);
    const file = cli(["audit", path]).stdout.toString();
    const pipe = cli(["audit", "-"], bytes).stdout.toString();
    assert.equal(pipe, file, `seed ${seed}: pipe vs file`);
    let r = seed;
    const sizes = Array.from({ length: 5 }, () => 1 + ((r = (r * 48271) % 2147483647) % 3000));
    const a = streamed(bytes, sizes);
    const b = streamed(bytes, [1 + (seed % 13)]);
    assert.equal(a.csv, file, `seed ${seed}: wasm stream in chunks of ${sizes}`);
    assert.equal(b.csv, a.csv, `seed ${seed}: deterministic`);
    const json = JSON.parse(cli(["audit", "--format", "json", path]).stdout.toString());
    sameJson(audit(bytes.toString("utf8")), json, `seed ${seed}: the wasm audit`);
  }
});

test("the wasm audit of 6,000 visits (many parts, its string cache full and overwritten) is the CLI's JSON", () => {
  // Each visit id, date and message passes through the string cache (tape.rs) and
  // pushes others out of their slots; the titles and sentences come back.
  const path = join(tmpdir(), `ptbill-audit-cache-${process.pid}.csv`);
  bigFile(path, 6000);
  try {
    const json = JSON.parse(cli(["audit", "--format", "json", path]).stdout.toString());
    assert.ok(json.results.length > 6000 - 2 && JSON.stringify(json).length > 8 << 20, "several parts of 1 MB");
    sameJson(audit(readFileSync(path, "utf8")), json, "6,000 visits");
  } finally {
    unlinkSync(path);
  }
  stillChecks();
});

// ---- In Chromium: the page's audit.
const PORT = 19000 + (process.pid % 1000);
const ORIGIN = `http://127.0.0.1:${PORT}`;
let server, browser;
before(async () => {
  server = await serve({ dir: new URL("dist", root).pathname, port: PORT }); // the page as it ships (make dist)
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** Writes a generated export of `visits` visits (1–4 lines each, one bad row in the middle). */
function bigFile(path, visits) {
  const codes = ["97110", "97112", "97140", "97530", "97161", "97150", "97010", "97014", "97035"];
  const parts = ["visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses\n"];
  let chunk = "";
  for (let v = 0; v < visits; v++) {
    const n = 1 + (v % 4);
    for (let k = 0; k < n; k++) {
      chunk += `V${String(v).padStart(7, "0")},2026-0${1 + (v % 9)}-${String(1 + (v % 28)).padStart(2, "0")},${["medicare", "medicare", "Aetna", "commercial", "medicaid"][v % 5]},pt,${codes[(v * 7 + k * 3) % codes.length]},${5 + ((v * 13 + k) % 40)},,${v % 4 ? "" : 2},GP${v % 9 ? "" : " 59"},M54.50 M25.561 R26.89\n`;
    }
    if (v % 1000 === 999) {
      parts.push(chunk);
      chunk = "";
    }
    if (v === Math.floor(visits / 2)) parts.push("V-bad,2026-02-30,medicare,pt,97110,20,,,GP,M54.50\n");
  }
  parts.push(chunk);
  writeFileSync(path, parts.join(""));
}

/** The rows of a CSV text (RFC 4180: a quoted cell may hold commas, doubled quotes and line breaks). */
function csvRows(text) {
  const rows = [];
  let row = [];
  let cell = "";
  for (let i = 0, quoted = false; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += c;
  }
  return rows;
}

/** The CLI's findings CSV of a file, and its list entries (the rows after the file notices) as the page shows them. */
function cliFindings(path) {
  const csv = cli(["audit", path]).stdout;
  const rows = csvRows(csv.toString()).slice(1);
  const notices = rows.findIndex((r) => r[1] !== "");
  const entries = rows.slice(notices).map(([visit, row, , code, rule, severity, message]) => ({ visit, row, code, rule, severity, message }));
  return { csv, notices, entries };
}

/** A fresh page on ?audit, with the service worker in control, or blocked (the in-page fallback). */
async function auditPage({ sw }) {
  const context = await browser.newContext({ acceptDownloads: true, serviceWorkers: sw ? "allow" : "block" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  await page.goto(ORIGIN + "/?audit");
  await page.waitForSelector("body[data-ready='1']");
  if (sw) await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  return { context, page, problems };
}

async function auditIn(page, path, timeout = 300_000) {
  await page.setInputFiles("#audit-file", path);
  await page.waitForSelector("body[data-audited='1']", { timeout });
  const [, visits, rows, findings, rowErrors] = (await page.textContent("#audit-summary")).match(/^(\d+) visits, (\d+) rows: (\d+) findings, (\d+) row errors/).map(Number);
  const notices = await page.$$eval(".audit-notice", (ps) => ps.length);
  return { visits, rows, findings, rowErrors, notices };
}

/** Clicks "Download findings": the saved file's path, and how the page made it (stream = the service worker, memory = the fallback). */
async function download(page) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click("#audit-download")]);
  return { path: await d.path(), how: await page.evaluate(() => document.body.dataset.download) };
}

/** The findings list as shown: one {visit, row, code, rule, severity, message} per table row. */
const shown = (page) =>
  page.$$eval("#audit-findings tbody tr", (trs) =>
    trs.map((tr) => {
      const [visit, row, code, severity, rule, message] = [...tr.cells];
      return { visit: visit.textContent, row: row.textContent, code: code.textContent, rule: rule.querySelector("code")?.textContent ?? rule.textContent, severity: severity.textContent, message: message.textContent };
    }),
  );

/** Waits for the list to say `total` entries match, `from` first; returns what it shows. */
async function listed(page, total, from) {
  const count = `${total} ${total === 1 ? "entry matches" : "entries match"} \\(findings, row errors and file notes\\)`;
  const want = new RegExp(`^${count}${total > 100 ? `; ${from}–${Math.min(total, from + 99)} shown` : ""}\\.`);
  await page.waitForFunction((re) => new RegExp(re).test(document.querySelector("#audit-findings .note")?.textContent ?? ""), want.source, { timeout: 60_000 });
  return shown(page);
}

const lineCount = (path) => readFileSync(path).reduce((n, b) => n + (b === 10), 0);

test("the page: the findings download is the CLI's CSV byte for byte (service worker and fallback); page N shows the CLI's findings N; the same file again", { timeout: 600_000 }, async () => {
  const path = join(tmpdir(), `ptbill-page-${process.pid}.csv`);
  bigFile(path, 4000);
  const want = cliFindings(path);
  for (const sw of [true, false]) {
    const { context, page, problems } = await auditPage({ sw });
    const got = await auditIn(page, path);
    assert.equal(got.visits, 4001);
    assert.equal(got.notices, want.notices);
    const saved = await download(page);
    assert.equal(saved.how, sw ? "stream" : "memory");
    assert.equal(lineCount(saved.path) - 1, got.findings + got.rowErrors + got.notices, "rows = findings + row errors + file notices");
    assert.ok(readFileSync(saved.path).equals(want.csv), `the download (${saved.how}) is the CLI's findings CSV`);
    if (sw) {
      // Page 1, then page 3.
      const all = want.entries;
      assert.ok(all.length > 300, `${all.length} entries`);
      assert.deepEqual(await listed(page, all.length, 1), all.slice(0, 100));
      await page.click("#audit-next");
      await listed(page, all.length, 101);
      await page.click("#audit-next");
      assert.deepEqual(await listed(page, all.length, 201), all.slice(200, 300));
      await page.click("#audit-prev");
      assert.deepEqual(await listed(page, all.length, 101), all.slice(100, 200));
      // Filtered: errors, page 2; one rule; a row error; words.
      const errors = all.filter((e) => e.severity === "error");
      await page.selectOption("#audit-sev", "error");
      assert.deepEqual(await listed(page, errors.length, 1), errors.slice(0, 100));
      await page.click("#audit-next");
      assert.deepEqual(await listed(page, errors.length, 101), errors.slice(100, 200));
      await page.selectOption("#audit-sev", "");
      const bundled = all.filter((e) => e.rule === "bundled-code");
      await page.selectOption("#audit-rule", "bundled-code");
      assert.deepEqual(await listed(page, bundled.length, 1), bundled.slice(0, 100));
      await page.selectOption("#audit-rule", "row-error");
      assert.deepEqual(await listed(page, 1, 1), all.filter((e) => e.rule === "row-error"));
      await page.selectOption("#audit-rule", "");
      for (const words of ["V0001234", "97035 ", "Medicare pays"]) {
        const w = words.trim().toLowerCase();
        const match = all.filter((e) => `${e.visit} ${e.code} ${e.message}`.toLowerCase().includes(w));
        await page.fill("#audit-text", words);
        assert.deepEqual(await listed(page, match.length, 1), match.slice(0, 100), words);
      }
      // Each finding of a visit opens that visit in the calculator.
      const href = await page.$eval("#audit-findings tbody a", (a) => a.getAttribute("href"));
      assert.match(href, /^\.\/#v=/);
    }
    // The same file chosen again audits again, and downloads the same CSV.
    const again = await auditIn(page, path);
    assert.deepEqual(again, got);
    assert.ok(readFileSync((await download(page)).path).equals(want.csv), "the same file again");
    assert.deepEqual(problems, []);
    await context.close();
  }
  unlinkSync(path);
});

test("a 60 MB file (350,000 visits) audits to the end in the page; the download is the CLI's CSV; the module still checks a visit", { timeout: 900_000 }, async () => {
  const path = join(tmpdir(), `ptbill-60mb-${process.pid}.csv`);
  bigFile(path, 350_000);
  const size = readFileSync(path).length;
  assert.ok(size > 58e6, `${size} bytes`);
  const { context, page, problems } = await auditPage({ sw: true });
  const got = await auditIn(page, path, 900_000);
  assert.equal(got.visits, 350_001);
  assert.equal(got.rowErrors, 1);
  const saved = await download(page);
  assert.equal(saved.how, "stream");
  assert.equal(lineCount(saved.path) - 1, got.findings + got.rowErrors + got.notices, "rows = findings + row errors + file notices");
  // Byte for byte the CLI's CSV (compared by hash: it is some 300 MB).
  const cliPath = `${path}.findings.csv`;
  const fd = openSync(cliPath, "w");
  const cliOut = spawnSync(BIN, ["audit", path], { stdio: ["ignore", fd, "pipe"] });
  closeSync(fd);
  const hash = async (p) => {
    const h = createHash("sha256");
    for await (const chunk of createReadStream(p)) h.update(chunk);
    return h.digest("hex");
  };
  assert.equal(await hash(saved.path), await hash(cliPath), "the download is the CLI's findings CSV");
  const [, cliVisits, cliRows, cliFindings] = cliOut.stderr.toString().match(/(\d+) visits \(\d+ checked\), (\d+) rows; (\d+) findings/).map(Number);
  assert.deepEqual([cliVisits, cliRows, cliFindings], [got.visits, got.rows, got.findings]);
  unlinkSync(cliPath);
  // The worker's engine still checks a visit.
  const report = await page.evaluate(async (v) => (await import("./audit.js")).checkInWorker(v), visit);
  assert.deepEqual(report.lines.map((l) => l.units), [2, 1]);
  // Paging: the second page starts where the first ended.
  await page.click("#audit-next");
  await page.waitForFunction(() => /101–200 shown/.test(document.querySelector("#audit-findings .note")?.textContent ?? ""));
  assert.deepEqual(problems, []);
  await context.close();
  unlinkSync(path);
});

test("the page: a fatal file is one sentence; cancel keeps what was checked; the same file again", { timeout: 300_000 }, async () => {
  const { context, page, problems } = await auditPage({ sw: false });
  await page.setInputFiles("#audit-file", join(FIX, "audit-missing-column.csv"));
  await page.waitForSelector("#audit-result .form-error");
  const text = await page.textContent("#audit-result");
  assert.match(text, /^This file cannot be audited: the header row has no visit_id, no date_of_service column/);
  assert.equal(await page.$("#audit-summary"), null, "no dashboard of zeros");
  // A real-export shape in the page: payer names listed with a select; choosing re-runs.
  await page.setInputFiles("#audit-file", join(FIX, "audit-payers.csv"));
  await page.waitForSelector("body[data-audited='1']");
  await page.selectOption("[data-payer='aetna']", "commercial");
  await page.waitForSelector("body[data-audited='1']");
  assert.equal(await page.$eval("[data-payer='aetna']", (s) => s.value), "commercial");
  // Cancel while checking: the visits checked so far are the result, and their download is complete.
  const path = join(tmpdir(), `ptbill-cancel-${process.pid}.csv`);
  bigFile(path, 150_000);
  await page.setInputFiles("#audit-file", path);
  await page.waitForFunction(() => / of \d+ rows$/.test(document.querySelector("#audit-count").textContent), null, { timeout: 120_000 });
  await page.click("#audit-cancel");
  assert.match(await page.textContent("#audit-result"), /Cancelled/);
  await page.waitForSelector("body[data-audited='1']", { timeout: 120_000 });
  const [, checked] = (await page.textContent("#audit-result")).match(/Cancelled after (\d+) of 150001 visits/).map(Number);
  assert.ok(checked > 0 && checked < 150_001, `${checked} visits checked`);
  const [, findings, rowErrors] = (await page.textContent("#audit-summary")).match(/: (\d+) findings, (\d+) row errors/).map(Number);
  const notices = await page.$$eval(".audit-notice", (ps) => ps.length);
  assert.equal(lineCount((await download(page)).path) - 1, findings + rowErrors + notices, "a cancelled audit's download: rows = findings + row errors + file notices");
  // The same file again, to the end.
  await page.setInputFiles("#audit-file", path);
  await page.waitForSelector("body[data-audited='1']", { timeout: 300_000 });
  assert.match(await page.textContent("#audit-summary"), /^150001 visits/);
  assert.doesNotMatch(await page.textContent("#audit-result"), /Cancelled/);
  assert.deepEqual(problems, []);
  await context.close();
  unlinkSync(path);
});
