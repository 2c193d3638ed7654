// What the engine says is right for an exercise: units per line (with every
// answer a CMS tie allows), the modifiers to bill, and the problems. Nothing
// here is stored: it is computed from the visit each time it is needed.
import { check as checkText, rules } from "../pkg-calc/ptbill.js";

// The page's module takes the visit as JSON text (www/pkg-calc has no object walk).
const check = (visit) => checkText(JSON.stringify(visit));

/** Rules that are never a "problem" to pick: notes about the reference data. */
const NOT_A_PROBLEM = new Set(["reference-data-date"]);

let ruleList = null;
/** The engine's rules: id → {id, title, summary, severity, rank}; the title falls back to the summary (engines before rule titles). */
export function ruleInfo() {
  if (!ruleList) {
    ruleList = new Map();
    for (const r of rules()) ruleList.set(r.id, { ...r, title: r.title ?? r.summary });
  }
  return ruleList;
}

/** The rules a learner may pick from: every one that can be a warning or an error. */
export function problemChoices() {
  const all = [...ruleInfo().values()].filter((r) => r.severity !== "info" && !NOT_A_PROBLEM.has(r.id));
  // The engine's rank when it has one (what it costs), else its own order.
  return all.map((r, i) => ({ r, i })).sort((a, b) => (a.r.rank ?? a.i) - (b.r.rank ?? b.i) || a.i - b.i).map((x) => x.r);
}

/** Modifiers as a set: trimmed, upper-cased, each once, in the order given. */
export const normMods = (list) => [...new Set(list.map((m) => m.trim().toUpperCase()).filter(Boolean))];

function permutations(n) {
  if (n <= 1) return [[...Array(n).keys()]];
  const out = [];
  const walk = (prefix, rest) => {
    if (rest.length === 0) return out.push(prefix);
    rest.forEach((x, k) => walk([...prefix, x], rest.filter((_, j) => j !== k)));
  };
  walk([], [...Array(n).keys()]);
  return out;
}

/**
 * Every unit answer the rules accept. A CMS tie goes to the line entered first
 * (contract), so checking the visit with its lines in every order gives every
 * allocation a tie allows; any order gives the same answer when there is no tie.
 * Up to 6 lines (720 checks); longer visits keep the engine's one answer.
 */
function allowedUnits(visit, report) {
  const main = report.lines.map((l) => l.units);
  const answers = [main];
  const tie = report.explanation.some((s) => /^Tie\b/.test(s));
  if (!tie || visit.lines.length > 6) return answers;
  for (const order of permutations(visit.lines.length)) {
    const r = check({ ...visit, lines: order.map((i) => visit.lines[i]) });
    const units = Array(order.length);
    order.forEach((orig, k) => (units[orig] = r.lines[k].units));
    if (!answers.some((a) => a.every((u, i) => u === units[i]))) answers.push(units);
  }
  return answers;
}

/**
 * The engine's answer for a visit: {report, units: [[…], …] (first = engine's
 * own), modifiers: [[…] per line], problems: [rule ids], tie: sentence|null}.
 * Throws the engine's message when the visit cannot be checked.
 */
export function expectedAnswer(visit) {
  const report = check(visit);
  const problems = [...new Set(report.diagnostics.filter((d) => d.severity !== "info" && !NOT_A_PROBLEM.has(d.rule)).map((d) => d.rule))];
  return {
    report,
    units: allowedUnits(visit, report),
    modifiers: report.lines.map((l) => normMods(l.modifiers)),
    problems,
    tie: report.explanation.find((s) => /^Tie\b/.test(s)) ?? null,
  };
}
