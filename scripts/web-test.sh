#!/usr/bin/env bash
# Dashboard tests: component tests (Vitest, jsdom), then the end-to-end suite in
# headless Chromium against the real `climahealth serve` on generator data.
# Screenshots and e2e-report.json land in web/test-results/.
#   CLIMAHEALTH_BIN  binary to test (default: built in $WEB_BUILD_DIR)
#   WEB_BUILD_DIR    CMake build directory (default: build-dashboard)
#   CHROMIUM_PATH    browser (default: /usr/bin/chromium, Debian's chromium package)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/web-build.sh

echo "== component tests (vitest)"
(cd web && npx vitest run)

BUILD_DIR=${WEB_BUILD_DIR:-build-dashboard}
if [ -z "${CLIMAHEALTH_BIN:-}" ]; then
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCH_BUILD_BENCH=OFF
  fi
  echo "== build climahealth in $BUILD_DIR"
  cmake --build "$BUILD_DIR" -j "${WEB_BUILD_JOBS:-2}" --target climahealth
  CLIMAHEALTH_BIN=$PWD/$BUILD_DIR/src/cli/climahealth
fi
export CLIMAHEALTH_BIN

CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "web-test: no browser at $CHROMIUM_PATH (Debian: apt-get install chromium)" >&2
  exit 1
fi
export CHROMIUM_PATH

echo "== end-to-end tests (headless Chromium, real climahealth serve)"
node web/e2e/run.mjs
