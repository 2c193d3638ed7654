// Keeps what an audit produced, compressed, in a worker of its own (so the
// compressing runs beside the engine's worker, on another core), and serves it
// back: a page of the findings list, or the findings CSV for the download.
// - The findings CSV: one gzip stream (CompressionStream) collected as a Blob;
//   it is decompressed only when the user downloads it (www/sw.js streams it).
// - The list: the engine's JSON lines ({"visit":…}, {"row_error":…},
//   {"row_warning":…}) in gzip segments of about 2 MB each, with how many list
//   entries each holds (the engine counts them), so page N opens one or two
//   segments; a filter scans them once, then knows its count per segment.
// Nothing is written to storage: Blobs only, let go with this worker.
const SEGMENT = 2 << 20; // bytes of JSON lines per compressed segment

let port = null; // from the engine's worker: batches of output
let csv = null; // { writer, blob: Promise<Blob> } while writing
let csvGz = null; // the finished gzip Blob of the findings CSV
let open = null; // the segment being written: { writer, blob, entries, bytes }
const segments = []; // { blob, first, entries } in file order
let everything = 0; // list entries in all segments
let latest = 0; // the newest page request: older scans stop
const counts = new Map(); // filter key → matching entries per segment

/** A gzip stream whose output is collected as Blob parts of about 1 MB, so
 * the compressed bytes move to the browser's blob store as they come rather
 * than piling up in this worker until the end. */
function gzipSink() {
  const cs = new CompressionStream("gzip");
  const blob = (async () => {
    const parts = [];
    let chunks = [];
    let size = 0;
    const reader = cs.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (value) chunks.push(value), (size += value.length);
      if (done || size >= 1 << 20) {
        if (chunks.length) parts.push(new Blob(chunks));
        chunks = [];
        size = 0;
      }
      if (done) return new Blob(parts);
    }
  })();
  return { writer: cs.writable.getWriter(), blob };
}

async function closeSegment() {
  if (!open) return;
  const s = open;
  open = null;
  await s.writer.close();
  segments.push({ blob: await s.blob, first: everything, entries: s.entries });
  everything += s.entries;
}

/** One batch from the engine: `buffer` holds `csvBytes` of CSV rows, then `linesBytes` of lines. */
async function take({ buffer, csv: csvBytes, lines: linesBytes, entries }) {
  const rows = new Uint8Array(buffer, 0, csvBytes);
  const lines = new Uint8Array(buffer, csvBytes, linesBytes);
  // The compressor has read a chunk once its write settles: the buffer can go back.
  if (rows.length) await csv.writer.write(rows);
  if (lines.length) {
    if (!open) open = { ...gzipSink(), entries: 0, bytes: 0 };
    open.entries += entries;
    open.bytes += lines.length;
    await open.writer.write(lines);
    if (open.bytes >= SEGMENT) await closeSegment();
  }
}

async function finish() {
  await closeSegment();
  await csv.writer.close();
  csvGz = await csv.blob;
  csv = null;
}

// The engine's worker sends batches in order; each is acknowledged once it is
// compressed, so the engine waits when this worker falls behind (bounded memory).
let queue = Promise.resolve();
function fromEngine({ data }) {
  queue = queue.then(async () => {
    if (data.type === "begin") {
      csv = gzipSink();
      await csv.writer.write(new TextEncoder().encode(data.header));
    } else if (data.type === "take") {
      await take(data);
      port.postMessage({ type: "ack", bytes: data.csv + data.lines, buffer: data.buffer }, [data.buffer]);
    } else if (data.type === "finish") {
      await finish();
      const page = await pageOf({ offset: 0, size: data.size, id: ++latest });
      self.postMessage({ type: "done", result: data.result, page, csv: csvGz });
    }
  }).catch((e) => self.postMessage({ type: "unkept", message: String(e?.message ?? e) }));
}

/** The JSON lines of one segment, decompressed. */
async function linesOf(segment) {
  const text = await new Response(segment.blob.stream().pipeThrough(new DecompressionStream("gzip"))).text();
  return text.split("\n");
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

/** A filter: whether an entry matches, and a quick test on a raw JSON line that never rejects a line holding a match. */
function filterOf({ severity = "", rule = "", text = "" }) {
  const want = text.trim().toLowerCase();
  const match = (f) =>
    (!severity || f.severity === severity) &&
    (!rule || f.rule === rule) &&
    (!want || `${f.visit_id} ${f.code ?? ""} ${f.message}`.toLowerCase().includes(want));
  // In JSON text a quote inside a value is escaped, so these keys with their
  // values only occur where an entry has them. Row errors carry no severity
  // or rule key (they are "error"/"row-error" on the page).
  const raw = [];
  if (severity) raw.push((l) => l.includes(`"severity":"${severity}"`) || (severity === "error" ? l.startsWith('{"row_error":') : severity === "warning" && l.startsWith('{"row_warning":')));
  if (rule === "row-error" || rule === "row-warning") raw.push((l) => l.startsWith(`{"${rule.replace("-", "_")}":`));
  else if (rule) raw.push((l) => l.includes(`"rule":${JSON.stringify(rule)}`));
  // Words are matched across fields joined by spaces, and escapes change the
  // text: test the raw line only for words that JSON writes as they are.
  if (want && !/[\s"\\\u0000-\u001f]/.test(want)) raw.push((l) => l.toLowerCase().includes(want));
  return { key: JSON.stringify([severity, rule, want]), all: !severity && !rule && !want, match, raw: (l) => raw.every((t) => t(l)) };
}

/** One page of entries matching the filter, and how many match in all (null if a newer request took over). */
async function pageOf({ offset = 0, size = 100, id, ...f }) {
  const filter = filterOf(f);
  const out = [];
  // Matching entries per segment: known for the unfiltered list, and for a
  // filter once it has been scanned; then only the segments of the page are opened.
  const known = filter.all ? segments.map((s) => s.entries) : counts.get(filter.key);
  if (known) {
    const total = known.reduce((a, b) => a + b, 0);
    let before = 0;
    for (let k = 0; k < segments.length && out.length < size; k++) {
      if (before + known[k] <= offset) {
        before += known[k];
        continue;
      }
      for (const line of await linesOf(segments[k])) {
        if (!line || !filter.raw(line)) continue;
        for (const e of entries(JSON.parse(line))) {
          if (!filter.match(e)) continue;
          if (before >= offset && out.length < size) out.push(e);
          before++;
        }
      }
      if (id !== latest) return null;
    }
    return { offset, total, entries: out };
  }
  const per = [];
  let total = 0;
  for (const s of segments) {
    let n = 0;
    for (const line of await linesOf(s)) {
      if (!line || !filter.raw(line)) continue;
      for (const e of entries(JSON.parse(line))) {
        if (!filter.match(e)) continue;
        if (total >= offset && out.length < size) out.push(e);
        total++;
        n++;
      }
    }
    per.push(n);
    if (id !== latest) return null;
  }
  counts.set(filter.key, per);
  return { offset, total, entries: out };
}

self.onmessage = async ({ data }) => {
  if (data.type === "port") {
    port = data.port;
    port.onmessage = fromEngine;
  } else if (data.type === "page") {
    const id = (latest = data.id);
    try {
      const page = await pageOf({ ...data, id });
      if (page) self.postMessage({ type: "page", id, page });
    } catch (e) {
      self.postMessage({ type: "unkept", message: String(e?.message ?? e) });
    }
  }
};
