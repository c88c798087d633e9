// axe-core finds no serious or critical accessibility violation (WCAG 2.1 A/AA and best
// practices) on the home page and on one page of every kind, in light and dark mode, on a wide
// and a phone-sized screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./lib/browser.mjs";
import { serveSite, pageKinds } from "./lib/site.mjs";
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

const setups = [
  { name: "light, 1280 px", colorScheme: "light", viewport: { width: 1280, height: 900 } },
  { name: "dark, 1280 px", colorScheme: "dark", viewport: { width: 1280, height: 900 } },
  { name: "light, 390 px", colorScheme: "light", viewport: { width: 390, height: 844 } },
];

for (const [kind, path] of Object.entries(pageKinds())) {
  test(`axe: ${kind} page (${path || "home"}) has no serious or critical violation`, async (t) => {
    for (const setup of setups) {
      const url = site.url + (kind === "notfound" ? "no/such/page/" : path);
      const { page, context } = await openPage(browser, { ...setup, expect404: [new URL(url).pathname] });
      await page.goto(url);
      const violations = await axe(page);
      await context.close();
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      t.diagnostic(`${setup.name}: ${violations.length} violations (${serious.length} serious or critical)${violations.length ? ": " + violations.map((v) => `${v.id} (${v.impact})`).join(", ") : ""}`);
      assert.deepEqual(describe(serious), [], `${kind} page, ${setup.name}`);
    }
  });
}
