#!/usr/bin/env bash
# test.sh — runs every test: the lit suites, the GoogleTest binaries (via ctest) and a
# short run of each fuzz target.
set -uo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."

lit_out=$(mktemp)
python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv --xunit-xml-output "$build/lit-results.xml" \
  "$build/tests/lit" | tee "$lit_out"
lit_status=${PIPESTATUS[0]}
lit_passed=$(grep -oE 'Passed *: *[0-9]+' "$lit_out" | grep -oE '[0-9]+$' || echo 0)
lit_failed=$(grep -oE '(Failed|Unresolved|Timed Out|Unexpectedly Passed) *: *[0-9]+' "$lit_out" | grep -oE '[0-9]+$' | awk '{s += $1} END {print s + 0}')
rm -f "$lit_out"

unit_out=$(mktemp)
(cd "$build" && ctest -L unit --output-on-failure -j "$(nproc)") | tee "$unit_out"
unit_status=${PIPESTATUS[0]}
unit_total=$(grep -oE 'out of [0-9]+' "$unit_out" | grep -oE '[0-9]+' || echo 0)
unit_failed=$(grep -oE '[0-9]+ tests failed' "$unit_out" | grep -oE '^[0-9]+' || echo 0)
rm -f "$unit_out"

# A short fuzz run of each libFuzzer target (tests/fuzz/README.md); NAGC_FUZZ_SECONDS=0 skips it.
fuzz_seconds=${NAGC_FUZZ_SECONDS:-15}
fuzz_passed=0 fuzz_failed=0 fuzz_status=0
if [ "$fuzz_seconds" != 0 ]; then
  echo
  fuzz_out=$(mktemp)
  bash scripts/fuzz.sh "$fuzz_seconds" | tee "$fuzz_out"
  fuzz_status=${PIPESTATUS[0]}
  fuzz_passed=$(grep -c 'no findings' "$fuzz_out" || true)
  fuzz_failed=$(grep -cE 'FOUND A PROBLEM|did not build' "$fuzz_out" || true)
  rm -f "$fuzz_out"
fi

passed=$(( ${lit_passed:-0} + ${unit_total:-0} - ${unit_failed:-0} + fuzz_passed ))
failed=$(( ${lit_failed:-0} + ${unit_failed:-0} + fuzz_failed ))
if [ "$lit_status" -ne 0 ] || [ "$unit_status" -ne 0 ] || [ "$fuzz_status" -ne 0 ]; then
  [ "$failed" -eq 0 ] && failed=1
fi
echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
