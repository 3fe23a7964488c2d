#!/usr/bin/env bash
# demo.sh — the main job: compile and run every example, then its dimension report.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
nagc="$(pwd)/$build/bin/nagc"
out="$build/demo"
mkdir -p "$out"

for f in examples/*.nag; do
  name=$(basename "$f" .nag)
  echo "==== $f"
  "$nagc" "$f" -o "$out/$name"
  "$out/$name" info
  echo "  f_theta(x) on 3 random samples (theta = random:1, x = random:2):"
  "$out/$name" eval --theta random:1 --x random:2 --samples 3 | sed 's/^/    /'
  echo
done

echo "==== dimension reports of the algebraic examples (exact over F_p, and float with its gap)"
nonalgebraic=()
for f in examples/*.nag; do
  name=$(basename "$f" .nag)
  if "$out/$name" info | grep -q 'non-algebraic'; then nonalgebraic+=("$name"); continue; fi
  "$out/$name" dim --both
  echo
done
echo "==== the non-algebraic examples: their functional dimension (float; exact ranks are refused)"
for name in "${nonalgebraic[@]}"; do
  "$out/$name" dim
  echo
done

echo "==== the same networks at other sizes (-D overrides)"
"$nagc" examples/pmlp.nag -D 'd=[6,8,8,1]' -o "$out/pmlp_6881"
"$out/pmlp_6881" dim --both
echo
"$nagc" examples/lightning.nag -D d=4 -D t=3 -D a=1 -o "$out/lightning_4"
"$out/lightning_4" dim --both
