#!/usr/bin/env bash
# Whether two builds of roadlog answer alike: the example plan and every fixture plan, through
# check in each format and the reports, each read cold (--no-cache) and warm (a second run
# through the parse cache), every output and exit status compared with cmp, the second build's
# against the first's and each build's warm run against its cold one. For a change meant to
# leave every output as it was (a speed-up), beside benches/targets.sh's generated plans.
#
#   benches/same-output.sh /tmp/roadlog-431e7bf ./target/release/roadlog
#
# Run from the repository's root; prints each difference, then how many outputs it compared,
# and exits 1 when any differ.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: benches/same-output.sh OLD_BINARY NEW_BINARY" >&2
  exit 2
fi
old=$1
new=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

plans=(examples/acme $(find tests/fixtures -name roadlog.yaml -exec dirname {} \; | sort))
commands=(
  "check --format json" "check --format sarif" "check --format github" "check"
  "progress --format json" "report exec --format markdown" "report team --format json"
  "report pm --format json" "roadmap --format markdown"
)

# run BUILD NAME MODE KEY PLAN COMMAND: the command's stdout, stderr and status in files of
# their own, named by the build, the mode and KEY; prints the files' common path.
run() {
  local bin=$1 name=$2 mode=$3 key=$4 plan=$5 command=$6
  local file="$out/$name-$mode-$key"
  local cache=(--no-cache)
  [ "$mode" = warm ] && cache=(--cache-dir "$out/cache-$name")
  # shellcheck disable=SC2086 # the command is words
  "$bin" --plan "$plan" --today 2026-12-06 --color never $command "${cache[@]}" \
    > "$file.out" 2> "$file.err"
  echo $? > "$file.status"
  echo "$file"
}

compared=0
differ=0
same() {
  for part in out err status; do
    compared=$((compared + 1))
    if ! cmp -s "$1.$part" "$2.$part"; then
      differ=$((differ + 1))
      echo "differ: $(basename "$1").$part and $(basename "$2").$part"
    fi
  done
}

for plan in "${plans[@]}"; do
  for command in "${commands[@]}"; do
    key=$(echo "$plan $command" | tr -c 'a-zA-Z0-9\n' '_')
    for name in old new; do
      bin=$old
      [ $name = new ] && bin=$new
      cold=$(run "$bin" $name cold "$key" "$plan" "$command")
      run "$bin" $name warm "$key" "$plan" "$command" > /dev/null # writes the cache
      warm=$(run "$bin" $name warm "$key" "$plan" "$command")
      same "$cold" "$warm"
    done
    same "$out/old-cold-$key" "$out/new-cold-$key"
  done
done
echo "$compared outputs compared over ${#plans[@]} plans, $differ differ"
[ "$differ" -eq 0 ]
