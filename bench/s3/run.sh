#!/usr/bin/env bash
# S3 transfer benchmark against one Ceph RGW in one run: `climahealth store cp`
# vs `aws s3 cp` (Debian's /usr/bin/aws) vs boto3 upload_file/download_file, at the
# same concurrency and part size, each command as a user types it (-r/--recursive
# for the small files). Prints wall time, throughput, client CPU s/GiB (user+sys
# of the client process, from /usr/bin/time) and ratios. Every case runs
# ROUNDS times (default 3) for each tool, interleaved, each once the server is
# idle (bench/server_idle.sh); figures are medians.
# Usage: bench/s3/run.sh BIN ENDPOINT [BIG_MIB] [SMALL_COUNT] [CONCURRENCY] [PART_MIB]
#   BIN: the built climahealth binary; defaults 1024 MiB, 2000 × 64 KiB, 8, 16 MiB.
# Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default: the test RGW user).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BIN=${1:?usage: run.sh BIN ENDPOINT [BIG_MIB] [SMALL_COUNT] [CONCURRENCY] [PART_MIB]}
EP=${2:?endpoint, e.g. http://127.0.0.1:17480}
BIG=${3:-1024}
SMALL=${4:-2000}
CONC=${5:-8}
PART=${6:-16}
ROUNDS=${ROUNDS:-3}
BUCKET=climahealth-raw
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-CLIMAHEALTHACCESSKEY}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-climahealthSecretKey0123456789abcdefABCD}
export AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_CA_BUNDLE
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat >"$W/awsconfig" <<CFG
[default]
s3 =
  max_concurrent_requests = $CONC
  multipart_threshold = ${PART}MB
  multipart_chunksize = ${PART}MB
CFG
export AWS_CONFIG_FILE=$W/awsconfig AWS_SHARED_CREDENTIALS_FILE=/dev/null
cat >"$W/climahealth.toml" <<TOML
[storage]
backend = "s3"
endpoint = "$EP"
path_style = true
concurrency = $CONC
part_size = $((PART << 20))
multipart_threshold = $((PART << 20))
TOML
export CLIMAHEALTH_CONFIG=$W/climahealth.toml
head -c $((BIG << 20)) /dev/urandom >"$W/big.bin"
mkdir "$W/small"
for i in $(seq 1 "$SMALL"); do head -c 65536 /dev/urandom >"$W/small/f$i"; done
RUN=bench-$$-$RANDOM
AWS=(/usr/bin/aws --endpoint-url "$EP" --only-show-errors)

source bench/server_idle.sh
measure() { # label bytes command... → one JSON line, once the server is idle
  local label=$1 bytes=$2; shift 2
  settle 2 0.1
  local server_before; server_before=$(server_cpu)
  /usr/bin/time -f '%e %U %S %M' -o "$W/t" "$@" >/dev/null
  read -r wall user sys rss <"$W/t"
  local server; server=$(/usr/bin/python3 -c "print(round($(server_cpu) - $server_before, 2))")
  echo "{\"case\":\"$label\",\"bytes\":$bytes,\"wall\":$wall,\"cpu\":$(awk "BEGIN{print $user + $sys}"),\"rss_kib\":$rss,\"server\":$server}"
}
BIGB=$((BIG << 20))
SMALLB=$((SMALL * 65536))
PY=(/usr/bin/python3 bench/s3/boto3_transfer.py "$EP" "$BUCKET")
# run_case TOOL CASE ROUND: one command as a user types it.
run_case() {
  local tool=$1 what=$2 p=$RUN/$1/$3 d=$W/sd-$1-$3
  case $tool/$what in
    climahealth/big-up) measure "$tool big up" $BIGB "$BIN" store cp "$W/big.bin" "s3://$BUCKET/$p/big" ;;
    climahealth/big-down) measure "$tool big down" $BIGB "$BIN" store cp "s3://$BUCKET/$p/big" "$W/big.out" ;;
    climahealth/small-up) measure "$tool small up" $SMALLB "$BIN" store cp -r "$W/small" "s3://$BUCKET/$p/small" ;;
    climahealth/small-down) measure "$tool small down" $SMALLB "$BIN" store cp -r "s3://$BUCKET/$p/small/" "$d" ;;
    awscli/big-up) measure "$tool big up" $BIGB "${AWS[@]}" s3 cp "$W/big.bin" "s3://$BUCKET/$p/big" ;;
    awscli/big-down) measure "$tool big down" $BIGB "${AWS[@]}" s3 cp "s3://$BUCKET/$p/big" "$W/big.out" ;;
    awscli/small-up) measure "$tool small up" $SMALLB "${AWS[@]}" s3 cp --recursive "$W/small" "s3://$BUCKET/$p/small" ;;
    awscli/small-down) measure "$tool small down" $SMALLB "${AWS[@]}" s3 cp --recursive "s3://$BUCKET/$p/small/" "$d" ;;
    boto3/big-up) measure "$tool big up" $BIGB "${PY[@]}" put "$W/big.bin" "$p/big" "$CONC" "$PART" ;;
    boto3/big-down) measure "$tool big down" $BIGB "${PY[@]}" get "$W/big.out" "$p/big" "$CONC" "$PART" ;;
    boto3/small-up) measure "$tool small up" $SMALLB "${PY[@]}" put "$W/small" "$p/small" "$CONC" "$PART" ;;
    boto3/small-down) measure "$tool small down" $SMALLB "${PY[@]}" get "$d" "$p/small/" "$CONC" "$PART" ;;
  esac
  if [[ $what == big-down ]]; then
    cmp -s "$W/big.bin" "$W/big.out" || { echo "$tool: big download differs" >&2; exit 1; }
    rm -f "$W/big.out"
  fi
}
# Each case runs for the three tools back to back, the order turning every
# round, so a change in the machine's speed (it shares its host) lands on all
# three alike rather than on whichever tool's block it happened in.
TOOLS=(climahealth awscli boto3)
{
  for ((r = 0; r < ROUNDS; r++)); do
    for what in big-up big-down small-up small-down; do
      for ((t = 0; t < 3; t++)); do run_case "${TOOLS[(t + r) % 3]}" $what $r; done
    done
    # The round's objects go before the next round; the server reclaims their space meanwhile.
    "${AWS[@]}" s3 rm --recursive "s3://$BUCKET/$RUN/" >/dev/null
  done
} >"$W/results"
/usr/bin/python3 - "$W/results" "$BIG" "$SMALL" "$CONC" "$PART" "$ROUNDS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rounds = int(sys.argv[6])
print(f"S3 transfer on one RGW: {sys.argv[2]} MiB object, {sys.argv[3]} x 64 KiB, "
      f"concurrency {sys.argv[4]}, part {sys.argv[5]} MiB; median of {rounds} rounds")
runs = {}
for r in rows:
    runs.setdefault(r["case"], []).append(r)
med = lambda case, key: statistics.median(r[key] for r in runs[case])
print(f"{'case':24} {'wall s':>8} {'MiB/s':>8} {'CPU s/GiB':>10} {'peak RSS MiB':>13} "
      f"{'server CPU s':>12}   CPU s/GiB of each round")
for tool in ("climahealth", "awscli", "boto3"):
    for what in ("big up", "big down", "small up", "small down"):
        case = f"{tool} {what}"
        gib = runs[case][0]["bytes"] / 2**30
        each = " ".join(f"{r['cpu'] / gib:.2f}" for r in runs[case])
        print(f"{case:24} {med(case, 'wall'):8.2f} {runs[case][0]['bytes'] / 2**20 / med(case, 'wall'):8.1f} "
              f"{med(case, 'cpu') / gib:10.2f} {max(r['rss_kib'] for r in runs[case]) / 1024:13.1f} "
              f"{med(case, 'server'):12.2f}   {each}")
print("ratios of the medians (peer / climahealth; > 1 means climahealth is better),"
      " then the range of the rounds' own ratios")
for what in ("big up", "big down", "small up", "small down"):
    ours = runs[f"climahealth {what}"]
    for peer in ("awscli", "boto3"):
        theirs = runs[f"{peer} {what}"]
        def ratio(key):
            whole = med(f"{peer} {what}", key) / med(f"climahealth {what}", key)
            each = [t[key] / o[key] for o, t in zip(ours, theirs)]
            return f"x{whole:.2f} ({min(each):.2f}-{max(each):.2f})"
        print(f"  {what:11} vs {peer:7}: wall {ratio('wall'):20} CPU {ratio('cpu')}")
PY
