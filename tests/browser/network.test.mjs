// The network of people in the browser: by default the drawing and the table show the ties seen
// at least twice, and a labelled box shows all of them in both; pointing at or focusing a person
// lights up the people they appear with in the view shown; every node is a link to a biography
// that a keyboard can reach, and one skip link jumps past them all; the legend comes before the
// drawing, and on a phone the table comes first; a link from a person page lights them up on
// arrival; the page passes axe in light and dark, wide and narrow, and never scrolls sideways.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite } from "./lib/site.mjs";
import { axe, describe } from "./lib/axe.mjs";

let browser, site;
before(async () => {
  site = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** The ids lit up in the drawing, and the lines lit. */
const lit = (page) => page.evaluate(() => ({
  on: [...document.querySelectorAll("svg.nw .nw-node.is-on")].map((a) => a.dataset.id).sort(),
  centre: [...document.querySelectorAll("svg.nw .nw-node.is-centre")].map((a) => a.dataset.id),
  edges: document.querySelectorAll("svg.nw .nw-edge.is-on").length,
  dimmed: document.querySelector("svg.nw").classList.contains("is-lit"),
}));

/** The people a person's table row shows they appear with (those the reader can see). */
const row = (page, id) => page.locator(`#n-${id} .nw-links a`).evaluateAll((as) =>
  as.filter((a) => a.checkVisibility()).map((a) => a.getAttribute("href").split("/").at(-2)).sort());

/**
 * What the reader sees: the ties drawn (pairs of ids), the ties the table lists with their
 * counts, and the number of ties the sentence above the drawing gives.
 */
const view = (page) => page.evaluate(() => {
  const pair = (a, b) => [a, b].sort().join(" ");
  const drawn = [...document.querySelectorAll("svg.nw .nw-edge")].filter((e) => e.checkVisibility()).map((e) => pair(e.dataset.a, e.dataset.b));
  const listed = new Map();
  for (const tr of document.querySelectorAll(".nw-table tr[id^='n-']")) {
    for (const li of tr.querySelectorAll(".nw-links li")) {
      if (!li.checkVisibility()) continue;
      listed.set(pair(tr.id.slice(2), li.querySelector("a").getAttribute("href").split("/").at(-2)), Number(li.querySelector(".count").textContent));
    }
  }
  const sentence = document.querySelector(".nw-view").innerText;
  return { drawn: [...new Set(drawn)].sort(), listed: [...listed.keys()].sort(), counts: [...listed.values()], sentence };
});

test("the drawing shows the ties seen at least twice, the box shows all, and the table agrees in both views", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const { page, context, problems } = await openPage(browser, { javaScriptEnabled });
    await page.goto(site.url + "people/network/");
    const repeated = await view(page);
    assert.ok(repeated.drawn.length > 20, `${repeated.drawn.length} ties drawn`);
    assert.deepEqual(repeated.drawn, repeated.listed, "the drawing and the table show the same ties");
    assert.ok(repeated.counts.every((n) => n >= 2), "by default every tie shown is seen at least twice");
    const [, shown, hidden] = repeated.sentence.match(/show the (\d+) ties .* at least twice; (\d+) weaker ties, seen once, are hidden/);
    assert.equal(Number(shown), repeated.drawn.length, repeated.sentence);

    // The box has a name and a state, and the keyboard works it.
    const box = page.getByRole("checkbox", { name: /Show all ties, also the \d+ seen once/ });
    assert.equal(await box.isChecked(), false);
    await box.focus();
    await page.keyboard.press("Space");
    assert.equal(await box.isChecked(), true);
    const all = await view(page);
    assert.deepEqual(all.drawn, all.listed, "showing all, the drawing and the table still agree");
    assert.equal(all.drawn.length, Number(shown) + Number(hidden), all.sentence);
    assert.equal(all.drawn.length, await page.locator("svg.nw .nw-edge").count(), "every line is shown");
    assert.ok(all.counts.includes(1), "ties seen once are shown");
    assert.match(all.sentence, new RegExp(`show all ${all.drawn.length} ties; the ${hidden} seen once are dashed`));
    await page.keyboard.press("Space");
    assert.deepEqual((await view(page)).drawn, repeated.drawn, "unchecking goes back");
    await context.close();
    assert.deepEqual(problems, [], `JavaScript ${javaScriptEnabled}`);
  }
});

test("pointing at or focusing a person lights up who they appear with in the view shown, as the table says", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/network/");
  const id = "jonathan-pollard";
  const node = page.locator(`svg.nw a.nw-node[data-id="${id}"]`);
  await node.locator(".nw-shape").hover();
  const state = await lit(page);
  assert.ok(state.dimmed);
  assert.deepEqual(state.centre, [id]);
  const expected = [id, ...(await row(page, id))].sort();
  assert.ok(expected.length > 1);
  assert.deepEqual(state.on, expected, "the neighbours lit are those of the table");
  assert.equal(state.edges, expected.length - 1, "one line to each neighbour");
  await page.mouse.move(0, 0);
  assert.equal((await lit(page)).dimmed, false, "moving away clears the highlight");

  // Showing all ties, the same person lights up more people: the table's longer row.
  await page.getByRole("checkbox", { name: /Show all ties/ }).check();
  await node.locator(".nw-shape").hover();
  const everyone = [id, ...(await row(page, id))].sort();
  assert.ok(everyone.length > expected.length, `${everyone.length} > ${expected.length}`);
  assert.deepEqual((await lit(page)).on, everyone);
  await page.getByRole("checkbox", { name: /Show all ties/ }).uncheck();
  await page.mouse.move(0, 0);

  // The keyboard reaches the nodes: each is a link, and focus lights it up the same way.
  await node.focus();
  assert.deepEqual((await lit(page)).on, expected);
  assert.equal(await node.evaluate((a) => a.getAttribute("href")), `../../people/${id}/`);
  await page.keyboard.press("Enter");
  await page.waitForURL(site.url + `people/${id}/`);
  assert.equal((await page.locator("h1").innerText()).trim(), "Jonathan Pollard");
  await context.close();
  assert.deepEqual(problems, []);
});

test("one skip link, before the first node, takes the keyboard past the drawing to the table", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/network/");
  let skip = null;
  for (let i = 0; i < 60 && !skip; i++) {
    await page.keyboard.press("Tab");
    const here = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { node: !!a.closest(".nw-node"), skip: a.matches(".nw-skip"), text: a.textContent, visible: r.width > 0 && r.top >= 0 && r.bottom <= innerHeight };
    });
    assert.equal(here.node, false, "the skip link comes before the first node");
    if (here.skip) skip = here;
  }
  assert.ok(skip, "the keyboard reaches the skip link");
  assert.match(skip.text, /^Skip the drawing's \d+ links, to the table$/);
  assert.ok(skip.visible, "it shows when focused");
  assert.equal(await page.locator(".nw-skip").count(), 1);
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "nw-table-title");
  await page.keyboard.press("Tab");
  const next = await page.evaluate(() => ({ table: !!document.activeElement.closest(".nw-connections"), node: !!document.activeElement.closest(".nw-node") }));
  assert.deepEqual(next, { table: true, node: false }, "the next Tab lands in the table, past every node");
  await context.close();
  assert.deepEqual(problems, []);
});

test("the legend comes before the drawing, and on a phone the table comes first", async () => {
  for (const width of [1280, 390, 320]) {
    const { page, context, problems } = await openPage(browser, { viewport: { width, height: 900 } });
    await page.goto(site.url + "people/network/");
    const at = await page.evaluate(() => {
      const top = (css) => document.querySelector(css).getBoundingClientRect().top + scrollY;
      const legend = document.querySelector(".nw-legend"), svg = document.querySelector("svg.nw");
      return {
        legendFirst: !!(legend.compareDocumentPosition(svg) & Node.DOCUMENT_POSITION_FOLLOWING),
        legend: top(".nw-legend"), svg: top("svg.nw"), table: top(".nw-table"),
        overflow: document.documentElement.scrollWidth - innerWidth,
        font: parseFloat(getComputedStyle(document.querySelector("svg.nw text")).fontSize) * document.querySelector("svg.nw").getBoundingClientRect().width / document.querySelector("svg.nw").viewBox.baseVal.width,
      };
    });
    assert.ok(at.legendFirst, "the legend is read before the drawing");
    assert.ok(at.legend < at.svg, `the legend is above the drawing at ${width}px`);
    if (width <= 600) assert.ok(at.table < at.svg, `the table comes before the drawing at ${width}px`);
    else assert.ok(at.svg < at.table, `the drawing comes before the table at ${width}px`);
    assert.ok(at.font >= 10, `names are drawn at a readable size at ${width}px (${at.font.toFixed(1)}px)`);
    assert.ok(at.overflow <= 0, `no sideways scroll at ${width}px (${at.overflow}px)`);
    await context.close();
    assert.deepEqual(problems, []);
  }
});

test("a person page shows their neighbourhood and leads to them in the whole network", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/john-kerry/");
  const ego = page.locator(".person-network svg.nw-ego");
  assert.ok(await ego.isVisible());
  const box = await ego.boundingBox();
  assert.ok(box.width > 200 && box.width <= 1280, `drawn at a readable size (${box.width}px)`);
  const companions = await page.locator(".person-companions li a").allInnerTexts();
  const desc = await ego.locator("desc").textContent();
  for (const name of companions) assert.ok(desc.includes(name), `${name} is in the neighbourhood's text alternative`);
  await page.locator(".person-network a").click();
  await page.waitForURL(site.url + "people/network/#n-john-kerry");
  assert.deepEqual((await lit(page)).centre, ["john-kerry"], "arriving from the person page lights them up");
  await context.close();
  assert.deepEqual(problems, []);
});

test("the network page passes axe in light and dark, wide and narrow, in both views", async () => {
  for (const [colorScheme, width] of [["light", 1280], ["dark", 1280], ["light", 390], ["dark", 390]]) {
    const { page, context, problems } = await openPage(browser, { colorScheme, viewport: { width, height: 900 } });
    await page.goto(site.url + "people/network/");
    for (const all of [false, true]) {
      await page.getByRole("checkbox", { name: /Show all ties/ }).setChecked(all);
      const violations = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(describe(violations), [], `${colorScheme} ${width}${all ? " all ties" : ""}`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scroll at ${width}px (${overflow}px)`);
    await context.close();
    assert.deepEqual(problems, []);
  }
});
