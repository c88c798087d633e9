// Screenshots of every page kind at 1280 and 390 px wide (light, plus dark at 1280), written to
// target/screenshots/ for people to look at; each page is also checked for horizontal scroll.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite, pageKinds, REPO } from "./lib/site.mjs";
import { SCREENSHOTS as OUT, pageSize } from "./lib/page.mjs";
// Long pages are cut here: enough to judge the layout, small enough to look at.
const MAX_HEIGHT = Number(process.env.SCREENSHOT_MAX_HEIGHT ?? 5000);

let browser, site;
before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  site = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const shots = [
  { width: 1280, height: 900, colorScheme: "light", suffix: "1280" },
  { width: 390, height: 844, colorScheme: "light", suffix: "390" },
  { width: 1280, height: 900, colorScheme: "dark", suffix: "1280-dark" },
  { width: 390, height: 844, colorScheme: "dark", suffix: "390-dark" },
];

for (const [kind, pagePath] of Object.entries(pageKinds())) {
  test(`screenshots: ${kind} page`, async (t) => {
    for (const s of shots) {
      const url = site.url + (kind === "notfound" ? "no/such/page/" : pagePath);
      const { page, context, problems } = await openPage(browser, { viewport: { width: s.width, height: s.height }, colorScheme: s.colorScheme, expect404: [new URL(url).pathname] });
      await page.goto(url);
      await page.evaluate(() => document.fonts.ready);
      const { width: scrollWidth, height: scrollHeight } = await pageSize(page);
      const file = path.join(OUT, `${kind}-${s.suffix}.png`);
      await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: s.width, height: Math.min(scrollHeight, MAX_HEIGHT) } });
      await context.close();
      t.diagnostic(`${path.relative(REPO, file)} (${scrollHeight} px tall)`);
      assert.ok(fs.statSync(file).size > 5000, `${file} has content`);
      assert.ok(scrollWidth <= s.width, `${kind} page scrolls sideways at ${s.width} px (${scrollWidth} px wide)`);
      assert.deepEqual(problems, []);
    }
  });
}
