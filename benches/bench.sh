#!/usr/bin/env bash
# Dossier's build benchmark: generates synthetic documentaries of N chapters (examples/gen-corpus.rs),
# builds each several times and prints a table of median wall time, pages per second, peak memory
# and the median time of each pipeline phase (from `dossier build --timings`). Also times the
# documentary in this repository (process start included) and a rebuild after a one-chapter edit.
#
#   benches/bench.sh                      # N = 100, 1000, 10000; 5 runs each
#   benches/bench.sh --sizes "100 1000" --runs 3 --work /tmp/dossier-bench
#
# Peak memory is the maximum resident set size reported by GNU time (`/usr/bin/time -f %M`).
# Wall time is measured around the whole process. Builds write into <work>/corpus-N/public; the
# first build of each size is a warm-up (it fills the page cache and Dossier's previous-build
# folder) and is not counted. Not part of CI: N = 10000 takes a minute or more.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="100 1000 10000"
runs=5
work="${TMPDIR:-/tmp}/dossier-bench"
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  else
    echo "bench.sh: GNU time (/usr/bin/time) is needed for peak memory: apt-get install time" >&2
    exit 2
  fi
fi

cargo build --release --quiet --bin dossier --example gen-corpus
bin="$PWD/target/release/dossier"
gen="$PWD/target/release/examples/gen-corpus"
mkdir -p "$work"

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }

# One build: prints "wall_s rss_kb pages load_ms link_ms render_ms write_ms".
one_build() {
  local root="$1" log="$work/build.log"
  local start end
  start=$EPOCHREALTIME
  /usr/bin/time -f 'peak-rss-kb %M' "$bin" build --root "$root" --timings >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  end=$EPOCHREALTIME
  awk -v wall="$(echo "$end - $start" | bc -l)" '
    $1 == "peak-rss-kb" { rss = $2 }
    $1 == "load:" { load = $2 } $1 == "link:" { link = $2 } $1 == "render:" { render = $2 } $1 == "write:" { write = $2 }
    $1 == "built" { pages = $2 }
    END { printf "%.4f %d %d %s %s %s %s\n", wall, rss, pages, load, link, render, write }' "$log"
}

# Builds `root` `runs` times after a warm-up; prints the medians as one line.
measure() {
  local root="$1" results="$work/results.txt"
  one_build "$root" >/dev/null
  : >"$results"
  for _ in $(seq "$runs"); do one_build "$root" >>"$results"; done
  local col
  for col in 1 2 3 4 5 6 7; do awk -v c=$col '{ print $c }' "$results" | median; done | paste -sd' '
}

echo "Dossier build benchmark: $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'); $runs runs per size after one warm-up; medians"
echo

rows=()
declare -A wall_of
for n in $sizes; do
  root="$work/corpus-$n"
  "$gen" --chapters "$n" --out "$root" --seed "$seed" 2>/dev/null
  read -r wall rss pages load link render write < <(measure "$root")
  wall_of[$n]=$wall
  rows+=("$(printf '| %6s | %6s | %8.3f s | %9.0f | %7.0f MB | %8.1f | %8.1f | %8.1f | %8.1f |' \
    "$n" "$pages" "$wall" "$(echo "$pages / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$load" "$link" "$render" "$write")")
done
echo "| N      | pages  | wall (median) | pages/s | peak RSS | load ms  | link ms  | render ms | write ms |"
echo "|--------|--------|---------------|---------|----------|----------|----------|-----------|----------|"
printf '%s\n' "${rows[@]}"
echo

if [ -n "${wall_of[1000]:-}" ] && [ -n "${wall_of[10000]:-}" ]; then
  printf 'Linearity: wall(10000) / wall(1000) = %.2f (10x the content)\n' "$(echo "${wall_of[10000]} / ${wall_of[1000]}" | bc -l)"
fi

# The documentary in this repository, process start included.
doc_out="$work/documentary-public"
"$bin" build --out "$doc_out" >/dev/null 2>&1
doc=()
for _ in $(seq $((runs * 4))); do
  start=$EPOCHREALTIME
  "$bin" build --out "$doc_out" >/dev/null 2>&1
  end=$EPOCHREALTIME
  doc+=("$(echo "($end - $start) * 1000" | bc -l)")
done
printf 'The documentary (%s runs): median %.1f ms wall, process start included\n' "${#doc[@]}" "$(printf '%s\n' "${doc[@]}" | median)"

# A rebuild after editing one chapter of the N = 1000 corpus (what `serve` does on save).
if [ -d "$work/corpus-1000" ]; then
  root="$work/corpus-1000"
  chapter=$(ls "$root"/content/chapters/*.md | sed -n 500p)
  cp "$chapter" "$work/chapter.bak"
  edits=()
  for i in $(seq "$runs"); do
    printf '\nAn edit, number %s, made while benchmarking.\n' "$i" >>"$chapter"
    start=$EPOCHREALTIME
    "$bin" build --root "$root" >/dev/null 2>&1
    end=$EPOCHREALTIME
    edits+=("$(echo "($end - $start) * 1000" | bc -l)")
  done
  cp "$work/chapter.bak" "$chapter"
  "$bin" build --root "$root" >/dev/null 2>&1
  printf 'Rebuild of N = 1000 after a one-chapter edit (%s runs): median %.0f ms wall\n' "${#edits[@]}" "$(printf '%s\n' "${edits[@]}" | median)"
fi
