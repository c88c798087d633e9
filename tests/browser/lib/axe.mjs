// axe-core (from npm) run inside a Playwright page against WCAG 2.1 A/AA and best practices.
import { createRequire } from "node:module";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
export const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/** Run axe on the page as it is now; returns its violations (each with impact and nodes). */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }).then((r) => r.violations), TAGS);
}

/** One line per violation and node, for assertion messages. */
export function describe(violations) {
  return violations.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${v.help} at ${n.target.join(" ")}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, " ")})` : ""}`));
}
