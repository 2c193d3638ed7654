// Minifies the finished page in place (`make dist`, before compression): every
// ES module with terser (each file stays its own module: nothing is bundled,
// exports and import paths are kept), every stylesheet with csso, and the HTML's
// comments and indentation; then index.html takes its stylesheet inside it
// (inlineStylesheet). The page's bytes before its first result are what
// a phone on a slow link waits for; comments say why in the sources (www/), and
// they are not needed on the wire.
// The service worker (sw.js) is copied as it is: `make dist` reads its file list.
// Usage: node scripts/minify.mjs DIR   prints the bytes before and after.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { minify as minifyJs } from "terser";
import { minify as minifyCss } from "csso";

const KEEP = new Set(["sw.js"]);

/** Every .js, .css and .html file under `dir`. */
async function* files(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else if (e.isFile() && [".js", ".css", ".html"].includes(extname(e.name))) yield path;
  }
}

/** HTML: comments out, and the indentation before a tag that opens a line (never inside a textarea or pre). */
export function minifyHtml(text) {
  if (/<(pre|textarea)\b[^>]*>[^<]*\n/.test(text)) throw new Error("a pre or textarea holds text across lines: its whitespace would change");
  return text.replace(/<!--[\s\S]*?-->/g, "").replace(/\n[ \t]+(?=<)/g, "\n").replace(/\n{2,}/g, "\n");
}

export async function minifyFile(path, text) {
  switch (extname(path)) {
    case ".js": {
      const out = await minifyJs(text, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
      return out.code;
    }
    case ".css":
      return minifyCss(text).css;
    default:
      return minifyHtml(text);
  }
}

/**
 * The page's own stylesheet put inside its HTML (`<link rel="stylesheet"
 * href="NAME">` becomes `<style>`), with the text's hash added to the CSP's
 * style-src, which allows no inline style otherwise. Its bytes then come with
 * the HTML's, on a link that is idle until the HTML's other requests are
 * answered, and the first result needs one request fewer. The file stays for
 * the service worker's list.
 */
export function inlineStylesheet(html, name, css) {
  const link = `<link rel="stylesheet" href="${name}">`;
  if (!html.includes(link)) throw new Error(`no ${link} to inline`);
  if (/<\/style/i.test(css)) throw new Error(`${name} holds "</style"`);
  const hash = `'sha256-${createHash("sha256").update(css).digest("base64")}'`;
  const csp = /(<meta http-equiv="Content-Security-Policy" content="[^"]*style-src 'self')/;
  if (!csp.test(html)) throw new Error("no CSP style-src 'self' to add the stylesheet's hash to");
  return html.replace(csp, `$1 ${hash}`).replace(link, () => `<style>${css}</style>`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node scripts/minify.mjs DIR");
  let before = 0;
  let after = 0;
  for await (const path of files(dir)) {
    const name = relative(dir, path);
    if (KEEP.has(name)) continue;
    const text = await readFile(path, "utf8");
    let out;
    try {
      out = await minifyFile(path, text);
    } catch (e) {
      throw new Error(`minify ${name}: ${e.message}`);
    }
    await writeFile(path, out);
    before += Buffer.byteLength(text);
    after += Buffer.byteLength(out);
  }
  console.log(`minified ${dir}/: ${before} → ${after} bytes (before compression)`);
  const page = join(dir, "index.html");
  await writeFile(page, inlineStylesheet(await readFile(page, "utf8"), "style.css", await readFile(join(dir, "style.css"), "utf8")));
  console.log(`style.css inlined in ${page}`);
}
