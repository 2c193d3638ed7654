// scripts/serve.mjs and scripts/compress.mjs: brotli when the request accepts
// it, else gzip, else the file as it is; the precompressed siblings `make dist`
// writes are sent byte for byte (never compressed per request); one ETag per
// encoding with a 304 for a match; Vary: Accept-Encoding; and the bytes, once
// decoded, are the file's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync, constants } from "node:zlib";
import { serve, parseHeaders } from "../../scripts/serve.mjs";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "ptbill-serve-"));
// Text that compresses, and a real wasm module (www/pkg, from `make build`).
const text = Array.from({ length: 2000 }, (_, i) => `export const line${i} = "${(i * 7919) % 1000}";`).join("\n");
writeFileSync(join(dir, "plain.js"), text);
writeFileSync(join(dir, "tiny.css"), "a{}");
mkdirSync(join(dir, "pkg"));
const wasm = readFileSync(join(root, "www/pkg/ptbill_bg.wasm"));
writeFileSync(join(dir, "pkg/ptbill_bg.wasm"), wasm);
// A precompressed file whose siblings differ from what the server would make
// (brotli quality 1, gzip level 1): if they are what arrives, nothing was compressed per request.
writeFileSync(join(dir, "sibling.js"), text);
const siblingBr = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
const siblingGz = gzipSync(text, { level: 1 });
writeFileSync(join(dir, "sibling.js.br"), siblingBr);
writeFileSync(join(dir, "sibling.js.gz"), siblingGz);
// The page's own _headers (www/_headers), as a host that reads the file applies it.
writeFileSync(join(dir, "_headers"), readFileSync(join(root, "www/_headers")));
writeFileSync(join(dir, "index.html"), "<!doctype html><title>x</title>");

let server, port;
before(async () => {
  port = 21000 + (process.pid % 5000);
  server = await serve({ dir, port });
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The raw response (no decoding): status, headers and body bytes. */
function get(path, headers = {}) {
  return new Promise((ok, fail) => {
    // A fresh connection per request: a reused keep-alive socket can be reset under load.
    const req = request({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      const parts = [];
      res.on("data", (c) => parts.push(c));
      res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on("error", fail);
    req.end();
  });
}
const decode = (r) => (r.headers["content-encoding"] === "br" ? brotliDecompressSync(r.body) : r.headers["content-encoding"] === "gzip" ? gunzipSync(r.body) : r.body);

test("brotli when accepted, else gzip, else identity; decoded bytes are the file's", async () => {
  for (const [path, file, type] of [
    ["/plain.js", Buffer.from(text), /^text\/javascript/],
    ["/pkg/ptbill_bg.wasm", wasm, /^application\/wasm$/],
  ]) {
    const br = await get(path, { "accept-encoding": "gzip, deflate, br, zstd" });
    const gz = await get(path, { "accept-encoding": "gzip, deflate" });
    const id = await get(path);
    const refused = await get(path, { "accept-encoding": "br;q=0, gzip;q=0" });
    assert.equal(br.headers["content-encoding"], "br", path);
    assert.equal(gz.headers["content-encoding"], "gzip", path);
    assert.equal(id.headers["content-encoding"], undefined, path);
    assert.equal(refused.headers["content-encoding"], undefined, path);
    for (const r of [br, gz, id, refused]) {
      assert.equal(r.status, 200);
      assert.match(r.headers["content-type"], type);
      assert.match(r.headers.vary, /accept-encoding/i);
      assert.equal(Number(r.headers["content-length"]), r.body.length);
      assert.ok(decode(r).equals(file), `${path} (${r.headers["content-encoding"] ?? "identity"}): decoded bytes differ from the file`);
    }
    assert.ok(br.body.length < gz.body.length && gz.body.length < id.body.length, `${path}: br ${br.body.length}, gzip ${gz.body.length}, file ${id.body.length}`);
    // Brotli at its highest quality, as `make dist` writes it.
    assert.equal(br.body.length, brotliCompressSync(file, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: file.length } }).length);
    const tags = [br, gz, id].map((r) => r.headers.etag);
    assert.equal(new Set(tags).size, 3, `one ETag per encoding: ${tags}`);
  }
});

const FIRST = ["pkg-calc/ptbill_bg.wasm", "engine.js", "main.js", "form.js", "input.js", "share.js"];
test("_headers: the page's HTML gets its Link preloads (at / and /index.html), other files none, and the file itself is not served", async () => {
  for (const path of ["/", "/index.html"]) {
    const link = (await get(path)).headers.link ?? "";
    const urls = [...link.matchAll(/<([^>]+)>/g)].map((m) => m[1]);
    // The wasm and the modules that fill the form: six, as many as a browser's HTTP/1.1 connections to a host.
    assert.deepEqual(urls, FIRST, path);
    // The wasm is fetched with CORS (crossorigin), as index.html's own preload and compileStreaming's fetch are: else the browser fetches it twice.
    assert.match(link, /<pkg-calc\/ptbill_bg\.wasm>; rel=preload; as=fetch; type="application\/wasm"; crossorigin/);
  }
  // Each file the Link names is one the HTML preloads or loads itself.
  const html = readFileSync(join(root, "www/index.html"), "utf8");
  for (const url of FIRST) assert.ok(html.includes(`href="${url}"`) || html.includes(`src="${url}"`), url);
  assert.equal((await get("/plain.js")).headers.link, undefined);
  assert.equal((await get("/_headers")).status, 404);
  assert.deepEqual(parseHeaders("# note\n/a*\n  X-One: 1\n  X-One: 2\n"), [{ path: "/a*", headers: { "x-one": "1, 2" } }]);
  assert.throws(() => parseHeaders("  X-Orphan: 1\n"), /not under a path/);
});

test("a matching If-None-Match gets a 304 per encoding; another encoding's ETag does not match", async () => {
  const br = await get("/plain.js", { "accept-encoding": "br" });
  const gz = await get("/plain.js", { "accept-encoding": "gzip" });
  const again = await get("/plain.js", { "accept-encoding": "br", "if-none-match": br.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, br.headers.etag);
  assert.match(again.headers.vary, /accept-encoding/i);
  assert.equal((await get("/plain.js", { "accept-encoding": "gzip", "if-none-match": `"x", ${gz.headers.etag}` })).status, 304);
  const other = await get("/plain.js", { "accept-encoding": "gzip", "if-none-match": br.headers.etag });
  assert.equal(other.status, 200);
  assert.equal(other.headers["content-encoding"], "gzip");
});

test("precompressed siblings are sent as they are, and a tiny file as it is", async () => {
  const br = await get("/sibling.js", { "accept-encoding": "br, gzip" });
  const gz = await get("/sibling.js", { "accept-encoding": "gzip" });
  assert.ok(br.body.equals(siblingBr), "the .br sibling, byte for byte");
  assert.ok(gz.body.equals(siblingGz), "the .gz sibling, byte for byte");
  assert.equal(decode(br).toString(), text);
  const tiny = await get("/tiny.css", { "accept-encoding": "br, gzip" });
  assert.equal(tiny.headers["content-encoding"], undefined);
  assert.equal(tiny.body.toString(), "a{}");
});

test("scripts/compress.mjs writes .br and .gz beside each text and wasm file, decoding to the file", () => {
  const out = mkdtempSync(join(tmpdir(), "ptbill-compress-"));
  try {
    mkdirSync(join(out, "pkg"));
    writeFileSync(join(out, "index.html"), `<!doctype html>${text}`);
    writeFileSync(join(out, "pkg/ptbill_bg.wasm"), wasm);
    writeFileSync(join(out, "icon.png"), Buffer.alloc(2000, 7));
    execFileSync(process.execPath, [join(root, "scripts/compress.mjs"), out]);
    for (const f of ["index.html", "pkg/ptbill_bg.wasm"]) {
      const body = readFileSync(join(out, f));
      assert.ok(brotliDecompressSync(readFileSync(join(out, f + ".br"))).equals(body), `${f}.br`);
      assert.ok(gunzipSync(readFileSync(join(out, f + ".gz"))).equals(body), `${f}.gz`);
    }
    assert.ok(!existsSync(join(out, "icon.png.br")), "images are not compressed again");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("make dist puts the stylesheet inside the HTML under a CSP hash of exactly its text (a wrong hash would leave the page unstyled)", async () => {
  const { inlineStylesheet } = await import("../../scripts/minify.mjs");
  const { createHash } = await import("node:crypto");
  const hashOf = (css) => `'sha256-${createHash("sha256").update(css).digest("base64")}'`;
  const html = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'self'; img-src 'self'">\n<link rel="stylesheet" href="style.css">\n<p>x</p>`;
  const css = "a{color:red}.b::after{content:'$&'}";
  const out = inlineStylesheet(html, "style.css", css);
  assert.ok(out.includes(`<style>${css}</style>`), out); // "$&" kept as it is, not a replacement pattern
  assert.ok(out.includes(`style-src 'self' ${hashOf(css)}; img-src`), out);
  assert.ok(!out.includes("<link"), out);
  assert.throws(() => inlineStylesheet("<p>no link</p>", "style.css", css), /no <link/);
  assert.throws(() => inlineStylesheet(html, "style.css", "a{}</style><script>"), /<\/style/);
  // The shipped page: its one inline style is dist/style.css, and the CSP names its hash.
  const page = readFileSync(join(root, "dist/index.html"), "utf8");
  const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.deepEqual(styles, [readFileSync(join(root, "dist/style.css"), "utf8")]);
  assert.ok(page.match(/style-src ([^;"]*)/)[1].split(" ").includes(hashOf(styles[0])));
  assert.ok(!page.includes('rel="stylesheet"'));
});
