#!/usr/bin/env bash
# kill -9 in the middle of a sweep, then the same command with --resume: only the missing runs are
# simulated and the result equals an uninterrupted sweep. Runs are slowed down (the hidden test
# option --test-delay-ms) so that the kill lands midway.
source "$(dirname "$0")/common.sh"

write_sweep s.toml 3 13 "$GRID"
"$CPCSIM" sweep run s.toml -o reference.h5 -t 2 -q >/dev/null

"$CPCSIM" sweep run s.toml -o killed.h5 -t 2 -q --test-delay-ms 400 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do
  [ "$(count_parts killed.h5.parts)" -ge 3 ] && break
  sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null && fail "the sweep was not killed"
before=$(count_parts killed.h5.parts)
echo "killed with $before of 12 runs committed"
[ "$before" -ge 3 ] && [ "$before" -lt 12 ] || fail "kill landed midway ($before parts)"
[ ! -e killed.h5 ] || fail "no results file from a killed sweep"

expect_fail "rerun without --resume" "$CPCSIM" sweep run s.toml -o killed.h5 -t 2 -q
grep -q -- "--resume" last.err || fail "the error suggests --resume: $(cat last.err)"
"$CPCSIM" sweep run s.toml -o killed.h5 -t 2 -q --resume > resume.txt
cat resume.txt
grep -q "$((12 - before)) runs simulated, $before already complete" resume.txt || fail "only the missing runs were simulated"
same reference.h5 killed.h5
[ ! -e killed.h5.parts ] || fail "parts folder removed"
# Resuming a finished sweep simulates nothing and leaves the same results.
"$CPCSIM" sweep run s.toml -o killed.h5 -t 2 -q --resume | grep -q "0 runs simulated, 12 already complete" ||
  fail "resume of a complete sweep"
same reference.h5 killed.h5
echo "sweep kill/resume: all passed"
