#!/usr/bin/env bash
# The speed targets, measured side by side: builds of roadlog run in interleaved rounds on the
# same generated plans, each run's wall-clock seconds and peak memory from /usr/bin/time, and
# every output compared with cmp across the builds and between a cold and a warm check.
#
#   cargo build --release --examples          # gen_plan and parse_floor, from this tree
#   benches/targets.sh -r 4 old=/tmp/roadlog-431e7bf new=./target/release/roadlog
#
# Options: -r ROUNDS (default 4), -w WORKDIR (default /tmp/roadlog-targets; the plans are
# generated there once and kept), -n ITEMS (default 100000). Each NAME=BINARY is a build; the
# first is the one the others' outputs are compared with. The order of the builds rotates each
# round, so a machine that drifts during the run favours none of them. The runs go to
# WORKDIR/runs.tsv (round, work, build, seconds, KB); the medians, ranges and ratios are
# printed at the end. Needs git, GNU time (/usr/bin/time) and python3 for the summary.
set -euo pipefail

rounds=4
work=/tmp/roadlog-targets
items=100000
while getopts "r:w:n:" opt; do
  case $opt in
    r) rounds=$OPTARG ;;
    w) work=$OPTARG ;;
    n) items=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ]; then
  echo "usage: benches/targets.sh [-r ROUNDS] [-w WORKDIR] [-n ITEMS] NAME=BINARY..." >&2
  exit 2
fi

here=$(cd "$(dirname "$0")/.." && pwd)
examples=$here/target/release/examples
for tool in gen_plan parse_floor; do
  [ -x "$examples/$tool" ] || { echo "build the examples first: cargo build --release --examples" >&2; exit 2; }
done
names=()
declare -A bin
for arg in "$@"; do
  name=${arg%%=*}
  path=${arg#*=}
  [ -x "$path" ] || { echo "$name: $path is not an executable" >&2; exit 2; }
  names+=("$name")
  bin[$name]=$(cd "$(dirname "$path")" && pwd)/$(basename "$path")
done

mkdir -p "$work/out"
plan=$work/p$items
hist=$work/h10k
today=2025-09-08
args=(--today "$today" --format json)
git_quiet() { git -c user.name=bench -c user.email=bench@example.com "$@"; }

# The plan, committed once; the ten open items every round closes (left uncommitted), which the
# warm check and the dirty-tree diff both see.
if [ ! -d "$plan/.git" ]; then
  rm -rf "$plan"
  "$examples/gen_plan" --items "$items" --out "$plan"
  git_quiet -C "$plan" init -q
  git_quiet -C "$plan" add -A
  git_quiet -C "$plan" commit -qm base
fi
if [ ! -d "$hist/.git" ]; then
  rm -rf "$hist"
  "$examples/gen_plan" --items 10000 --commits 1000 --out "$hist"
fi
reset_plan() { git -C "$plan" checkout -q -- .; }
edit_plan() {
  while read -r f; do sed -i 's/^status: .*/status: done/' "$plan/$f"; done < "$work/edit10.list"
}
# Chosen on the committed plan, so a run stopped with the edits in place chooses the same ten.
reset_plan
(cd "$plan" && git ls-files backlog | xargs grep -L '^status: done' 2> /dev/null | head -10) > "$work/edit10.list" || true
[ "$(wc -l < "$work/edit10.list")" -eq 10 ] || { echo "no ten open items in $plan" >&2; exit 1; }

runs=$work/runs.tsv
: > "$runs"
: > "$work/differ"
# time_run ROUND WORK BUILD OUTPUT COMMAND...: one run, its output kept for cmp. check exits 1
# on the generated plans (they carry deliberate problems), so only a status over 1 stops us.
time_run() {
  local round=$1 what=$2 build=$3 output=$4
  shift 4
  local status=0
  # GNU time writes a line of its own before the figures when the status is not 0.
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" > "$output" 2> "$work/stderr" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "$what ($build) exited $status:" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\t%s\n' "$round" "$what" "$build" "$(tail -1 "$work/time" | tr ' ' '\t')" >> "$runs"
}

# Each build's cache folder, primed: a check of the committed plan writes the parse cache, so
# each round's ten edited files are texts it has no parse of (10 in 100,000 moved is too few to
# write it again); a diff of the edits records what the unchanged files mention.
for name in "${names[@]}"; do
  rm -rf "$work/cache-$name"
  reset_plan
  ROADLOG_CACHE_DIR=$work/cache-$name "${bin[$name]}" check --plan "$plan" "${args[@]}" > /dev/null || true
  edit_plan
  ROADLOG_CACHE_DIR=$work/cache-$name "${bin[$name]}" diff --plan "$plan" "${args[@]}" > /dev/null || true
done

for round in $(seq 1 "$rounds"); do
  # Rotate the builds' order each round.
  order=("${names[@]:$(( (round - 1) % ${#names[@]} ))}" "${names[@]:0:$(( (round - 1) % ${#names[@]} ))}")
  reset_plan
  edit_plan
  time_run "$round" cat - /dev/null sh -c "find '$plan' -name '*.yaml' -print0 | xargs -0 cat"
  time_run "$round" parse_floor - /dev/null "$examples/parse_floor" "$plan"
  for name in "${order[@]}"; do
    b=${bin[$name]}
    export ROADLOG_CACHE_DIR=$work/cache-$name
    time_run "$round" cold "$name" "$work/out/cold-$name.json" "$b" check --plan "$plan" "${args[@]}" --no-cache
    time_run "$round" warm "$name" "$work/out/warm-$name.json" "$b" check --plan "$plan" "${args[@]}"
    time_run "$round" dirty-diff "$name" "$work/out/diff-$name.json" "$b" diff --plan "$plan" "${args[@]}"
    time_run "$round" history "$name" "$work/out/history-$name.json" "$b" history --plan "$hist" --format json
    time_run "$round" history-every "$name" "$work/out/every-$name.json" "$b" history --plan "$hist" --format json --every commit
    unset ROADLOG_CACHE_DIR
  done
  # The same answers from every build, and from a warm check as from a cold one.
  first=${names[0]}
  for name in "${names[@]}"; do
    cmp "$work/out/warm-$name.json" "$work/out/cold-$name.json" >> "$work/differ" || true
    for out in cold diff history every; do
      cmp "$work/out/$out-$first.json" "$work/out/$out-$name.json" >> "$work/differ" || true
    done
  done
done
reset_plan

python3 - "$runs" "${names[@]}" <<'EOF'
import statistics, sys
from collections import defaultdict
runs, names = sys.argv[1], sys.argv[2:]
secs, kb = defaultdict(list), defaultdict(list)
for line in open(runs):
    _, what, build, s, k = line.split("\t")
    secs[what, build].append(float(s))
    kb[what, build].append(int(k))
med = {key: statistics.median(v) for key, v in secs.items()}
print(f"{'work':<14}{'build':<10}{'median':>8}  {'range':<13}{'peak':>8}")
for (what, build), v in secs.items():
    print(f"{what:<14}{build:<10}{med[what, build]:>7.2f}s  "
          f"{min(v):.2f}-{max(v):.2f}s  {max(kb[what, build]) // 1024:>5} MB")
print()
print(f"{'ratio (target)':<40}" + "".join(f"{n:>10}" for n in names))
rows = [
    ("cold check / cat (1.5)", "cold", ("cat", "-")),
    ("cold check / parse_floor (0.6)", "cold", ("parse_floor", "-")),
    ("warm check / cold check (0.2)", "warm", "cold"),
    ("dirty diff / cold check (0.15)", "dirty-diff", "cold"),
    ("history --every commit / weekly (3)", "history-every", "history"),
]
for label, top, bottom in rows:
    cells = []
    for n in names:
        below = med[bottom] if isinstance(bottom, tuple) else med[bottom, n]
        cells.append(f"{med[top, n] / below:>9.2f}x")
    print(f"{label:<40}" + "".join(cells))
print(f"{'peak memory of cold check (200 MB)':<40}"
      + "".join(f"{max(kb['cold', n]) // 1024:>7} MB" for n in names))
EOF
if [ -s "$work/differ" ]; then
  echo "outputs differ:" >&2
  sort -u "$work/differ" >&2
  exit 1
fi
echo "outputs identical (cmp): every build, every round, warm and cold"
