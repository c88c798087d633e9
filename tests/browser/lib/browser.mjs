// Debian's Chromium driven by playwright-core (no downloaded browser), with the flags of the
// developers' guide, and pages that record every console error, page error and failed request.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launch Chromium. Close it with `await browser.close()`. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * A new page in its own context that records problems a reader would meet: console errors,
 * uncaught exceptions, requests that failed and responses with status >= 400. Requests that
 * leave 127.0.0.1 are blocked and recorded too (a page must make no external requests).
 * `expect404` lists URL paths whose 404 is intended (the page under test being a 404 page).
 * @returns {Promise<{page: import("playwright-core").Page, context: import("playwright-core").BrowserContext, problems: string[]}>}
 */
export async function openPage(browser, { viewport = { width: 1280, height: 900 }, colorScheme = "light", javaScriptEnabled = true, expect404 = [], reducedMotion = "no-preference", hasTouch = false, isMobile = false } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, javaScriptEnabled, reducedMotion, hasTouch, isMobile });
  const problems = [];
  await context.route((url) => url.hostname !== "127.0.0.1", (route) => {
    problems.push(`external request: ${route.request().url()}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const at = m.location()?.url;
    if (at && m.text().startsWith("Failed to load resource") && expect404.includes(new URL(at).pathname)) return;
    problems.push(`console error: ${m.text()} (${at || page.url()})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message} (${page.url()})`));
  page.on("requestfailed", (r) => {
    // Leaving a page before its favicon has loaded cancels it: nothing a reader meets.
    if (r.failure()?.errorText === "net::ERR_ABORTED" && /\/favicon\.(svg|ico)$/.test(new URL(r.url()).pathname)) return;
    if (!problems.some((p) => p.startsWith("external request:") && p.endsWith(r.url())))
      problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !expect404.includes(new URL(r.url()).pathname)) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, context, problems };
}
