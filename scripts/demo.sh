#!/usr/bin/env bash
# The main job, end to end on the local store: set up, build, generate demo
# data into ./var/store, clean and join it, train the models, predict, and
# serve the API and dashboard on http://127.0.0.1:8080 until Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh release
scripts/web-build.sh
BIN=build-release/src/cli/climahealth
export CLIMAHEALTH_STORE=${CLIMAHEALTH_STORE:-local}
export CLIMAHEALTH_STORAGE_ROOT=${CLIMAHEALTH_STORAGE_ROOT:-$PWD/var/store}

echo "== generate demo data (3 years, 36 states and union territories, 2 districts each)"
"$BIN" generate --years 3 --districts-per-state 2 --seed 42
echo "== batch: validate, clean, join and build features"
"$BIN" batch
echo "== train the risk and forecast models"
"$BIN" train
echo "== predict risk, forecast cases, raise alerts for the latest date"
"$BIN" predict
"$BIN" forecast
"$BIN" alerts
echo "== store contents"
"$BIN" store du
echo "== serving the API and dashboard (Ctrl-C stops it)"
exec "$BIN" serve --host "${CLIMAHEALTH_HOST:-127.0.0.1}" --port "${CLIMAHEALTH_PORT:-8080}" \
  --static web/dist
