#!/usr/bin/env bash
# CSV load benchmark: climahealth vs pandas.read_csv vs DuckDB's read_csv, on the
# same generated raw/climate_data.csv in the same run, on the same cores.
# Usage: bench/run.sh [YEARS] [DISTRICTS_PER_STATE] [RUNS]
#   defaults 40 20 3 (about 570 MB of climate CSV); bench/run.sh 1 2 1 is a smoke run.
# Prints MB/s and peak RSS for each loader (best of RUNS, the loaders taking
# turns) and the ratios.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
YEARS=${1:-40}
DISTRICTS=${2:-20}
RUNS=${3:-3}

scripts/setup.sh release >/dev/null
(cd bench/peers && [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error)
BIN=build-release/src/cli/climahealth
LOAD=build-release/bench/bench_csv_load
ROOT=${BENCH_DIR:-$PWD/build-release/bench-store}
FILE=$ROOT/raw-bucket/raw/climate_data.csv

if [[ ! -f $ROOT/.years-$YEARS-$DISTRICTS ]]; then
  rm -rf "$ROOT"
  "$BIN" --store local --root "$ROOT" generate --years "$YEARS" --districts-per-state "$DISTRICTS" --seed 7 >/dev/null
  touch "$ROOT/.years-$YEARS-$DISTRICTS"
fi
MB=$(( $(stat -c %s "$FILE") / 1000000 ))
echo "climate_data.csv: $MB MB, $(nproc) cores, best of $RUNS runs"
rm -f "$ROOT"/runs-*.jsonl

# The loaders take turns, so a change in the machine's speed (it shares its
# host) lands on all three alike. What a load finds also depends on the load
# before it: this VM hands freed memory back to its host about 2 s after a
# process frees it, and a first touch of such memory is a host fault. So the
# rounds alternate between the two cyclic orders, and from three rounds on
# each loader has followed each of the others (a plain rotation kept each
# loader behind the same one).
ORDERS=("ours pandas duckdb" "ours duckdb pandas")
load() {
  case $1 in
    ours) "$LOAD" "$ROOT" raw-bucket raw/climate_data.csv 2 ;;
    pandas) /usr/bin/python3 bench/peers/csv_load_pandas.py "$FILE" ;;
    duckdb) node bench/peers/csv_load_duckdb.mjs "$FILE" 2 ;;
  esac
}
for ((r = 0; r < RUNS; r++)); do
  for name in ${ORDERS[r % 2]}; do
    load "$name" >>"$ROOT/runs-$name.jsonl"
  done
done
best() { # loader: the JSON line with the least seconds of its runs
  /usr/bin/python3 -c 'import sys,json; r=[json.loads(l) for l in open(sys.argv[1])]; print(json.dumps(min(r,key=lambda x:x["seconds"])))' "$ROOT/runs-$1.jsonl"
}
for name in ours pandas duckdb; do # every run, in order, to show the spread
  /usr/bin/python3 -c 'import sys,json; print(sys.argv[2], "runs (s):", *["%.2f" % json.loads(l)["seconds"] for l in open(sys.argv[1])])' "$ROOT/runs-$name.jsonl" "$name"
done
ours=$(best ours)
pandas=$(best pandas)
duckdb=$(best duckdb)
rm -f "$ROOT"/runs-*.jsonl

/usr/bin/python3 - "$MB" "$ours" "$pandas" "$duckdb" <<'PY'
import json, sys
mb = float(sys.argv[1])
rows = [json.loads(a) for a in sys.argv[2:]]
ours = rows[0]
print(f"{'loader':<34} {'seconds':>8} {'MB/s':>8} {'rows':>10} {'peak RSS MiB':>13}")
for r in rows:
    print(f"{r['peer']:<34} {r['seconds']:8.2f} {mb / r['seconds']:8.0f} {r['rows']:10d} {r['peak_rss_mib']:13.0f}")
for r in rows[1:]:
    print(f"climahealth vs {r['peer']}: {r['seconds'] / ours['seconds']:.1f}x faster, "
          f"peak memory {ours['peak_rss_mib'] / r['peak_rss_mib']:.2f}x of it")
if len({r['rows'] for r in rows}) != 1:
    sys.exit("row counts differ between loaders")
PY
