// The search box as a reader uses it: typing a query and waiting for what it finds, then
// reading the results as they are shown.

/** Type `query` into an empty box (letter by letter with `sequential`, as a reader types, else
 * at once) and wait until the status announces it. */
export async function typeQuery(page, query, { sequential = false } = {}) {
  const input = page.locator(".search-input");
  await input.fill("");
  if (sequential) await input.pressSequentially(query);
  else await input.fill(query);
  await page.waitForFunction((q) => document.querySelector("#search-status").textContent.includes("\u201c" + q + "\u201d"), query);
}

/** The results shown, in order: [{ href, best, title, excerpt }] (best: the "best match"). */
export function shownResults(page) {
  return page.locator(".search-results a").evaluateAll((as) => as.map((a) => ({
    href: a.href,
    best: !!a.closest(".search-best"),
    title: a.querySelector(".search-title").textContent,
    excerpt: a.querySelector(".search-excerpt")?.textContent ?? "",
  })));
}

/** The results shown, by group: label → [{ kind, title, href, marks }]. */
export function groupedResults(page) {
  return page.evaluate(() => {
    const out = {};
    for (const label of document.querySelectorAll(".search-group")) {
      const list = document.querySelector(`ol[aria-labelledby="${label.id}"]`);
      out[label.firstChild.textContent.trim()] = [...list.querySelectorAll(":scope > .search-hit > a")].map((a) => ({
        kind: a.querySelector(".search-kind").textContent,
        title: a.querySelector(".search-title").textContent,
        href: a.href,
        marks: [...a.querySelectorAll(".search-excerpt mark")].map((m) => m.textContent),
      }));
    }
    return out;
  });
}

/** How many results the status announces (0 when none). */
export async function resultCount(page) {
  return Number((await page.locator("#search-status").textContent()).match(/^(\d+)/)?.[1] ?? 0);
}
