// An educator's exercise travels in the link: base64url JSON after "#x=",
// which browsers never send to a server. Nothing is kept anywhere else.
//   {visit, ask: ["units"|"modifiers"|"problems"|"code"], hide: ["lines.0.minutes", …], title?, prompt?, point?}

export const ASKABLE = ["units", "modifiers", "problems", "code"];
export const VISIT_FIELDS = ["date_of_service", "payer", "method", "discipline", "setting", "ytd_allowed", "diagnoses"];
export const LINE_FIELDS = ["code", "minutes", "assistant_minutes", "modifiers", "units"];

function toBase64url(text) {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromBase64url(text) {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The fragment of an exercise: "x=…". */
export function encodeExercise(visit, options = {}) {
  const body = { visit, ask: options.ask ?? ["units"], hide: options.hide ?? [] };
  for (const k of ["title", "prompt", "point"]) if (options[k]) body[k] = String(options[k]);
  return `x=${toBase64url(JSON.stringify(body))}`;
}

/** The page's own address, whatever the host page or path. */
function base() {
  return `${location.origin}${location.pathname}`;
}

/**
 * A link that opens `visit` as an exercise: options {ask, hide, title, prompt, point}.
 * For the calculator's "Make an exercise from this visit" button.
 */
export function exerciseLink(visit, options = {}) {
  return `${base()}?practice#${encodeExercise(visit, options)}`;
}

/** A link that opens the exercise editor with `visit` loaded. */
export function editorLink(visit) {
  return `${base()}?practice#make=${toBase64url(JSON.stringify(visit))}`;
}

/** The embed snippet: a frame that sizes itself by the page's ptbill:resize messages. */
export function embedSnippet(visit, options = {}) {
  const src = `${base()}?embed&practice#${encodeExercise(visit, options)}`;
  const title = options.title ? `ptbill practice: ${options.title}` : "ptbill practice exercise";
  return [
    `<iframe id="ptbill-practice" src="${src.replace(/&/g, "&amp;")}" title="${title.replace(/"/g, "&quot;")}" width="100%" height="600" style="border:0" allow="clipboard-write"></iframe>`,
    `<script>`,
    `addEventListener("message", (e) => {`,
    `  const f = document.getElementById("ptbill-practice");`,
    `  if (e.source === f.contentWindow && e.data?.type === "ptbill:resize") f.style.height = e.data.height + "px";`,
    `});`,
    `</script>`,
  ].join("\n");
}

/** A visit from a calculator share link (…#v=…), a bare "#v=…", or the visit's JSON. */
export function visitFromText(text) {
  const t = text.trim();
  const m = t.match(/#v=([A-Za-z0-9_-]+)/) ?? t.match(/^v=([A-Za-z0-9_-]+)$/);
  if (m) {
    try {
      return JSON.parse(fromBase64url(m[1]));
    } catch {
      throw new Error("this share link is damaged (cut short or changed): copy it again from the calculator.");
    }
  }
  if (t.startsWith("{")) {
    try {
      return JSON.parse(t);
    } catch (e) {
      // The browser's own wording ("Unexpected token } in JSON at position 45") means little to an educator.
      const at = /position (\d+)/.exec(e.message);
      const where = at ? ` near character ${Number(at[1]) + 1}` : "";
      throw new Error(`its JSON could not be read${where}: check the commas, quotes and brackets there, or paste the calculator's share link instead.`);
    }
  }
  throw new Error("Paste the calculator's share link (it contains #v=) or the visit as JSON.");
}

/** The exercise in a "#x=…" fragment, shape-checked; throws with a plain message. */
export function decodeExercise(fragment) {
  let body;
  try {
    body = JSON.parse(fromBase64url(fragment));
  } catch {
    throw new Error("This exercise link is damaged: it could not be read. Ask for the link again.");
  }
  if (!body || typeof body !== "object" || !body.visit || !Array.isArray(body.visit.lines)) {
    throw new Error("This exercise link holds no visit. Ask for the link again.");
  }
  const ask = (Array.isArray(body.ask) ? body.ask : ["units"]).filter((a) => ASKABLE.includes(a));
  const lineField = new RegExp(`^lines\\.(\\d+)\\.(${LINE_FIELDS.join("|")})$`);
  const hide = (Array.isArray(body.hide) ? body.hide : []).filter((h) => VISIT_FIELDS.includes(h) || (lineField.test(h) && Number(h.match(lineField)[1]) < body.visit.lines.length));
  return {
    id: "link",
    level: 0,
    title: typeof body.title === "string" && body.title ? body.title : "An exercise from your educator",
    prompt: typeof body.prompt === "string" ? body.prompt : "",
    point: typeof body.point === "string" ? body.point : "",
    visit: body.visit,
    ask: ask.length ? ask : ["units"],
    hide,
    explain: "",
  };
}

/** Decodes the editor's "#make=…" visit. */
export function decodeEditorVisit(fragment) {
  return JSON.parse(fromBase64url(fragment));
}
