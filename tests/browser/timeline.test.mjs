// The timeline a reader can trust (issue 18), at 390 and 1280 px: its height against the
// timeline before it was made to scan, events that open and close with or without a script,
// the rail of periods, years and months, the strip, the filter's counts, gaps and empty state,
// the sticky year heading's rule, axe in light and dark; screenshots of it into
// target/screenshots/. And a documentary of dates before the common era (the chronology
// fixture) through the Nu HTML checker and axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite, REPO } from "./lib/site.mjs";
import { serve } from "./lib/server.mjs";
import { axe, describe } from "./lib/axe.mjs";
import { SCREENSHOTS as OUT, pageSize } from "./lib/page.mjs";

// The documentary's timeline before issue 18, measured in this suite's Chromium (Charis SIL):
// one card per event with its summary, sources and note.
const BEFORE = { 390: 107444, 1280: 70117 };
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
];

let browser, site, dir, chronology;
before(async () => {
  site = await serveSite();
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-chronology-"));
  const out = path.join(dir, "public");
  execFileSync("cargo", ["run", "--release", "--quiet", "--", "build", "--root", path.join(REPO, "tests/fixtures/chronology"), "--out", out, "--base-url", "http://127.0.0.1/bce/"], {
    cwd: REPO,
    stdio: ["ignore", "ignore", "inherit"],
  });
  chronology = await serve(out, { base: "/bce/" });
  fs.mkdirSync(OUT, { recursive: true });
});
after(async () => {
  await browser?.close();
  await site?.close();
  await chronology?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

for (const size of SIZES) {
  test(`at ${size.width} px the timeline is at most a third of its old height, and its events open`, async (t) => {
    const { page, context, problems } = await openPage(browser, { viewport: size });
    await page.goto(site.url + "timeline/");
    await page.evaluate(() => document.fonts.ready);
    const { height } = await pageSize(page);
    t.diagnostic(`${height} px tall (${BEFORE[size.width]} before)`);
    assert.ok(height <= BEFORE[size.width] / 3, `${height} px at ${size.width} px`);
    // Every event is one closed line: date, title, people.
    const open = await page.locator(".tl-event details[open]").count();
    assert.equal(open, 0, "events start closed");
    const event = page.locator(".tl-event").nth(40);
    const body = event.locator(".tl-body");
    assert.equal(await body.isVisible(), false);
    await event.locator("summary").click();
    assert.ok(await body.isVisible(), "a click opens the event");
    assert.ok((await body.innerText()).includes("How it is dated") || (await body.locator(".tl-meta").count()) > 0);
    await event.locator("summary").press("Enter");
    assert.equal(await body.isVisible(), false, "Enter closes it again");
    // The sticky year heading has a rule under it and hides what scrolls beneath.
    const label = await page.locator(".tl-year-label").nth(5).evaluate((h) => {
      const s = getComputedStyle(h);
      return { position: s.position, border: parseFloat(s.borderBottomWidth), background: s.backgroundColor };
    });
    assert.equal(label.position, "sticky");
    assert.ok(label.border >= 1, "the sticky year heading has a rule");
    assert.notEqual(label.background, "rgba(0, 0, 0, 0)", "and a background");
    // No stray mark before the first year: nothing but headings comes before it.
    const firstGap = await page.evaluate(() => {
      const first = document.querySelector(".tl-year");
      return [...document.querySelectorAll(".tl-gap")].some((g) => g.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING && !g.hidden);
    });
    assert.equal(firstGap, false);
    await context.close();
    assert.deepEqual(problems, []);
  });

  test(`at ${size.width} px the month rail and the strip lead to their months`, async () => {
    const { page, context, problems } = await openPage(browser, { viewport: size });
    await page.goto(site.url + "timeline/");
    const months = page.locator(".tl-rail-months a");
    assert.ok((await months.count()) >= 12, "the dense years list their months");
    const month = months.nth(6);
    const href = await month.getAttribute("href");
    await month.click();
    await page.waitForURL((u) => u.hash === href);
    const top = await page.locator(href).evaluate((h) => h.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < size.height / 2, `the month heading is in view (${top})`);
    // The rail's counts agree with the list.
    const counts = await page.evaluate(() =>
      [...document.querySelectorAll(".tl-rail li[data-key]")].map((li) => [+li.querySelector(".n").textContent, document.querySelectorAll(`[data-group="${li.dataset.key}"] .tl-event`).length]),
    );
    assert.ok(counts.every(([a, b]) => a === b), JSON.stringify(counts));
    // A bar of the strip leads to its month too.
    const bar = page.locator(".tl-strip a").nth(3);
    const barHref = await bar.getAttribute("href");
    await bar.click();
    await page.waitForURL((u) => u.hash === barHref);
    await context.close();
    assert.deepEqual(problems, []);
  });

  test(`at ${size.width} px a filter with no events says so, keeps the rail and offers to clear it`, async () => {
    const { page, context, problems } = await openPage(browser, { viewport: size });
    await page.goto(site.url + "timeline/");
    const total = await page.locator(".tl-event").count();
    // A person and a tag that share no event.
    const pair = await page.evaluate(() => {
      const events = [...document.querySelectorAll(".tl-event")];
      const values = (name) => [...document.querySelectorAll(`select[name=${name}] option`)].map((o) => o.value).filter(Boolean);
      for (const p of values("person"))
        for (const t of values("tag"))
          if (!events.some((e) => e.dataset.people.split(" ").includes(p) && e.dataset.tags.split(" ").includes(t))) return { p, t };
      return null;
    });
    assert.ok(pair, "some person and tag share no event");
    await page.getByLabel("Person", { exact: true }).selectOption(pair.p);
    await page.getByLabel("Tag", { exact: true }).selectOption(pair.t);
    const empty = page.locator(".tl-empty");
    assert.ok(await empty.isVisible(), "the empty result says so");
    assert.match(await empty.innerText(), /No event matches this filter/);
    assert.match(await page.locator(".tl-filter-status").innerText(), /No event matches this filter/);
    assert.ok(await page.locator(".tl-rail").isVisible(), "the rail stays");
    assert.equal(await page.locator(".tl-rail li.is-empty").count(), await page.locator(".tl-rail li[data-key]").count(), "and shows every count at 0");
    assert.equal(await page.locator(".tl-gap:visible").count(), 0, "no gap is drawn for nothing");
    const violations = await axe(page);
    assert.deepEqual(describe(violations.filter((v) => v.impact === "serious" || v.impact === "critical")), []);
    await empty.getByRole("button", { name: "Clear the filter" }).click();
    await page.waitForFunction((n) => document.querySelectorAll(".tl-event:not([hidden])").length === n, total);
    assert.equal(await empty.isVisible(), false);
    assert.equal(new URL(page.url()).search, "", "the address loses the filter");
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test("a filtered timeline counts its gaps and its rail for what it shows", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "timeline/");
  // The person whose events leave the most years between them.
  const person = await page.evaluate(() => {
    const years = (p) => [...document.querySelectorAll(".tl-event")].filter((e) => e.dataset.people.split(" ").includes(p)).map((e) => +e.closest(".tl-year").dataset.start);
    const options = [...document.querySelectorAll("select[name=person] option")].map((o) => o.value).filter(Boolean);
    const spread = (p) => { const y = years(p); return Math.max(...y) - Math.min(...y) - new Set(y).size; };
    return options.sort((a, b) => spread(b) - spread(a))[0];
  });
  await page.goto(`${site.url}timeline/?person=${person}`);
  const shown = await page.locator(".tl-event:visible").count();
  const total = await page.locator(".tl-event").count();
  assert.ok(shown > 1 && shown < total, `${person}: ${shown} events`);
  // Each gap names the years between the shown years that no shown event covers.
  const wrong = await page.evaluate(() => {
    let covered = null;
    const out = [];
    for (const y of document.querySelectorAll(".tl-year:not([hidden])")) {
      const start = +y.dataset.start;
      const prev = y.previousElementSibling;
      const gap = prev && prev.classList.contains("tl-gap") && !prev.hidden ? prev.textContent : "";
      const missing = covered === null ? 0 : start - covered - 1;
      const want = missing === 1 ? `1 year without events, ${start - 1}` : missing > 1 ? `${missing} years without events, ${start - missing}\u2013${start - 1}` : "";
      if (gap !== want) out.push(`${start}: "${gap}", not "${want}"`);
      let last = +y.dataset.end;
      for (const e of y.querySelectorAll(".tl-event:not([hidden])[data-last]")) last = Math.max(last, +e.dataset.last);
      covered = covered === null ? last : Math.max(covered, last);
    }
    return out;
  });
  assert.deepEqual(wrong, []);
  assert.ok((await page.locator(".tl-gap:visible").count()) > 0, `${person}'s timeline has gaps`);
  const counts = await page.evaluate(() =>
    [...document.querySelectorAll(".tl-rail li[data-key]")].map((li) => [+li.querySelector(".n").textContent, document.querySelectorAll(`[data-group="${li.dataset.key}"] .tl-event:not([hidden])`).length]),
  );
  assert.ok(counts.every(([a, b]) => a === b), JSON.stringify(counts));
  assert.match(await page.locator(".tl-filter-status").innerText(), new RegExp(`Showing ${shown} of ${total} events`));
  await context.close();
  assert.deepEqual(problems, []);
});

test("a person's page leads to the timeline filtered to them, at their first event, open", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/jonathan-pollard/");
  assert.match(await page.locator(".person-dates").innerText(), /in the story/i);
  await page.locator(".person-dates a").click();
  await page.waitForURL(/timeline\/\?person=jonathan-pollard#/);
  const id = new URL(page.url()).hash.slice(1);
  await page.waitForFunction((i) => document.getElementById(i).classList.contains("is-target"), id);
  assert.ok(await page.locator(`[id="${id}"] details`).evaluate((d) => d.open));
  assert.equal(await page.getByLabel("Person", { exact: true }).inputValue(), "jonathan-pollard");
  await context.close();
  assert.deepEqual(problems, []);
});

for (const colorScheme of ["light", "dark"])
  for (const size of SIZES)
    test(`axe: the timeline, an event open, ${colorScheme}, ${size.width} px`, async () => {
      const { page, context, problems } = await openPage(browser, { viewport: size, colorScheme });
      await page.goto(site.url + "timeline/");
      await page.locator(".tl-event summary").nth(2).click();
      const violations = await axe(page);
      await context.close();
      assert.deepEqual(describe(violations.filter((v) => v.impact === "serious" || v.impact === "critical")), []);
      assert.deepEqual(problems, []);
    });

test("screenshots of the timeline: an event open, a filter with no result (screenshots.test.mjs has the page from its top)", async (t) => {
  const shots = [
    { width: 1280, height: 900, colorScheme: "light", suffix: "1280" },
    { width: 390, height: 844, colorScheme: "light", suffix: "390" },
    { width: 1280, height: 900, colorScheme: "dark", suffix: "1280-dark" },
    { width: 390, height: 844, colorScheme: "dark", suffix: "390-dark" },
  ];
  for (const s of shots) {
    const { page, context, problems } = await openPage(browser, { viewport: { width: s.width, height: s.height }, colorScheme: s.colorScheme });
    await page.goto(site.url + "timeline/#abbas-signs-un-conventions");
    await page.evaluate(() => document.fonts.ready);
    await page.evaluate(() => window.scrollTo(0, 0));
    const event = page.locator("#abbas-signs-un-conventions");
    await event.scrollIntoViewIfNeeded();
    const box = await event.boundingBox();
    const y = Math.max(0, box.y + (await page.evaluate(() => scrollY)) - 200);
    await page.screenshot({ path: path.join(OUT, `timeline-open-${s.suffix}.png`), fullPage: true, clip: { x: 0, y, width: s.width, height: 1200 } });
    await page.goto(site.url + "timeline/?person=jonathan-pollard&tag=violence");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, `timeline-empty-${s.suffix}.png`), fullPage: true, clip: { x: 0, y: 0, width: s.width, height: 1800 } });
    await context.close();
    t.diagnostic(`target/screenshots/timeline-{open,empty}-${s.suffix}.png`);
    assert.deepEqual(problems, []);
  }
});

test("dates before the common era: the Nu checker and axe find nothing on the chronology fixture", async () => {
  const { page, context, problems } = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(chronology.url + "timeline/");
  assert.equal(await page.locator("#ides summary .when").innerText(), "March 15, 44 BCE");
  const violations = await axe(page);
  await context.close();
  assert.deepEqual(describe(violations.filter((v) => v.impact === "serious" || v.impact === "critical")), []);
  assert.deepEqual(problems, []);
  const files = ["timeline/", "chapters/rome/", "people/caesar/", ""].map((p) => path.join(dir, "public", p, "index.html"));
  const vnuJar = createRequire(import.meta.url)("vnu-jar");
  const messages = await new Promise((resolve, reject) =>
    execFile("java", ["-jar", vnuJar, "--format", "json", ...files], { maxBuffer: 64 << 20 }, (err, _stdout, stderr) => {
      try {
        resolve(JSON.parse(stderr).messages);
      } catch {
        reject(err ?? new Error(stderr.slice(0, 500)));
      }
    }),
  );
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(errors.map((m) => `${m.url.replace(/^.*public\//, "")}:${m.lastLine}: ${m.message}`), []);
});
