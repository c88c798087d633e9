// No value from the documentary's data can run in a reader's browser. The `xss` fixture puts an
// attack in every field a reader sees (names, roles, titles, places, tags, sources, the site's
// title); it is built for a sub-path, served on 127.0.0.1 and every page is opened in Chromium
// with a dialog listener, every element is sent the events inline handlers listen for, the
// search box and the timeline filter are used with the attacks as input, and the attacks must
// show as text. A positive control proves the listener hears an alert.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { serve } from "./lib/server.mjs";
import { REPO, sitePages } from "./lib/site.mjs";

const BASE = "/xss-test/";
let browser, site, dir;

before(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-xss-"));
  process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
  dir = path.join(tmp, "public");
  execFileSync(
    "cargo",
    ["run", "--release", "--quiet", "--", "build", "--root", path.join(REPO, "tests/fixtures/xss"), "--out", dir, "--base-url", `http://127.0.0.1${BASE}`],
    { cwd: REPO, stdio: ["ignore", "ignore", "inherit"] },
  );
  site = await serve(dir, { base: BASE });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Open a page of the xss site, recording every dialog (and dismissing it). */
async function open(rel) {
  const { page, context, problems } = await openPage(browser);
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push(`${d.type()}: ${d.message()} (${page.url()})`);
    await d.dismiss();
  });
  await page.goto(site.url + rel, { waitUntil: "load" });
  return { page, context, problems, dialogs };
}

/** Send every element the events that inline handlers (onerror, onload, onmouseover...) run on. */
function provoke(page) {
  return page.evaluate(() => {
    const types = ["mouseover", "mouseenter", "focus", "blur", "load", "error", "animationstart", "toggle", "pointerover"];
    for (const el of document.querySelectorAll("*")) for (const t of types) el.dispatchEvent(new Event(t));
    return [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `<${el.localName} ${a.name}>`));
  });
}

/** Problems other than the portrait whose (hostile) file name does not exist. */
const real = (problems) => problems.filter((p) => !/m\.png/.test(decodeURIComponent(p)));

test("the dialog listener hears an alert (positive control)", async () => {
  const { page, context, dialogs } = await open("");
  await page.evaluate(() => setTimeout(() => alert("control"), 0));
  await page.waitForTimeout(200);
  await context.close();
  assert.equal(dialogs.length, 1, "an alert should have been recorded");
});

test("a template that marks a name safe would be caught (negative control)", async () => {
  // The same documentary with a project template that prints the person's name unescaped.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-xss-unsafe-"));
  try {
    const root = path.join(tmp, "project");
    fs.cpSync(path.join(REPO, "tests/fixtures/xss"), root, { recursive: true });
    const template = fs.readFileSync(path.join(REPO, "templates/person.html"), "utf8");
    assert.ok(template.includes("{{ person.name }}</h1>"));
    fs.mkdirSync(path.join(root, "templates"), { recursive: true });
    fs.writeFileSync(path.join(root, "templates/person.html"), template.replace("{{ person.name }}</h1>", "{{ person.name | safe }}</h1>"));
    const out = path.join(tmp, "public");
    execFileSync("cargo", ["run", "--release", "--quiet", "--", "build", "--root", root, "--out", out, "--base-url", `http://127.0.0.1${BASE}`], {
      cwd: REPO,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const unsafe = await serve(out, { base: BASE });
    const { page, context, dialogs } = await openPage(browser).then((o) => {
      const dialogs = [];
      o.page.on("dialog", async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      return { ...o, dialogs };
    });
    await page.goto(unsafe.url + "people/mallory/", { waitUntil: "load" });
    await page.waitForTimeout(200);
    await context.close();
    await unsafe.close();
    assert.deepEqual(dialogs, ["name"], "the injected script ran, and the listener heard it");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("no page of the attacked documentary runs any of its data", async () => {
  const pages = sitePages(dir);
  assert.ok(pages.length >= 8, `pages: ${pages}`);
  for (const rel of pages) {
    const { page, context, problems, dialogs } = await open(rel);
    const handlers = await provoke(page);
    await page.waitForTimeout(50);
    await context.close();
    assert.deepEqual(handlers, [], `${rel}: elements with inline event handlers`);
    assert.deepEqual(dialogs, [], `${rel}: a dialog opened`);
    assert.deepEqual(real(problems), [], `${rel}: problems`);
  }
});

test("the attacks are shown as text where a reader expects them", async () => {
  const { page, context, dialogs } = await open("people/mallory/");
  assert.equal((await page.locator("h1").innerText()).trim(), "<script>alert('name')</script>");
  assert.equal(await page.title(), "<script>alert('name')</script> · Dossier </script><script>alert('site-title')</script>");
  const ld = JSON.parse(await page.locator("script[type='application/ld+json']").first().textContent());
  assert.equal(ld.name, "<script>alert('name')</script>");
  assert.match(await page.locator("main").innerText(), /raw HTML: <img src=x onerror=alert\(.bio-img.\)> and <script>alert\(.bio-script.\)<\/script>/);
  await page.goto(site.url + "chapters/payloads/");
  // (Titles take typographic quotes, as every plain text from TOML does: shown, never run.)
  assert.equal((await page.locator("h1").innerText()).trim(), "<script>alert(‘chapter-title’)</script>");
  await context.close();
  assert.deepEqual(dialogs, []);
});

test("searching for the attacks shows them as text and runs nothing", async () => {
  const { page, context, problems, dialogs } = await open("timeline/");
  for (const query of ["alert", "script", "onerror"]) {
    await page.keyboard.press("/");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(query);
    await page.locator(".search-results:not([hidden]) .search-hit").first().waitFor();
    await provoke(page);
    const shown = await page.locator(".search-results").innerText();
    assert.match(shown, /alert|script|onerror/i, `results for ${query}`);
    assert.equal(await page.locator(".search-results script, .search-results img, .search-results iframe").count(), 0, `markup in the results for ${query}`);
    await page.keyboard.press("Escape");
  }
  await context.close();
  assert.deepEqual(dialogs, []);
  assert.deepEqual(real(problems), []);
});

test("filtering the timeline by the attacked tag and side runs nothing", async () => {
  const { page, context, problems, dialogs } = await open("timeline/");
  for (const field of ["Person", "Side", "Tag"]) {
    const select = page.getByLabel(field, { exact: true });
    const values = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    for (const v of values) {
      await select.selectOption(v);
      await provoke(page);
    }
    const labels = await select.locator("option").allInnerTexts();
    if (field !== "Person") assert.ok(labels.some((l) => l.includes("<script>alert(")), `${field} options show the attack as text: ${labels}`);
    await page.getByRole("button", { name: "Show all" }).click();
  }
  await context.close();
  assert.deepEqual(dialogs, []);
  assert.deepEqual(real(problems), []);
});
