#!/usr/bin/env bash
# Fails when a C++ file (tracked, or new and not ignored) differs from what clang-format makes of it
# (style in .clang-format). Usage: check-format.sh [REPO_DIR] [--fix]
set -euo pipefail
fix=0
dir="$(dirname "$0")/.."
for a in "$@"; do
  if [ "$a" = "--fix" ]; then fix=1; else dir=$a; fi
done
cd "$dir"
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' 2>/dev/null || find src tests bench -name '*.[ch]pp')
if [ $fix = 1 ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (fix all with: bash scripts/check-format.sh --fix)" >&2
    bad=1
  fi
done
exit $bad
