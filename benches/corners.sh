#!/usr/bin/env bash
# Dossier's corner cases of cost (issue 17, item 12): content that once made a build or a check
# cost quadratic time or memory, each generated at a chosen size and run with the real binary,
# timed with its peak memory. A size and twice it show the growth: linear costs double.
#
#   benches/corners.sh                              # every case, at its size and twice it
#   benches/corners.sh --case para --case event     # some cases
#   benches/corners.sh --case para --n 20000        # one size only
#   benches/corners.sh --bin /tmp/dossier-main      # another binary (say, an older build)
#
# The cases (the issue's sizes by default):
#   para     one paragraph naming N people ([[p0]] [[p1]] …), `dossier build`        N = 10,000
#   event    one event listing N people, `dossier build`                              N = 3,000
#   tags     N <style> and <script> elements in one chapter, `dossier check`         N = 200,000
#   aliases  N aliases of non-ASCII letters (10 a person), `dossier check`           N = 100,000
# Each run is the median wall time of --runs runs (3 by default) and the largest peak resident
# set (GNU time's %M). A run past --timeout seconds (300) is stopped and shown as such.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=()
n=""
runs=3
timeout=300
work="${TMPDIR:-/tmp}/dossier-corners"
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --case) cases+=("$2"); shift 2 ;;
    --n) n="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "corners.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#cases[@]} -gt 0 ] || cases=(para event tags aliases)
for c in "${cases[@]}"; do
  case "$c" in para|event|tags|aliases) ;; *) echo "corners.sh: unknown case $c" >&2; exit 2 ;; esac
done
command -v python3 >/dev/null || { echo "corners.sh: python3 is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "corners.sh: GNU time is needed (apt-get install time)" >&2; exit 2; }
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin dossier
  bin="$PWD/target/release/dossier"
fi
mkdir -p "$work"

# Write the project of case $1 at size $2 into $3: the tests' small documentary, grown.
generate() {
  rm -rf "$3"
  cp -r tests/fixtures/bad-base "$3"
  python3 - "$1" "$2" "$3" <<'PY'
import os, random, sys
case, n, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def write(rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
front = '+++\ntitle = "{}"\nsources = ["letters"]\n+++\n\n'
if case in ("para", "event"):
    for i in range(n):
        write(f"content/people/p{i}.toml", f'name = "Person P{i}"\n')
if case == "para":
    write("content/chapters/03-roll.md", front.format("Roll") + " ".join(f"[[p{i}]]" for i in range(n)) + "\n")
elif case == "event":
    ids = ", ".join(f'"p{i}"' for i in range(n))
    write("content/events/crowd.toml", f'[[event]]\nid = "crowd"\ndate = "1840"\ntitle = "A crowd"\npeople = [{ids}]\n')
elif case == "tags":
    body = "".join("<style>a{}</style><script>x</script>\n" if i % 2 else "<script>1<2</script>\n" for i in range(n // 2))
    write("content/chapters/03-tags.md", front.format("Tags") + body)
elif case == "aliases":
    rnd = random.Random(7)
    scripts = [(0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3)]
    def word():
        lo, hi = rnd.choice(scripts)
        while True:
            w = "".join(chr(rnd.randint(lo, hi)) for _ in range(rnd.randint(3, 7)))
            if all(c.isprintable() for c in w):
                return w
    for p in range(max(1, n // 10)):
        aliases = ", ".join(f'"{word()} {word()}"' for _ in range(10))
        write(f"content/people/p{p}.toml", f'name = "Person {p}"\naliases = [{aliases}]\n')
    write("content/chapters/03-names.md", front.format("Names") + "Person 1 met Person 2.\n")
PY
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }

echo "Dossier's corner cases: $(date -u +%Y-%m-%d), $(nproc) cores, $bin"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $runs runs each; medians; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-8s | %8s | %-7s | %10s | %10s | %6s |\n' case N command wall "peak RSS" status
printf '|----------|----------|---------|------------|------------|--------|\n'
for c in "${cases[@]}"; do
  case "$c" in
    para) size=10000; cmd=build ;;
    event) size=3000; cmd=build ;;
    tags) size=200000; cmd=check ;;
    aliases) size=100000; cmd=check ;;
  esac
  sizes="$size $((size * 2))"
  [ -n "$n" ] && sizes="$n"
  for s in $sizes; do
    root="$work/$c-$s"
    generate "$c" "$s" "$root"
    walls=() rss=0 status=ok
    for _ in $(seq "$runs"); do
      start=$EPOCHREALTIME
      code=0
      timeout "$timeout" /usr/bin/time -f 'peak-rss-kb %M' "$bin" "$cmd" --root "$root" >/dev/null 2>"$work/log" || code=$?
      end=$EPOCHREALTIME
      case "$code" in 0) ;; 124) status=timeout ;; *) status="exit $code" ;; esac
      walls+=("$(echo "$end - $start" | bc -l)")
      r=$(awk '$1 == "peak-rss-kb" { print $2 }' "$work/log")
      [ -n "$r" ] && [ "$r" -gt "$rss" ] && rss=$r
      [ "$status" = timeout ] && break
    done
    printf '| %-8s | %8s | %-7s | %8.2f s | %7.0f MB | %6s |\n' "$c" "$s" "$cmd" "$(printf '%s\n' "${walls[@]}" | median)" "$(echo "$rss / 1024" | bc -l)" "$status"
  done
done
