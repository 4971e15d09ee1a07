#!/usr/bin/env bash
# Installs what climahealth needs from Debian's packages (only what is missing,
# so a second run takes a second) and builds the given CMake preset.
# Usage: scripts/setup.sh [PRESET ...]   (default: default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git curl
  libssl-dev zlib1g-dev libzstd-dev libcurl4-openssl-dev libpugixml-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy python3 python3-pandas python3-boto3 python3-botocore awscli
  ceph-mon ceph-osd radosgw ceph-common uuid-runtime
  libxgboost-dev python3-xgboost libboost-dev libcpp-httplib-dev
  wrk rclone chromium python3-yaml python3-fastapi python3-uvicorn
)

SUDO=""
[[ $(id -u) == 0 ]] || SUDO="sudo"
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js is for the dashboard, the S3 test server (s3rver) and the benchmark
# peers. A machine that already has Node.js with its own npm keeps it (Debian's
# npm package conflicts with such builds), so install only when npm is absent.
if ! command -v npm >/dev/null; then
  DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq nodejs npm >/dev/null
fi
(cd scripts/s3 && [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error)

export CCACHE_DIR=${CCACHE_DIR:-$PWD/.ccache}
presets=("$@")
((${#presets[@]})) || presets=(default)
for preset in "${presets[@]}"; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
done
