# shellcheck shell=bash
# Sourced by the S3 benchmarks: reads the CPU time of the S3 server's
# processes (SERVER_PIDS, default: the local Ceph daemons), never touching them.
# On a machine shared with the server, client and server together cannot use
# more than the cores for the wall time, and a server still busy with earlier
# work (RGW reclaims deleted objects' data 30 s and more after the delete, and
# flushes what it was just sent) slows whichever tool runs next.
SERVER_PIDS=${SERVER_PIDS:-$(pgrep -d ' ' -x 'radosgw|ceph-osd|ceph-mon' || true)}

server_cpu() { # user+sys seconds of SERVER_PIDS so far
  local ticks=0 pid
  for pid in $SERVER_PIDS; do
    [[ -r /proc/$pid/stat ]] || continue
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  /usr/bin/python3 -c "print($ticks / $(getconf CLK_TCK))"
}

# settle [WINDOW_S] [MAX_CPU_S]: waits (up to 3 minutes) until the server used
# less than MAX_CPU_S (default 0.25) CPU seconds in WINDOW_S (default 5) seconds.
settle() {
  [[ -n $SERVER_PIDS ]] || return 0
  local window=${1:-5} most=${2:-0.25} waited=0 before
  while ((waited < 180)); do
    before=$(server_cpu)
    sleep "$window"
    waited=$((waited + window))
    /usr/bin/python3 -c "import sys; sys.exit($(server_cpu) - $before >= $most)" && return 0
  done
  echo "  (the server did not settle in 3 minutes; measuring anyway)" >&2
}
