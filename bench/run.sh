#!/usr/bin/env bash
# run.sh — runs every benchmark; results land in build/bench-results/ (build/bench/ is
# CMake's folder for bench/: removing it breaks `cmake --install`).
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
out="$build/bench-results"
mkdir -p "$out"
# The machine's OpenBLAS settings slow a current numpy down; peers run without them.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/eval_bench.py "$(pwd)/$build/bin/nagc" "$out"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/jac_bench.py "$(pwd)/$build/bin/nagc" "$out"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/dim_bench.py "$(pwd)/$build/bin/nagc" "$out"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/algebra.py "$(pwd)/$build/bin/nagc" "$out"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/degree.py "$(pwd)/$build/bin/nagc" "$out"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/critical.py "$(pwd)/$build/bin/nagc" "$out"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/train.py "$(pwd)/$build/bin/nagc" "$out"
# One table of ratios from all of the above.
/usr/bin/python3 bench/summary.py "$out"
