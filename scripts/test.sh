#!/usr/bin/env bash
# Everything CI checks: set up, build, unit tests (normal and ASan+UBSan),
# formatting, clang-tidy, and the dashboard's component and browser tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Each step's heading says how long the run has taken so far.
section() { echo "== $* ($((SECONDS / 60)) min $((SECONDS % 60)) s in)"; }

scripts/setup.sh --test-tools default asan

section "format check"
git ls-files -z '*.cc' '*.h' | xargs -0 clang-format --dry-run --Werror

section "clang-tidy (.clang-tidy) over src/"
# Over the default build's unity sources: each parses its shared headers
# once for eight files, a third of the time file by file takes.
run-clang-tidy -p build -j "$(nproc)" -quiet -extra-arg=-Wno-unknown-warning-option \
  '/build/src/' >build/clang-tidy.log 2>&1 || {
  grep -E "(warning|error): " build/clang-tidy.log | sort -u >&2
  echo "clang-tidy found the problems above (whole output: build/clang-tidy.log)" >&2
  exit 1
}

section "start a Ceph RADOS Gateway on 127.0.0.1 for the S3 tests"
RGW_DIR=$PWD/build/rgw
RGW_PORT=${CH_TEST_RGW_PORT:-17480}
scripts/s3/start-ceph-rgw.sh "$RGW_DIR" "$RGW_PORT"
trap 'scripts/s3/stop-ceph-rgw.sh "$RGW_DIR" || true' EXIT
export CH_S3_ENDPOINT=http://127.0.0.1:$RGW_PORT

section "start s3rver on 127.0.0.1 (the second S3 server of the contract tests)"
S3RVER_DIR=$PWD/build/s3rver
S3RVER_PORT=${CH_TEST_S3RVER_PORT:-17490}
[[ -d scripts/s3/node_modules/s3rver ]] || (cd scripts/s3 && npm ci --no-audit --no-fund)
rm -rf "$S3RVER_DIR"
scripts/s3/start-s3rver.sh "$S3RVER_PORT" "$S3RVER_DIR" >/dev/null
trap 'scripts/s3/stop-ceph-rgw.sh "$RGW_DIR" || true; scripts/s3/stop-s3rver.sh "$S3RVER_DIR.pid" || true' EXIT
export CH_S3RVER_ENDPOINT=http://127.0.0.1:$S3RVER_PORT

section "unit tests"
ctest --preset default --output-on-failure -j "$(nproc)"

section "dashboard: component tests and end-to-end in headless Chromium"
CLIMAHEALTH_BIN=$PWD/build/src/cli/climahealth scripts/web-test.sh

section "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
# The slow tests (a 5 GiB sparse upload, a million-file dry run) measure the
# normal build above; under the sanitizers they would only add minutes.
CH_SKIP_SLOW_TESTS=1 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --preset asan --output-on-failure -j "$(nproc)"
section "all passed"
