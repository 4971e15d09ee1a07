#!/usr/bin/env bash
# S3 transfer benchmark against one Ceph RGW in one run: `climahealth store cp`
# vs `aws s3 cp` (Debian's /usr/bin/aws) vs boto3 upload_file/download_file, at the
# same concurrency and part size, each command as a user types it (-r/--recursive
# for the small files). Prints wall time, throughput, client CPU s/GiB (user+sys
# of the client process, from /usr/bin/time) and ratios.
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

measure() { # label bytes command... → one JSON line
  local label=$1 bytes=$2; shift 2
  /usr/bin/time -f '%e %U %S %M' -o "$W/t" "$@" >/dev/null
  read -r wall user sys rss <"$W/t"
  echo "{\"case\":\"$label\",\"bytes\":$bytes,\"wall\":$wall,\"cpu\":$(awk "BEGIN{print $user + $sys}"),\"rss_kib\":$rss}"
}
BIGB=$((BIG << 20))
SMALLB=$((SMALL * 65536))
{
  for tool in climahealth awscli boto3; do
    p=$RUN/$tool
    case $tool in
      climahealth)
        CH=("$BIN" store cp)
        measure "$tool big up" $BIGB "${CH[@]}" "$W/big.bin" "s3://$BUCKET/$p/big"
        measure "$tool big down" $BIGB "${CH[@]}" "s3://$BUCKET/$p/big" "$W/big.out"
        measure "$tool small up" $SMALLB "${CH[@]}" -r "$W/small" "s3://$BUCKET/$p/small"
        measure "$tool small down" $SMALLB "${CH[@]}" -r "s3://$BUCKET/$p/small/" "$W/sd-$tool" ;;
      awscli)
        measure "$tool big up" $BIGB "${AWS[@]}" s3 cp "$W/big.bin" "s3://$BUCKET/$p/big"
        measure "$tool big down" $BIGB "${AWS[@]}" s3 cp "s3://$BUCKET/$p/big" "$W/big.out"
        measure "$tool small up" $SMALLB "${AWS[@]}" s3 cp --recursive "$W/small" "s3://$BUCKET/$p/small"
        measure "$tool small down" $SMALLB "${AWS[@]}" s3 cp --recursive "s3://$BUCKET/$p/small/" "$W/sd-$tool" ;;
      boto3)
        PY=(/usr/bin/python3 bench/s3/boto3_transfer.py "$EP" $BUCKET)
        measure "$tool big up" $BIGB "${PY[@]}" put "$W/big.bin" "$p/big" "$CONC" "$PART"
        measure "$tool big down" $BIGB "${PY[@]}" get "$W/big.out" "$p/big" "$CONC" "$PART"
        measure "$tool small up" $SMALLB "${PY[@]}" put "$W/small" "$p/small" "$CONC" "$PART"
        measure "$tool small down" $SMALLB "${PY[@]}" get "$W/sd-$tool" "$p/small/" "$CONC" "$PART" ;;
    esac
    cmp -s "$W/big.bin" "$W/big.out" || { echo "$tool: big download differs" >&2; exit 1; }
    rm -f "$W/big.out"
  done
} >"$W/results"
"${AWS[@]}" s3 rm --recursive "s3://$BUCKET/$RUN/" >/dev/null
/usr/bin/python3 - "$W/results" "$BIG" "$SMALL" "$CONC" "$PART" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"S3 transfer on one RGW: {sys.argv[2]} MiB object, {sys.argv[3]} x 64 KiB, "
      f"concurrency {sys.argv[4]}, part {sys.argv[5]} MiB")
by = {r["case"]: r for r in rows}
print(f"{'case':28} {'wall s':>8} {'MiB/s':>8} {'CPU s/GiB':>10} {'peak RSS MiB':>13}")
for r in rows:
    gib = r["bytes"] / 2**30
    print(f"{r['case']:28} {r['wall']:8.2f} {r['bytes'] / 2**20 / r['wall']:8.1f} "
          f"{r['cpu'] / gib:10.2f} {r['rss_kib'] / 1024:13.1f}")
print("ratios (peer / climahealth; > 1 means climahealth is better)")
for what in ("big up", "big down", "small up", "small down"):
    ours = by[f"climahealth {what}"]
    for peer in ("awscli", "boto3"):
        p = by[f"{peer} {what}"]
        cpu = p["cpu"] / ours["cpu"] if ours["cpu"] else float("inf")
        print(f"  {what:11} vs {peer:7}: wall x{p['wall'] / ours['wall']:.2f}  CPU x{cpu:.2f}")
PY
