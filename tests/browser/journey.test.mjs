// End-to-end tests of what a reader does: click from the home page to a chapter, a person and
// the timeline; filter the timeline; follow a deep link to an event; read on a phone; use the
// keyboard; print. Every page must load without console errors or failed requests.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite, sitePages, pageKinds } from "./lib/site.mjs";
import { pageSize } from "./lib/page.mjs";

let browser, site;
before(async () => {
  site = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test("home → chapter → person → timeline, by clicking", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  const firstChapter = page.locator(".chapter-list h3 a").first();
  const chapterTitle = (await firstChapter.innerText()).trim();
  await firstChapter.click();
  await page.waitForURL(/\/chapters\/[^/]+\/$/);
  assert.equal((await page.locator("h1").innerText()).trim(), chapterTitle.replace(/^Chapter \d+:\s*/, ""));
  assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Chapters" }).getAttribute("aria-current"), "true", "the header says where the reader is");
  assert.ok(await page.getByRole("link", { name: /Next chapter/ }).isVisible(), "a first chapter links to the next one");

  const person = page.locator(".cast a").first();
  const name = (await person.innerText()).trim();
  await person.click();
  await page.waitForURL(/\/people\/[^/]+\/$/);
  assert.equal((await page.locator("h1").innerText()).trim(), name);
  assert.ok(await page.locator(".infobox").isVisible(), "the person page shows an infobox");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Timeline" }).click();
  await page.waitForURL(/\/timeline\/$/);
  assert.equal((await page.locator("h1").innerText()).trim(), "Timeline");
  assert.ok((await page.locator(".tl-event").count()) > 0, "the timeline lists events");
  assert.ok(page.url().startsWith(site.url), "the journey stays under the sub-path");
  await context.close();
  assert.deepEqual(problems, []);
});

test("the timeline filter narrows the list by person, side and tag, and restores it", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "timeline/");
  const visible = () => page.locator(".tl-event:visible").count();
  const total = await page.locator(".tl-event").count();
  assert.equal(await visible(), total, "everything is shown before filtering");
  const status = page.locator(".tl-filter-status");

  for (const field of ["Person", "Side", "Tag"]) {
    const select = page.getByLabel(field, { exact: true });
    // The option with the most events that is still a real narrowing.
    const options = await select.locator("option").evaluateAll((os) => os.map((o) => ({ value: o.value, count: Number((o.textContent.match(/\((\d+)\)$/) || [])[1]) })).filter((o) => o.value));
    const pick = options.filter((o) => o.count < total).sort((a, b) => b.count - a.count)[0];
    await select.selectOption(pick.value);
    const shown = await visible();
    assert.equal(shown, pick.count, `${field} "${pick.value}" shows its ${pick.count} events`);
    assert.match(await status.innerText(), new RegExp(`Showing ${pick.count} of ${total} events`));
    const attr = { Person: "people", Side: "sides", Tag: "tags" }[field];
    const wrong = await page.locator(".tl-event:visible").evaluateAll((els, [a, v]) => els.filter((e) => !e.dataset[a].split(" ").includes(v)).length, [attr, pick.value]);
    assert.equal(wrong, 0, "every shown event matches");
    assert.ok(new URL(page.url()).searchParams.get(field.toLowerCase()) === pick.value, "the filter is kept in the address");
    // Years with nothing left are hidden, and the year headings shown all have events.
    const emptyYears = await page.locator(".tl-year:visible").evaluateAll((ys) => ys.filter((y) => !y.querySelector(".tl-event:not([hidden])")).length);
    assert.equal(emptyYears, 0);
    await page.getByRole("button", { name: "Show all" }).click();
    await page.waitForFunction((n) => document.querySelectorAll(".tl-event:not([hidden])").length === n, total);
    assert.equal(await visible(), total, "Show all restores the full list");
  }
  // A filtered timeline still shows the gaps between the years it keeps, counted from what the
  // shown events cover (a span covers its years, a decade its ten).
  await page.getByLabel("Person", { exact: true }).selectOption({ index: 1 });
  const gapsOk = await page.evaluate(() => {
    let covered = null;
    const wrong = [];
    for (const y of document.querySelectorAll(".tl-year:not([hidden])")) {
      const start = +y.dataset.start;
      const prev = y.previousElementSibling;
      const gap = prev && prev.classList.contains("tl-gap") && !prev.hidden ? prev.textContent : "";
      const missing = covered === null ? 0 : start - covered - 1;
      if (missing > 0 ? !gap.startsWith(`${missing} year`) : gap) wrong.push(`${start}: "${gap}" for ${missing}`);
      let last = +y.dataset.end;
      for (const e of y.querySelectorAll(".tl-event:not([hidden])[data-last]")) last = Math.max(last, +e.dataset.last);
      covered = covered === null ? last : Math.max(covered, last);
    }
    return wrong;
  });
  assert.deepEqual(gapsOk, [], "each gap names the years no shown event covers");
  await context.close();
  assert.deepEqual(problems, []);
});

test("without JavaScript the timeline shows every event and no filter", async () => {
  const { page, context, problems } = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(site.url + "timeline/");
  const total = await page.locator(".tl-event").count();
  assert.ok(total > 0, "the timeline lists events");
  assert.equal(await page.locator(".tl-event:visible").count(), total);
  assert.equal(await page.locator(".tl-filter").isVisible(), false);
  // The list is walkable: a heading per year, events as items of ordered lists, each of which
  // opens without a script.
  const years = await page.locator(".tl-year > .tl-year-label").count();
  assert.equal(years, await page.locator(".tl-year").count());
  const first = page.locator(".tl-event").first();
  await first.locator("summary").click();
  assert.ok(await first.locator(".tl-body").isVisible(), "an event opens to its details");
  assert.equal(await page.locator("ol.tl-events > li.tl-event").count(), total);
  await context.close();
  assert.deepEqual(problems, []);
});

test("the timeline names the years without events between the years it shows", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(site.url + "timeline/");
  const gaps = await page.locator(".tl-gap:visible").allInnerTexts();
  assert.ok(gaps.length > 0, "the documentary has years without events");
  for (const g of gaps) assert.match(g, /^(1 year without events, \d+|\d+ years without events, \d+–\d+)$/);
  await context.close();
});

test("a deep link to an event scrolls to it and highlights it, even when a filter hid it", async () => {
  const { page, context, problems } = await openPage(browser);
  // Follow the link from a chapter's list of events, as a reader would.
  await page.goto(site.url + pageKinds().chapter);
  const link = page.locator(".aside-events a").last();
  const href = await link.getAttribute("href");
  const id = href.split("#")[1];
  await link.click();
  await page.waitForURL(new RegExp(`/timeline/#${id}$`));
  const event = page.locator(`[id="${id}"]`);
  await event.waitFor();
  await page.waitForFunction((i) => document.getElementById(i).classList.contains("is-target"), id);
  const state = await event.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { target: el.matches(":target"), inView: r.top >= 0 && r.top < window.innerHeight, outline: getComputedStyle(el).boxShadow, background: getComputedStyle(el).backgroundColor };
  });
  assert.ok(state.target && state.inView, `the event is the target and in view (${JSON.stringify(state)})`);
  assert.ok(await event.locator("details").evaluate((d) => d.open), "the linked event is open");
  const plain = await page.locator(".tl-event:not(.is-target)").first().evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(state.background, plain, "the highlighted event looks different from the others");

  // A filtered timeline opened at an event the filter hides shows the event anyway.
  const other = await page.locator(".tl-event").evaluateAll((els, i) => {
    const me = els.find((e) => e.id === i);
    const person = [...document.querySelectorAll("select[name=person] option")].map((o) => o.value).find((v) => v && !me.dataset.people.split(" ").includes(v));
    return person;
  }, id);
  await page.goto(`${site.url}timeline/?person=${other}#${id}`);
  await page.waitForFunction((i) => document.getElementById(i).classList.contains("is-target"), id);
  assert.ok(await event.isVisible(), "the linked event is shown");
  assert.ok(await event.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }), "and scrolled into view");
  await context.close();
  assert.deepEqual(problems, []);
});

test("no page scrolls sideways at 390 px (nor at 320 px), and none has a console error or failed request", async (t) => {
  const pages = sitePages();
  const wide = [];
  let allProblems = [];
  for (const width of [390, 320]) {
    const { page, context, problems } = await openPage(browser, { viewport: { width, height: 844 }, expect404: [`${site.base}404.html`] });
    for (const p of pages) {
      await page.goto(site.url + p);
      const { width: w } = await pageSize(page);
      if (w > width) wide.push(`${p || "home"} at ${width} px: ${w} px wide`);
    }
    await context.close();
    allProblems = allProblems.concat(problems);
  }
  t.diagnostic(`${pages.length} pages at 390 and 320 px`);
  assert.deepEqual(wide, []);
  assert.deepEqual(allProblems, []);
});

test("CSS and JavaScript together weigh under 50 KB on every kind of page", async (t) => {
  for (const [kind, path] of Object.entries(pageKinds())) {
    if (kind === "notfound") continue;
    const { page, context } = await openPage(browser);
    let bytes = 0;
    const parts = [];
    page.on("response", async (r) => {
      const type = r.request().resourceType();
      if (type === "stylesheet" || type === "script") {
        const n = (await r.body()).length;
        bytes += n;
        parts.push(`${new URL(r.url()).pathname.split("/").pop()} ${n}`);
      }
    });
    await page.goto(site.url + path, { waitUntil: "networkidle" });
    const inline = await page.evaluate(() => [...document.querySelectorAll("style, script:not([src]):not([type='application/ld+json'])")].reduce((n, e) => n + e.textContent.length, 0));
    await context.close();
    t.diagnostic(`${kind}: ${bytes + inline} bytes (${parts.join(", ")}, inline ${inline})`);
    assert.ok(bytes + inline < 50 * 1024, `${kind}: ${bytes + inline} bytes of CSS and JS`);
  }
});

test("a chapter's table of contents marks the section being read", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + pageKinds().chapter);
  const links = page.locator(".toc a");
  const n = await links.count();
  assert.ok(n >= 2, "the chapter has sections");
  const last = links.nth(n - 1);
  await last.click();
  await page.waitForFunction(() => document.querySelectorAll(".toc a[aria-current]").length === 1);
  assert.equal(await last.getAttribute("aria-current"), "location");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => document.querySelectorAll(".toc a[aria-current]").length === 0);
  await context.close();
  assert.deepEqual(problems, []);
});

test("the skip link is the first stop for the keyboard, visible, and moves focus to the content", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + pageKinds().chapter);
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    const s = getComputedStyle(a);
    return { text: a.textContent, visible: r.top >= 0 && r.bottom <= innerHeight && r.width > 0, outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 };
  });
  assert.equal(skip.text, "Skip to content");
  assert.ok(skip.visible, "the skip link shows when focused");
  assert.ok(skip.outline, "focus is visible");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  // The next Tab lands inside the content, past the header.
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.querySelector("main").contains(document.activeElement)));
  await context.close();
  assert.deepEqual(problems, []);
});

test("a chapter prints without navigation, with link targets spelled out", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(site.url + pageKinds().chapter);
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector(".site-header")).display,
    pager: getComputedStyle(document.querySelector(".pager") ?? document.body).display,
    prose: getComputedStyle(document.querySelector(".prose")).display,
    url: getComputedStyle(document.querySelector(".print-only")).display,
    external: [...document.querySelectorAll(".chapter a[href^='http']")].map((a) => getComputedStyle(a, "::after").content).find((c) => c && c !== "none") ?? null,
  }));
  assert.equal(printed.header, "none");
  assert.equal(printed.prose, "block");
  assert.notEqual(printed.url, "none", "the page's address is printed");
  if (printed.external !== null) assert.match(printed.external, /http/, "external links print their address");
  await context.close();
});
