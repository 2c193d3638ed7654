// `check` through the page's wasm (www/pkg-calc) under Node: prints
// "FIRST_MS PER_CALL_US LOAD_MS": the first multi-code check after the module
// is instantiated and its tables handed over, then the 10-line visit of
// benches/check.rs per call (best of 5 rounds), then load_tables of
// data/tables.bin (what the page does right after its first result). Read by
// scripts/bench.sh.
import { readFileSync } from "node:fs";
import { initSync, check, load_tables } from "../www/pkg-calc/ptbill.js";

initSync({ module: readFileSync(new URL("../www/pkg-calc/ptbill_bg.wasm", import.meta.url)) });
const bytes = readFileSync(new URL("../www/data/tables.bin", import.meta.url));
const t0 = performance.now();
load_tables(bytes);
const loadMs = performance.now() - t0;
const first = {
  date_of_service: "2026-03-02",
  lines: [
    { code: "97110", minutes: 30, modifiers: ["GP"] },
    { code: "97140", minutes: 15, modifiers: ["GP"] },
  ],
  diagnoses: ["M25.569"],
};
let t = performance.now();
check(first);
const firstMs = performance.now() - t;

const ten = JSON.parse(readFileSync(new URL("ten-line-visit.json", import.meta.url), "utf8"));
const n = 2000;
for (let i = 0; i < 200; i++) check(ten);
let best = Infinity;
for (let round = 0; round < 5; round++) {
  t = performance.now();
  for (let i = 0; i < n; i++) check(ten);
  best = Math.min(best, (performance.now() - t) / n);
}
console.log(`${firstMs.toFixed(2)} ${(best * 1000).toFixed(1)} ${loadMs.toFixed(2)}`);
