// Precompression, shared by `make dist` and scripts/serve.mjs: brotli at its
// highest quality and gzip -9 of every text and wasm file, with Node's own zlib
// (no dependency). Static hosts send the `.br` / `.gz` sibling to a browser that
// accepts it (README, Hosting); nothing is compressed per request.
// Usage: node scripts/compress.mjs DIR   writes FILE.br and FILE.gz beside each
// text or wasm file under DIR (when smaller than the file) and prints the totals.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

/** What is worth compressing: text, wasm and ptbill's tables (not images that are compressed already). */
export const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".wasm", ".svg", ".csv", ".txt", ".md", ".bin"]);

/** The encodings, best first: Content-Encoding name, file suffix, ETag suffix, compressor. */
export const ENCODINGS = [
  {
    name: "br",
    suffix: ".br",
    tag: "-br",
    compress: (body) =>
      promisify(brotliCompress)(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
  },
  { name: "gzip", suffix: ".gz", tag: "-gz", compress: (body) => promisify(gzip)(body, { level: 9 }) },
];

/** Every compressible file under `dir` (not hidden folders, node_modules or target). */
export async function* compressible(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name === "node_modules" || e.name === "target") continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* compressible(path);
    else if (e.isFile() && COMPRESSIBLE.has(extname(e.name))) yield path;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node scripts/compress.mjs DIR");
  const totals = { identity: 0, br: 0, gzip: 0 };
  const jobs = [];
  for await (const file of compressible(dir)) {
    jobs.push(
      (async () => {
        const body = await readFile(file);
        totals.identity += body.length;
        for (const { name, suffix, compress } of ENCODINGS) {
          const out = await compress(body);
          // A file that does not shrink goes as it is: no sibling, so hosts send the file.
          if (out.length >= body.length) {
            totals[name] += body.length;
            continue;
          }
          await writeFile(file + suffix, out);
          totals[name] += out.length;
        }
        return relative(dir, file);
      })(),
    );
  }
  const done = await Promise.all(jobs);
  console.log(`${dir}/: .br and .gz beside ${done.length} files: ${totals.identity} bytes as they are, ${totals.gzip} gzip -9, ${totals.br} brotli`);
}
