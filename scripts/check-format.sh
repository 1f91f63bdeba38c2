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
# One clang-format process for all files (one per file took a minute):
# --dry-run --Werror reports "FILE:LINE:COL: error: code should be
# clang-formatted" for every difference, so the files are named from that.
if report=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
  exit 0
fi
grep -o '^[^:]*:[0-9]*:[0-9]*: error' <<<"$report" | cut -d: -f1 | sort -u |
  sed 's/$/ (fix all with: bash scripts\/check-format.sh --fix)/; s/^/not formatted: /' >&2
grep -q ': error' <<<"$report" || echo "$report" >&2  # clang-format itself failed
exit 1
