// A rule's docs page in a dialog, opened from a finding's rule tag: fetched
// after the first result (nothing before it needs it), and kept by the service
// worker for offline use.
import { call, loadTables } from "./engine.js";
import { esc } from "./form.js";

const $ = (id) => document.getElementById(id);

function markdown(md) {
  const out = [];
  let code = null;
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) {
      if (code === null) code = [];
      else {
        out.push(`<pre><code>${esc(code.join("\n"))}</code></pre>`);
        code = null;
      }
    } else if (code !== null) code.push(line);
    else if (line.startsWith("## ")) out.push(`<h3>${esc(line.slice(3))}</h3>`);
    else if (line.startsWith("# ")) out.push(`<h2 id="rule-title">${esc(line.slice(2))}</h2>`);
    else if (line.trim()) out.push(`<p>${esc(line).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")}</p>`);
  }
  return out.join("");
}

/** The part of this frame the host shows (its viewport clips the frame), in the frame's coordinates. */
function visibleRegion() {
  return new Promise((ok) => {
    const io = new IntersectionObserver(([entry]) => {
      io.disconnect();
      ok(entry.intersectionRect.height > 0 ? entry.intersectionRect : { top: 0, bottom: innerHeight, height: innerHeight });
    });
    io.observe(document.documentElement);
  });
}

/**
 * Opens a rule's docs. In a frame the host may have grown to the page's full
 * height, so "centred in the frame" can be off the reader's screen: the dialog
 * opens beside its button, inside the part of the frame the host shows.
 */
export async function openRule(id, opener) {
  const dialog = $("rule-dialog");
  let page;
  try {
    page = call("explain", id);
  } catch {
    // The docs pages come with data/tables.bin, just after the first result:
    // the dialog says so, and shows the page once they are in if still open.
    page = `# ${id}\n\nThis rule's page is still loading; it appears here in a moment.`;
    loadTables()
      .then(() => {
        if (dialog.open && dialog.dataset.rule === id) $("rule-body").innerHTML = markdown(call("explain", id));
      })
      .catch(() => {});
  }
  dialog.dataset.rule = id;
  // The findings are drawn again when the tables arrive, which replaces the
  // tag that opened the dialog: focus then goes back to its successor.
  dialog.addEventListener("close", () => opener && !opener.isConnected && document.querySelector(`#diagnostics button.rule[data-rule="${CSS.escape(id)}"]`)?.focus(), { once: true });
  $("rule-body").innerHTML = markdown(page);
  dialog.style.marginTop = "";
  dialog.style.maxHeight = "";
  dialog.showModal();
  if (window.parent === window || !opener) return;
  const seen = await visibleRegion();
  dialog.style.maxHeight = `${Math.max(200, seen.height - 16)}px`;
  const want = opener.getBoundingClientRect().top - 40;
  const top = Math.max(seen.top + 8, Math.min(want, seen.bottom - dialog.offsetHeight - 8));
  dialog.style.marginTop = `${Math.max(0, top)}px`;
}
