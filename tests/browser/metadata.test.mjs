// Every page says what it is to browsers, search engines and link previews: a <title>, a meta
// description, a canonical URL under the site's base URL, Open Graph tags and schema.org JSON-LD
// of the right type (Article for chapters, Person for people, Event for events).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite, sitePages, BASE } from "./lib/site.mjs";

let browser, site;
before(async () => {
  site = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

// The schema.org type each kind of page (its body class, page-<kind>) must declare.
const TYPES = { index: "WebSite", chapter: "Article", person: "Person", timeline: "ItemList" };

test("every page has a title, description, canonical URL, Open Graph tags and JSON-LD", async (t) => {
  const { page, context, problems } = await openPage(browser, { javaScriptEnabled: false, expect404: [`${BASE}404.html`] });
  const missing = [];
  const pages = sitePages();
  for (const p of pages) {
    await page.goto(site.url + p);
    const m = await page.evaluate(() => {
      const meta = (sel) => document.querySelector(sel)?.getAttribute("content") ?? "";
      return {
        title: document.title,
        h1: document.querySelector("h1")?.textContent.trim() ?? "",
        description: meta('meta[name="description"]'),
        canonical: document.querySelector('link[rel="canonical"]')?.getAttribute("href") ?? "",
        og: ["og:title", "og:description", "og:type", "og:url", "og:site_name"].map((k) => [k, meta(`meta[property="${k}"]`)]),
        kind: [...document.body.classList].find((c) => c.startsWith("page-"))?.slice(5) ?? "",
        ld: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent),
      };
    });
    const where = p || "home";
    if (!m.title.trim()) missing.push(`${where}: empty <title>`);
    if (m.h1 && !m.title.includes(m.h1)) missing.push(`${where}: <title> "${m.title}" does not name the page "${m.h1}"`);
    if (!m.description.trim() || /:\s*$/.test(m.description)) missing.push(`${where}: no meaningful meta description ("${m.description}")`);
    if (p !== "404.html" && !m.canonical.endsWith(`${BASE}${p}`)) missing.push(`${where}: canonical ${m.canonical} is not ${BASE}${p}`);
    for (const [k, v] of m.og) if (!v.trim()) missing.push(`${where}: no ${k}`);
    if (m.ld.length !== 1) {
      missing.push(`${where}: ${m.ld.length} JSON-LD blocks`);
      continue;
    }
    let ld;
    try {
      ld = JSON.parse(m.ld[0]);
    } catch (e) {
      missing.push(`${where}: JSON-LD does not parse: ${e.message}`);
      continue;
    }
    if (ld["@context"] !== "https://schema.org") missing.push(`${where}: JSON-LD context ${ld["@context"]}`);
    const type = TYPES[m.kind];
    if (type && ld["@type"] !== type) missing.push(`${where}: JSON-LD @type ${ld["@type"]}, expected ${type}`);
    if (type === "ItemList") {
      const events = ld.itemListElement.map((i) => i.item);
      if (!events.length || !events.every((e) => e["@type"] === "Event" && e.name && e.startDate)) missing.push(`${where}: timeline JSON-LD items are not Events with a name and start date`);
      const count = await page.locator(".tl-event").count();
      if (events.length !== count) missing.push(`${where}: ${events.length} JSON-LD events for ${count} events on the page`);
    }
  }
  await context.close();
  t.diagnostic(`${pages.length} pages checked`);
  assert.deepEqual(missing, []);
  assert.deepEqual(problems, []);
});
