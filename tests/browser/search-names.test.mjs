// Finding anyone at once: for every person of the documentary (content/people/*.toml), typing
// their name puts their page first, as the "best match", and Enter opens it; so does an alias
// that is theirs alone. Names typed with a typo still find them, below exact matches, the first
// letter wrong too. Result text reads as the pages do (no raw ids from Markdown references).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite } from "./lib/site.mjs";
import { people } from "./lib/content.mjs";
import { SCREENSHOTS as OUT } from "./lib/page.mjs";
import { typeQuery, shownResults } from "./lib/search.mjs";

let browser, site;
before(async () => {
  site = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Type `query` into an empty box; wait until the status announces it; the links shown, in order. */
async function search(page, query) {
  await typeQuery(page, query);
  return shownResults(page);
}

test("typing any person's name makes their page the first result, the best match", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "chapters/the-long-road/");
  await page.keyboard.press("/");
  const all = people();
  assert.ok(all.length >= 60, `${all.length} people`);
  const wrong = [];
  for (const p of all) {
    const found = await search(page, p.name);
    const want = site.url + `people/${p.id}/`;
    if (found[0]?.href !== want || !found[0].best) wrong.push(`${p.name}: ${JSON.stringify(found.slice(0, 2))}`);
  }
  assert.deepEqual(wrong, []);
  // An alias no one else has leads to its person too.
  const aliasOwners = {};
  for (const p of all) for (const a of p.aliases) (aliasOwners[a.toLowerCase()] ??= []).push(p);
  let checked = 0;
  for (const [alias, owners] of Object.entries(aliasOwners)) {
    if (owners.length !== 1 || checked >= 15) continue;
    checked++;
    const found = await search(page, alias);
    assert.equal(found[0]?.href, site.url + `people/${owners[0].id}/`, `alias ${alias}: ${JSON.stringify(found.slice(0, 2))}`);
  }
  await context.close();
  assert.deepEqual(problems, []);
});

test("Enter opens the best match", async () => {
  for (const [name, id] of [["Jonathan Pollard", "jonathan-pollard"], ["Tzipi Livni", "tzipi-livni"], ["John Kerry", "john-kerry"]]) {
    const { page, context, problems } = await openPage(browser);
    await page.goto(site.url);
    await page.keyboard.press("/");
    await search(page, name);
    await page.locator(".search-input").press("Enter");
    await page.waitForURL(site.url + `people/${id}/`);
    assert.equal((await page.locator("h1").innerText()).trim(), name);
    await context.close();
    assert.deepEqual(problems, [], name);
  }
});

test("names typed with a typo still find their person, ranked below exact matches", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  await page.keyboard.press("/");
  const typos = [
    ["Netanyau", "benjamin-netanyahu"], // a letter dropped
    ["Shtayyah", "mohammad-shtayyeh"], // a letter changed
    ["Erkeat", "saeb-erekat"], // two letters swapped
    ["Livnni", "tzipi-livni"], // a letter added
    ["Martin Indik", "martin-indyk"], // a typo in the last word of a full name
  ];
  for (const [query, id] of typos) {
    const found = await search(page, query);
    const at = found.findIndex((r) => r.href === site.url + `people/${id}/`);
    assert.ok(at >= 0, `${query} finds ${id}: ${JSON.stringify(found.slice(0, 3))}`);
    assert.equal(at, 0, `${query}: ${id} comes first (no page has the word as typed)`);
  }
  // The first letter wrong: the index is sharded by first letters, so these are looked for among
  // the words of names (search/names/) whatever their first letter.
  const firstLetter = [
    ["Metanyahu", "benjamin-netanyahu"], // the first letter changed
    ["Etanyahu", "benjamin-netanyahu"], // the first letter dropped
    ["Serekat", "saeb-erekat"], // a letter added before the first
    ["Ilvni", "tzipi-livni"], // the first two letters swapped
    ["Jonathan Bollard", "jonathan-pollard"], // in the last word of a full name
    ["Ondyk", "martin-indyk"],
  ];
  for (const [query, id] of firstLetter) {
    const found = await search(page, query);
    assert.equal(found[0]?.href, site.url + `people/${id}/`, `${query} finds ${id} first: ${JSON.stringify(found.slice(0, 3))}`);
  }
  // An exact match outranks a near one: "Abbas" is a word of its own, not a typo of another.
  const abbas = await search(page, "Abbas");
  assert.equal(abbas[0].href, site.url + "people/mahmoud-abbas/");
  await search(page, "Netanyau");
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, "search-best-1280.png") });
  await context.close();
  assert.deepEqual(problems, []);
});

test("result text reads as the page does: references show names, never ids", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  await page.keyboard.press("/");
  const ids = people().map((p) => p.id).filter((id) => id.includes("-"));
  for (const q of ["Arafat", "Abbas presidency", "Kerry", "Netanyahu"]) {
    const found = await search(page, q);
    for (const r of found) {
      assert.ok(!r.excerpt.includes("[[") && !/\b(event|chapter):[a-z]/.test(r.excerpt), `${q}: ${r.excerpt}`);
      for (const id of ids) assert.ok(!r.excerpt.includes(id), `${q}: ${r.title} shows the id ${id}: ${r.excerpt}`);
    }
  }
  await context.close();
  assert.deepEqual(problems, []);
});
