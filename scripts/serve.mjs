// A small static server for www/ (or another folder) on 127.0.0.1, with the
// MIME types the page needs (application/wasm for streaming compilation), gzip
// as a static host would send it, and validators (ETag, Last-Modified) so a
// browser or the service worker revalidates with a 304 instead of a download.
// Usage: node scripts/serve.mjs [--port 8080] [--dir www]
// Tests may slow it down on the server side (which slows the service worker's
// fetches too, unlike browser throttling): `delay` ms before each response and
// `bandwidth` bytes per second; `onResponse({path, status, bytes, at})` sees each once sent.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";

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
};

const files = new Map(); // file → {mtimeMs, body, gzip, etag}
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function load(file) {
  const info = await stat(file);
  const hit = files.get(file);
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
  const body = await readFile(file);
  const entry = {
    mtimeMs: info.mtimeMs,
    size: info.size,
    body,
    gzip: body.length > 1024 ? gzipSync(body, { level: 9 }) : null,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
    modified: new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString(),
  };
  files.set(file, entry);
  return entry;
}

/**
 * Writes the body in slices through one shared link of `bandwidth` bytes per
 * second (all responses queue on it, as on a slow mobile connection).
 */
let linkFreeAt = 0;
async function send(res, body, bandwidth) {
  if (!bandwidth || !body) return res.end(body);
  const slice = Math.max(1024, Math.floor(bandwidth / 20)); // about 50 ms of the link
  for (let at = 0; at < body.length; at += slice) {
    const n = Math.min(slice, body.length - at);
    linkFreeAt = Math.max(Date.now(), linkFreeAt) + (n / bandwidth) * 1000;
    await sleep(linkFreeAt - Date.now());
    res.write(body.subarray(at, at + n));
  }
  res.end();
}

export function serve({ dir = "www", port = 8080, host = "127.0.0.1", throttle = { delay: 0, bandwidth: 0 }, onResponse = () => {} } = {}) {
  const base = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (throttle.delay) await sleep(throttle.delay);
    try {
      let file = normalize(join(base, decodeURIComponent(path)));
      if (!file.startsWith(base)) throw new Error("outside");
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const entry = await load(file);
      const gzip = entry.gzip && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
      const etag = gzip ? entry.etag.replace(/"$/, '-gz"') : entry.etag;
      const headers = {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache", // always revalidate: a deploy shows at once, a repeat visit costs a 304
        etag,
        "last-modified": entry.modified,
        "x-content-type-options": "nosniff",
        vary: "accept-encoding",
      };
      const inm = req.headers["if-none-match"];
      const ims = req.headers["if-modified-since"];
      const fresh = inm ? inm.split(/\s*,\s*/).some((t) => t.replace(/^W\//, "") === etag) : ims ? Date.parse(ims) >= Date.parse(entry.modified) : false;
      if (fresh) {
        res.writeHead(304, headers);
        res.end();
        onResponse({ path, status: 304, bytes: 0, at: Date.now() });
        return;
      }
      const body = gzip ? entry.gzip : entry.body;
      if (gzip) headers["content-encoding"] = "gzip";
      headers["content-length"] = body.length;
      res.writeHead(200, headers);
      await send(res, req.method === "HEAD" ? undefined : body, throttle.bandwidth);
      onResponse({ path, status: 200, bytes: req.method === "HEAD" ? 0 : body.length, at: Date.now() });
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
      onResponse({ path, status: 404, bytes: 10, at: Date.now() });
    }
  });
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
