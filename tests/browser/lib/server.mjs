// A static file server on 127.0.0.1 that serves a folder under a sub-path the way GitHub Pages
// serves a project site: `index.html` for directories, a redirect to add the missing slash,
// the site's own `404.html` (status 404) for anything missing, and nothing outside the sub-path.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".pdf": "application/pdf",
};

/**
 * Serve `dir` at `http://127.0.0.1:<free port><base>`.
 * @param {string} dir the built site (e.g. the output of `dossier build --out DIR`)
 * @param {{base?: string}} [options] the sub-path, with leading and trailing slash ("/dossier-test/")
 * @returns {Promise<{url: string, origin: string, base: string, requests: string[], close: () => Promise<void>}>}
 *   `url` is the site's home page; `requests` lists every path requested (for debugging).
 */
export async function serve(dir, { base = "/dossier-test/" } = {}) {
  if (!base.startsWith("/") || !base.endsWith("/")) throw new Error(`base must start and end with "/": ${base}`);
  const root = fs.realpathSync(dir);
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    requests.push(url.pathname);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const send = (status, file, headers = {}) => {
      const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      const body = fs.readFileSync(file);
      res.writeHead(status, { "Content-Type": type, "Content-Length": body.length, "Cache-Control": "no-store", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const notFound = () => {
      const page = path.join(root, "404.html");
      if (fs.existsSync(page)) send(404, page);
      else res.writeHead(404, { "Content-Type": "text/plain" }).end("404 Not Found\n");
    };
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      notFound();
      return;
    }
    if (pathname === base.slice(0, -1)) {
      res.writeHead(301, { Location: base + url.search }).end();
      return;
    }
    if (!pathname.startsWith(base) || pathname.includes("\0")) {
      notFound();
      return;
    }
    const file = path.resolve(root, "." + path.posix.normalize("/" + pathname.slice(base.length)));
    if (file !== root && !file.startsWith(root + path.sep)) {
      notFound();
      return;
    }
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      notFound();
      return;
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { Location: url.pathname + "/" + url.search }).end();
        return;
      }
      const index = path.join(file, "index.html");
      if (fs.existsSync(index)) send(200, index);
      else notFound();
      return;
    }
    send(200, file);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    base,
    url: origin + base,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
