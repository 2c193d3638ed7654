// Forgiving input: what a clinician types ("$1,834.50", "15 min", a pasted
// "97110 23 GP" or a spreadsheet row) becomes the contract's visit fields, and
// what cannot be read gets a message in a clinician's words, naming the field.
// Pure functions, no DOM: the page and the Node tests use them alike.

/** Dollars: "$1,834.50", "1834.5", "1 834" → a number; "" → undefined; else null. */
export function parseDollars(text) {
  const t = String(text ?? "").trim();
  if (t === "") return undefined;
  const m = t.replace(/^\$\s*|\s*(usd|\$)$/gi, "").replace(/[,\s](?=\d{3}\b)/g, "");
  return /^\d+(\.\d{1,2})?$|^\.\d{1,2}$/.test(m) ? Number(m) : null;
}

/** Whole minutes: "23", "15 min", "15 mins", "15m", "15 minutes" → 15; "" → undefined; else null. */
export function parseMinutes(text) {
  const t = String(text ?? "").trim();
  if (t === "") return undefined;
  const m = t.match(/^(\d+)\s*(m|min|mins|minutes?)?\.?$/i);
  return m ? Number(m[1]) : null;
}

/** Whole units: "2", "2 units" → 2; "" → undefined; else null. */
export function parseUnits(text) {
  const t = String(text ?? "").trim();
  if (t === "") return undefined;
  const m = t.match(/^(\d+)\s*(u|units?)?$/i);
  return m ? Number(m[1]) : null;
}

/** Modifiers as typed: "gp, 59" → ["GP", "59"]; blank → undefined (ptbill proposes them). */
export function parseModifiers(text) {
  const list = String(text ?? "").toUpperCase().split(/[\s,;/]+/).filter(Boolean);
  return list.length ? list : undefined;
}

// The form's words for each field, and an example of what fits.
const FIELD_WORDS = {
  code: ["code", "type a code, like 97110"],
  minutes: ["minutes", "type a whole number, like 23"],
  assistant_minutes: ["assistant minutes", "type a whole number, like 8, no more than the line's minutes"],
  units: ["units", "type a whole number, like 2, or leave it blank"],
  modifiers: ["modifiers", "type modifiers separated by spaces, like GP CQ"],
};

/** "Line 2 minutes" for line index 1 (0-based). */
export function lineFieldName(i, key) {
  return `Line ${i + 1} ${FIELD_WORDS[key]?.[0] ?? key.replace(/_/g, " ")}`;
}

/**
 * Checks the form's raw text before the engine sees it, so the common slips get
 * a clinician's message. Returns [{field, row, key, name, message}] (row = form
 * row; field as the engine names it), empty when every field reads.
 */
export function formProblems(form) {
  const out = [];
  if (!form.date) {
    out.push({ field: "date_of_service", name: "Date of service", message: "Date of service: pick the date of the visit" });
  }
  if (form.ytd !== undefined && parseDollars(form.ytd) === null) {
    out.push({ field: "ytd_allowed", name: "Allowed so far this year", message: "Allowed so far this year: type an amount in dollars, like 1834.50, or leave it blank" });
  }
  form.lines.forEach((l, row) => {
    const parsers = { minutes: parseMinutes, assistant_minutes: parseMinutes, units: parseUnits };
    for (const [key, parse] of Object.entries(parsers)) {
      if (parse(l[key]) === null) out.push({ row, key, name: lineFieldName(row, key), message: `${lineFieldName(row, key)}: ${FIELD_WORDS[key][1]}` });
    }
    const filled = Object.values(l).some((v) => String(v).trim() !== "");
    if (filled && l.code.trim() === "") out.push({ row, key: "code", name: lineFieldName(row, "code"), message: `${lineFieldName(row, "code")}: ${FIELD_WORDS.code[1]}` });
    const m = parseMinutes(l.minutes);
    const a = parseMinutes(l.assistant_minutes);
    if (m != null && a != null && a > m) {
      out.push({ row, key: "assistant_minutes", name: lineFieldName(row, "assistant_minutes"), message: `${lineFieldName(row, "assistant_minutes")}: ${a} is more than the line's ${m} minutes; type the part of them the assistant furnished alone` });
    }
  });
  return out;
}

/**
 * The engine's message ("lines[0].minutes: must not be negative, got -5") in the
 * form's words ("Line 1 minutes: must not be negative, got -5"), with the field.
 * `rowOf` maps the visit's line index to the form's row (blank rows are skipped).
 */
export function engineProblem(message, rowOf = (i) => i) {
  const m = String(message).match(/^(lines\[(\d+)\]\.(\w+)|[\w.[\]]+):\s*(.*)$/s);
  if (!m) return { message: `This visit cannot be checked yet: ${message}` };
  if (m[2] !== undefined) {
    const row = rowOf(Number(m[2]));
    const name = lineFieldName(row, m[3]);
    return { row, key: m[3], name, message: `${name}: ${m[4]}` };
  }
  const names = { date_of_service: "Date of service", ytd_allowed: "Allowed so far this year", diagnoses: "Diagnoses" };
  const base = m[1].replace(/\[\d+\]$/, "");
  const name = names[base] ?? base.replace(/_/g, " ");
  return { field: base, name, message: `${name}: ${m[4]}` };
}

const CODE = /^(\d{5}|\d{4}[FTUM]|[A-V]\d{4})$/i;
const MODIFIER = /^(G[PONA]|C[QO]|KX|X[EPSU]|GA|GY|GZ|KX|\d{2}|[A-Z]{2}|[A-Z]\d|\d[A-Z])$/i;
const NUMERIC_MODIFIERS = new Set(["22", "25", "50", "51", "52", "59", "76", "77", "79", "91", "95", "96", "97"]);

/**
 * A pasted service line or several (a spreadsheet's rows: tab-, comma- or
 * space-separated) → [{code, minutes, assistant_minutes, modifiers, units}] as
 * form text, or null when the text holds no code. After the code, the first
 * number is minutes, a second assistant minutes, a third units; "15 min" reads
 * as minutes; two-character tokens (GP, CQ, 59 after the minutes) are modifiers.
 * Cells that are none of these (a visit id, a date, a payer) are skipped.
 */
export function parsePastedLines(text) {
  const rows = String(text ?? "").split(/\r?\n/).map((r) => r.trim()).filter(Boolean);
  const lines = [];
  for (const row of rows) {
    const cells = row.includes("\t") ? row.split("\t") : row.split(/[,;]\s*|\s+/);
    const tokens = cells.map((c) => c.trim()).filter(Boolean);
    const at = tokens.findIndex((t) => CODE.test(t));
    if (at < 0) continue;
    const line = { code: tokens[at].toUpperCase(), minutes: "", assistant_minutes: "", modifiers: "", units: "" };
    const numbers = ["minutes", "assistant_minutes", "units"];
    const mods = [];
    for (let k = at + 1; k < tokens.length; k++) {
      let t = tokens[k];
      if (/^(min|mins|minutes?)$/i.test(t)) continue; // "15 min" split by spaces
      const minutes = t.match(/^(\d+)\s*(m|min|mins|minutes?)$/i);
      if (minutes) t = minutes[1];
      if (/^\d+$/.test(t) && !(NUMERIC_MODIFIERS.has(t) && line.minutes !== "" && !minutes)) {
        const slot = numbers.shift();
        if (slot) line[slot] = t;
      } else if (/\s/.test(t) && t.split(/\s+/).every((x) => MODIFIER.test(x))) {
        mods.push(...t.toUpperCase().split(/\s+/)); // a spreadsheet cell "GP 59"
      } else if (MODIFIER.test(t) && !CODE.test(t)) {
        mods.push(t.toUpperCase());
      }
    }
    line.modifiers = mods.join(" ");
    lines.push(line);
  }
  return lines.length ? lines : null;
}

/** Whether a pasted text is more than a plain value for one field. */
export function looksLikeLine(text) {
  const t = String(text ?? "").trim();
  return /[\s\t,;]/.test(t) && parsePastedLines(t) !== null;
}
