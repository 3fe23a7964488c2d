#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...] — builds the libFuzzer targets (clang-19, ASan +
# UBSan, in build-fuzz) and runs each for SECONDS (default 30) from the seed
# corpus (tests/fuzz/corpus plus every .nag file of examples/, stdlib/ and
# tests/). New interesting inputs go to build-fuzz/corpus/TARGET (kept between
# runs, so long runs build on each other). Fails when a target finds a crash,
# a sanitizer report, a timeout (10 s per input) or an out-of-memory (2 GiB);
# the input is saved in build-fuzz/findings/. See tests/fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_frontend fuzz_data fuzz_results)
build=${NAGC_FUZZ_BUILD:-build-fuzz}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang-19 CXX=clang++-19 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNAGC_FUZZ=ON \
    >/dev/null
fi
if ! cmake --build "$build" --target "${targets[@]}" -j "$(nproc)" >"$build/build.log" 2>&1; then
  grep -E 'error|FAILED' "$build/build.log" | head -20
  echo "fuzz: the fuzz targets did not build (log: $build/build.log)"
  exit 1
fi

seeds="$build/seeds"
rm -rf "$seeds" && mkdir -p "$seeds/fuzz_frontend" "$seeds/fuzz_data" "$seeds/fuzz_results" "$build/findings"
find examples stdlib tests -name '*.nag' -exec cp -t "$seeds/fuzz_frontend" {} + 2>/dev/null || true
cp tests/fuzz/corpus/data/* "$seeds/fuzz_data/"
cp tests/fuzz/corpus/results/* "$seeds/fuzz_results/"

status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  log="$build/$t.log"
  dict=()
  [ "$t" = fuzz_frontend ] && dict=(-dict=tests/fuzz/nag.dict)
  if ASAN_OPTIONS=detect_leaks=0 "$build/bin/$t" "$build/corpus/$t" "$seeds/$t" "${dict[@]}" \
       -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
       -artifact_prefix="$build/findings/$t-" >"$log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
    echo "$t: $runs inputs in ${seconds}s, coverage $cov edges, no findings"
  else
    echo "$t: FOUND A PROBLEM (input in $build/findings/):"
    grep -E 'ERROR|SUMMARY|Test unit written|runtime error|internal error|invalid IR' "$log" | head -20
    status=1
  fi
done
exit $status
