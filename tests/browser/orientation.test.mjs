// Where the story starts and the details around it (issue 20, sections 3 and 6), in Chromium
// under a sub-path: the home page's story in a minute and its turning points (the events marked
// `featured`), the about page and the table of contents, the favicon, no request answered 404 on
// any page, the network's drawn ties as its table lists them, "back to top" only on long pages
// and the "/" hint only where there is a keyboard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite, siteDir, sitePages, REPO } from "./lib/site.mjs";

let browser, site;
before(async () => {
  site = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** The ids of the events marked `featured = true` in content/events/, in file order. */
function featuredIds() {
  const dir = path.join(REPO, "content", "events");
  const ids = [];
  for (const f of fs.readdirSync(dir).sort()) {
    for (const block of fs.readFileSync(path.join(dir, f), "utf8").split("[[event]]").slice(1)) {
      if (/^featured\s*=\s*true\s*$/m.test(block)) ids.push(block.match(/^id\s*=\s*"([^"]+)"/m)[1]);
    }
  }
  return ids;
}

test("the home page tells the story in a minute, then its turning points", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  const intro = page.locator(".home-intro");
  assert.equal(await intro.locator("h2").innerText(), "The story in a minute");
  assert.ok((await intro.locator(".prose").innerText()).length > 400);
  // The introduction is read before the list of chapters.
  const order = await page.evaluate(() => {
    const a = document.querySelector(".home-intro"), b = document.querySelector(".home-chapters");
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order);
  assert.equal(await page.locator(".home-timeline h2").innerText(), "Turning points");
  const shown = await page.locator(".home-timeline .date-strip a").evaluateAll((as) => as.map((a) => a.getAttribute("href").split("#")[1]));
  const featured = featuredIds();
  assert.ok(featured.length >= 5, `the documentary marks its turning points (${featured.length})`);
  assert.deepEqual([...shown].sort(), [...featured].sort());
  // Each leads to its event on the timeline.
  await page.locator(".home-timeline .date-strip a").first().click();
  await page.waitForURL(/timeline\/.*#/);
  assert.ok(await page.locator(`[id="${shown[0]}"]`).isVisible());
  await context.close();
  assert.deepEqual(problems, []);
});

test("/about/ and /chapters/ exist and the menus lead to them", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "chapters/the-critique/");
  await page.locator(".site-footer a", { hasText: "About this documentary" }).click();
  await page.waitForURL(/\/about\/$/);
  assert.equal(await page.locator("h1").innerText(), "About this documentary");
  assert.ok((await page.locator(".standalone .prose h2").count()) >= 4);
  await page.locator(".site-nav a", { hasText: "Chapters" }).click();
  await page.waitForURL(/\/chapters\/$/);
  assert.equal(await page.locator("h1").innerText(), "Chapters");
  assert.equal(await page.locator(".chapter-list > li").count(), fs.readdirSync(path.join(REPO, "content", "chapters")).length);
  await context.close();
  assert.deepEqual(problems, []);
});

test("the last chapter ends with where to go next", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "chapters/the-critique/");
  const next = page.locator(".where-next a");
  assert.ok((await next.count()) >= 5);
  await next.first().click();
  await page.waitForURL(/\/timeline\/$/);
  await context.close();
  assert.deepEqual(problems, []);
});

test("the favicon loads, under the sub-path", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/john-kerry/");
  const href = await page.locator("link[rel=icon][type='image/svg+xml']").evaluate((l) => l.href);
  assert.ok(href.startsWith(site.url), href);
  const res = await page.request.get(href);
  assert.equal(res.status(), 200);
  assert.match(await res.text(), /^<svg /);
  // The share image is absolute, at the base URL the site was built for (served here on a port).
  const share = new URL(await page.locator("meta[property='og:image']").getAttribute("content"));
  assert.ok(share.pathname.startsWith(site.base) && share.pathname.endsWith("/share.png"), share.href);
  const img = await page.request.get(new URL(share.pathname, site.url).href);
  assert.equal(img.status(), 200);
  assert.equal(img.headers()["content-type"], "image/png");
  await context.close();
  assert.deepEqual(problems, []);
});

test("no request is answered 404 on any page (favicon included)", async () => {
  const pages = sitePages(siteDir()).filter((p) => p !== "404.html");
  const { page, context, problems } = await openPage(browser);
  const missing = [];
  page.on("response", (r) => { if (r.status() === 404) missing.push(`${r.url()} (on ${page.url()})`); });
  for (const p of pages) {
    await page.goto(site.url + p, { waitUntil: "load" });
  }
  await context.close();
  assert.deepEqual(missing, []);
  // (Moving on to the next page as soon as one has loaded cancels its favicon: not a problem.)
  assert.deepEqual(problems.filter((p) => !p.endsWith("(net::ERR_ABORTED)")), []);
});

test("the network draws the ties its table lists, and no others, in either view", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/network/");
  // What the reader sees: the lines shown, and the table's links shown.
  const seen = () => page.evaluate(() => {
    const drawn = [...document.querySelectorAll("svg.nw .nw-edge")].filter((e) => e.checkVisibility()).map((e) => [e.dataset.a, e.dataset.b].sort().join(" "));
    const listed = new Set();
    for (const row of document.querySelectorAll("[id^='n-']")) {
      const a = row.id.slice(2);
      for (const l of row.querySelectorAll(".nw-links a")) if (l.checkVisibility()) listed.add([a, l.getAttribute("href").split("/").at(-2)].sort().join(" "));
    }
    return { drawn: [...new Set(drawn)].sort(), listed: [...listed].sort() };
  });
  const repeated = await seen();
  assert.ok(repeated.drawn.length > 0);
  assert.deepEqual(repeated.drawn, repeated.listed);
  await page.getByRole("checkbox", { name: /Show all ties/ }).check();
  const all = await seen();
  assert.ok(all.drawn.length > repeated.drawn.length);
  assert.deepEqual(all.drawn, all.listed);
  await context.close();
  assert.deepEqual(problems, []);
});

test("'back to top' only on pages longer than three screens", async () => {
  const { page, context, problems } = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(site.url + "chapters/the-signing/");
  const back = page.locator(".back-to-top");
  assert.ok(await back.isVisible());
  await back.locator("a").click();
  assert.ok(await page.evaluate(() => window.scrollY < 200));
  await page.goto(site.url + "about/");
  await page.setViewportSize({ width: 1280, height: 2000 });
  await page.goto(site.url + "sources/");
  assert.equal(await back.isVisible(), false);
  await context.close();
  assert.deepEqual(problems, []);
});

test("the '/' hint is shown with a keyboard and a mouse, not on a touch screen", async () => {
  const mouse = await openPage(browser);
  await mouse.page.goto(site.url);
  assert.ok(await mouse.page.locator(".search-key").isVisible());
  await mouse.context.close();
  const touch = await openPage(browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await touch.page.goto(site.url);
  assert.equal(await touch.page.locator(".search-key").isVisible(), false);
  await touch.context.close();
  assert.deepEqual([...mouse.problems, ...touch.problems], []);
});

test("at 768 px the search box is not alone on a row", async () => {
  const { page, context, problems } = await openPage(browser, { viewport: { width: 768, height: 1000 } });
  await page.goto(site.url + "chapters/");
  const box = (sel) => page.locator(sel).boundingBox();
  const [title, search] = [await box(".site-title"), await box("form.search")];
  // Title and search share the first row.
  assert.ok(Math.abs((title.y + title.height / 2) - (search.y + search.height / 2)) < search.height, JSON.stringify({ title, search }));
  await context.close();
  assert.deepEqual(problems, []);
});
