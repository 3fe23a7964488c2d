#!/usr/bin/env bash
# install-deps.sh — installs the Debian packages nagc needs; quiet and idempotent.
#
# Runs `apt-get update` and `apt-get install` only when a package is missing,
# so a second run on a ready machine prints nothing and touches nothing.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ make ccache python3
  # LLVM 19 (codegen, lit, FileCheck); the machine's default llvm/clang are 14
  llvm-19-dev llvm-19-tools libzstd-dev zlib1g-dev libedit-dev libxml2-dev libffi-dev
  # grammar: ANTLR tool 4.7.2 + C++ runtime 4.9
  antlr4 libantlr4-runtime-dev uuid-dev
  # exact arithmetic
  libflint-dev libgmp-dev libmpfr-dev
  # dense exact rank over F_p on BLAS (header-only FFLAS-FFPACK over givaro)
  fflas-ffpack libgivaro-dev
  # floating-point linear algebra
  libopenblas-dev liblapacke-dev
  # tests and benchmarks (Macaulay2 and Singular check the exported maps; GNU
  # parallel runs a sweep's job list)
  libgtest-dev libgmock-dev libbenchmark-dev python3-numpy macaulay2 singular parallel
  # fuzzing (libFuzzer, ASan and UBSan runtimes of clang 19)
  clang-19 libclang-rt-19-dev
)

# `install-deps.sh --bench` adds the peers the benchmarks compare against.
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-torch linux-perf)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
