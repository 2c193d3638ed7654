// `check` through the page's wasm (www/pkg-calc) under Node, in the page's
// order: catalog() and rules() at start, the first multi-code check before the
// tables (units and the checks that need no table: the page's first result),
// load_tables of data/tables.bin (right after it), then the first multi-code
// check with every table (the complete result's check), then the 10-line
// visit of benches/check.rs per call (best of 5 rounds). Prints
// "FIRST_MS PER_CALL_US LOAD_MS BEFORE_MS". Read by scripts/bench.sh.
import { readFileSync } from "node:fs";
import { initSync, check, load_tables, catalog, rules } from "../www/pkg-calc/ptbill.js";

initSync({ module: readFileSync(new URL("../www/pkg-calc/ptbill_bg.wasm", import.meta.url)) });
const first = {
  date_of_service: "2026-03-02",
  lines: [
    { code: "97110", minutes: 30, modifiers: ["GP"] },
    { code: "97140", minutes: 15, modifiers: ["GP"] },
  ],
  diagnoses: ["M25.569"],
};
catalog();
rules();
let t = performance.now();
// The page's module takes the visit as JSON text; the page has it already (the
// visit's key), so the timed calls below include writing it (JSON.stringify).
const partial = check(JSON.stringify(first));
const beforeMs = performance.now() - t;
if (!partial.pending?.includes("ncci-edit")) throw new Error("www/pkg-calc has its tables compiled in: rebuild (scripts/build-wasm.sh)");
t = performance.now();
load_tables(readFileSync(new URL("../www/data/tables.bin", import.meta.url)));
const loadMs = performance.now() - t;
t = performance.now();
const full = check(JSON.stringify(first));
const firstMs = performance.now() - t;
if (full.pending) throw new Error("still pending after load_tables");

const ten = JSON.parse(readFileSync(new URL("ten-line-visit.json", import.meta.url), "utf8"));
const n = 2000;
for (let i = 0; i < 200; i++) check(JSON.stringify(ten));
let best = Infinity;
for (let round = 0; round < 5; round++) {
  t = performance.now();
  for (let i = 0; i < n; i++) check(JSON.stringify(ten));
  best = Math.min(best, (performance.now() - t) / n);
}
console.log(`${firstMs.toFixed(2)} ${(best * 1000).toFixed(1)} ${loadMs.toFixed(2)} ${beforeMs.toFixed(2)}`);
