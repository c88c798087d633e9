// `dossier serve` in a real browser: eight tabs of one browser on the preview all load (live
// reload must not hold one of the six HTTP/1.1 connections Chromium keeps per host), and an
// edit reloads every one of them. Runs the binary CI built (`DOSSIER_BIN`, else
// target/release/dossier, else target/debug/dossier) on a copy of tests/fixtures/serve.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch } from "./lib/browser.mjs";

const repo = new URL("../../", import.meta.url).pathname;
const bin =
  process.env.DOSSIER_BIN ??
  ["target/release/dossier", "target/debug/dossier"].map((p) => join(repo, p)).find(existsSync);
const TABS = 8;

let browser, dir, server, url;

/** Start `dossier serve` and resolve with the URL it prints. */
function serve(root) {
  return new Promise((resolve, reject) => {
    server = spawn(bin, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${log}`)), 30000);
    server.stderr.on("data", (d) => {
      log += d;
      const m = log.match(/^serving (\S+)/m);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}

before(async () => {
  assert.ok(bin, "no dossier binary: build one (cargo build) or set DOSSIER_BIN");
  dir = mkdtempSync(join(tmpdir(), "dossier-serve-"));
  cpSync(join(repo, "tests/fixtures/serve"), dir, { recursive: true });
  url = await serve(dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(`${TABS} tabs all load, and an edit reloads each`, async () => {
  const context = await browser.newContext();
  const pages = [];
  for (let i = 0; i < TABS; i++) {
    const page = await context.newPage();
    await page.goto(url + "chapters/first/", { timeout: 10000 }).catch((e) => assert.fail(`tab ${i + 1} did not load: ${e.message}`));
    assert.match(await page.textContent("main"), /older than anyone expected/, `tab ${i + 1}`);
    pages.push(page);
  }
  // Give each tab's socket a moment to open before the edit.
  await new Promise((r) => setTimeout(r, 500));
  const chapter = join(dir, "content/chapters/01-first.md");
  writeFileSync(chapter, readFileSync(chapter, "utf8").replace("older than anyone expected", "newer than the catalogue said"));
  await Promise.all(
    pages.map((p, i) =>
      p.waitForFunction(() => document.querySelector("main")?.textContent.includes("newer than the catalogue said"), null, { timeout: 15000 })
        .catch((e) => assert.fail(`tab ${i + 1} did not reload: ${e.message}`)),
    ),
  );
  await context.close();
});
