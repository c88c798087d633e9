// A crawler that walks the served site from its home page in Chromium (JavaScript off: what
// every reader and search engine gets) and checks every internal link and `#anchor`.
import { openPage } from "./browser.mjs";

/**
 * Crawl from `start` (and any `extraStarts`), following links inside `scope` (a URL prefix).
 * Pages (paths ending in "/" or ".html") are loaded in the browser; other files are fetched.
 * @returns {Promise<{pages: Map<string, {status: number, ids: Set<string>}>, files: Map<string, number>,
 *   links: {from: string, to: string, hash: string}[], external: Set<string>, problems: string[]}>}
 */
export async function crawl(browser, start, { scope = start, extraStarts = [] } = {}) {
  const { page, context, problems: pageProblems } = await openPage(browser, { javaScriptEnabled: false, expect404: extraStarts.map((u) => new URL(u).pathname) });
  const pages = new Map();
  const files = new Map();
  const links = [];
  const external = new Set();
  const problems = [];
  const queue = [start, ...extraStarts];
  const isPage = (u) => u.pathname.endsWith("/") || u.pathname.endsWith(".html");
  while (queue.length) {
    const url = queue.shift();
    if (pages.has(url)) continue;
    const response = await page.goto(url, { waitUntil: "load" });
    const status = response?.status() ?? 0;
    const found = await page.evaluate(() => {
      const attrs = [];
      for (const el of document.querySelectorAll("a[href], area[href]")) attrs.push(["a", el.getAttribute("href")]);
      for (const el of document.querySelectorAll("link[href]")) attrs.push([`link:${el.rel}`, el.getAttribute("href")]);
      for (const el of document.querySelectorAll("script[src], img[src], source[src], video[src], audio[src], iframe[src]")) attrs.push(["src", el.getAttribute("src")]);
      for (const el of document.querySelectorAll("[srcset]")) for (const part of el.getAttribute("srcset").split(",")) attrs.push(["src", part.trim().split(/\s+/)[0]]);
      const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
      const names = [...document.querySelectorAll("a[name]")].map((e) => e.getAttribute("name"));
      return { attrs, ids: [...ids, ...names], base: document.baseURI };
    });
    pages.set(url, { status, ids: new Set(found.ids) });
    const expected404 = extraStarts.includes(url);
    if (status !== 200 && !(expected404 && status === 404)) problems.push(`${url}: HTTP ${status}`);
    for (const [kind, raw] of found.attrs) {
      if (raw === null) continue;
      if (raw.trim() === "" || raw === "#") {
        problems.push(`${url}: empty link target (${kind} href="${raw}")`);
        continue;
      }
      let target;
      try {
        target = new URL(raw, found.base);
      } catch {
        problems.push(`${url}: unparsable URL ${JSON.stringify(raw)}`);
        continue;
      }
      if (kind === "link:canonical") {
        if (new URL(url).pathname !== target.pathname && !expected404) problems.push(`${url}: canonical URL ${raw} names another path`);
        continue;
      }
      if (!["http:", "https:"].includes(target.protocol)) continue; // mailto:, tel:
      if (!target.href.startsWith(scope)) {
        external.add(target.href);
        continue;
      }
      const hash = target.hash ? decodeURIComponent(target.hash.slice(1)) : "";
      target.hash = "";
      links.push({ from: url, to: target.href, hash, kind });
      if (isPage(target)) {
        if (!pages.has(target.href)) queue.push(target.href);
      } else if (!files.has(target.href)) {
        const r = await context.request.get(target.href, { maxRedirects: 0 });
        files.set(target.href, r.status());
      }
    }
  }
  for (const [file, status] of files) if (status !== 200) problems.push(`${file}: HTTP ${status}`);
  for (const l of links) {
    const target = pages.get(l.to);
    if (!target) continue;
    if (l.hash && !target.ids.has(l.hash)) problems.push(`${l.from}: link to ${l.to}#${l.hash}: no element with id "${l.hash}" there`);
  }
  problems.push(...pageProblems.filter((p) => !p.startsWith("HTTP 404")));
  await context.close();
  return { pages, files, links, external, problems: [...new Set(problems)] };
}
