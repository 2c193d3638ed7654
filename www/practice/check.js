// Compares a learner's answer with the engine's and words each mistake from
// the engine's own numbers (minutes, units, leftovers) and findings.
import { ruleInfo, normMods } from "./answer.js";

const unitWord = (n) => (n === 0 ? "no unit" : n === 1 ? "1 unit" : `${n} units`);
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const ordinal = (n) => `${n}${[11, 12, 13].includes(n % 100) ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
const list = (xs) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);

/** What each modifier says, in ptbill's words, for mistakes the engine has no finding for. */
const MODIFIER_MEANING = {
  GP: "services under a physical therapy plan of care",
  GO: "services under an occupational therapy plan of care",
  GN: "services under a speech-language pathology plan of care",
  CQ: "a unit a PTA furnished in part (more than 10% of it)",
  CO: "a unit an OTA furnished in part (more than 10% of it)",
  KX: "care above the year's therapy threshold that is medically necessary",
  GA: "an ABN on file",
  59: "a distinct service, where an NCCI pair calls for it",
  XE: "a separate encounter, where an NCCI pair calls for it",
  XS: "a separate structure or organ, where an NCCI pair calls for it",
  XP: "a separate practitioner, where an NCCI pair calls for it",
  XU: "an unusual, non-overlapping service, where an NCCI pair calls for it",
  25: "a separate E/M visit by a physician or NPP, never a therapy code",
  52: "a reduced service, never used for short timed codes",
  76: "a repeated procedure, not how timed units are reported",
};

/** How a line is named in feedback: by its code, unless the code is what is asked. */
function namer(exercise) {
  const hidden = new Set(exercise.hide ?? []);
  return (i) => (hidden.has(`lines.${i}.code`) ? `line ${i + 1}` : exercise.visit.lines[i].code);
}

function unitReason(i, given, right, exercise, expected) {
  const { visit } = exercise;
  const r = expected.report;
  const line = r.lines[i];
  const name = namer(exercise);
  const m = visit.lines[i].minutes;
  const lead =
    given === null
      ? `No answer; ${name(i)} earns ${unitWord(right)}.`
      : Number.isNaN(given)
        ? `Type the units as a whole number, like 2; ${name(i)} earns ${unitWord(right)}.`
        : `You gave ${name(i)} ${unitWord(given)}; it earns ${unitWord(right)}.`;
  const lineErrors = r.diagnostics.filter((d) => d.line === i && d.severity === "error");
  if (line.billable === false || (right === 0 && lineErrors.some((d) => /code/.test(d.rule)))) {
    const why = lineErrors[0]?.message ?? "it cannot be billed on this claim";
    return `${lead} It is not billable here: ${why}`;
  }
  if (!line.timed) {
    const claimed = visit.lines[i].units !== undefined;
    return `${lead} ${name(i)} is untimed: ${claimed ? "the units claimed" : "one unit per session"}, however long it took${m ? `; its ${m} minutes count toward total treatment time, never toward timed units` : ""}.`;
  }
  if (m === undefined) return `${lead} A timed code needs its minutes; without them it earns no unit.`;
  if (r.method === "ama") {
    const step = r.explanation.find((s) => s.startsWith("Each code on its own:"));
    const part = step?.slice("Each code on its own:".length).split(";").map((s) => s.trim()).find((s) => s.startsWith(`${visit.lines[i].code} `));
    const words = part && !namer(exercise)(i).startsWith("line") ? part : `${m} min → ${unitWord(right)}`;
    return `${lead} Under the CPT per-code rule each code counts only its own minutes, and a unit needs at least 8: ${words.replace(/\.$/, "")}.`;
  }
  // CMS total time: the engine's total and units, the blocks and leftovers they come from.
  const T = r.timed_minutes;
  const N = r.timed_units;
  if (N === 0) return `${lead} The visit's timed minutes total ${T}, under 8, so no timed code earns a unit.`;
  const pool = r.lines
    .map((l, j) => ({ j, l, m: visit.lines[j].minutes }))
    .filter(({ l, m }) => l.timed && l.billable !== false && Number.isInteger(m));
  const full = (x) => Math.floor(x / 15);
  const F = pool.reduce((s, p) => s + full(p.m), 0);
  const R = N - F;
  const f = full(m);
  const left = m - 15 * f;
  if (pool.length === 1) {
    return `${lead} It is the visit's only timed code, so its ${m} minutes are the total: ${unitWord(N)} on the unit chart (8–22 minutes = 1 unit, 23–37 = 2, 38–52 = 3, …).`;
  }
  const extras = pool.filter((p) => p.l.units > full(p.m));
  const which = R === 1 ? `the ${ordinal(N)} unit goes` : `units ${F + 1}–${N} go`;
  const own = f === 0 ? `${name(i)} has none` : `${name(i)}'s ${m} minutes hold ${f}`;
  const blocks = F > 0 ? `Full 15-minute blocks place ${F} (${own}); ` : "No code has a full 15-minute block, so ";
  let words;
  if (right === f + 1) {
    words = `${blocks}${which} to the largest leftover minutes, and ${name(i)}'s ${left} ${R === 1 ? "is the largest" : "is among them"}.`;
  } else if (right === f && R === 0) {
    words = `Full 15-minute blocks already place ${N === 1 ? "the visit's one unit" : `all ${N} units`} (${own}), so no leftover minutes earn a unit.`;
  } else if (right === f) {
    const tied = extras.filter((p) => p.m - 15 * full(p.m) === left);
    const winners = extras.map((p) => `${name(p.j)}'s ${p.m - 15 * full(p.m)}`);
    words = tied.length
      ? `${blocks}${which} to the largest leftover minutes; ${name(i)}'s ${left} minutes tie with ${list(tied.map((p) => name(p.j)))}, and the unit went to ${list(extras.map((p) => name(p.j)))}.`
      : `${blocks}${which} to larger leftover minutes: ${list(winners)}, against ${name(i)}'s ${left}.`;
  } else {
    words = r.explanation.filter((x) => x.includes(visit.lines[i].code)).slice(1).join(" ");
  }
  const tie = expected.tie && expected.tie.includes(visit.lines[i].code) && !name(i).startsWith("line") ? ` ${expected.tie}` : "";
  return `${lead} Under total time the visit's ${T} timed minutes make ${unitWord(N)}. ${words}${tie}`;
}

function modifierReason(i, given, right, exercise, expected) {
  const r = expected.report;
  const name = namer(exercise)(i);
  const missing = right.filter((m) => !given.includes(m));
  const extra = given.filter((m) => !right.includes(m));
  const said = new Set();
  const finding = (mod) => {
    const d = r.diagnostics.find((x) => x.line === i && new RegExp(`(^|[^A-Z0-9])${mod}([^A-Z0-9]|$)`).test(x.message));
    if (!d || said.has(d)) return null;
    said.add(d);
    return d.message;
  };
  const parts = [`You gave ${given.join(" ") || "no modifier"}; ${name} should carry ${right.join(" ") || "no modifier"}.`];
  for (const m of missing) parts.push(finding(m) ?? `${m} is missing: it marks ${MODIFIER_MEANING[m] ?? "what this line needs"}.`);
  for (const m of extra) parts.push(finding(m) ?? `${m} does not belong: it marks ${MODIFIER_MEANING[m] ?? "something this visit does not have"}.`);
  const split = r.lines[i].split;
  if (split) parts.push(`Bill it as ${split.map((s) => `${plural(s.units, "unit")} with ${s.modifiers.join(" ")}`).join(" and ")}.`);
  return parts.join(" ");
}

function problemReason(given, right, expected) {
  const info = ruleInfo();
  const title = (id) => info.get(id)?.title ?? id;
  const missed = right.filter((id) => !given.includes(id));
  const extra = given.filter((id) => !right.includes(id));
  const parts = [];
  for (const id of missed) {
    const d = expected.report.diagnostics.find((x) => x.rule === id);
    parts.push(`Missed “${title(id)}”: ${d.message}`);
  }
  for (const id of extra) parts.push(`“${title(id)}” is not a problem of this visit.`);
  if (right.length === 0) parts.push("This visit has no problem to find.");
  return parts.join(" ");
}

/**
 * Checks an answer. `given`: {units: [n|null], modifiers: [[…]|null], problems: [ids], codes: [text|null]}
 * (null = not asked). Returns {items: [{key, label, ok, reason, note}], right}.
 */
export function checkAnswer(exercise, expected, given) {
  const ask = new Set(exercise.ask);
  const name = namer(exercise);
  const lines = exercise.visit.lines;
  const items = [];
  const hidden = new Set(exercise.hide ?? []);
  if (ask.has("code")) {
    lines.forEach((l, i) => {
      if (!hidden.has(`lines.${i}.code`)) return;
      const g = (given.codes[i] ?? "").trim().toUpperCase();
      const ok = g === l.code.toUpperCase();
      const label = expected.report.lines[i].label;
      items.push({
        key: `code-${i}`,
        label: `Line ${i + 1} code`,
        ok,
        reason: ok ? "" : `${g ? `You gave ${g}.` : "No answer."} This line is ${l.code}${label ? ` (${label})` : ""}. See the explanation for why.`,
      });
    });
  }
  if (ask.has("units")) {
    const g = lines.map((_, i) => given.units[i]);
    const dist = (a) => a.reduce((n, u, i) => n + (u === g[i] ? 0 : 1), 0);
    // The allowed answer nearest to the learner's; the engine's own first on equal distance.
    const target = expected.units.reduce((best, a) => (dist(a) < dist(best) ? a : best), expected.units[0]);
    const tied = expected.units.length > 1;
    lines.forEach((_, i) => {
      const ok = g[i] === target[i];
      const choices = [...new Set(expected.units.map((a) => a[i]))];
      items.push({
        key: `units-${i}`,
        label: `Line ${i + 1}${name(i).startsWith("line") ? "" : ` (${name(i)})`} units`,
        ok,
        reason: ok ? "" : unitReason(i, g[i], target[i], exercise, expected),
        note: tied && choices.length > 1 ? `A tie: ${expected.units.length} answers are correct here (${expected.units.map((a) => a.join(" + ")).join(", or ")}).${ok && dist(target) === 0 ? " Yours is one of them." : ""}` : "",
      });
    });
  }
  if (ask.has("modifiers")) {
    lines.forEach((_, i) => {
      const g = normMods(given.modifiers[i] ?? []);
      const right = expected.modifiers[i];
      const ok = g.length === right.length && g.every((m) => right.includes(m));
      items.push({
        key: `mods-${i}`,
        label: `Line ${i + 1}${name(i).startsWith("line") ? "" : ` (${name(i)})`} modifiers`,
        ok,
        reason: ok ? "" : modifierReason(i, g, right, exercise, expected),
      });
    });
  }
  if (ask.has("problems")) {
    const g = [...new Set(given.problems)];
    const ok = g.length === expected.problems.length && g.every((id) => expected.problems.includes(id));
    items.push({ key: "problems", label: "Problems", ok, reason: ok ? "" : problemReason(g, expected.problems, expected) });
  }
  return { items, right: items.every((x) => x.ok) };
}
