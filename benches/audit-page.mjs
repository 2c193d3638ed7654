// The page's audit in Chromium (Debian's, via playwright-core): the time from
// choosing the file to the finished summary, and the browser's peak memory (the
// sum of the proportional set size, Pss, of every Chromium process, sampled
// every 100 ms). Usage: node benches/audit-page.mjs FILE [FILE…]; prints one line
// per file: "PATH SECONDS PEAK_MB VISITS". Run by benches/audit.rs (make bench).
import { readFileSync, readdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../scripts/serve.mjs";

const PORT = 19500 + (process.pid % 400);
const server = await serve({ dir: new URL("../www", import.meta.url).pathname, port: PORT });
// A profile folder of its own, to tell this browser's processes from others'.
const profile = mkdtempSync(join(tmpdir(), "ptbill-bench-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Every process under the browser's.
function tree(root) {
  const kids = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(pid));
    } catch {}
  }
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const k of kids.get(p) ?? []) walk(k);
  };
  walk(root);
  return out;
}
function pssKb(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
      if (m) kb += Number(m[1]);
    } catch {}
  }
  return kb;
}

const root = readdirSync("/proc")
  .filter((d) => /^\d+$/.test(d))
  .map(Number)
  .find((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      return cmd.includes(profile) && !cmd.includes("--type=");
    } catch {
      return false;
    }
  });
for (const path of process.argv.slice(2)) {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/?audit`);
  await page.waitForSelector("body[data-ready='1']");
  let peak = 0;
  const timer = setInterval(() => {
    if (root) peak = Math.max(peak, pssKb(tree(root)));
  }, 100);
  const t = performance.now();
  await page.setInputFiles("#audit-file", path);
  await page.waitForSelector("body[data-audited='1']", { timeout: 1_800_000 });
  const secs = (performance.now() - t) / 1000;
  clearInterval(timer);
  const visits = (await page.textContent("#audit-summary")).split(" ")[0];
  console.log(`${path} ${secs.toFixed(2)} ${(peak / 1024).toFixed(0)} ${visits}`);
  await page.close();
}
await context.close();
server.close();
