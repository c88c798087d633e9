// The maps drawn at build time (src/map/), on the demonstration page that
// `cargo test --release --test map_demo` writes (the documentary's two maps with fixed places
// and a locator map): the Nu checker finds no error, axe no serious or critical violation in
// light and dark, nothing scrolls sideways at 320, 390 or 1280 px, the names Chromium draws
// (in its real fonts, areas' names in capitals too) overlap neither each other nor the marks,
// every place is a link, an area (Israel) has no mark, and screenshots go to
// target/screenshots/map-{390,1280}{,-dark}.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { launch, openPage } from "./lib/browser.mjs";
import { serve } from "./lib/server.mjs";
import { axe, describe } from "./lib/axe.mjs";
import { REPO } from "./lib/site.mjs";

const OUT = process.env.SCREENSHOTS ?? path.join(REPO, "target", "screenshots");
const vnuJar = createRequire(import.meta.url)("vnu-jar");

let browser, server, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "map-demo-"));
  execFileSync("cargo", ["test", "--release", "--quiet", "--test", "map_demo"], { cwd: REPO, env: { ...process.env, MAP_DEMO_OUT: dir }, stdio: ["ignore", "ignore", "inherit"] });
  fs.mkdirSync(OUT, { recursive: true });
  server = await serve(dir, { base: "/maps/" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the Nu HTML checker reports no error on the maps", async () => {
  const messages = await new Promise((resolve, reject) => {
    execFile("java", ["-jar", vnuJar, "--format", "json", path.join(dir, "index.html")], { maxBuffer: 16 << 20 }, (err, _out, stderr) => {
      try { resolve(JSON.parse(stderr).messages); } catch { reject(err ?? new Error(stderr.slice(0, 500))); }
    });
  });
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(errors.map((m) => `${m.lastLine}:${m.firstColumn}: ${m.message}`), []);
});

/** The boxes Chromium draws: each label, each mark, per map. */
function boxes(page) {
  return page.evaluate(() => [...document.querySelectorAll("svg.map-svg")].map((svg) => ({
    id: svg.id,
    labels: [...svg.querySelectorAll(".map-label, .map-area-label")].map((t) => { const r = t.getBoundingClientRect(); return { name: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom }; }),
    marks: [...svg.querySelectorAll(".map-mark")].map((c) => { const r = c.getBoundingClientRect(); return { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, r: r.width / 2 }; }),
    frame: (() => { const r = svg.getBoundingClientRect(); return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom }; })(),
    links: [...svg.querySelectorAll("a.map-point")].map((a) => ({ href: a.getAttribute("href"), name: a.getAttribute("aria-label") })),
  })));
}

const views = [
  { width: 1280, height: 900, colorScheme: "light", suffix: "1280" },
  { width: 390, height: 844, colorScheme: "light", suffix: "390" },
  { width: 1280, height: 900, colorScheme: "dark", suffix: "1280-dark" },
  { width: 390, height: 844, colorScheme: "dark", suffix: "390-dark" },
  { width: 320, height: 700, colorScheme: "light", suffix: null },
];

for (const v of views) {
  test(`maps at ${v.width} px, ${v.colorScheme}: readable names, links, no sideways scroll, axe`, async (t) => {
    const { page, context, problems } = await openPage(browser, { viewport: { width: v.width, height: v.height }, colorScheme: v.colorScheme });
    await page.goto(server.url);
    await page.evaluate(() => document.fonts.ready);
    const maps = await boxes(page);
    assert.deepEqual(maps.map((m) => m.id), ["map-world", "map-region", "map-region-here"]);
    for (const m of maps) {
      const names = m.labels.map((l) => l.name);
      t.diagnostic(`${m.id}: ${m.links.length} places, named: ${names.join(", ")}`);
      assert.ok(m.links.length >= 5 && m.links.every((l) => l.href.startsWith("places/") && l.name), `${m.id} links`);
      for (const [i, a] of m.labels.entries()) {
        assert.ok(a.x0 >= m.frame.x0 - 0.5 && a.x1 <= m.frame.x1 + 0.5 && a.y0 >= m.frame.y0 - 0.5 && a.y1 <= m.frame.y1 + 0.5, `${a.name} stays inside ${m.id}`);
        for (const b of m.labels.slice(i + 1)) {
          const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
          assert.ok(!overlap, `${a.name} and ${b.name} overlap on ${m.id} at ${v.width} px`);
        }
        for (const c of m.marks) {
          const nx = Math.min(Math.max(c.x, a.x0), a.x1), ny = Math.min(Math.max(c.y, a.y0), a.y1);
          assert.ok(Math.hypot(nx - c.x, ny - c.y) >= c.r - 0.5, `${a.name} covers a mark on ${m.id} at ${v.width} px`);
        }
      }
    }
    const areas = await page.evaluate(() => [...document.querySelectorAll("a.map-area")].map((a) => ({ name: a.getAttribute("aria-label"), marks: a.querySelectorAll("circle").length })));
    assert.ok(areas.length >= 2 && areas.every((a) => a.name.startsWith("Israel (country)") && a.marks === 0), `Israel is an area without a mark: ${JSON.stringify(areas)}`);
    const sizes = await page.evaluate(() => [...document.querySelectorAll(".map-label")].map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a));
    t.diagnostic(`label size on screen: ${Math.min(...sizes).toFixed(1)} to ${Math.max(...sizes).toFixed(1)} px`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= v.width, `scrolls sideways at ${v.width} px (${scrollWidth})`);
    if (v.suffix) {
      const file = path.join(OUT, `map-${v.suffix}.png`);
      await page.screenshot({ path: file, fullPage: true });
      t.diagnostic(path.relative(REPO, file));
    }
    const serious = (await axe(page)).filter((x) => x.impact === "serious" || x.impact === "critical");
    assert.deepEqual(describe(serious), []);
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test("a map's places are keyboard links that lead to their pages", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(server.url);
  const first = page.locator("#map-region a.map-point").first();
  await first.focus();
  const focused = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
  assert.match(focused, /: \d+ events?$/);
  const href = await first.getAttribute("href");
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname.endsWith(href));
  await context.close();
});

// The documentary's own maps, once it has places with coordinates: /places/ and the first place
// page with a locator map, measured in Chromium as the demonstration is, with screenshots
// target/screenshots/map-places-*.png and map-place-*.png.
test("the documentary's places index and a place page: names apart, no sideways scroll, axe", async (t) => {
  const { siteDir, serveSite } = await import("./lib/site.mjs");
  const dir = siteDir();
  if (!fs.existsSync(path.join(dir, "places", "index.html"))) return t.skip("the documentary has no places");
  const place = fs.readdirSync(path.join(dir, "places")).sort().find((p) => fs.existsSync(path.join(dir, "places", p, "index.html")) && fs.readFileSync(path.join(dir, "places", p, "index.html"), "utf8").includes("map-locator"));
  const site = await serveSite();
  try {
    for (const [name, p] of [["places", "places/"], ["place", `places/${place}/`]]) {
      for (const v of views) {
        const { page, context, problems } = await openPage(browser, { viewport: { width: v.width, height: v.height }, colorScheme: v.colorScheme });
        await page.goto(site.url + p);
        await page.evaluate(() => document.fonts.ready);
        for (const m of await boxes(page)) {
          for (const [i, a] of m.labels.entries())
            for (const b of m.labels.slice(i + 1))
              assert.ok(!(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1), `${a.name} and ${b.name} overlap on ${p} at ${v.width} px`);
        }
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= v.width, `${p} scrolls sideways at ${v.width} px`);
        if (v.suffix) await page.screenshot({ path: path.join(OUT, `map-${name}-${v.suffix}.png`), fullPage: true, clip: { x: 0, y: 0, width: v.width, height: Math.min(await page.evaluate(() => document.documentElement.scrollHeight), 4000) } });
        const serious = (await axe(page)).filter((x) => x.impact === "serious" || x.impact === "critical");
        assert.deepEqual(describe(serious), []);
        await context.close();
        assert.deepEqual(problems, []);
      }
    }
  } finally {
    await site.close();
  }
});
