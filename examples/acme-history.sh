#!/usr/bin/env bash
# The example plan as a git repository with history, for the commands that read it (forecast,
# history, stale-item, diff): `bash examples/acme-history.sh DIR`, then run roadlog inside DIR.
#
# The plan is committed on 2026-10-19 with its finished work still open, then each file that
# holds finished work is committed as it stands now, a week apart from 2026-10-27, so the
# forecast has weeks of throughput to learn from. `origin/main` is left one commit behind, as a
# pull request's base would be. Commits have fixed dates and authors: the same DIR every time.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: bash examples/acme-history.sh DIR   (DIR must not exist yet)" >&2
  exit 2
fi
dir=$1
if [ -e "$dir" ]; then
  echo "acme-history: $dir exists already; give a new folder" >&2
  exit 2
fi
example=$(cd "$(dirname "$0")/acme" && pwd)
mkdir -p "$dir"
cp -R "$example/." "$dir/"
cd "$dir"
export GIT_AUTHOR_NAME="Acme PM" GIT_AUTHOR_EMAIL="pm@acme.example"
export GIT_COMMITTER_NAME="Acme PM" GIT_COMMITTER_EMAIL="pm@acme.example"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
commit() {
  GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z" \
    git -c commit.gpgsign=false commit -q --allow-empty -m "$2"
}
git init -q -b main
# The finished files, in a fixed order, and their text as it stands.
finished=$(grep -rl --include='*.yaml' '^status: done' . | sort)
mkdir -p .git/acme-finished
for f in $finished; do
  mkdir -p ".git/acme-finished/$(dirname "$f")"
  cp "$f" ".git/acme-finished/$f"
  case "$f" in
    ./roadmap/*) sed -i.bak 's/^status: done/status: active/' "$f" ;;
    *) sed -i.bak 's/^status: done/status: in-progress/' "$f" ;;
  esac
  rm -f "$f.bak"
done
git add -A
commit 2026-10-19 "The plan, with its work still open"
day=2026-10-27
for f in $finished; do
  cp ".git/acme-finished/$f" "$f"
  git add -A
  commit "$day" "Finish the work in ${f#./}"
  day=$(date -u -d "$day + 7 days" +%F 2>/dev/null || date -u -j -v+7d -f %F "$day" +%F)
done
rm -rf .git/acme-finished
git update-ref refs/remotes/origin/main HEAD~1
# Tracker exports to try `roadlog import` on, beside the plan and not part of it.
cp -R "$example/../exports" "$dir/exports"
echo "$dir: the example plan with $(git rev-list --count HEAD) commits; run roadlog there"
