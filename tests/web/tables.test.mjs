// The calculator's module (www/pkg-calc) is built without the NCCI PTP and
// ICD-10-CM tables: before load_tables it gives the units and every check that
// needs no table and names the rest in `pending` (never a silent pass); after
// it, exactly the report of the contract's module (www/pkg, tables compiled
// in); a bad or truncated file throws an Error naming the problem.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const load = async (pkg) => {
  const m = await import(new URL(`${pkg}/ptbill.js`, root));
  m.initSync({ module: readFileSync(new URL(`${pkg}/ptbill_bg.wasm`, root)) });
  return m;
};
const calcModule = await load("www/pkg-calc");
// The calculator's module takes the visit as JSON text (cargo feature js-objects off), as the page hands it.
const calc = { ...calcModule, check: (visit) => calcModule.check(JSON.stringify(visit)) };
const full = await load("www/pkg");
const bytes = readFileSync(new URL("www/data/tables.bin", root));

// 97150 + 97110 is an NCCI pair (indicator 1); 59 on 97140 is needed by no edit
// with 97530 since 2020; M25.569 leaves the side unspecified; M54.5 is a header.
const visits = [
  { date_of_service: "2026-03-02", lines: [{ code: "97150", modifiers: ["GP"] }, { code: "97110", minutes: 30, modifiers: ["GP"] }], diagnoses: ["M54.50"] },
  { date_of_service: "2026-03-02", lines: [{ code: "97140", minutes: 15, modifiers: ["GP", "59"] }, { code: "97530", minutes: 15, modifiers: ["GP"] }], diagnoses: ["M25.569", "M54.5"] },
  { date_of_service: "2026-03-02", setting: "outpatient_hospital", lines: [{ code: "97150" }, { code: "97110", minutes: 30 }], diagnoses: ["S86.011"] },
  { date_of_service: "2020-06-01", setting: "outpatient_hospital", lines: [{ code: "97150" }, { code: "97110", minutes: 30 }], diagnoses: ["M54.5"] },
];
const rulesOf = (r) => r.diagnostics.map((d) => d.rule);
const withoutPending = ({ pending, ...rest }) => rest;

test("before load_tables: units and table-free checks at once, the rest named as pending", () => {
  assert.equal(calc.tables_loaded(), false);
  const r = calc.check(visits[0]);
  const want = full.check(visits[0]);
  assert.deepEqual(r.lines.map((l) => l.units), want.lines.map((l) => l.units));
  assert.equal(r.total_units, want.total_units);
  assert.ok(rulesOf(want).includes("ncci-edit"), "the contract's module finds the pair");
  assert.ok(!rulesOf(r).includes("ncci-edit"));
  assert.deepEqual(r.pending, ["ncci-edit", "icd10-invalid", "icd10-not-billable", "icd10-seventh-character", "icd10-unspecified", "reference-data-date"]);
  // The data-date note says the code pairs were checked: it waits with them.
  assert.ok(rulesOf(want).includes("reference-data-date"));
  assert.ok(!rulesOf(r).includes("reference-data-date"));
  assert.equal(want.pending, undefined, "no pending list where the tables are compiled in");
  const r2 = calc.check(visits[1]);
  assert.ok(r2.pending.includes("unneeded-distinct-modifier"));
  assert.ok(!rulesOf(r2).some((id) => id.startsWith("icd10") || id === "unneeded-distinct-modifier"), rulesOf(r2).join());
  assert.deepEqual(r2.lines[0].modifiers, ["GP", "59"], "the 59 is kept until the pairs are known");
  // A one-code visit without diagnoses needs no table: complete at once.
  const one = calc.check({ date_of_service: "2026-03-02", lines: [{ code: "97110", minutes: 30, modifiers: ["GP"] }], diagnoses: [] });
  assert.equal(one.pending, undefined);
  assert.deepEqual(one, full.check({ date_of_service: "2026-03-02", lines: [{ code: "97110", minutes: 30, modifiers: ["GP"] }], diagnoses: [] }));
  // A malformed diagnosis is still named, the data dates still reported.
  const bad = calc.check({ ...visits[0], diagnoses: ["54.50"] });
  assert.ok(rulesOf(bad).includes("icd10-invalid"));
  assert.deepEqual(bad.data, full.check({ ...visits[0], diagnoses: ["54.50"] }).data);
  assert.throws(() => calc.icd10_lookup("M54.50", "2026-03-02"), /still loading/);
  // The rule docs pages come with the tables; the titles are there at once.
  assert.throws(() => calc.explain("ncci-edit"), /explain: the rule docs are still loading/);
  assert.throws(() => calc.explain("no-such-rule"), /explain: no rule/);
  const list = calc.rules();
  assert.deepEqual(list.map((r) => [r.id, r.title, r.rank]), full.rules().map((r) => [r.id, r.title, r.rank]));
  assert.ok(list.every((r) => r.docs === null));
});

test("a bad or truncated tables file throws an Error naming the problem", () => {
  const named = (arg, words) => assert.throws(() => calc.load_tables(arg), (e) => e instanceof Error && e.message.startsWith("load_tables:") && words.test(e.message), String(words));
  named(new Uint8Array(0), /not ptbill's tables file/);
  named(new TextEncoder().encode("# ICD-10-CM code descriptions\n"), /not ptbill's tables file/);
  named(bytes.subarray(0, 100_000), /truncated/);
  named(bytes.subarray(0, bytes.length - 1), /truncated/);
  const other = Uint8Array.from(bytes);
  other[8] = 2;
  named(other, /format version 2/);
  named("tables", /must be a Uint8Array/);
  named(undefined, /must be a Uint8Array/);
  assert.equal(calc.tables_loaded(), false, "nothing installed from a bad file");
  assert.ok(calc.check(visits[0]).pending.length > 0);
});

test("after load_tables: exactly the contract module's reports", () => {
  assert.equal(calc.load_tables(bytes), true);
  assert.equal(calc.tables_loaded(), true);
  assert.equal(calc.load_tables(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), false, "once");
  for (const v of visits) assert.deepEqual(calc.check(v), full.check(v), JSON.stringify(v));
  assert.ok(rulesOf(calc.check(visits[0])).includes("ncci-edit"));
  assert.ok(rulesOf(calc.check(visits[1])).includes("unneeded-distinct-modifier"));
  // Every rule's example, and every unit case.
  for (const rule of full.rules()) {
    const example = JSON.parse(rule.docs.match(/```json\n([\s\S]*?)\n```/)[1]);
    assert.deepEqual(withoutPending(calc.check(example)), full.check(example), rule.id);
    assert.equal(calc.check(example).pending, undefined, rule.id);
  }
  for (const c of JSON.parse(readFileSync(new URL("tests/fixtures/units.json", root), "utf8"))) assert.deepEqual(calc.check(c.visit), full.check(c.visit), c.id);
  assert.deepEqual(calc.icd10_lookup("M54.5", "2026-03-02"), full.icd10_lookup("M54.5", "2026-03-02"));
  assert.deepEqual(calc.rules(), full.rules());
  for (const r of full.rules()) assert.equal(calc.explain(r.id), full.explain(r.id));
});

test("the contract's module has its tables compiled in: load_tables checks the file and changes nothing", () => {
  assert.equal(full.tables_loaded(), true);
  assert.equal(full.load_tables(bytes), false);
  assert.throws(() => full.load_tables(new Uint8Array(4)), /load_tables: this is not ptbill's tables file/);
});
