// Runs the audit off the page's main thread. The file is read in chunks
// (file.stream(), twice: one pass counts the rows of each visit, the next checks
// them) and fed to the engine's streaming API, so the file's text is never held
// whole. What the engine writes (the findings CSV and one JSON line per visit
// with findings) goes, batch by batch, to the store worker (www/audit-store.js),
// which keeps it compressed and serves the list's pages and the download.
// Nothing leaves this browser. It loads the speed-optimised build (www/pkg-audit).
import init, { AuditStream, check } from "./pkg-audit/ptbill.js";

const HEADER = "visit_id,row,line,code,rule,severity,message\n";
const SLICE = 128 << 10; // bytes of the file per engine call: its output (≈ 16× the input) is one batch for the store
const AHEAD = 8 << 20; // bytes the store may have yet to compress before the engine reads on
// The build's files, named to the page so that a first visit's service worker,
// which may take over only after they came, can keep them for offline use.
const ready = init().then(() => self.postMessage({ type: "fetched", urls: performance.getEntriesByType("resource").map((e) => e.name) }));
let cancelled = false;
let running = false;
let store = null; // MessagePort to the store worker
let waiting = 0; // bytes sent and not yet acknowledged
let resume = null; // resolves when the store catches up
const pool = []; // ArrayBuffers back from the store, ready for the next batch

/** A buffer of at least `n` bytes: one the store gave back, or a new one. */
function borrow(n) {
  const k = pool.findIndex((b) => b.byteLength >= n);
  return k >= 0 ? pool.splice(k, 1)[0] : new ArrayBuffer(Math.max(n, 4 << 20));
}

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
    await each(value);
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
      if (read - last > 1 << 20) {
        last = read;
        self.postMessage({ type: "progress", phase: "count", done: read, total: file.size });
      }
    });
    // Cancelled while counting: nothing was checked yet.
    if (!countedAll) return self.postMessage({ type: "cancelled" });
    const counted = stream.begin();
    store.postMessage({ type: "begin", header: HEADER });
    let listed = 0;
    // Bytes straight out of the module's memory into one of a few buffers that
    // travel to the store and back (transferred, never copied or decoded):
    // a new buffer per batch would leave gigabytes for the collector over a
    // big file, which it reclaims late, in spikes of hundreds of megabytes.
    const take = () => {
      const n = stream.pendingBytes();
      if (!n) return;
      const buffer = borrow(n);
      const [csv, lines] = stream.takeInto(new Uint8Array(buffer, 0, n));
      const entries = stream.listed() - listed;
      listed += entries;
      waiting += n;
      store.postMessage({ type: "take", buffer, csv, lines, entries }, [buffer]);
    };
    const complete = await feed(file, async (chunk) => {
      for (let at = 0; at < chunk.length; at += SLICE) {
        stream.check(chunk.subarray(at, at + SLICE));
        take();
        if (waiting > AHEAD) await new Promise((r) => (resume = r));
      }
      self.postMessage({ type: "progress", phase: "check", done: stream.rowsRead(), total: counted.rows });
    });
    const result = stream.finish(!complete);
    take();
    // The store sends the page the result, the first page and the CSV once it has compressed the rest.
    store.postMessage({ type: "finish", result, size: 100 });
  } catch (e) {
    failed(e);
  } finally {
    stream.free();
    running = false;
  }
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
    store = data.store;
    store.onmessage = ({ data: m }) => {
      if (m.type !== "ack") return;
      if (m.buffer && pool.length < 8) pool.push(m.buffer);
      waiting -= m.bytes;
      if (waiting <= AHEAD && resume) {
        resume();
        resume = null;
      }
    };
    if (!running) await audit(data.file, data.payers ?? {});
  } else if (data.type === "check") {
    // One visit through the same instance (it stays usable after any audit).
    try {
      self.postMessage({ type: "checked", report: check(data.visit) });
    } catch (e) {
      failed(e);
    }
  }
};
