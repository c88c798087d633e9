// The pages a long documentary is split into, in a browser: a generated corpus of 620 chapters
// (310 people) built under a sub-path has a paged table of contents, print volumes, a paged
// people index and sources with their own pages. Each kind passes axe and the Nu HTML checker,
// and a reader reaches the last chapters from the home page by the pagination's links.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { REPO } from "./lib/site.mjs";
import { serve } from "./lib/server.mjs";
import { axe, describe } from "./lib/axe.mjs";

const BASE = "/bounded-test/";
// One page of each kind that only a long documentary has.
const KINDS = {
  home: "",
  chapters: "chapters/",
  "chapters, page 2": "chapters/page/2/",
  "print volumes": "print/",
  "print volume": "print/2/",
  people: "people/",
  "people, page 2": "people/page/2/",
  source: "sources/harbour-papers/",
  person: null, // a biography, for its link to its side's page
};

let dir, out, site, browser;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-bounded-"));
  const project = path.join(dir, "project");
  out = path.join(dir, "public");
  execFileSync("cargo", ["run", "--release", "--quiet", "--example", "gen-corpus", "--", "--chapters", "620", "--out", project, "--seed", "7"], {
    cwd: REPO,
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync("cargo", ["run", "--release", "--quiet", "--", "build", "--root", project, "--out", out, "--base-url", `http://127.0.0.1${BASE}`], {
    cwd: REPO,
    stdio: ["ignore", "ignore", "inherit"],
  });
  KINDS.person = "people/" + fs.readdirSync(path.join(out, "people")).find((p) => !["index.html", "page", "network"].includes(p)) + "/";
  site = await serve(out, { base: BASE });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

for (const kind of Object.keys(KINDS)) {
  test(`axe: ${kind} page of a long documentary has no serious or critical violation`, async (t) => {
    for (const setup of [{ viewport: { width: 1280, height: 900 } }, { viewport: { width: 390, height: 844 }, colorScheme: "dark" }]) {
      const { page, context, problems } = await openPage(browser, setup);
      await page.goto(site.url + KINDS[kind]);
      const violations = await axe(page);
      await context.close();
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      t.diagnostic(`${KINDS[kind]}, ${setup.viewport.width} px: ${violations.length} violations${violations.length ? ": " + violations.map((v) => v.id).join(", ") : ""}`);
      assert.deepEqual(describe(serious), [], kind);
      assert.deepEqual(problems, [], kind);
    }
  });
}

test("the Nu HTML checker reports 0 errors on the pages of a long documentary", async () => {
  const files = Object.values(KINDS).map((p) => path.join(out, p, "index.html"));
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

test("a reader goes from the home page to the last chapter through the table of contents' pages", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url);
  await page.getByRole("link", { name: "All 620 chapters" }).click();
  await page.waitForURL((u) => u.pathname === `${BASE}chapters/`);
  const nav = page.getByRole("navigation", { name: "Pages of the table of contents" });
  assert.equal(await nav.locator("[aria-current=page]").textContent(), "Page 1");
  // The last page, by its number; then back one page with "Previous".
  await nav.getByRole("link", { name: "Page 7" }).click();
  await page.waitForURL((u) => u.pathname === `${BASE}chapters/page/7/`);
  const titles = await page.locator(".chapter-list .chapter-title").allInnerTexts();
  assert.equal(titles.length, 20, "chapters 601 to 620");
  await page.getByRole("navigation", { name: "Pages of the table of contents" }).getByRole("link", { name: "Previous page" }).click();
  await page.waitForURL((u) => u.pathname === `${BASE}chapters/page/6/`);
  assert.equal(await page.locator(".chapter-list .chapter-title").count(), 100);
  // A chapter of a later volume links back into the volume before it, and the link lands.
  await page.goto(site.url + "print/2/");
  const back = page.locator(".print-chapter .prose a[href^='../1/#']").first();
  const href = await back.getAttribute("href");
  await back.click();
  await page.waitForURL((u) => u.pathname === `${BASE}print/1/`);
  const id = decodeURIComponent(href.split("#")[1]);
  assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `${href} lands on its id`);
  await context.close();
  assert.deepEqual(problems, []);
});
