// Every link and #anchor a reader can follow works, and every page can be reached by following
// links from the home page (served under a sub-path, as GitHub Pages serves a project site).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./lib/browser.mjs";
import { serveSite, sitePages } from "./lib/site.mjs";
import { crawl } from "./lib/crawl.mjs";

let browser, site, result;

before(async () => {
  site = await serveSite();
  browser = await launch();
  // The 404 page is served at any missing address, at any depth: crawl it from a deep one too.
  result = await crawl(browser, site.url, { extraStarts: [`${site.url}no/such/page/`] });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test("the crawl from the home page finds no broken link or #anchor", (t) => {
  t.diagnostic(`${result.pages.size} pages, ${result.files.size} other files, ${result.links.length} internal links (${result.links.filter((l) => l.hash).length} with #anchors), ${result.external.size} external links not followed`);
  assert.deepEqual(result.problems, []);
  assert.ok(result.links.some((l) => l.hash), "the documentary links into sections and events");
});

test("every page of the built site is reachable from the home page", () => {
  const reached = new Set([...result.pages.keys()].map((u) => u.slice(site.url.length)));
  const unreachable = sitePages().filter((p) => p !== "404.html" && !reached.has(p));
  assert.deepEqual(unreachable, []);
});

test("a missing address gets the 404 page, whose links work from any depth", () => {
  const notFound = result.pages.get(`${site.url}no/such/page/`);
  assert.equal(notFound.status, 404);
  assert.ok(result.links.some((l) => l.from === `${site.url}no/such/page/` && l.to === `${site.url}timeline/`), "the 404 page links to the timeline");
});
