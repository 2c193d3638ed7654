// Sharing and embedding: the visit in the link (only written to the address bar
// when the user copies or shares, or once typing has paused for a second — never
// per keystroke), "Forget this visit", the embed snippet with its resize
// listener, the read-only worked examples, and the print footer.
import { esc, today } from "./form.js";

const $ = (id) => document.getElementById(id);

// A visit in a link: base64url JSON after "#v=", which browsers never send to a
// server. (Here rather than in a module of its own: one request fewer before the
// first result; the audit view's links use it too.)
export function encodeVisit(visit) {
  const bytes = new TextEncoder().encode(JSON.stringify(visit));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeVisit(text) {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

export const inFrame = window.parent !== window;

export function visitFromHash(hash = location.hash) {
  const m = hash.match(/^#v=([A-Za-z0-9_-]+)$/);
  if (!m) return null;
  try {
    return decodeVisit(m[1]);
  } catch {
    return null;
  }
}

let current = null; // the visit the link should hold
let urlTimer = 0;

function linkFor(visit, query = location.search) {
  return `${location.origin}${location.pathname}${query}${visit ? `#v=${encodeVisit(visit)}` : ""}`;
}

function writeUrl() {
  clearTimeout(urlTimer);
  const href = linkFor(current);
  if (href !== location.href) history.replaceState(null, "", href);
}

/** The visit changed: the link follows once typing pauses (at most once a second). */
export function visitChanged(visit, { embed }) {
  current = visit;
  if (embed && !location.hash.startsWith("#v=")) return; // an embed without a scenario keeps its URL
  clearTimeout(urlTimer);
  urlTimer = setTimeout(writeUrl, 1000);
  updateEmbedSnippet();
}

export function shareLink() {
  writeUrl();
  return linkFor(current);
}

/** Forget: no visit in the address bar or in this tab's history entry. */
export function forgetUrl() {
  current = null;
  clearTimeout(urlTimer);
  history.replaceState(null, "", `${location.pathname}${location.search}`);
  updateEmbedSnippet();
}

/** The host page's four lines: size the frame to the height ptbill reports. */
export function embedSnippet(visit) {
  const src = linkFor(visit, "?embed");
  return `<iframe src="${src}" title="ptbill: therapy billing units" width="100%" height="600" style="border:0" allow="clipboard-write"></iframe>
<script>
addEventListener("message", (e) => {
  if (e.origin !== "${location.origin}" || e.data?.type !== "ptbill:resize") return;
  for (const f of document.querySelectorAll('iframe[src^="${location.origin}"]')) if (f.contentWindow === e.source) f.style.height = e.data.height + "px";
});
</script>`;
}

function updateEmbedSnippet() {
  $("embed-snippet").value = embedSnippet(current);
}

export async function copy(text, status, done = "Copied.") {
  try {
    await navigator.clipboard.writeText(text);
    $(status).textContent = done;
  } catch {
    $(status).textContent = "Select and copy it by hand.";
  }
  setTimeout(() => ($(status).textContent = ""), 4000);
}

const EXAMPLES = [
  ["CMS example 1: 24 + 23 minutes", [["97112", 24], ["97110", 23]]],
  ["CMS example 2: a tie, 20 + 20 minutes", [["97112", 20], ["97110", 20]]],
  ["CMS example 3: 33 + 7 minutes", [["97110", 33], ["97140", 7]]],
  ["CMS example 4: four codes, 49 minutes", [["97110", 18], ["97140", 13], ["97116", 10], ["97035", 8]]],
  ["Per code gives more: 10 + 10 minutes", [["97110", 10], ["97116", 10]]],
];
function renderExamples() {
  $("examples").innerHTML = EXAMPLES.map(([title, mins]) => {
    const visit = { date_of_service: today(), payer: "medicare", lines: mins.map(([code, minutes]) => ({ code, minutes, modifiers: ["GP"] })), diagnoses: ["M54.50"] };
    return `<li><a href="?view#v=${encodeVisit(visit)}">${esc(title)}</a></li>`;
  }).join("");
}

/** A worked example, read-only; in a frame its link opens the calculator in a new tab. */
export function setReadOnly() {
  for (const el of document.querySelectorAll("#visit-form input, #visit-form select")) el.disabled = true;
  for (const el of document.querySelectorAll("#visit-form button, #visit-form .actions, #share-note")) el.hidden = true;
  const banner = document.createElement("p");
  banner.className = "banner";
  const target = inFrame ? ' target="_blank" rel="noopener"' : "";
  banner.innerHTML = `Worked example, read-only. <a href="./${esc(location.hash)}"${target}>Open it in the calculator${inFrame ? " (new tab)" : ""}</a> to change it.`;
  $("calculator").prepend(banner);
}

function printFooter() {
  const link = current ? shareLink() : location.href;
  $("print-footer").textContent = `Printed ${today()} from ptbill. Share link (contains this visit): ${link}`;
}

export function startShare({ onForget }) {
  $("share").addEventListener("click", () => copy(shareLink(), "share-status", "Copied. The link contains this visit: send it only where the visit may go."));
  $("copy-embed").addEventListener("click", () => copy($("embed-snippet").value, "embed-status"));
  $("forget").addEventListener("click", () => {
    forgetUrl();
    onForget();
    $("share-status").textContent = "Forgotten: the form, the link and this tab's history entry no longer hold the visit.";
  });
  window.addEventListener("beforeprint", printFooter);
  window.matchMedia?.("print").addEventListener?.("change", (e) => e.matches && printFooter());
  renderExamples();
  updateEmbedSnippet();
}
