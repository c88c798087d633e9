// The built documentary the browser tests run against. `.ci/browser.sh` builds it once and
// passes DOSSIER_SITE (the folder) and DOSSIER_BASE (its sub-path); run alone, a test file
// builds the repository's documentary itself into a temporary folder.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./server.mjs";

/** The repository root (three levels above this file). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The sub-path the site is built for and served under, with both slashes. */
export const BASE = process.env.DOSSIER_BASE ?? "/dossier-test/";

let built;

/** The folder of the built site: DOSSIER_SITE, or a fresh build of the repository's documentary. */
export function siteDir() {
  if (process.env.DOSSIER_SITE) return path.resolve(process.env.DOSSIER_SITE);
  if (built) return built;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-site-"));
  const site = path.join(out, "public");
  execFileSync(
    "cargo",
    ["run", "--release", "--quiet", "--", "build", "--root", REPO, "--out", site, "--base-url", `http://127.0.0.1${BASE}`],
    { cwd: REPO, stdio: ["ignore", "ignore", "inherit"] },
  );
  process.on("exit", () => fs.rmSync(out, { recursive: true, force: true }));
  built = site;
  return site;
}

/** Serve the built site under BASE on 127.0.0.1. Close it with `await site.close()`. */
export function serveSite() {
  return serve(siteDir(), { base: BASE });
}

/** Every HTML page of the built site, as paths relative to its root ("", "people/", "404.html"). */
export function sitePages(dir = siteDir()) {
  const pages = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".html")) pages.push(p.endsWith("index.html") ? p.slice(0, -"index.html".length) : p);
    }
  };
  walk("");
  return pages.sort();
}

/**
 * One page of every kind, by kind: the home page, a chapter, the people index, a person, the
 * timeline, the sources and the 404 page; the places index, a place, the organizations, an
 * organization and the glossary when the documentary has them. Chosen from the built site, so
 * any documentary works.
 */
export function pageKinds(dir = siteDir()) {
  const pages = sitePages(dir);
  const file = (p) => path.join(dir, p.endsWith("/") || p === "" ? p + "index.html" : p);
  // The page of that kind (its body class, page-<kind>) with the most content: the most to lay out.
  const first = (prefix, kind) => {
    const p = pages
      .filter((x) => x.startsWith(prefix))
      .map((x) => [x, fs.readFileSync(file(x), "utf8")])
      .filter(([, html]) => new RegExp(`<body class="[^"]*\\bpage-${kind}\\b`).test(html))
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    if (!p.length) throw new Error(`the built site has no ${kind} page under ${prefix}`);
    return p[0][0];
  };
  const kinds = { home: "", chapter: first("chapters/", "chapter"), chapters: "chapters/", people: "people/", person: first("people/", "person"), network: "people/network/", timeline: "timeline/", sources: "sources/", notfound: "404.html" };
  // The world's pages, when the documentary has them: the places index (its maps), a place
  // page with a locator map (Jerusalem's, else the fullest), organizations and the glossary.
  const has = (p) => fs.existsSync(file(p));
  if (has("places/")) {
    kinds.places = "places/";
    const located = (x) => fs.readFileSync(file(x), "utf8").includes("map-locator");
    kinds.place = has("places/jerusalem/") && located("places/jerusalem/") ? "places/jerusalem/" : first("places/", "place");
  }
  if (has("organizations/")) Object.assign(kinds, { organizations: "organizations/", organization: first("organizations/", "organization") });
  if (has("glossary/")) kinds.glossary = "glossary/";
  // A standalone page (content/pages/*.md), when the documentary has one.
  if (pages.some((x) => /<body class="[^"]*\bpage-page\b/.test(fs.readFileSync(file(x), "utf8")))) kinds.page = first("", "page");
  return kinds;
}
