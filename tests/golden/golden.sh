#!/usr/bin/env bash
# Golden outputs: runs a small run, a comparison and a tiny sweep of the two-area test region,
# digests each results file with `cpcsim info --digest` (type, shape and SHA-256 of every
# dataset; provenance left out) and compares the digests with the committed ones in this folder.
# A difference prints the datasets that changed, appeared or disappeared and fails.
#
# usage: golden.sh CPCSIM WORKDIR            check (CTest "regression: golden outputs")
#        golden.sh CPCSIM WORKDIR --update   rewrite the committed digests (scripts/update-golden.sh)
set -euo pipefail
cpcsim=$(realpath "$1")
work=$2
mode=${3:-check}
here=$(cd "$(dirname "$0")" && pwd)
fail() {
  echo "GOLDEN TEST FAILED: $*"
  exit 1
}
rm -rf "$work"
mkdir -p "$work"
cd "$work"

two_area="$here/../data/two-area/scenario.toml"
"$cpcsim" run "$two_area" -r 3 --seed 11 -q -o run.h5 >/dev/null || fail "cpcsim run exited $?"
"$cpcsim" compare "$two_area" "$here/network.toml" -r 3 --seed 11 -q -o compare.h5 >/dev/null ||
  fail "cpcsim compare exited $?"
"$cpcsim" sweep run "$here/sweep.toml" -q -o sweep.h5 >/dev/null || fail "cpcsim sweep run exited $?"

status=0
for kind in run compare sweep; do
  "$cpcsim" info --digest "$kind.h5" >"$kind.digest" || fail "cpcsim info --digest $kind.h5 exited $?"
  golden="$here/$kind.digest"
  if [ "$mode" = --update ]; then
    cp "$kind.digest" "$golden"
    echo "updated $golden ($(wc -l <"$golden") datasets)"
    continue
  fi
  [ -f "$golden" ] || fail "no golden digest $golden (make it with scripts/update-golden.sh)"
  if cmp -s "$kind.digest" "$golden"; then
    echo "ok: $kind ($(wc -l <"$golden") datasets identical)"
    continue
  fi
  status=1
  echo "GOLDEN TEST FAILED: $kind.h5 differs from $golden:"
  # Lines are "path dtype shape sha256"; report by path.
  awk 'NR == FNR { want[$1] = $0; next }
       { got[$1] = $0 }
       END {
         for (p in want) if (!(p in got)) print "  missing:  " p
         for (p in got) if (!(p in want)) print "  new:      " p
         for (p in got) if ((p in want) && got[p] != want[p]) {
           split(want[p], w, " "); split(got[p], g, " ")
           what = (w[2] != g[2] ? "type " w[2] " -> " g[2] : (w[3] != g[3] ? "shape " w[3] " -> " g[3] : "values"))
           print "  changed:  " p " (" what ")"
         }
       }' "$golden" "$kind.digest" | sort -k2
done
if [ "$status" != 0 ]; then
  echo "If the change is meant to move results, run scripts/update-golden.sh and commit the new digests"
  echo "with a message that says why (docs/development.md, \"Golden outputs\")."
fi
exit "$status"
