// Runs the audit off the page's main thread. The file is read in chunks
// (file.stream(), twice: one pass counts the rows of each visit, the next checks
// them) and fed to the engine's streaming API, so the file's text is never held
// whole. What is kept: the summary, the findings CSV and one JSON line per visit
// as Blob parts (the browser may keep them on disk), read back a page at a time.
// Nothing leaves this browser. It loads the speed-optimised build (www/pkg-audit).
import init, { AuditStream, check } from "./pkg-audit/ptbill.js";

const HEADER = "visit_id,row,line,code,rule,severity,message\n";
const ready = init();
let cancelled = false;
let running = false;
let csv = null; // Blob of the findings CSV
let lines = null; // Blob of JSON lines: {"visit":…} | {"row_error":…} | {"row_warning":…}
let everything = 0; // entries in all (findings, row errors, row warnings)

// A trap (memory exhausted, a bug) leaves a wasm instance unusable: say so and
// let the page start a fresh worker, which instantiates the module anew.
function failed(e) {
  if (e instanceof WebAssembly.RuntimeError) self.postMessage({ type: "trap", message: String(e.message) });
  else self.postMessage({ type: "fatal", message: String(e?.message ?? e) });
}

async function feed(file, each) {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    if (cancelled) {
      await reader.cancel();
      return false;
    }
    each(value);
  }
}

async function audit(file, payers) {
  cancelled = false;
  running = true;
  const stream = new AuditStream({ payers });
  try {
    let read = 0;
    let last = 0;
    const countedAll = await feed(file, (chunk) => {
      stream.count(chunk);
      read += chunk.length;
      if (read - last > 4 << 20) {
        last = read;
        self.postMessage({ type: "progress", phase: "count", done: read, total: file.size });
      }
    });
    // Cancelled while counting: nothing was checked yet.
    if (!countedAll) return self.postMessage({ type: "cancelled" });
    const counted = stream.begin();
    const csvParts = [HEADER];
    const lineParts = [];
    let n = 0;
    const take = () => {
      const c = stream.takeCsv();
      if (c) csvParts.push(new Blob([c]));
      const l = stream.takeLines();
      if (l) lineParts.push(new Blob([l]));
    };
    const complete = await feed(file, (chunk) => {
      stream.check(chunk);
      take();
      if (++n % 16 === 0) self.postMessage({ type: "progress", phase: "check", done: stream.rowsRead(), total: counted.rows });
    });
    const result = stream.finish(!complete);
    take();
    csv = new Blob(csvParts, { type: "text/csv" });
    lines = new Blob(lineParts, { type: "application/x-ndjson" });
    everything = result.findings + result.summary.row_errors + result.summary.row_warnings;
    const first = await page({ offset: 0, size: 100 });
    self.postMessage({ type: "done", result, page: first, csv });
  } catch (e) {
    failed(e);
  } finally {
    stream.free();
    running = false;
  }
}

// The entries a page lists: each visit's findings, row errors and warnings.
function entries(item) {
  if (item.visit) {
    const v = item.visit;
    return v.findings.map((f) => ({ visit_id: v.visit_id, visit: v.visit, ...f }));
  }
  const e = item.row_error ?? item.row_warning;
  return [{ visit_id: e.visit_id ?? "", row: e.row, code: "", rule: item.row_error ? "row-error" : "row-warning", severity: item.row_error ? "error" : "warning", message: e.message }];
}

/** One page of entries matching the filter, and how many match in all. */
async function page({ offset = 0, size = 100, severity = "", rule = "", text = "" }) {
  const want = text.trim().toLowerCase();
  const match = (f) =>
    (!severity || f.severity === severity) &&
    (!rule || f.rule === rule) &&
    (!want || `${f.visit_id} ${f.code ?? ""} ${f.message}`.toLowerCase().includes(want));
  const out = [];
  let total = 0;
  if (!lines) return { offset, total, entries: out };
  // Unfiltered, the count is known: stop once the page is full.
  const unfiltered = !severity && !rule && !want;
  const reader = lines.stream().pipeThrough(new TextDecoderStream()).getReader();
  let carry = "";
  for (;;) {
    const { done, value } = await reader.read();
    const buf = carry + (value ?? "");
    const parts = buf.split("\n");
    carry = done ? "" : parts.pop();
    for (const line of parts) {
      if (!line) continue;
      for (const f of entries(JSON.parse(line))) {
        if (!match(f)) continue;
        if (total >= offset && out.length < size) out.push(f);
        total++;
      }
    }
    if (done) break;
    if (unfiltered && out.length >= size) {
      await reader.cancel();
      return { offset, total: everything, entries: out };
    }
  }
  return { offset, total, entries: out };
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
  } catch (e) {
    return failed(e);
  }
  if (data.type === "cancel") {
    cancelled = true;
  } else if (data.type === "audit") {
    if (!running) await audit(data.file, data.payers ?? {});
  } else if (data.type === "check") {
    // One visit through the same instance (it stays usable after any audit).
    try {
      self.postMessage({ type: "checked", report: check(data.visit) });
    } catch (e) {
      failed(e);
    }
  } else if (data.type === "page") {
    try {
      self.postMessage({ type: "page", page: await page(data) });
    } catch (e) {
      failed(e);
    }
  }
};
