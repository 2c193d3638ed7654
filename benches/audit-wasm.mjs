// The wasm audit under Node (www/pkg-audit, the build the page's worker runs).
//   node benches/audit-wasm.mjs FILE summary   → "SECONDS SUMMARY_JSON" (best of 3),
//     for benches/audit.rs, which checks the summary equals the native one;
//   node benches/audit-wasm.mjs FILE audit     → "SECONDS VISITS_CHECKED CPU_SECONDS": the
//     `audit` export (every visit's full report, as `--format json`), one run.
import { readFileSync } from "node:fs";
import { initSync, audit, audit_summary } from "../www/pkg-audit/ptbill.js";

initSync({ module: readFileSync(new URL("../www/pkg-audit/ptbill_bg.wasm", import.meta.url)) });
const text = readFileSync(process.argv[2], "utf8");
if (process.argv[3] === "audit") {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = audit(text);
  const used = process.cpuUsage(cpu);
  // Wall seconds, visits checked, CPU seconds (user + system: robust on a busy machine).
  console.log(`${(performance.now() - t) / 1000} ${r.visits_checked} ${(used.user + used.system) / 1e6}`);
} else {
  let best = Infinity;
  let result;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    result = audit_summary(text);
    best = Math.min(best, performance.now() - t);
  }
  console.log(`${best / 1000} ${JSON.stringify(result)}`);
}
