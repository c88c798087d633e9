// The network of people in the browser: every node is a link to a biography that a keyboard can
// reach, pointing at or focusing a person lights up the people they appear with, a link from a
// person page lights them up on arrival, and the page passes axe in light and dark.
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

/** The people a person's table row says they appear with. */
const row = (page, id) => page.locator(`#n-${id} .nw-links a`).evaluateAll((as) => as.map((a) => a.getAttribute("href").split("/").at(-2)).sort());

test("pointing at or focusing a person lights up who they appear with, as the table says", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "people/network/");
  const id = "jonathan-pollard";
  const node = page.locator(`svg.nw a.nw-node[data-id="${id}"]`);
  await node.locator(".nw-shape").hover();
  const state = await lit(page);
  assert.ok(state.dimmed);
  assert.deepEqual(state.centre, [id]);
  const expected = [id, ...(await row(page, id))].sort();
  assert.deepEqual(state.on, expected, "the neighbours lit are those of the table");
  assert.equal(state.edges, expected.length - 1, "one line to each neighbour");
  await page.mouse.move(0, 0);
  assert.equal((await lit(page)).dimmed, false, "moving away clears the highlight");

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

test("the network page passes axe in light and dark, wide and narrow", async () => {
  for (const [colorScheme, width] of [["light", 1280], ["dark", 1280], ["light", 390]]) {
    const { page, context, problems } = await openPage(browser, { colorScheme, viewport: { width, height: 900 } });
    await page.goto(site.url + "people/network/");
    const violations = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(describe(violations), [], `${colorScheme} ${width}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scroll at ${width}px (${overflow}px)`);
    await context.close();
    assert.deepEqual(problems, []);
  }
});
