// What tests measure of a page and where they put what they show people.
import path from "node:path";
import { REPO } from "./site.mjs";

/** Where screenshots go: SCREENSHOTS, else target/screenshots/ (.ci/browser.sh's). */
export const SCREENSHOTS = process.env.SCREENSHOTS ?? path.join(REPO, "target", "screenshots");

/** The page's size as laid out: { width, height } of the document (scrollWidth, scrollHeight),
 * the window's inner height, and how many screens tall the page is. */
export function pageSize(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    return { width: d.scrollWidth, height: d.scrollHeight, screen: window.innerHeight, screens: d.scrollHeight / window.innerHeight };
  });
}
