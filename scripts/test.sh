#!/usr/bin/env bash
# test.sh — runs every test: the lit suites and the GoogleTest binaries (via ctest).
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

passed=$(( ${lit_passed:-0} + ${unit_total:-0} - ${unit_failed:-0} ))
failed=$(( ${lit_failed:-0} + ${unit_failed:-0} ))
if [ "$lit_status" -ne 0 ] || [ "$unit_status" -ne 0 ]; then
  [ "$failed" -eq 0 ] && failed=1
fi
echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
