// The wasm audit under Node: prints "SECONDS SUMMARY_JSON" (best of 3) for the
// benchmark in benches/audit.rs, which checks the summary equals the native one.
import { readFileSync } from "node:fs";
// The build the page's audit runs (the Web Worker loads www/pkg-audit).
import { initSync, audit_summary } from "../www/pkg-audit/ptbill.js";

initSync({ module: readFileSync(new URL("../www/pkg-audit/ptbill_bg.wasm", import.meta.url)) });
const text = readFileSync(process.argv[2], "utf8");
let best = Infinity;
let result;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  result = audit_summary(text);
  best = Math.min(best, performance.now() - t);
}
console.log(`${best / 1000} ${JSON.stringify(result)}`);
