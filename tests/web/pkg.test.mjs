// The real www/pkg output (wasm-bindgen --target web) under Node with initSync:
// the same CMS examples as the Rust tests, and errors named by field.
// PTBILL_PKG names another build to test (scripts/build-wasm.sh: www/pkg-calc,
// www/pkg-audit). The calculator's www/pkg-calc is built without the audit
// (cargo feature `audit` off); every other build, the contract's www/pkg
// included, must have it (PTBILL_AUDIT=1 or 0 says so for a build elsewhere).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const pkg = (process.env.PTBILL_PKG ?? "www/pkg").replace(/\/$/, "");
const hasAudit = process.env.PTBILL_AUDIT ? process.env.PTBILL_AUDIT === "1" : pkg !== "www/pkg-calc";
// The calculator's module takes the visit as JSON text only (cargo feature
// `js-objects` off); every other build takes an object too (PTBILL_OBJECTS=1 or 0 for a build elsewhere).
const takesObjects = process.env.PTBILL_OBJECTS ? process.env.PTBILL_OBJECTS === "1" : pkg !== "www/pkg-calc";
const m = await import(new URL(`${pkg}/ptbill.js`, root));
const { initSync, rules, explain, version, icd10_load_descriptions, icd10_lookup, icd10_search } = m;
// A visit as the build takes it: objects as they are, or as JSON text for the calculator's module.
const check = (visit) => m.check(takesObjects || visit === null || typeof visit !== "object" ? visit : JSON.stringify(visit));
const wasm = readFileSync(new URL(`${pkg}/ptbill_bg.wasm`, root));
initSync({ module: wasm });
// The calculator's module comes without the NCCI and ICD-10-CM tables: handed
// over here as the page does (tests/web/tables.test.mjs tests before and after).
if (m.tables_loaded && !m.tables_loaded()) m.load_tables(readFileSync(new URL("www/data/tables.bin", root)));
const cases = JSON.parse(readFileSync(new URL("tests/fixtures/units.json", root), "utf8"));
const units = (lines) => lines.map((l) => l.units);
const oneOf = (want, got) => (Array.isArray(want[0]) ? want : [want]).some((w) => JSON.stringify(w) === JSON.stringify(got));

for (const c of cases) {
  for (const method of ["cms", "ama"]) {
    test(`${c.id} (${method}): ${c.note}`, () => {
      const other = method === "cms" ? "ama" : "cms";
      const r = check({ ...c.visit, method });
      assert.equal(r.method, method);
      assert.ok(oneOf(c[method], units(r.lines)), `got ${units(r.lines)}`);
      assert.ok(oneOf(c[other], units(r.alternative.lines)), `alternative got ${units(r.alternative.lines)}`);
      const cmsText = (method === "cms" ? r.explanation : r.alternative.explanation).join("\n");
      assert.equal(cmsText.includes("Tie:"), c.tie);
      // Plain JSON values: a JSON round trip changes nothing.
      assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    });
  }
}

test("example 3: units [2, 1], alternative [2, 0]", () => {
  const r = check(JSON.parse(readFileSync(new URL("tests/fixtures/example3.json", root), "utf8")));
  assert.deepEqual(units(r.lines), [2, 1]);
  assert.deepEqual(units(r.alternative.lines), [2, 0]);
});

test("bad input throws an Error naming the field", () => {
  const bad = [
    [{ date_of_service: "2026-03-02", lines: [{ code: "97110", minuts: 30 }] }, "lines[0].minuts"],
    [{ date_of_service: "2026-13-01", lines: [] }, "date_of_service"],
    [{ date_of_service: "2026-03-02", lines: [{ code: "97110", minutes: "30" }] }, "lines[0].minutes"],
    [{ date_of_service: "2026-03-02", payer: "aetna", lines: [] }, "payer"],
    [{ date_of_service: "2026-03-02", lines: [{ code: "97110", minutes: 3, assistant_minutes: 4 }] }, "lines[0].assistant_minutes"],
  ];
  for (const [visit, field] of bad) {
    assert.throws(() => check(visit), (e) => e instanceof Error && e.message.includes(field));
  }
  assert.throws(() => check(undefined), Error);
  if (takesObjects) assert.throws(() => check({ a: 1n }), Error);
  assert.throws(() => explain("no-such-rule"), Error);
});

// The door writes numbers as JavaScript does, without Rust's float formatting
// (which would cost the page's module some 8 KB of brotli).
test("a bad number in an argument or a list's length is named as JavaScript writes it", () => {
  for (const limit of [1.5, -2, 2 ** 32, 1e21, 0.1 + 0.2, NaN, -Infinity]) {
    assert.throws(() => icd10_search("S83", "2026-03-02", limit), { message: `icd10_search: limit must be a whole number from 0 to 4294967295, got ${limit}` });
  }
  if (!takesObjects) return; // the list's length is read by the object walk
  const lines = [];
  lines.length = 2.5e9; // sparse: nothing is allocated
  assert.throws(() => check({ date_of_service: "2026-03-02", lines }), { message: /^lines: has 2500000000 entries; no visit is that large/ });
});

test("the calculator's module takes JSON text only: an object visit is an Error that says so, and the instance keeps working", { skip: takesObjects }, () => {
  const visit = JSON.parse(readFileSync(new URL("tests/fixtures/example3.json", root), "utf8"));
  assert.throws(() => m.check(visit), { message: /^check: this module .* takes the visit as JSON text: pass JSON\.stringify\(visit\)$/ });
  assert.deepEqual(units(m.check(JSON.stringify(visit)).lines), [2, 1]);
});

test("rules, explain, version", () => {
  const list = rules();
  assert.ok(Array.isArray(list) && list.some((r) => r.id === "kx-threshold"));
  assert.match(explain("ncci-edit"), /## Source/);
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

test("ICD-10-CM look-up works without descriptions, search once they are loaded", () => {
  const before = icd10_lookup("m54.5", "2026-03-02");
  assert.equal(before.status, "header");
  assert.deepEqual(before.codes.map((c) => c.code), ["M54.50", "M54.51", "M54.59"]);
  assert.equal(before.description, null);
  assert.deepEqual(icd10_search("low back", "2026-03-02", 5), []);
  assert.equal(icd10_load_descriptions(readFileSync(new URL("www/data/icd10cm-descriptions.txt", root), "utf8")), true);
  assert.equal(icd10_lookup("M54.50", "2026-03-02").description, "Low back pain, unspecified");
  const t0 = performance.now();
  const found = icd10_search("low back pain", "2026-03-02", 10);
  const ms = performance.now() - t0;
  assert.ok(found.some((f) => f.code === "M54.50" && f.billable));
  // A bound that catches an index rebuilt per query (seconds), not a benchmark:
  // this test also judges wasm-opt's output on a machine that may be busy.
  assert.ok(ms < 1000, `search took ${ms} ms`);
  assert.throws(() => icd10_lookup("M54.5", "2026-02-30"), /date/);
});

test(`${pkg} ${hasAudit ? "has" : "leaves out"} the audit`, () => {
  const names = ["audit", "audit_compact", "audit_summary", "AuditStream"];
  const inWasm = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name).filter((n) => /audit/i.test(n));
  // A message only the audit's CSV reader writes: its code is in the binary or not.
  const auditText = wasm.includes("choose a CSV export with a header row");
  if (hasAudit) {
    for (const name of names) assert.equal(typeof m[name], "function", `${name} is missing`);
    assert.ok(inWasm.length >= names.length, `wasm exports: ${inWasm}`);
    assert.ok(auditText);
    const csv = "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses\nV1,2026-03-02,medicare,pt,97110,33,,,GP,M54.50\nV1,2026-03-02,medicare,pt,97140,7,,,GP,M54.50\n";
    const r = m.audit(csv);
    assert.equal(r.visits, 1);
    assert.deepEqual(units(r.results[0].report.lines), [2, 1]);
    assert.throws(() => m.audit(""), /empty/);
  } else {
    for (const name of names) assert.equal(m[name], undefined, `${name} is exported`);
    assert.deepEqual(inWasm, []);
    assert.ok(!auditText, "the audit's code is in the module");
  }
});

// The object door writes an ordinary visit with one JSON.stringify call and
// falls back to its field-by-field walk for anything stringify would spell
// differently: either way, an object answers exactly as its JSON text does.
test("the object door answers as the text door, on 300 varied visits and the fast path's edges", { skip: !takesObjects }, () => {
  let seed = 11;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const pick = (xs) => xs[rnd(xs.length)];
  const codes = ["97110", "97140", "97530", "97112", "97116", "97161", "97129", "97130", "97550", "97551", "98980", "G0283", "97010", "9711O", "20560"];
  const visits = [];
  for (let n = 0; n < 300; n++) {
    const lines = [];
    for (let k = 0, len = 1 + rnd(6); k < len; k++) {
      const l = { code: pick(codes) };
      if (rnd(10) < 8) l.minutes = pick([0, 7, 8, 12, 15, 23, 38, 60]);
      if (rnd(10) < 3) l.modifiers = [pick(["GP", "GO", "59", "CQ", "KX", "XU"])];
      lines.push(l);
    }
    const v = { date_of_service: pick(["2020-06-01", "2024-03-02", "2026-03-02", "2027-02-01"]), lines };
    if (rnd(2)) v.payer = pick(["medicare", "commercial", "medicaid"]);
    if (rnd(2)) v.ytd_allowed = pick([0, 1834.5, 2600, 3100.25]);
    if (rnd(2)) v.diagnoses = [pick(["M54.50", "M25.569", "I69.359", "X99"])];
    visits.push(v);
  }
  const base = { date_of_service: "2026-03-02", lines: [{ code: "97110", minutes: 30 }] };
  visits.push(
    { ...base, payer: null }, // a null: the walk
    { ...base, lines: [{ code: "97110", minutes: 1e2 }] },
    { ...base, lines: [{ code: "97110", minutes: 1234567890123456789 }] },
    { ...base, lines: [{ code: "97110", minutes: 1.5e-7 }] },
    { ...base, diagnoses: ["M54.50", "\\ud800 typed"] },
    { ...base, when: new Date(0) }, // toJSON: an unknown field either way
    { ...base, lines: [{ code: "97110", minutes: 30, modifiers: [undefined] }] },
    { ...base, extra: JSON.parse("[".repeat(31) + "]".repeat(31)) },
    { ...base, extra: JSON.parse("[".repeat(40) + "]".repeat(40)) },
  );
  const answer = (x) => {
    try {
      return { report: m.check(x) };
    } catch (e) {
      return { error: e.message };
    }
  };
  for (const v of visits) assert.deepEqual(answer(v), answer(JSON.stringify(v)), JSON.stringify(v).slice(0, 200));
});
