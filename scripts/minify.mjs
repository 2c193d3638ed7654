// Minifies the finished page in place (`make dist`, before compression): every
// ES module with terser (each file stays its own module: nothing is bundled,
// exports and import paths are kept), every stylesheet with csso, and the HTML's
// comments and indentation. The page's bytes before its first result are what
// a phone on a slow link waits for; comments say why in the sources (www/), and
// they are not needed on the wire.
// The service worker (sw.js) is copied as it is: `make dist` reads its file list.
// Usage: node scripts/minify.mjs DIR   prints the bytes before and after.
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
}
