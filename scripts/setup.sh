#!/usr/bin/env bash
# Installs what climahealth needs from Debian's packages (only what is missing,
# so a second run takes a second) and builds the given CMake presets.
# Usage: scripts/setup.sh [--test-tools] [PRESET ...]   (default preset: default)
#   --test-tools  also the tools the tests and benchmarks run (Ceph RGW, awscli,
#                 boto3, pandas, xgboost, Chromium, clang-format/-tidy, ...). They
#                 install in the background while the presets build, and the
#                 script waits for them before it ends.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# What the build itself needs.
BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git curl
  libssl-dev zlib1g-dev libzstd-dev libcurl4-openssl-dev libpugixml-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libxgboost-dev libboost-dev libcpp-httplib-dev
)
# What only the tests and the benchmarks' peers need.
TEST_PACKAGES=(
  clang-format clang-tidy python3 python3-pandas python3-boto3 python3-botocore awscli
  ceph-mon ceph-osd radosgw ceph-common uuid-runtime python3-xgboost
  wrk rclone chromium python3-yaml python3-fastapi python3-uvicorn
)

test_tools=false
presets=()
for arg in "$@"; do
  case $arg in
    --test-tools) test_tools=true ;;
    *) presets+=("$arg") ;;
  esac
done
((${#presets[@]})) || presets=(default)

SUDO=""
[[ $(id -u) == 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
missing_of() { # the named packages that are not installed
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}
mapfile -t missing_build < <(missing_of "${BUILD_PACKAGES[@]}")
missing_test=()
$test_tools && mapfile -t missing_test < <(missing_of "${TEST_PACKAGES[@]}")
command -v npm >/dev/null || need_node=true
if ((${#missing_build[@]} + ${#missing_test[@]})) || [[ ${need_node:-} ]]; then
  $SUDO apt-get update -qq
fi
if ((${#missing_build[@]})); then
  echo "setup: installing ${missing_build[*]}" >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing_build[@]}" >/dev/null
fi
# Node.js is for the dashboard, the S3 test server (s3rver) and the benchmark
# peers. A machine that already has Node.js with its own npm keeps it (Debian's
# npm package conflicts with such builds), so install only when npm is absent.
if [[ ${need_node:-} ]]; then
  $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

# The test tools are most of the download and unpacking: they install while
# the code builds (apt holds its lock; nothing else here calls it meanwhile).
tools_pid=""
tools_log=$(mktemp)
trap 'rm -f "$tools_log"' EXIT
if ((${#missing_test[@]})); then
  echo "setup: installing ${missing_test[*]} (in the background)" >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing_test[@]}" >"$tools_log" 2>&1 &
  tools_pid=$!
fi
if $test_tools; then
  (cd scripts/s3 && [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error)
fi

export CCACHE_DIR=${CCACHE_DIR:-$PWD/.ccache}
build_status=0
for preset in "${presets[@]}"; do
  cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" -j "$(nproc)" ||
    { build_status=$?; break; }
done

if [[ $tools_pid ]]; then
  if ! wait "$tools_pid"; then
    cat "$tools_log" >&2
    echo "setup: installing the test tools failed (apt-get's output above)" >&2
    exit 1
  fi
fi
exit "$build_status"
