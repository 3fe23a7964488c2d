#!/usr/bin/env bash
# demo.sh — the main job: check every example and print its summary.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
nagc="$build/bin/nagc"

for f in examples/*.nag; do
  "$nagc" "$f" --check
  echo
done

echo "== the same networks at other sizes (-D overrides)"
"$nagc" examples/pmlp.nag -D 'd=[4,6,6,2]' -D r=3 --check
echo
"$nagc" examples/lightning.nag -D d=4 -D t=3 -D a=1 --check
