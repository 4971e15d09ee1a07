#!/usr/bin/env bash
# climahealth serve vs the same endpoints in FastAPI + uvicorn + pandas (fastapi_app.py),
# over the same local store, in the same run: wrk 10 s, 2 threads, 64 connections each.
# Usage: bench/api/run.sh [path/to/climahealth]   (default: build/src/cli/climahealth)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/build/src/cli/climahealth}
duration=${DURATION:-10s}
python=/usr/bin/python3
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

export CLIMAHEALTH_STORAGE_ROOT=$work/store CLIMAHEALTH_STORE=local
"$bin" generate --years 1 --seed 7 >/dev/null 2>&1
"$bin" batch >/dev/null 2>&1
# A prediction document like the predict job's (docs/DATA.md), for every location.
"$python" - "$work/risk.json" <<'PY'
import csv, json, os, sys
root = os.environ["CLIMAHEALTH_STORAGE_ROOT"]
with open(os.path.join(root, "raw-bucket/raw/locations.csv")) as f:
    codes = [r["location_code"] for r in csv.DictReader(f)]
rows = [{"location_code": c, "disease": d, "risk_score": 0.42, "risk_level": "moderate",
         "probabilities": {"low": 0.3, "moderate": 0.4, "high": 0.2, "severe": 0.1}}
        for c in codes for d in ["dengue", "malaria", "heat_illness", "respiratory", "diarrhoea"]]
doc = {"kind": "predictions", "date": "2015-12-31", "generated_at": "2016-01-01T00:00:00Z",
       "models": {"risk_dengue": "bench"}, "input": {"manifest": "processed/manifest.json"},
       "predictions": rows}
json.dump(doc, open(sys.argv[1], "w"))
PY
"$bin" store cp "$work/risk.json" s3://processed/predictions/2015-12-31/risk.json >/dev/null

"$bin" serve --port 18090 >/dev/null 2>"$work/serve.log" & pids+=($!)
(cd "$here" && "$python" -m uvicorn fastapi_app:app --host 127.0.0.1 --port 18091 \
   --log-level warning) & pids+=($!)
for port in 18090 18091; do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/api/predictions/latest" >/dev/null && break; sleep 0.2; done
done

measure() {  # url -> "req/s p50_ms p99_ms"
  wrk -t2 -c64 -d"$duration" --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%s %s %s %s\n", rps, p50, p99, bad + 0 }'
}

printf "%-28s %-10s %12s %10s %10s %8s\n" endpoint server req/s p50_ms p99_ms non2xx
for path in "/api/climate?location=KA" "/api/predictions/latest"; do
  read -r c_rps c_p50 c_p99 c_bad < <(measure "http://127.0.0.1:18090$path")
  read -r f_rps f_p50 f_p99 f_bad < <(measure "http://127.0.0.1:18091$path")
  printf "%-28s %-10s %12.0f %10.2f %10.2f %8s\n" "$path" climahealth "$c_rps" "$c_p50" "$c_p99" "$c_bad"
  printf "%-28s %-10s %12.0f %10.2f %10.2f %8s\n" "$path" fastapi "$f_rps" "$f_p50" "$f_p99" "$f_bad"
  awk -v a="$c_rps" -v b="$f_rps" -v c="$c_p99" -v d="$f_p99" \
    'BEGIN { printf "  ratio: %.1fx the requests/s, p99 %.3f of FastAPI'"'"'s\n", a / b, c / d }'
done
