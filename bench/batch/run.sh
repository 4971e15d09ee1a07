#!/usr/bin/env bash
# Batch benchmark: the whole `climahealth batch` (validate, clean, join,
# featurize, write) vs the same transform in plain pandas and in DuckDB SQL, on
# the same generated raw files in the same run, on the same cores.
# Usage: bench/batch/run.sh [YEARS] [DISTRICTS_PER_STATE]
#   default 40 20 (about 570 MB climate CSV); 80 20 gives > 1 GB; 1 2 is a smoke run.
# Prints wall time, peak RSS and the ratios. Environment: PEERS (default
# "pandas duckdb"; "none" for ours alone), PEER_TIMEOUT (seconds before a peer is
# stopped and its time reported as a bound), BENCH_DIR (where the data is kept).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
YEARS=${1:-40}
DISTRICTS=${2:-20}
BIN=${CLIMAHEALTH_BIN:-build-release/src/cli/climahealth}
[[ -x $BIN ]] || scripts/setup.sh release >/dev/null
(cd bench/peers && [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error)
ROOT=${BENCH_DIR:-$PWD/build-release/bench-batch}
RAW=$ROOT/raw-bucket/raw
OUT=$ROOT/peers-out

if [[ ! -f $ROOT/.years-$YEARS-$DISTRICTS ]]; then
  rm -rf "$ROOT"
  "$BIN" --store local --root "$ROOT" generate --years "$YEARS" --districts-per-state "$DISTRICTS" \
    --seed 7 --dirty >/dev/null 2>&1
  touch "$ROOT/.years-$YEARS-$DISTRICTS"
fi
MB=$(( $(stat -c %s "$RAW/climate_data.csv") / 1000000 ))
ALL=$(( $(cat "$RAW"/*.csv | wc -c) / 1000000 ))
echo "climate_data.csv: $MB MB (all raw CSVs $ALL MB), $(nproc) cores"

measure() { # name command...: prints "name seconds peak_rss_mib ok|failed"
  local name=$1; shift
  local t; t=$(mktemp)
  local result=ok
  # A peer that fails (e.g. killed for memory, or stopped after PEER_TIMEOUT
  # seconds) is reported with how far it got.
  local limit=()
  [[ $name != climahealth && -n ${PEER_TIMEOUT:-} ]] && limit=(timeout --foreground --signal=KILL "$PEER_TIMEOUT")
  /usr/bin/time -f "%e %M" -o "$t" "${limit[@]}" "$@" >/dev/null 2>&1 || result=failed
  read -r secs kib < <(grep -E '^[0-9.]+ [0-9]+$' "$t"); rm -f "$t"
  echo "$name $secs $(( kib / 1024 )) $result"
}
rm -rf "$OUT"; mkdir -p "$OUT"
results=("$(measure climahealth "$BIN" --store local --root "$ROOT" batch --force --quiet)")
[[ ${results[0]} == *" ok" ]] || { echo "climahealth batch failed" >&2; exit 1; }
# PEERS="duckdb" skips pandas (on > 1 GB it runs for most of an hour).
for peer in ${PEERS:-pandas duckdb}; do
  case $peer in
    pandas) results+=("$(measure pandas /usr/bin/python3 bench/batch/batch_pandas.py "$RAW" "$OUT/pandas")") ;;
    duckdb) mkdir -p "$OUT/duckdb"
            results+=("$(measure duckdb node bench/batch/batch_duckdb.mjs "$RAW" "$OUT/duckdb" "$(nproc)")") ;;
  esac
done

/usr/bin/python3 - "$MB" "${results[@]}" <<'PY'
import sys
mb = float(sys.argv[1])
rows = [a.split() for a in sys.argv[2:]]
print(f"{'implementation':<14} {'seconds':>8} {'climate MB/s':>13} {'peak RSS MiB':>13}")
for name, secs, rss, result in rows:
    note = "" if result == "ok" else "  FAILED (killed or error) after this time"
    print(f"{name:<14} {float(secs):8.2f} {mb / max(float(secs), 1e-3):13.1f} {int(rss):13d}{note}")
ours = float(rows[0][1])
for name, secs, rss, result in rows[1:]:
    bound = "" if result == "ok" else "at least "
    print(f"climahealth vs {name}: {bound}{float(secs) / ours:.1f}x faster, peak memory "
          f"{int(rows[0][2]) / max(int(rss), 1):.2f}x of it")
PY
