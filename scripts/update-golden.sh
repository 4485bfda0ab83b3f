#!/usr/bin/env bash
# Rewrites the golden digests in tests/golden/ from the current build, for a change that is
# meant to move results (a model change or a named bug fix). Commit the new digests with a
# message that says why; `git diff tests/golden/` shows which datasets moved.
# usage: scripts/update-golden.sh [BUILD_DIR]   (default build/release; builds cpcsim first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
cmake --build "$build" --target cpcsim
bash tests/golden/golden.sh "$build/cpcsim" "$build/golden-update" --update
git --no-pager diff --stat -- tests/golden/ || true
