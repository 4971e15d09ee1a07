#!/usr/bin/env bash
# Model benchmarks, climahealth beside its Python peers, with ratios:
#  1. cold start to first saved prediction for all locations: a new
#     `climahealth predict` process vs python_handler.py (boto3 + pandas +
#     xgboost), both on the same local store (models and features in it);
#  2. prediction throughput of the same booster on 1M feature rows, and on
#     batches of 1, 10 and 100 rows, vs Python xgboost's predict.
#
#   bench/models/run.sh [BUILD_DIR] [--districts-per-state K] [--runs N]
set -euo pipefail

build=build
districts=3
runs=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --districts-per-state) districts="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) build="$1"; shift ;;
  esac
done
bin="$build/src/cli/climahealth"
throughput="$build/bench/models/bench_predict_throughput"
py=/usr/bin/python3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CLIMAHEALTH_STORE=local CLIMAHEALTH_STORAGE_ROOT="$work/store"
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 CLIMAHEALTH_CONFIG || true

echo "== setup: generate --years 2 --districts-per-state $districts, batch, train (40 rounds)" >&2
"$bin" generate --years 2 --districts-per-state "$districts" >/dev/null 2>&1
"$bin" batch >/dev/null 2>&1
"$bin" train --rounds 40 --folds 1 --fold-days 60 >/dev/null 2>&1  # predict speed, not model quality

now_ms() { date +%s%3N; }
best() { sort -n | head -1; }

echo "== cold start to first saved prediction (best of $runs, ms)" >&2
for _ in $(seq "$runs"); do
  t0=$(now_ms); "$bin" predict >/dev/null 2>&1; echo $(( $(now_ms) - t0 ))
done | best > "$work/c.ms"
for _ in $(seq "$runs"); do
  t0=$(now_ms)
  "$py" "$(dirname "$0")/python_handler.py" "$work/store" processed-bucket models-bucket 2>/dev/null
  echo $(( $(now_ms) - t0 ))
done | best > "$work/p.ms"
c=$(cat "$work/c.ms"); p=$(cat "$work/p.ms")
echo "cold start: climahealth ${c} ms, python ${p} ms, ratio $(awk "BEGIN{printf \"%.1f\", $p/$c}")x"

if [[ -x "$throughput" ]]; then
  echo "== prediction throughput (rows/s)" >&2
  "$throughput" "$work" 1000000 > "$work/c.json"
  "$py" "$(dirname "$0")/predict_throughput.py" "$work" > "$work/p.json"
  "$py" - "$work/c.json" "$work/p.json" <<'PY'
import json, sys
c, p = (json.load(open(f)) for f in sys.argv[1:3])
print(f"bulk 1M rows: climahealth {c['bulk_rows_per_s']:.0f}/s, python {p['bulk_rows_per_s']:.0f}/s, "
      f"ratio {c['bulk_rows_per_s'] / p['bulk_rows_per_s']:.2f}x")
for b in (1, 10, 100):
    k = f"batch{b}_rows_per_s"
    ki = f"batch{b}_inplace_rows_per_s"
    print(f"batch {b:3d}: climahealth {c[k]:.0f}/s, python predict {p[k]:.0f}/s "
          f"({c[k] / p[k]:.1f}x), python inplace_predict {p[ki]:.0f}/s ({c[k] / p[ki]:.1f}x)")
PY
else
  echo "(throughput: $throughput not built; configure with -DCH_BUILD_BENCH=ON)" >&2
fi
