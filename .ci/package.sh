#!/usr/bin/env bash
# CI step "package": the crate is ready for the registry. `cargo package` must succeed (with
# --locked: the published lock file is the one tested), and the package must hold the code and
# what it compiles in (src/, templates/, static/, the README and LICENSE), and nothing of the
# documentary this repository also holds (content/), nor tests, fixtures, fuzzing, benches or
# examples. The packaged crate is then built on its own, as the registry will, which also proves
# that every file the code compiles in (include_str!) is in it (PACKAGE_VERIFY=0 skips that).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

list="$(cargo package --locked --allow-dirty --list)"
fail() { echo "package: $*" >&2; echo "$list" >&2; exit 1; }

for needed in Cargo.toml Cargo.lock README.md LICENSE src/main.rs src/lib.rs src/build.rs \
  src/scaffold/pages.yml templates/base.html static/style.css; do
  grep -qx "$needed" <<<"$list" || fail "$needed is missing from the package"
done
if grep -E '^(content|tests|fuzz|benches|examples|\.ci|\.github)/' <<<"$list"; then
  fail "the package holds files it must not (above)"
fi
verify=(--no-verify)
[ "${PACKAGE_VERIFY:-1}" = 1 ] && verify=()
if ! out="$(cargo package --locked --allow-dirty "${verify[@]}" 2>&1)"; then
  echo "$out" >&2
  fail "cargo package failed"
fi
crate="target/package/dossier-$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1).crate"
[ -f "$crate" ] || fail "no $crate was made"
echo "package: $(wc -l <<<"$list") files, $(du -k "$crate" | cut -f1) KB: $crate"
