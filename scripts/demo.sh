#!/usr/bin/env bash
# The main job, end to end on the local store: set up, build, generate demo
# data into ./var/store, and show what the store holds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh release
BIN=build-release/src/cli/climahealth
export CLIMAHEALTH_STORE=${CLIMAHEALTH_STORE:-local}
export CLIMAHEALTH_STORAGE_ROOT=${CLIMAHEALTH_STORAGE_ROOT:-$PWD/var/store}

echo "== generate demo data (3 years, 36 states and union territories, 2 districts each)"
"$BIN" generate --years 3 --districts-per-state 2 --seed 42
echo "== store contents"
"$BIN" store ls s3://raw/raw/
"$BIN" store du
