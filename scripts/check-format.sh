#!/usr/bin/env bash
# Fails if any tracked C++ file differs from the repository's .clang-format (clang-format 14).
# Fix with: git ls-files '*.cpp' '*.hpp' '*.hpp.in' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.hpp' '*.hpp.in')
if ! out=$(echo "$files" | xargs clang-format --dry-run --Werror 2>&1); then
  echo "$out" | grep -E '^[^ ].*(warning|error):' | cut -d: -f1 | sort -u | sed 's/^/format: /'
  echo "format: the files above differ from .clang-format; run: git ls-files '*.cpp' '*.hpp' '*.hpp.in' | xargs clang-format -i" >&2
  exit 1
fi
echo "format: $(echo "$files" | wc -l) C++ files match .clang-format"
