#!/usr/bin/env bash
# Migrate benchmark: climahealth migrate vs `aws s3 sync` (Debian awscli) vs
# `rclone copy` (Debian rclone), uploading the same tree to the same S3 server
# with the same concurrency, then the no-change re-run of each.
# Usage: [ROUNDS=N] bench/migrate/run.sh ENDPOINT [SMALL_FILES] [BIG_FILES] [BIG_MIB] [JOBS]
#   defaults: 10000 small files of 1-64 KiB, 4 big files of 512 MiB, 8 jobs, 3 rounds.
#   e.g. bench/migrate/run.sh http://127.0.0.1:7480 2000 2 128 (a smaller run)
# Needs the climahealth binary (CLIMAHEALTH_BIN, default build-release/src/cli/climahealth)
# and credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (the RGW defaults below).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ENDPOINT=${1:?usage: run.sh ENDPOINT [SMALL_FILES] [BIG_FILES] [BIG_MIB] [JOBS]}
SMALL=${2:-10000}
BIG=${3:-4}
BIG_MIB=${4:-512}
JOBS=${5:-8}
ROUNDS=${ROUNDS:-3}
BIN=${CLIMAHEALTH_BIN:-build-release/src/cli/climahealth}
WORK=${BENCH_DIR:-$PWD/build-release/bench-migrate}
BUCKET=${BENCH_BUCKET:-climahealth-raw}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-CLIMAHEALTHACCESSKEY}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-climahealthSecretKey0123456789abcdefABCD}
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
# rclone cannot combine AWS_CA_BUNDLE with its own transport; the server is plain http here.
unset AWS_CA_BUNDLE AWS_PROFILE
SRC=$WORK/src
RUN=$(date +%s)

mkdir -p "$WORK"
if [[ ! -f $WORK/.tree-$SMALL-$BIG-$BIG_MIB ]]; then
  rm -rf "$SRC" && mkdir -p "$SRC/data/raw"
  /usr/bin/python3 - "$SRC/data/raw" "$SMALL" "$BIG" "$BIG_MIB" <<'PY'
import os, random, sys
root, small, big, big_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(7)
for i in range(small):
    d = os.path.join(root, "small", "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.csv" % i), "wb") as f:
        f.write(rng.randbytes(rng.randint(1024, 64 * 1024)))
chunk = rng.randbytes(1 << 20)
for i in range(big):
    with open(os.path.join(root, "big%d.bin" % i), "wb") as f:
        for j in range(big_mib):
            f.write(bytes([i, j % 256]) + chunk[2:])
PY
  rm -f "$WORK"/.tree-*  # the tree of any other shape is gone
  touch "$WORK/.tree-$SMALL-$BIG-$BIG_MIB"
  # The digest cache does not trust a file changed less than 2 s before it was
  # read (it may change again within one timestamp tick): let the fresh tree age.
  sleep 3
fi
BYTES=$(du -sb "$SRC/data/raw" | cut -f1)
echo "tree: $SMALL small files (1-64 KiB) + $BIG x $BIG_MIB MiB = $((BYTES / 1048576)) MiB; $JOBS jobs; $(nproc) cores; $ENDPOINT"

cat >"$WORK/climahealth.toml" <<TOML
[storage]
backend = "s3"
endpoint = "$ENDPOINT"
path_style = true
concurrency = $JOBS
TOML
cat >"$WORK/aws-config" <<CFG
[default]
region = us-east-1
s3 =
  max_concurrent_requests = $JOBS
  addressing_style = path
CFG
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Ceph
export RCLONE_CONFIG_BENCH_ENDPOINT=$ENDPOINT RCLONE_CONFIG_BENCH_ENV_AUTH=true
export RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true RCLONE_CONFIG=/dev/null

source bench/server_idle.sh

# timed NAME COMMAND...: runs COMMAND once the server is idle, prints
# "NAME wall client-CPU" (and the server's CPU meanwhile) and records them.
declare -A WALL CPU
timed() {
  local name=$1; shift
  settle 5 0.25
  local server_before; server_before=$(server_cpu)
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/$name.log" 2>&1 ||
    { echo "$name failed:"; tail -5 "$WORK/$name.log"; exit 1; }
  read -r wall user sys <"$WORK/time"
  WALL[$name]="${WALL[$name]:-} $wall"
  local cpu; cpu=$(/usr/bin/python3 -c "print(round($user + $sys, 2))")
  CPU[$name]="${CPU[$name]:-} $cpu"
  printf "  %-22s wall %8.2f s   client CPU %8.2f s" "$name" "$wall" "$cpu"
  if [[ -n $SERVER_PIDS ]]; then
    /usr/bin/python3 -c "
s = $(server_cpu) - $server_before
print('   server CPU %8.2f s   busy %3.0f%% of %d cores' % (s, 100 * (s + $cpu) / ($wall * $(nproc)), $(nproc)))"
  else
    echo
  fi
}

run_tool() { # run_tool TOOL PASS ROUND
  local dest=bench-$RUN-$3
  case $1 in
    climahealth)
      timed "climahealth-$2" env CLIMAHEALTH_CONFIG="$WORK/climahealth.toml" "$BIN" migrate "$SRC" \
        --map "data/raw/=$BUCKET/$dest/ch/" -j "$JOBS" --no-progress \
        --digest-cache "$WORK/digests-$RUN-$3.sqlite3" ;;
    aws)
      timed "aws-$2" env AWS_CONFIG_FILE="$WORK/aws-config" /usr/bin/aws --endpoint-url "$ENDPOINT" \
        s3 sync --only-show-errors "$SRC/data/raw" "s3://$BUCKET/$dest/aws/" ;;
    rclone)
      timed "rclone-$2" rclone copy "$SRC/data/raw" "bench:$BUCKET/$dest/rclone/" \
        --transfers "$JOBS" --checkers "$JOBS" --s3-upload-concurrency 4 ;;
  esac
}

# A fresh server is slower for whoever writes to it first, and a tool that
# follows another may meet the server still flushing: each round runs the
# tools in another order (the rotations of one cycle, then of the other), so
# from three rounds on each tool has gone first once. Ratios are of medians.
ORDERS=("climahealth aws rclone" "aws rclone climahealth" "rclone climahealth aws"
  "climahealth rclone aws" "rclone aws climahealth" "aws climahealth rclone")
cleanup_round() {
  [[ ${BENCH_KEEP:-0} == 1 ]] && return 0
  /usr/bin/aws --endpoint-url "$ENDPOINT" s3 rm --recursive --only-show-errors \
    "s3://$BUCKET/bench-$RUN-$1/" || true
  rm -f "$WORK/digests-$RUN-$1.sqlite3"*
}
for ((r = 0; r < ROUNDS; r++)); do
  order=${ORDERS[r % 6]}
  echo "== round $((r + 1)) of $ROUNDS: $order"
  for pass in first rerun; do
    for tool in $order; do run_tool "$tool" "$pass" "$r"; done
  done
  cleanup_round "$r"
done

/usr/bin/python3 - "$ROUNDS" <<PY
import statistics, sys
wall = {$(for k in "${!WALL[@]}"; do printf '"%s": [%s], ' "$k" "$(echo ${WALL[$k]} | tr ' ' ',')"; done)}
cpu = {$(for k in "${!CPU[@]}"; do printf '"%s": [%s], ' "$k" "$(echo ${CPU[$k]} | tr ' ' ',')"; done)}
med = lambda v: statistics.median(v)
print("== medians of %s round(s)" % sys.argv[1])
for pass_ in ("first", "rerun"):
    for tool in ("climahealth", "aws", "rclone"):
        k = "%s-%s" % (tool, pass_)
        print("  %-22s wall %8.2f s   client CPU %8.2f s   (runs: %s)" % (
            k, med(wall[k]), med(cpu[k]), " ".join("%.2f" % x for x in wall[k])))
print("== ratios (peer / climahealth, of medians; > 1 means climahealth is better)")
for pass_ in ("first", "rerun"):
    ours_w, ours_c = med(wall["climahealth-" + pass_]), med(cpu["climahealth-" + pass_])
    for peer in ("aws", "rclone"):
        k = "%s-%s" % (peer, pass_)
        per_round = " ".join("%.2fx" % (p / o) for p, o in zip(wall[k], wall["climahealth-" + pass_]))
        print("  %-6s %-7s wall %.2fx   CPU %.2fx   (each round: %s)" % (
            pass_, peer, med(wall[k]) / ours_w, med(cpu[k]) / ours_c, per_round))
PY
