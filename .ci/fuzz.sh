#!/usr/bin/env bash
# Fuzz Dossier's parsers and Markdown pipeline with cargo-fuzz (libFuzzer) for a bounded time.
# Seeds come from the documentary (content/) and the test fixtures, copied into the gitignored
# fuzz/corpus/; the targets run two at a time (the CI machine has two cores). Any crash, panic,
# timeout or out-of-memory fails the step; its input is kept in fuzz/artifacts/<target>/.
#
#   FUZZ_SECONDS=60 .ci/fuzz.sh            # every target
#   FUZZ_SECONDS=300 .ci/fuzz.sh markdown  # one target, longer
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(front_matter people events sources date markdown html)
# cargo-fuzz passes -Z flags; only the stable toolchain is available, which accepts them so.
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# ---- seed corpora (fresh each run; libFuzzer adds what it finds) ----------------------------
corpus=fuzz/corpus
rm -rf "$corpus"
for t in "${TARGETS[@]}"; do mkdir -p "$corpus/$t"; done
seed() { # seed <target> <file> [prefix]
  local dir="$corpus/$1"
  [ -d "$dir" ] || return 0
  local name
  name="$(printf '%s' "$2" | cksum | cut -d' ' -f1)"
  { printf '%s' "${3:-}"; cat "$2"; } > "$dir/seed-$name"
}
shopt -s nullglob globstar
for f in content/chapters/*.md tests/fixtures/**/chapters/*.md; do
  seed front_matter "$f"
  seed markdown "$f" 0        # first byte: where the text goes (0 = a chapter body)
done
for f in content/people/*.toml tests/fixtures/**/people/*.toml; do
  seed people "$f"
  seed markdown "$f" 1        # 1 = a biography (the TOML around it is harmless Markdown)
done
for f in content/events/*.toml tests/fixtures/**/events/*.toml; do
  seed events "$f"
  seed markdown "$f" 2        # 2 = an event summary
done
for f in content/sources.toml tests/fixtures/**/sources.toml; do seed sources "$f"; done
for f in templates/*.html templates/**/*.html tests/fixtures/**/templates/*.html; do seed html "$f"; done
if [ -d "$corpus/date" ]; then
  i=0
  for d in $(cat content/events/*.toml tests/fixtures/**/events/*.toml content/people/*.toml 2>/dev/null \
      | sed -n 's/^\(date\|end\|born\|died\) *= *"\([^"]*\)".*/\2/p' | sort -u); do
    printf '%s' "$d" > "$corpus/date/seed-$i"; i=$((i + 1))
  done
  for d in 2013-07-18 2013-07 2013 1975~ 2013? 197X 19XX 2013-21 2013-12-01/2013-12-10 -0044-03-15 2013-02-30; do
    printf '%s' "$d" > "$corpus/date/seed-$i"; i=$((i + 1))
  done
fi

dict_for() {
  case "$1" in
    markdown | front_matter | html) echo fuzz/dict/markdown.dict ;;
    date) echo fuzz/dict/date.dict ;;
    *) echo fuzz/dict/toml.dict ;;
  esac
}

# ---- build once, then run ------------------------------------------------------------------
# No sanitizer (safe Rust; it halves the speed) but debug assertions and overflow checks on.
FLAGS=(--sanitizer none --debug-assertions)
cargo fuzz build "${FLAGS[@]}"

logs=fuzz/target/logs
mkdir -p "$logs"
run() { # run <target>: one bounded libFuzzer session
  local t="$1"
  mkdir -p "fuzz/artifacts/$t"
  cargo fuzz run "${FLAGS[@]}" "$t" "$corpus/$t" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict="$(dict_for "$t")" -print_final_stats=1 \
    > "$logs/$t.log" 2>&1
}

failed=()
summary() { # one line per target: runs, time, corpus size
  local t="$1" log="$logs/$1.log"
  local runs secs
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  secs="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)"
  printf '  %-13s %10s execs in %4ss, corpus %5s inputs\n' "$t" "${runs:-?}" "${secs:-?}" "$(ls "$corpus/$t" | wc -l)"
}

echo "fuzzing ${#TARGETS[@]} targets, ${SECONDS_PER_TARGET}s each, two at a time"
i=0
while [ $i -lt ${#TARGETS[@]} ]; do
  pids=()
  names=()
  for t in "${TARGETS[@]:$i:2}"; do
    run "$t" &
    pids+=($!)
    names+=("$t")
  done
  for k in "${!pids[@]}"; do
    if ! wait "${pids[$k]}"; then
      failed+=("${names[$k]}")
    fi
  done
  i=$((i + 2))
done

echo "results:"
for t in "${TARGETS[@]}"; do summary "$t"; done
if [ ${#failed[@]} -gt 0 ]; then
  for t in "${failed[@]}"; do
    echo
    echo "==> $t FAILED (last lines of its log; the input is in fuzz/artifacts/$t/):"
    grep -v '^#[0-9]' "$logs/$t.log" | tail -40
  done
  exit 1
fi
echo "no crashes"
