// The print edition printed to PDF by headless Chromium, as a reader's "Save as PDF" would: every
// chapter heading is in the PDF, each chapter starts a page, the site's chrome is left out, and
// the contents link within the document. The PDF is read with poppler's pdfinfo and pdftotext
// (apt: poppler-utils, installed by .ci/browser.sh).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite } from "./lib/site.mjs";
import { axe, describe } from "./lib/axe.mjs";

let browser, site, dir;
before(async () => {
  site = await serveSite();
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-print-"));
});
after(async () => {
  await browser?.close();
  await site?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function tool(name, args) {
  try {
    return execFileSync(name, args, { encoding: "utf8" });
  } catch (e) {
    if (e.code === "ENOENT") throw new Error(`${name} is missing: apt-get install poppler-utils`);
    throw e;
  }
}

const squash = (s) => s.replace(/\s+/g, " ").trim();

test("the print edition prints to a PDF with every chapter, each from a new page", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "print/");
  const chapters = await page.locator(".print-chapter").evaluateAll((sections) =>
    sections.map((s) => ({ number: s.querySelector(".print-chapter-number").textContent.trim(), title: s.querySelector("h2").textContent.trim() })),
  );
  const home = await openPage(browser);
  await home.page.goto(site.url);
  const listed = await home.page.locator(".chapter-list h3 a").evaluateAll((as) => as.map((a) => a.textContent.replace(/^Chapter \d+:\s*/, "").trim()));
  await home.context.close();
  assert.deepEqual(chapters.map((c) => c.title), listed, "the print edition has the chapters of the home page, in order");

  const pdf = path.join(dir, "edition.pdf");
  fs.writeFileSync(pdf, await page.pdf({ format: "A4", printBackground: false }));
  const pages = Number(/^Pages:\s+(\d+)$/m.exec(tool("pdfinfo", [pdf]))[1]);
  // A cover, the contents, then each chapter from a new page: at least one page each, and not
  // absurdly many (a chapter of this documentary is a few thousand words).
  assert.ok(pages >= chapters.length + 2, `${pages} pages for ${chapters.length} chapters`);
  assert.ok(pages <= chapters.length * 12 + 4, `${pages} pages for ${chapters.length} chapters`);

  const text = tool("pdftotext", ["-enc", "UTF-8", pdf, "-"]);
  const byPage = text.split("\f").map(squash);
  const all = squash(text);
  for (const c of chapters) {
    assert.ok(all.includes(squash(c.title)), `"${c.title}" is in the PDF`);
    // Its page starts with the chapter's label and title: the chapter began a new page.
    const start = byPage.findIndex((p) => p.startsWith(`${c.number.toUpperCase()} ${c.title}`) || p.startsWith(`${c.number} ${c.title}`));
    assert.ok(start > 0, `${c.number} starts a page of its own`);
  }
  // The first page is the cover: the documentary's title, not the site's header or search.
  const title = await page.locator("h1").textContent();
  assert.ok(byPage[0].includes(squash(title)), byPage[0]);
  for (const chrome of ["Skip to content", "Search the documentary", "Print edition ·", "Use your browser"]) {
    assert.ok(!all.includes(chrome), `"${chrome}" is not printed`);
  }
  // Heading anchors ("#") are not printed either.
  assert.ok(!/ # /.test(` ${all} `.replace(/#\d/g, "")), "no heading anchors in the PDF");
  await context.close();
  assert.deepEqual(problems, []);
});

test("on screen the print edition's links stay on the page", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "print/");
  const broken = await page.evaluate(() => {
    const ids = new Set([...document.querySelectorAll("[id]")].map((e) => e.id));
    const bad = [];
    for (const a of document.querySelectorAll("main a[href]")) {
      const href = a.getAttribute("href");
      if (href.startsWith("#") && !ids.has(decodeURIComponent(href.slice(1)))) bad.push(href);
      if (/(^|\/)chapters\//.test(href)) bad.push(href);
    }
    return bad;
  });
  assert.deepEqual(broken, [], "in-page anchors land, and no link leaves for a chapter page");
  // Following a contents entry scrolls to the chapter.
  const entry = page.locator(".print-toc > ol > li > a").nth(2);
  const href = await entry.getAttribute("href");
  await entry.click();
  assert.equal(new URL(page.url()).hash, href);
  const top = await page.locator(href).evaluate((h) => h.getBoundingClientRect().top);
  assert.ok(top >= -1 && top < 200, `the chapter heading is at the top of the window (${top}px)`);
  await context.close();
  assert.deepEqual(problems, []);
});

test("the print edition passes axe on screen", async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(site.url + "print/");
  const violations = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(describe(violations), []);
  await context.close();
  assert.deepEqual(problems, []);
});
