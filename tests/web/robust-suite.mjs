// The wasm robustness suite, runnable in any host (Node and Chromium: see
// robust.test.mjs). Every export of a built module (www/pkg or www/pkg-audit)
// gets hostile arguments in every position: wrong types, huge strings, deep
// nesting, NaN/Infinity, BigInt, lone surrogates, a 2^32-length claim. Each
// must throw an Error naming the problem (never a WebAssembly.RuntimeError, a
// trap) or, where the argument is optional, answer normally; after each call
// the same instance must still check a visit. Returns the failures as strings.
// `textOnly`: the build's check takes JSON text only (the page's www/pkg-calc,
// cargo feature js-objects off): valid visits go as text, and every object
// visit must be refused with an Error that says it takes JSON text.

const VISIT = {
  date_of_service: "2026-03-02",
  lines: [
    { code: "97110", minutes: 33, modifiers: ["GP"] },
    { code: "97140", minutes: 7, modifiers: ["GP"] },
  ],
  diagnoses: ["M54.50"],
};
const CSV = "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses\nV1,2026-03-02,medicare,pt,97110,33,,2,GP,M54.50\n";

// Valid arguments of each known export; `optional` lists the positions where
// undefined (and, for callbacks, null) is a valid choice.
const KNOWN = {
  check: { args: [VISIT] },
  rules: { args: [] },
  explain: { args: ["ncci-edit"] },
  version: { args: [] },
  catalog: { args: [] },
  icd10_lookup: { args: ["M54.50", "2026-03-02"] },
  icd10_search: { args: ["low back", "2026-03-02", 5], optional: { 2: ["undefined"] } },
  icd10_load_descriptions: { args: ["# ICD-10-CM code descriptions\nM54.50\tLow back pain, unspecified\n"] },
  load_tables: { args: [new Uint8Array(0)] },
  audit: { args: [CSV] },
  audit_summary: { args: [CSV] },
  audit_compact: { args: [CSV, 1, () => true], optional: { 1: ["undefined"], 2: ["undefined", "null", "function"] } },
};

function deepObject(depth) {
  let o = {};
  for (let i = 0; i < depth; i++) o = { a: o };
  return o;
}
function deepList(depth) {
  let o = [];
  for (let i = 0; i < depth; i++) o = [o];
  return o;
}

// Built once: the huge string is larger than any export accepts (128 Mi characters).
let huge;
function hostile() {
  huge ??= "x".repeat(128 * 1024 * 1024 + 1);
  const longList = [];
  longList.length = 2 ** 32 - 1;
  const circular = { date_of_service: "2026-03-02" };
  circular.lines = [circular];
  return {
    number: 123,
    "negative number": -1,
    "fraction": 2.5,
    NaN: NaN,
    Infinity: Infinity,
    "-Infinity": -Infinity,
    BigInt: 30n,
    true: true,
    object: {},
    undefined: undefined,
    null: null,
    array: [1, 2, 3],
    symbol: Symbol("x"),
    function: () => 1,
    "length 3e9": { length: 3e9 },
    "length 2^32": { length: 2 ** 32 },
    "list of length 2^32-1": longList,
    "lone surrogate": "M54.50\ud800",
    "lone trailing surrogate": "\udc00",
    "huge string": huge,
    "10,000-deep object": deepObject(10000),
    "10,000-deep list": deepList(10000),
    "10,000-deep JSON text": "[".repeat(10000) + "]".repeat(10000),
    circular,
    "throwing proxy": new Proxy({}, { get() { throw new Error("boom"); }, ownKeys() { throw new Error("boom"); } }),
    Map: new Map([["date_of_service", "2026-03-02"]]),
    Date: new Date(0),
  };
}

// Visits that must be rejected with the named field (substring of the message).
function badVisits() {
  const v = (line, extra = {}) => ({ date_of_service: "2026-03-02", lines: [{ code: "97110", ...line }], ...extra });
  const longList = [];
  longList.length = 2 ** 32 - 1;
  return [
    [v({ minutes: NaN }), "lines[0].minutes", "NaN"],
    [v({ minutes: Infinity }), "lines[0].minutes", "Infinity"],
    [v({ minutes: -Infinity }), "lines[0].minutes", "-Infinity"],
    [v({}, { ytd_allowed: NaN }), "ytd_allowed", "NaN"],
    [v({ minutes: 30n }), "lines[0].minutes", "BigInt"],
    [v({ code: "9711\ud800" }), "lines[0].code", "lone surrogate"],
    [v({ modifiers: ["G\udc00"] }), "lines[0].modifiers[0]", "lone surrogate"],
    [v({ modifiers: deepList(10000) }), "lines[0].modifiers", "nested too deeply"],
    [{ ...v({}), lines: longList }, "lines", "entries"],
    [{ ...v({}), lines: { length: 3e9 } }, "lines", "expected a list"],
    [{ length: 3e9 }, "length", "unknown field"],
    [v({}, { lines: [] }), "lines", "empty"],
    [JSON.stringify(v({ minutes: 23 })).replace('"minutes":23', '"minutes":23,"minutes":8'), "lines[0].minutes", "given twice"],
    [JSON.stringify(v({})).slice(0, -1) + ',"lines":[]}', "lines", "given twice"],
    ['{"date_of_service":"2026-03-02","lines":[{"code":"9711\ud800"}]}', "lines[0].code", "lone surrogate"],
    ["[".repeat(10000), "", "nested too deeply"],
    [deepObject(10000), "", "nested too deeply"],
  ];
}

export function robustness(m, { textOnly = false } = {}) {
  const failures = [];
  let calls = 0;
  const visitArg = textOnly ? JSON.stringify(VISIT) : VISIT;
  const stillWorks = (after) => {
    try {
      const r = m.check(visitArg);
      if (r.timed_units !== 3) failures.push(`${after}: check afterwards gave ${r.timed_units} timed units, not 3`);
    } catch (e) {
      failures.push(`${after}: the instance no longer checks a visit (${e?.constructor?.name}: ${e?.message})`);
    }
  };
  const call = (label, f, { mayReturn, mustName } = {}) => {
    calls++;
    try {
      f();
      if (!mayReturn) failures.push(`${label}: returned instead of throwing`);
    } catch (e) {
      if (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) {
        failures.push(`${label}: trapped (RuntimeError: ${e.message})`);
      } else if (!(e instanceof Error)) {
        failures.push(`${label}: threw a non-Error ${String(e)}`);
      } else if (!e.message) {
        failures.push(`${label}: an Error without a message`);
      } else if (mustName && !mustName.every((w) => (Array.isArray(w) ? w : [w]).some((x) => e.message.includes(x)))) {
        failures.push(`${label}: message ${JSON.stringify(e.message)} does not name ${mustName.join(" / ")}`);
      }
    }
    stillWorks(label);
  };

  const exports = Object.entries(m).filter(([k, v]) => typeof v === "function" && k !== "default" && k !== "initSync");
  const values = hostile();
  for (const [name, f] of exports) {
    const known = KNOWN[name];
    const arity = known ? known.args.length : f.length;
    if (arity === 0) {
      // No arguments: extra ones of any kind are ignored, the answer unchanged.
      for (const [what, bad] of Object.entries(values)) call(`${name}(${what})`, () => f(bad), { mayReturn: true });
      continue;
    }
    for (let i = 0; i < arity; i++) {
      for (const [what, bad] of Object.entries(values)) {
        const args = known ? known.args.map((a) => (a === VISIT ? visitArg : a)) : new Array(arity).fill(undefined);
        args[i] = bad;
        const optional = known?.optional?.[i] ?? [];
        // A whole number is valid in a number position; deep JSON text is still
        // a string, which a string argument other than check's may answer.
        const numeric = known && typeof known.args[i] === "number";
        const fine =
          !known ||
          optional.includes(what) ||
          (numeric && what === "number") ||
          (!numeric && name !== "check" && what === "10,000-deep JSON text") ||
          // Any string is a CSV file's text to the audit (lone surrogates become
          // replacement characters, as bad bytes in a file do): it may answer, or
          // name the file's problem (no usable header) instead of the argument.
          (/^audit/.test(name) && typeof bad === "string" && bad.length <= 128 * 1024 * 1024);
        // Messages name the export and argument ("explain: the rule id must be a
        // string, got the number 123"); check names the field for objects instead.
        const primitive = bad === null || (typeof bad !== "object" && typeof bad !== "string");
        // The audit exports name the argument too: "audit(csvText): csvText must be …".
        const objectVisit = name === "check" && !primitive && typeof bad !== "string";
        const mustName = known && !fine && (name !== "check" || primitive) ? [[`${name}:`, `${name}(`]] : textOnly && objectVisit ? ["JSON text"] : undefined;
        call(`${name} argument ${i + 1} = ${what}`, () => f(...args), { mayReturn: fine, mustName });
      }
    }
  }
  for (const [visit, field, word] of badVisits()) {
    const text = typeof visit === "string";
    const label = `check(${text ? "text" : "object"} expecting ${field || "the input"}: ${word})`;
    call(label, () => m.check(visit), { mustName: textOnly && !text ? ["JSON text"] : [field, word].filter(Boolean) });
  }
  // A leading byte order mark in JSON text is accepted, as in the CLI.
  calls++;
  try {
    const r = m.check("\ufeff" + JSON.stringify(VISIT));
    if (r.timed_units !== 3) failures.push(`BOM text: ${r.timed_units} timed units`);
  } catch (e) {
    failures.push(`BOM text rejected: ${e.message}`);
  }
  return { failures, calls, exports: exports.map(([k]) => k) };
}
