// How long the search box takes to answer, in Chromium: a built site (argument: its folder) is
// served under a sub-path, and each query below is typed into the box (one `input` event) until
// the status announces its results. Prints the index's bytes and, per query, the median of
// RUNS warm runs (the index files already fetched: the first run of all is a warm-up), then the
// median over all queries. Times include the box's 80 ms pause for typing.
//
//   node benches/search-query.mjs /tmp/site [runs]
//
// Needs `npm ci` in tests/browser (playwright-core) and /usr/bin/chromium.
import fs from "node:fs";
import path from "node:path";
import { launch, openPage } from "../tests/browser/lib/browser.mjs";
import { serve } from "../tests/browser/lib/server.mjs";

const dir = process.argv[2];
const RUNS = Number(process.argv[3] ?? 7);
const QUERIES = process.env.QUERIES ? process.env.QUERIES.split(",") : [
  "Netanyahu", "John Kerry", "Pollard", "Livni", "settlements", "security plan", "prisoner release",
  "Abbas", "Jerusalem", "Indyk", "Erekat", "framework", "Kerry Abbas Paris", "Ne", "Obama",
];

function bytes(d) {
  let n = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    n += e.isDirectory() ? bytes(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size;
  }
  return n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const site = await serve(dir);
const browser = await launch();
const { page, context } = await openPage(browser);
await page.goto(site.url);
await page.locator(".search-input").focus();
async function time(q) {
  await page.locator(".search-input").fill("");
  const t = performance.now();
  await page.locator(".search-input").fill(q);
  await page.waitForFunction((q) => document.querySelector("#search-status").textContent.includes("\u201c" + q + "\u201d"), q, { polling: "raf" });
  return performance.now() - t;
}
for (const q of QUERIES) await time(q);
const rows = [];
for (const q of QUERIES) {
  const ts = [];
  for (let i = 0; i < RUNS; i++) ts.push(await time(q));
  rows.push([q, median(ts)]);
}
console.log(`index: ${bytes(path.join(dir, "search"))} bytes under search/`);
for (const [q, t] of rows) console.log(`${q.padEnd(20)} ${t.toFixed(1)} ms`);
console.log(`median over queries: ${median(rows.map((r) => r[1])).toFixed(1)} ms`);
await context.close();
await browser.close();
await site.close();
