// A small static server for www/ (or another folder, such as dist/) on
// 127.0.0.1, with the MIME types the page needs (application/wasm for streaming
// compilation), brotli or gzip as a well-set static host sends them, and
// validators (ETag, Last-Modified) so a browser or the service worker
// revalidates with a 304 instead of a download.
// Compression is never done per request: a file's precompressed siblings
// (`x.br`, `x.gz`, which `make dist` writes) are sent as they are; a file
// without them is compressed once (brotli at quality 11, gzip -9, as `make
// dist` does), before the server answers when `precompress` is on (the
// default: every text and wasm file under the folder), else on its first
// request (and again on the first request after the file changes), and kept in
// memory. The results are also kept in a cache in the
// system's temporary folder, keyed by the file's SHA-256, so a restart is quick.
// A `_headers` file at the folder's top (the format Netlify and Cloudflare Pages
// read: a path on its own line, then indented `Name: value` lines) adds those
// headers to that path's responses; the page's gives its HTML a `Link` header
// that starts the first result's downloads before the HTML is parsed. The file
// itself is not served.
// Usage: node scripts/serve.mjs [--port 8080] [--dir www]
// Tests may slow it down on the server side (which slows the service worker's
// fetches too, unlike browser throttling): `delay` ms before each response and
// `bandwidth` bytes per second, `paths: {"/data/tables.bin": ms}` one file's extra delay; `onResponse({path, status, bytes, encoding, at})` sees each once sent.
import { createServer } from "node:http";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { COMPRESSIBLE, ENCODINGS, compressible } from "./compress.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".bin": "application/octet-stream",
};
// Versioned: a change of ENCODINGS (scripts/compress.mjs) must change the name.
const CACHE = join(tmpdir(), "ptbill-serve-cache-1");

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const siblingFresh = async (path, than) => {
  try {
    const info = await stat(path);
    return info.isFile() && info.mtimeMs >= than ? info : null;
  } catch {
    return null;
  }
};

/** One encoding of `body` (sha = its hash): from the temporary cache, or made and stored there. */
async function compressed(body, sha, suffix, compress) {
  const cached = join(CACHE, sha + suffix);
  try {
    return await readFile(cached);
  } catch {
    const out = await compress(body);
    try {
      await mkdir(CACHE, { recursive: true });
      const part = `${cached}.${process.pid}.part`;
      await writeFile(part, out);
      await rename(part, cached); // whole or not at all, even with servers in parallel
    } catch {
      // no cache: the next start compresses again
    }
    return out;
  }
}

const files = new Map(); // file → {key: "mtime size", entry: Promise of {body, encoded: {br, gzip}, etag, modified}}

/** A file with its encodings: siblings read from disk when fresh, else compressed once and kept. */
async function load(file) {
  const info = await stat(file);
  const key = `${info.mtimeMs} ${info.size}`;
  const hit = files.get(file);
  if (hit && hit.key === key) return hit.entry;
  const entry = (async () => {
    const body = await readFile(file);
    const sha = createHash("sha256").update(body).digest("base64url");
    const encoded = {};
    if (COMPRESSIBLE.has(extname(file))) {
      const siblings = await Promise.all(ENCODINGS.map((e) => siblingFresh(file + e.suffix, info.mtimeMs)));
      for (const [i, { name, suffix, compress }] of ENCODINGS.entries()) {
        if (siblings[i]) encoded[name] = await readFile(file + suffix);
        else if (!siblings.some(Boolean)) {
          // No siblings (www/, not dist/): compressed once here, kept when smaller.
          const out = await compressed(body, sha, suffix, compress);
          if (out.length < body.length) encoded[name] = out;
        }
      }
    }
    return { body, encoded, etag: `"${sha.slice(0, 22)}"`, modified: new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString() };
  })();
  files.set(file, { key, entry });
  entry.catch(() => files.delete(file));
  return entry;
}

/**
 * `_headers` as the hosts that define it read it: a line with no indent names
 * a path (exact, or ending in `*` for a prefix), each indented `Name: value`
 * under it adds a header; `#` starts a comment. Repeated names are joined with
 * ", " (as those hosts join them). Returns [{path, headers}] in file order.
 */
export function parseHeaders(text) {
  const rules = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trim().startsWith("#")) continue;
    if (!/^\s/.test(raw)) {
      rules.push({ path: raw.trim(), headers: {} });
      continue;
    }
    const at = raw.indexOf(":");
    const rule = rules.at(-1);
    if (!rule || at < 0) throw new Error(`_headers: "${raw.trim()}" is not under a path, or has no "Name: value"`);
    const name = raw.slice(0, at).trim().toLowerCase();
    const value = raw.slice(at + 1).trim();
    rule.headers[name] = rule.headers[name] ? `${rule.headers[name]}, ${value}` : value;
  }
  return rules;
}

/** The extra headers for a request path, from every matching `_headers` rule. */
function extraHeaders(rules, path) {
  const out = {};
  for (const r of rules) {
    if (r.path === path || (r.path.endsWith("*") && path.startsWith(r.path.slice(0, -1)))) Object.assign(out, r.headers);
  }
  return out;
}

/** The encoding to send: the best one the request accepts (q=0 refuses) and the file has. */
function choose(entry, accept = "") {
  const q = {};
  for (const part of accept.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const qv = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    q[name] = qv ? Number(qv.slice(2)) : 1;
  }
  for (const { name, tag } of ENCODINGS) {
    const wanted = q[name] ?? q["*"];
    if (entry.encoded[name] && wanted > 0) return { name, tag, body: entry.encoded[name] };
  }
  return { name: null, tag: "", body: entry.body };
}

/**
 * Writes the body in slices through one shared link of `bandwidth` bytes per
 * second (all responses queue on it, as on a slow mobile connection). A
 * response the client has dropped (a closed tab) stops taking the link, as on a
 * real one. Returns whether the whole body was sent.
 */
let linkFreeAt = 0;
async function send(res, body, bandwidth) {
  if (!bandwidth || !body) {
    res.end(body);
    return true;
  }
  const slice = Math.max(1024, Math.floor(bandwidth / 20)); // about 50 ms of the link
  let dropped = false;
  res.once("close", () => (dropped = true));
  for (let at = 0; at < body.length; at += slice) {
    if (dropped || res.destroyed) return false;
    const n = Math.min(slice, body.length - at);
    linkFreeAt = Math.max(Date.now(), linkFreeAt) + (n / bandwidth) * 1000;
    await sleep(linkFreeAt - Date.now());
    res.write(body.subarray(at, at + n));
  }
  res.end();
  return true;
}

export async function serve({ dir = "www", port = 8080, host = "127.0.0.1", precompress = true, throttle = { delay: 0, bandwidth: 0 }, onResponse = () => {} } = {}) {
  const base = resolve(dir);
  let rules = [];
  try {
    rules = parseHeaders(await readFile(join(base, "_headers"), "utf8"));
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  if (precompress) {
    const all = [];
    for await (const file of compressible(base)) all.push(load(file));
    await Promise.all(all); // zlib's thread pool compresses them in parallel
  }
  const server = createServer(async (req, res) => {
    server.inflight++;
    res.once("close", () => server.inflight--);
    const path = new URL(req.url, "http://x").pathname;
    if (throttle.delay) await sleep(throttle.delay);
    if (throttle.paths?.[path]) await sleep(throttle.paths[path]); // one file held back (tests)
    try {
      let file = normalize(join(base, decodeURIComponent(path)));
      if (!file.startsWith(base) || file === join(base, "_headers")) throw new Error("not served");
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const entry = await load(file);
      const encoding = choose(entry, req.headers["accept-encoding"]);
      // One ETag per encoding: a cache must never answer a br request with gzip bytes.
      const etag = entry.etag.replace(/"$/, `${encoding.tag}"`);
      const headers = {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache", // always revalidate: a deploy shows at once, a repeat visit costs a 304
        etag,
        "last-modified": entry.modified,
        "x-content-type-options": "nosniff",
        vary: "accept-encoding",
        ...extraHeaders(rules, path),
      };
      const inm = req.headers["if-none-match"];
      const ims = req.headers["if-modified-since"];
      const fresh = inm ? inm.split(/\s*,\s*/).some((t) => t.replace(/^W\//, "") === etag) : ims ? Date.parse(ims) >= Date.parse(entry.modified) : false;
      if (fresh) {
        res.writeHead(304, headers);
        res.end();
        onResponse({ path, status: 304, bytes: 0, encoding: encoding.name, at: Date.now() });
        return;
      }
      const { body } = encoding;
      if (encoding.name) headers["content-encoding"] = encoding.name;
      headers["content-length"] = body.length;
      res.writeHead(200, headers);
      if (!(await send(res, req.method === "HEAD" ? undefined : body, throttle.bandwidth))) return;
      onResponse({ path, status: 200, bytes: req.method === "HEAD" ? 0 : body.length, encoding: encoding.name, at: Date.now() });
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
      onResponse({ path, status: 404, bytes: 10, at: Date.now() });
    }
  });
  server.inflight = 0; // requests not yet answered or dropped (tests wait for 0 between loads)
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const port = Number(arg("--port", 8080));
  const dir = arg("--dir", "www");
  await serve({ dir, port });
  console.log(`ptbill: serving ${dir}/ on http://127.0.0.1:${port}/ (Ctrl-C to stop)`);
}
