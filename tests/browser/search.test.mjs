// The search box, as a reader uses it on the documentary served under a sub-path: "/" to reach
// it, a name typed, results grouped by kind with highlighted excerpts, arrows and Enter to open
// one, Escape to close. The index loads only when the box is wanted, in small files. (Names,
// the best match and typos: search-names.test.mjs.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite } from "./lib/site.mjs";
import { axe, describe } from "./lib/axe.mjs";
import { typeQuery, groupedResults as results, resultCount } from "./lib/search.mjs";

let browser, site;
before(async () => {
  site = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { tag: a.tagName, id: a.id, href: a.href || "", text: a.textContent.replace(/\s+/g, " ").trim() };
});

/** Reach the box with "/" from the page, type `query`, and wait for the results. */
async function searchFor(page, query) {
  await page.keyboard.press("/");
  assert.equal((await active(page)).id, "search-input", "/ focuses the search box");
  await page.keyboard.type(query);
  await page.locator(".search-results:not([hidden]) .search-hit").first().waitFor();
}

test("searching for Pollard finds both the chapter and the person, with the word highlighted", async () => {
  const { page, context, problems } = await openPage(browser);
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  const sizes = [];
  page.on("response", async (r) => {
    if (new URL(r.url()).pathname.startsWith(site.base + "search/")) sizes.push([r.url(), (await r.body()).length]);
  });
  await page.goto(site.url);
  assert.ok(!requested.some((p) => p.includes("/search/") || p.endsWith("/search.js")), "nothing of the search loads before the box is wanted");

  await searchFor(page, "Pollard");
  const found = await results(page);
  const chapter = found.Chapters?.find((r) => r.title === "The Pollard Bargain");
  assert.ok(chapter, `the chapter is found: ${JSON.stringify(found)}`);
  assert.equal(chapter.kind, "Chapter");
  assert.equal(chapter.href, site.url + "chapters/the-pollard-bargain/", "result links keep the sub-path");
  assert.ok(chapter.marks.some((m) => /pollard/i.test(m)), "the excerpt highlights the word");
  const person = found["Best match"]?.find((r) => r.title === "Jonathan Pollard");
  assert.ok(person, `the person is found, as the best match (their alias): ${JSON.stringify(found)}`);
  assert.equal(person.kind, "Person");
  assert.equal(person.href, site.url + "people/jonathan-pollard/");
  assert.ok(found.Events?.length > 0 && found.Events.every((e) => e.href.startsWith(site.url + "timeline/")), "events are found too, on the timeline");
  assert.match(await page.locator("#search-status").textContent(), /^\d+ results? for “Pollard”\.$/, "the count is announced");

  // The index came in small files from under the sub-path.
  assert.ok(sizes.length >= 4, `index files fetched: ${sizes.length}`);
  for (const [url, bytes] of sizes) {
    assert.ok(url.startsWith(site.origin + site.base + "search/"), url);
    assert.ok(bytes < 150_000, `${url} is ${bytes} bytes`);
  }
  await context.close();
  assert.deepEqual(problems, []);
});

test("arrows move through the results, Enter opens one, Escape closes the list", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "timeline/");
  await searchFor(page, "Pollard");
  const links = await page.locator(".search-results a").evaluateAll((as) => as.map((a) => a.href));
  assert.ok(links.length >= 3);

  await page.keyboard.press("ArrowDown");
  assert.equal((await active(page)).href, links[0], "ArrowDown goes to the first result");
  await page.keyboard.press("ArrowDown");
  assert.equal((await active(page)).href, links[1]);
  await page.keyboard.press("ArrowUp");
  assert.equal((await active(page)).href, links[0]);
  await page.keyboard.press("ArrowUp");
  assert.equal((await active(page)).id, "search-input", "ArrowUp from the first result goes back to the box");

  await page.keyboard.press("Escape");
  assert.ok(await page.locator(".search-results").isHidden(), "Escape closes the list");
  assert.equal((await active(page)).id, "search-input", "and leaves the reader in the box");
  assert.equal(await page.locator(".search-input").inputValue(), "Pollard");

  // Typing again reopens the list; walk down to the person and open it with Enter.
  await page.keyboard.type(" Jonathan");
  await page.locator(".search-results:not([hidden]) .search-hit").first().waitFor();
  const target = site.url + "people/jonathan-pollard/";
  let steps = 0;
  do {
    await page.keyboard.press("ArrowDown");
    steps++;
  } while ((await active(page)).href !== target && steps < 20);
  assert.equal((await active(page)).href, target, "the person's result is reached with the arrows");
  await page.keyboard.press("Enter");
  await page.waitForURL(target);
  assert.equal((await page.locator("h1").innerText()).trim(), "Jonathan Pollard");
  await context.close();
  assert.deepEqual(problems, []);
});

test("a chapter's matching sections are results of their own, leading to the section", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  await searchFor(page, "Pollard");
  const section = page.locator(".search-subs a").first();
  assert.equal((await section.locator(".search-kind").textContent()), "Section");
  const href = await section.evaluate((a) => a.href);
  const hash = new URL(href).hash.slice(1);
  assert.ok(hash, `a section result has an anchor: ${href}`);
  await section.click();
  await page.waitForURL(href);
  assert.ok(await page.locator(`[id="${hash}"]`).count(), `#${hash} exists on ${href}`);
  await context.close();
  assert.deepEqual(problems, []);
});

test("search works from a deep page and from the 404 page of any URL", async () => {
  for (const [path, expect404] of [["people/john-kerry/", []], ["no/such/page/", [site.base + "no/such/page/"]]]) {
    const { page, context, problems } = await openPage(browser, { expect404 });
    await page.goto(site.url + path);
    await searchFor(page, "Kerry");
    const found = await results(page);
    const kerry = found["Best match"]?.find((r) => r.title === "John Kerry");
    assert.ok(kerry, `${path}: ${JSON.stringify(found)}`);
    assert.equal(kerry.href, site.url + "people/john-kerry/", path);
    await context.close();
    assert.deepEqual(problems, [], path);
  }
});

test("a query with no results says so, and the open list passes axe", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  await page.keyboard.press("/");
  await page.keyboard.type("zzyzxqv");
  await page.locator(".search-results:not([hidden]) .search-count").waitFor();
  assert.equal(await page.locator(".search-count").textContent(), "No results for “zzyzxqv”");
  await page.locator(".search-input").fill("");
  await page.keyboard.type("Netanyahu");
  await page.locator(".search-results:not([hidden]) .search-hit").first().waitFor();
  const violations = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(describe(violations), []);
  await context.close();
  assert.deepEqual(problems, []);
});

test("without JavaScript there is no search box to mislead", async () => {
  const { page, context, problems } = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(site.url);
  assert.ok(await page.locator("form.search").isHidden());
  await context.close();
  assert.deepEqual(problems, []);
});

/** Type `query` into an empty box as a reader does and wait until the status announces it. */
async function retype(page, query) {
  await typeQuery(page, query, { sequential: true });
  return results(page);
}

test("the last word is matched as the start of a word, so results come as the reader types", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/");
  await page.keyboard.press("/");
  const found = await retype(page, "Pollar");
  const person = found["Best match"]?.find((r) => r.title === "Jonathan Pollard");
  assert.ok(person, `"Pollar" finds the person, as the best match: ${JSON.stringify(found)}`);
  assert.ok(person.marks.some((m) => /^pollard/i.test(m)), `the whole word is highlighted: ${person.marks}`);
  // Only the last word is a prefix: "Pol Jonathan" asks for the word "pol" (too short for a
  // typo), which no page has.
  await retype(page, "Pol Jonathan");
  assert.equal(await page.locator(".search-count").textContent(), "No results for \u201cPol Jonathan\u201d");
  await context.close();
  assert.deepEqual(problems, []);
});

test("every word must match: a second word narrows the results", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  await page.keyboard.press("/");
  const wide = await retype(page, "Pollard");
  const wideCount = await resultCount(page);
  const narrow = await retype(page, "Pollard Israel");
  const narrowCount = await resultCount(page);
  assert.ok(narrowCount > 0 && narrowCount < wideCount, `"Pollard Israel" (${narrowCount}) finds fewer than "Pollard" (${wideCount})`);
  assert.ok(narrow.People?.some((r) => r.title === "Jonathan Pollard"), `the person stays: ${JSON.stringify(narrow)}`);
  assert.ok(Object.keys(wide).length > 0);
  for (const hit of Object.values(narrow).flat()) {
    assert.ok(hit.marks.length > 0, `${hit.title} shows a word found`);
  }
  await context.close();
  assert.deepEqual(problems, []);
});
