// The page's audit in Chromium (Debian's, via playwright-core): the time from
// choosing the file to the finished summary, and the browser's peak memory (the
// sum of the proportional set size, Pss, of every Chromium process, sampled
// every 100 ms); then the findings download (streamed by the service worker):
// its time, the peak while saving, and its size. Usage: node
// benches/audit-page.mjs FILE [FILE…]; prints one line per file: "PATH SECONDS
// PEAK_MB VISITS DOWNLOAD_SECONDS DOWNLOAD_PEAK_MB DOWNLOAD_BYTES" (and, on
// stderr, the peak by process). Run by benches/audit.rs (make bench).
import { readFileSync, readdirSync, mkdtempSync, statSync } from "node:fs";
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
  acceptDownloads: true,
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
/** Pss of each process: [{ kind, kb }]. */
function pss(pids) {
  const out = [];
  for (const pid of pids) {
    try {
      const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
      const kind = readFileSync(`/proc/${pid}/cmdline`, "utf8").match(/--type=([\w-]+)/)?.[1] ?? "browser";
      if (m) out.push({ kind, kb: Number(m[1]) });
    } catch {}
  }
  return out;
}
/** Samples the browser's memory every 100 ms until stopped: the peak sum, and the processes then. */
function sampler() {
  const peak = { kb: 0, procs: [] };
  const timer = setInterval(() => {
    if (!root) return;
    const procs = pss(tree(root));
    const kb = procs.reduce((a, p) => a + p.kb, 0);
    if (kb > peak.kb) Object.assign(peak, { kb, procs });
  }, 100);
  return () => (clearInterval(timer), peak);
}
const mb = (kb) => (kb / 1024).toFixed(0);
/** CPU seconds (user + system) the browser's processes have used so far. */
function cpu() {
  let ticks = 0;
  for (const pid of root ? tree(root) : []) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return ticks / 100; // USER_HZ
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
  let stop = sampler();
  const cpu0 = cpu();
  const t = performance.now();
  await page.setInputFiles("#audit-file", path);
  await page.waitForSelector("body[data-audited='1']", { timeout: 1_800_000 });
  const secs = (performance.now() - t) / 1000;
  const peak = stop();
  const cpuSecs = cpu() - cpu0;
  const visits = (await page.textContent("#audit-summary")).split(" ")[0];
  // The download, as a user would: the service worker streams it when it controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 }).catch(() => {});
  stop = sampler();
  const t2 = performance.now();
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 1_800_000 }), page.click("#audit-download")]);
  const saved = await download.path();
  const dsecs = (performance.now() - t2) / 1000;
  const dpeak = stop();
  const how = await page.evaluate(() => document.body.dataset.download);
  console.log(`${path} ${secs.toFixed(2)} ${mb(peak.kb)} ${visits} ${dsecs.toFixed(2)} ${mb(dpeak.kb)} ${statSync(saved).size}`);
  const by = (p) => p.procs.sort((a, b) => b.kb - a.kb).map((x) => `${x.kind} ${mb(x.kb)}`).join(", ");
  console.error(`${path}: audit ${cpuSecs.toFixed(1)} s of CPU in the browser's processes; peak by process (MB): ${by(peak)}; download (${how}) peak: ${by(dpeak)}`);
  await page.close();
}
await context.close();
server.close();
