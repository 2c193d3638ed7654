// The engine: loads the wasm module once, and if it ever traps (a
// WebAssembly.RuntimeError leaves that instance unusable) starts a fresh
// instance of the same compiled module, so the page keeps working. The ICD-10-CM
// titles and the big tables handed to the old instance are handed to the new one.
// The module (www/pkg-calc) comes without the NCCI and ICD-10-CM tables, so the
// first result (units, and every check that needs no table) comes sooner; the
// page then fetches data/tables.bin (loadTables) and checks the visit again.

const WASM = new URL("./pkg-calc/ptbill_bg.wasm", import.meta.url);
const TABLES = new URL("./data/tables.bin", import.meta.url);
let compiled = null; // the WebAssembly.Module, compiled once
let api = null; // the glue module of the live instance
let generation = 0;
let restarting = null;
let descriptions = null;
let tables = null; // the bytes of data/tables.bin, once loaded
let tablesLoading = null;
const listeners = new Set();

/** Called with a sentence for the user after the engine was restarted. */
export function onRestart(fn) {
  listeners.add(fn);
}

/**
 * A new instance of the compiled module. The first takes the glue that
 * startEngine began importing beside the compile; later ones import it again
 * under a new URL: a new module record, a new instance with its own memory (the
 * service worker keys its cache without the query, so nothing is downloaded).
 */
async function instantiate(glue = import(`./pkg-calc/ptbill.js?instance=${generation}`)) {
  const next = await glue;
  await next.default({ module_or_path: compiled });
  if (descriptions !== null) next.icd10_load_descriptions(descriptions);
  if (tables !== null) next.load_tables(tables);
  api = next;
}

// Started when this module runs, which index.html asks for first (an async
// module script with no imports): the wasm compiles while it downloads (the
// preloaded response streams into the compiler) and the glue arrives beside it,
// so the engine is ready about when the page's other modules are.
let starting = null;
function startEngine() {
  starting ??= (async () => {
    const glue = import("./pkg-calc/ptbill.js");
    glue.catch(() => {}); // awaited below; a failure is the engine's
    compiled = await WebAssembly.compileStreaming(fetch(WASM));
    await instantiate(glue);
  })();
  return starting;
}
startEngine().catch(() => {}); // the page hears of a failure from loadEngine()

/** Loads the engine; resolves when it can check a visit. */
export const loadEngine = startEngine;

export const isReady = () => api !== null && restarting === null;

/** The engine stopped (trapped); the call's caller should try again after `restarted()`. */
export class EngineStopped extends Error {}

function restart() {
  generation += 1;
  api = null;
  restarting ??= instantiate()
    .then(() => {
      for (const fn of listeners) fn("The billing engine stopped unexpectedly and was restarted; your visit is unchanged.");
    })
    .finally(() => {
      restarting = null;
    });
  return restarting;
}

/** Resolves once a restart in progress has finished. */
export const restarted = () => restarting ?? Promise.resolve();

/** `call` for start-up steps that may run while a restart is under way (the
 * first check trapped): waits for the engine, then calls (a few tries). */
export async function callWhenReady(name, ...args) {
  for (let tries = 0; ; tries++) {
    await restarted();
    try {
      return call(name, ...args);
    } catch (e) {
      if (!(e instanceof EngineStopped) || tries >= 2) throw e;
    }
  }
}

/** Calls an export of the live instance; a trap restarts the engine and throws EngineStopped. */
export function call(name, ...args) {
  if (!isReady()) throw new EngineStopped("The billing engine is starting.");
  try {
    return api[name](...args);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      restart();
      throw new EngineStopped(e.message);
    }
    throw e;
  }
}

/** Whether every check can run (the tables are in, or compiled into the module). */
export const tablesReady = () => api !== null && api.tables_loaded();

/**
 * Fetches data/tables.bin once and hands it to the engine (and to any later
 * instance); resolves when every check can run. A failed fetch or a bad file
 * rejects, and a later call tries again.
 */
export function loadTables() {
  if (tablesReady()) return Promise.resolve();
  tablesLoading ??= fetch(TABLES)
    .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`HTTP ${r.status} for data/tables.bin`))))
    .then(async (buffer) => {
      const bytes = new Uint8Array(buffer);
      // A restart under way (the first check trapped) gets them once it is done.
      await callWhenReady("load_tables", bytes);
      tables = bytes;
    })
    .catch((e) => {
      tablesLoading = null;
      throw e;
    });
  return tablesLoading;
}

/** Hands the ICD-10-CM titles to the engine (and to any later instance). */
export function loadDescriptions(text) {
  descriptions = text;
  return call("icd10_load_descriptions", text);
}
