// Page previews, as readers meet them on the documentary served under a sub-path: hovering a
// link to a person, an event or a chapter with a mouse, or reaching it with Tab, shows a small
// card (what it is, its name, a role or date, a one-line summary) that Escape closes; nothing
// of it is fetched before the first hover or focus; a tap just follows the link; without
// JavaScript a link is just a link. axe stays clean with a card open, light and dark, and the
// card fits a 390 px screen. Screenshots: target/screenshots/preview-{1280,390}[-dark].png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite } from "./lib/site.mjs";
import { person } from "./lib/content.mjs";
import { SCREENSHOTS as OUT } from "./lib/page.mjs";
import { axe, describe } from "./lib/axe.mjs";

let browser, site;
before(async () => {
  site = await serveSite();
  browser = await launch();
  fs.mkdirSync(OUT, { recursive: true });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const card = (page) => page.locator(".preview-card");
const shown = (page) => page.locator(".preview-card:not([hidden])").waitFor();
const cardText = (page) => card(page).evaluate((c) => [...c.children].map((s) => (s.hidden ? "" : s.textContent)));

/** The first link in the main content to `path` (site-relative, prefix). */
function linkTo(page, prefix) {
  return page.locator(`main a[href*="${prefix}"]`).first();
}

test("nothing of the previews is fetched before the first hover, then a hover shows the person's card", async () => {
  const { page, context, problems } = await openPage(browser);
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(site.url + "chapters/going-for-it/");
  await page.waitForTimeout(300);
  await page.mouse.move(5, 5);
  await page.keyboard.press("Shift");
  assert.deepEqual(requested.filter((p) => p.includes("/preview")), [], "no preview script or data before a hover");

  const link = linkTo(page, "people/john-kerry/");
  await link.scrollIntoViewIfNeeded();
  await link.hover();
  await shown(page);
  const kerry = person("john-kerry");
  const [kind, title, line, text] = await cardText(page);
  assert.equal(kind, "Person");
  assert.equal(title, kerry.name);
  assert.equal(line, kerry.role);
  assert.ok(kerry.summary.replace(/’/g, "'").startsWith(text.replace(/…$/, "").replace(/’/g, "'")), `${text} is the summary`);
  assert.equal(await card(page).getAttribute("role"), "tooltip");
  assert.match(await link.getAttribute("aria-describedby"), /\bpreview-card\b/, "the link is described by its card");
  // Only the script, meta.json and one shard or two were fetched, from under the sub-path.
  const fetched = requested.filter((p) => p.includes("/preview"));
  assert.ok(fetched.every((p) => p.startsWith(site.base)), fetched.join());
  assert.ok(fetched.length <= 4, fetched.join());

  // The pointer may move onto the card; moving away closes it.
  const box = await card(page).boundingBox();
  await page.mouse.move(box.x + 10, box.y + 10, { steps: 4 });
  await page.waitForTimeout(400);
  assert.ok(await card(page).isVisible(), "the card stays while the pointer is on it");
  await page.mouse.move(2, 2);
  await card(page).waitFor({ state: "hidden" });
  assert.equal(await link.getAttribute("aria-describedby"), null);
  await context.close();
  assert.deepEqual(problems, []);
});

test("focus from the keyboard shows an event's card with its date, and Escape closes it", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "chapters/going-for-it/");
  const link = linkTo(page, "timeline/");
  const href = await link.evaluate((a) => a.href);
  const id = new URL(href).hash.slice(1);
  assert.ok(id, href);
  // Reach the link from the keyboard: focus what comes before it, then Tab.
  await link.evaluate((a) => {
    const all = [...document.querySelectorAll("a[href], button, input, [tabindex]")].filter((x) => x.tabIndex >= 0);
    all[all.indexOf(a) - 1].focus();
  });
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.href), href);
  await shown(page);
  const [kind, title, line] = await cardText(page);
  assert.equal(kind, "Event");
  assert.ok(title.length > 0);
  assert.match(line, /\d{4}/, "the event's date");
  const violations = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(describe(violations), [], "axe with a card open");
  await page.keyboard.press("Escape");
  await card(page).waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement.href), href, "focus stays on the link");
  // Tab on: the next link with a card shows its own.
  await context.close();
  assert.deepEqual(problems, []);
});

test("a person's card in light and dark at 1280 and 390 px, axe clean", async () => {
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [390, "light"], [390, "dark"]]) {
    const { page, context, problems } = await openPage(browser, { viewport: { width, height: 844 }, colorScheme: scheme });
    await page.goto(site.url + "chapters/the-pollard-bargain/");
    const link = linkTo(page, "people/jonathan-pollard/");
    await link.scrollIntoViewIfNeeded();
    await link.hover();
    await shown(page);
    const box = await card(page).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width, `${width}: the card is within the screen: ${JSON.stringify(box)}`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `${width}: no sideways scroll (${scroll})`);
    const violations = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(describe(violations), [], `${width} ${scheme}`);
    await page.screenshot({ path: path.join(OUT, `preview-${width}${scheme === "dark" ? "-dark" : ""}.png`) });
    await context.close();
    assert.deepEqual(problems, [], `${width} ${scheme}`);
  }
  // A chapter's card, from a person's page (a link to a paragraph of the chapter shows the
  // chapter's card).
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/john-kerry/");
  const link = linkTo(page, "chapters/");
  await link.scrollIntoViewIfNeeded();
  await link.hover();
  await shown(page);
  const [kind, title, line] = await cardText(page);
  assert.equal(kind, "Chapter");
  assert.ok(title.length > 0);
  assert.match(line, /^Chapter \d+ · \d+ min read$/);
  await context.close();
  assert.deepEqual(problems, []);
});

test("a tap on a touch screen follows the link without a card; without JavaScript a link is a link", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const bad = [];
  page.on("response", (r) => { if (r.status() >= 400) bad.push(r.url()); });
  await page.goto(site.url + "chapters/going-for-it/");
  const link = linkTo(page, "people/john-kerry/");
  const href = await link.evaluate((a) => a.href);
  await link.scrollIntoViewIfNeeded();
  await link.tap();
  await page.waitForURL(href);
  assert.deepEqual(bad, []);
  await context.close();

  const off = await openPage(browser, { javaScriptEnabled: false });
  await off.page.goto(site.url + "chapters/going-for-it/");
  const l = linkTo(off.page, "people/john-kerry/");
  await l.hover();
  await l.focus();
  assert.equal(await off.page.locator(".preview-card").count(), 0);
  await l.click();
  await off.page.waitForURL(site.url + "people/john-kerry/");
  await off.context.close();
  assert.deepEqual(off.problems, []);
});

test("hovering links on every kind of page asks for nothing missing", async () => {
  const { page, context, problems } = await openPage(browser);
  for (const p of ["", "people/", "people/john-kerry/", "timeline/", "sources/", "chapters/the-long-road/", "people/network/"]) {
    await page.goto(site.url + p);
    const links = page.locator("main a[href]:visible");
    const n = Math.min(await links.count(), 6);
    for (let i = 0; i < n; i++) {
      await links.nth(i).hover().catch(() => {});
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(400);
  }
  await context.close();
  assert.deepEqual(problems, []);
});
