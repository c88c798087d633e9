// The Nu HTML checker (the W3C validator, from npm's vnu-jar) finds no error on any page of the
// built site.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { siteDir, sitePages } from "./lib/site.mjs";

const vnuJar = createRequire(import.meta.url)("vnu-jar");

function vnu(args) {
  return new Promise((resolve, reject) => {
    execFile("java", ["-jar", vnuJar, "--format", "json", ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      // vnu exits 1 when it reports errors; its JSON report is on stderr either way.
      try {
        resolve(JSON.parse(stderr).messages);
      } catch {
        reject(err ?? new Error(`vnu printed no JSON: ${stderr.slice(0, 500)}`));
      }
    });
  });
}

test("the Nu HTML checker reports 0 errors on every page", async (t) => {
  const dir = siteDir();
  const pages = sitePages(dir);
  const messages = await vnu(["--skip-non-html", dir]);
  const where = (m) => `${(m.url ?? "").replace(/^file:.*?public\//, "").replace(/^file:/, "")}:${m.lastLine ?? "?"}:${m.firstColumn ?? "?"}`;
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  const warnings = messages.filter((m) => m.type === "info" && m.subType === "warning");
  t.diagnostic(`${pages.length} pages checked: ${errors.length} errors, ${warnings.length} warnings`);
  for (const w of warnings.slice(0, 20)) t.diagnostic(`warning ${where(w)}: ${w.message}`);
  assert.ok(pages.length >= 5, "the site has pages to check");
  assert.deepEqual(errors.map((m) => `${where(m)}: ${m.message}${m.extract ? ` [${m.extract.trim()}]` : ""}`), []);
});
