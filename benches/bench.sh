#!/usr/bin/env bash
# Dossier's build benchmark: generates synthetic documentaries of N chapters (examples/gen-corpus.rs),
# builds each several times and prints a table of median wall time, pages per second, peak memory
# and the median time of each pipeline phase (from `dossier build --timings`). Then: the linearity
# ratio, the documentary in this repository (process start included), a rebuild after a
# one-chapter edit of the N = 1000 corpus, and the same edit under `dossier serve` (from the save
# to the reload message on its live-reload WebSocket).
#
#   benches/bench.sh                      # N = 100, 1000, 10000; 5 runs each
#   benches/bench.sh --sizes "100 1000" --runs 3 --work /tmp/dossier-bench
#
# Peak memory is the maximum resident set size reported by GNU time (`/usr/bin/time -f %M`).
# Wall time is measured around the whole process. Builds write into <work>/corpus-N/public; the
# first build of each size is a warm-up (it fills the page cache and Dossier's previous-build
# folder) and is not counted. Not part of CI: N = 10000 takes minutes. The machine's load average
# is printed with the results: on a shared machine, read the figures with it.
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
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

need() { # command, Debian package
  command -v "$1" >/dev/null && return
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
  else
    echo "bench.sh: $1 is needed: apt-get install $2" >&2
    exit 2
  fi
}
[ -x /usr/bin/time ] || need /usr/bin/time time
need bc bc
need python3 python3

cargo build --release --quiet --bin dossier --example gen-corpus
bin="$PWD/target/release/dossier"
gen="$PWD/target/release/examples/gen-corpus"
mkdir -p "$work"
phases=(load link render search write)

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }

# One build: prints "wall_s rss_kb pages" and then each phase's ms (0 when the build has no such phase).
one_build() {
  local root="$1" log="$work/build.log" start end
  start=$EPOCHREALTIME
  /usr/bin/time -f 'peak-rss-kb %M' "$bin" build --root "$root" --timings >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  end=$EPOCHREALTIME
  awk -v wall="$(echo "$end - $start" | bc -l)" -v names="${phases[*]}" '
    BEGIN { n = split(names, order, " ") }
    $1 == "peak-rss-kb" { rss = $2 }
    $1 ~ /^[a-z]+:$/ && $3 == "ms" { ms[substr($1, 1, length($1) - 1)] = $2 }
    $1 == "built" { pages = $2 }
    END { printf "%.4f %d %d", wall, rss, pages; for (i = 1; i <= n; i++) printf " %s", (order[i] in ms) ? ms[order[i]] : 0; printf "\n" }' "$log"
}

# Builds `root` `runs` times after a warm-up; prints the median of each column as one line, then
# the fastest wall time (on a shared machine, the run least disturbed by others).
measure() {
  local root="$1" results="$work/results.txt" col
  one_build "$root" >/dev/null
  : >"$results"
  for _ in $(seq "$runs"); do one_build "$root" >>"$results"; done
  { for col in $(seq $((3 + ${#phases[@]}))); do awk -v c="$col" '{ print $c }' "$results" | median; done
    awk '{ print $1 }' "$results" | sort -g | head -1; } | paste -sd' '
}

echo "Dossier build benchmark: $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src Cargo.toml 2>/dev/null || echo ' (with uncommitted changes)'); $runs runs per size after one warm-up; medians; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

printf '| %6s | %6s | %9s | %9s | %7s | %8s |' N pages wall fastest pages/s "peak RSS"
for p in "${phases[@]}"; do printf ' %9s |' "$p ms"; done
printf '\n|--------|--------|-----------|-----------|---------|----------|'
for _ in "${phases[@]}"; do printf -- '-----------|'; done
echo
declare -A wall_of
for n in $sizes; do
  root="$work/corpus-$n"
  "$gen" --chapters "$n" --out "$root" --seed "$seed" 2>/dev/null
  read -r -a m < <(measure "$root")
  wall_of[$n]=${m[0]}
  printf '| %6s | %6s | %7.3f s | %7.3f s | %7.0f | %5.0f MB |' "$n" "${m[2]}" "${m[0]}" "${m[$((3 + ${#phases[@]}))]}" "$(echo "${m[2]} / ${m[0]}" | bc -l)" "$(echo "${m[1]} / 1024" | bc -l)"
  for i in "${!phases[@]}"; do printf ' %9.1f |' "${m[$((3 + i))]}"; done
  echo
done
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
echo

if [ -n "${wall_of[1000]:-}" ] && [ -n "${wall_of[10000]:-}" ]; then
  printf 'Linearity: wall(10000) / wall(1000) = %.2f for 10x the content\n' "$(echo "${wall_of[10000]} / ${wall_of[1000]}" | bc -l)"
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
printf 'The documentary (%s runs): median %.0f ms wall, process start included\n' "${#doc[@]}" "$(printf '%s\n' "${doc[@]}" | median)"

[ -d "$work/corpus-1000" ] || exit 0
root="$work/corpus-1000"
chapter=$(ls "$root"/content/chapters/*.md | sed -n 500p)
cp "$chapter" "$work/chapter.bak"
trap 'cp "$work/chapter.bak" "$chapter"' EXIT

# A rebuild after editing one chapter of the N = 1000 corpus.
edits=()
for i in $(seq "$runs"); do
  printf '\nAn edit, number %s, made while benchmarking.\n' "$i" >>"$chapter"
  start=$EPOCHREALTIME
  "$bin" build --root "$root" >/dev/null 2>&1
  end=$EPOCHREALTIME
  edits+=("$(echo "($end - $start) * 1000" | bc -l)")
done
cp "$work/chapter.bak" "$chapter"
printf 'dossier build of N = 1000 after a one-chapter edit (%s runs): median %.0f ms wall\n' "${#edits[@]}" "$(printf '%s\n' "${edits[@]}" | median)"

# The same edit under `dossier serve`: from appending to the file to the `build` message that
# tells open pages to reload (debounce, build and swap included), timed when the message arrives
# on the live-reload WebSocket (each message is stamped as it is read, so polling adds nothing).
# Then an edit that other pages show: a person's summary (sed -i saves through a renamed file).
log="$work/serve.log" events="$work/events.txt"
person=$(ls "$root"/content/people/*.toml | sed -n 200p)
cp "$person" "$work/person.bak"
trap 'cp "$work/chapter.bak" "$chapter"; cp "$work/person.bak" "$person"' EXIT
"$bin" serve --root "$root" --port 0 >"$log" 2>&1 &
serve_pid=$!
url=""
for _ in $(seq 1200); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^ ]*' "$log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "dossier serve did not start: $(cat "$log")" >&2
  kill "$serve_pid" 2>/dev/null || true
  exit 1
fi
# A WebSocket reader in Python's standard library: prints "<epoch seconds> <message>" per message.
python3 - "$url" >"$events" <<'PY' &
import base64, os, socket, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
s = socket.create_connection((u.hostname, u.port))
s.sendall((f"GET {u.path}__dossier/live HTTP/1.1\r\nHost: {u.netloc}\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n\r\n").encode())
f = s.makefile("rb")
while f.readline() not in (b"\r\n", b""):
    pass
def read(n):
    b = f.read(n)
    if len(b) < n:
        sys.exit(0)
    return b
while True:
    head = read(2)
    op, n = head[0] & 15, head[1] & 127
    n = int.from_bytes(read({126: 2, 127: 8}[n]), "big") if n >= 126 else n
    data = read(n)
    if op == 1:
        print(f"{time.time():.6f} {data.decode()}", flush=True)
    elif op == 9:  # ping: answer with a masked, empty pong
        s.sendall(bytes([0x8A, 0x80]) + os.urandom(4))
    elif op == 8:
        break
PY
stream_pid=$!
sleep 1
served_edit() { # a command that edits a file; prints ms from the edit to the reload message
  local before start end
  before=$(grep -c '"type":"build"' "$events" || true)
  "$@"
  start=$EPOCHREALTIME
  for _ in $(seq 12000); do
    [ "$(grep -c '"type":"build"' "$events" || true)" -gt "$before" ] && break
    sleep 0.005
  done
  end=$(grep '"type":"build"' "$events" | tail -1 | cut -d' ' -f1)
  echo "($end - $start) * 1000" | bc -l
  sleep 0.5
}
append() { printf '\nA served edit, number %s.\n' "$1" >>"$chapter"; }
summary() { sed -i "s/^summary = \"/summary = \"Edit $1: /" "$person"; }
reloads=() outline=()
for i in $(seq "$runs"); do
  reloads+=("$(served_edit append "$i")")
done
for i in $(seq "$runs"); do
  outline+=("$(served_edit summary "$i")")
done
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
pkill -P "$stream_pid" 2>/dev/null || true
kill "$stream_pid" 2>/dev/null || true
printf 'dossier serve, N = 1000, one-chapter edit to reload signal (%s runs): median %.0f ms\n' "${#reloads[@]}" "$(printf '%s\n' "${reloads[@]}" | median)"
printf 'dossier serve, N = 1000, a person'"'"'s summary (shown on other pages) to reload signal (%s runs): median %.0f ms\n' "${#outline[@]}" "$(printf '%s\n' "${outline[@]}" | median)"
