#!/usr/bin/env bash
# soak.sh - run by hand, not by ctest: `hvecho probe --every 100ms` against
# a local `hvecho -s` for a while (default 10 minutes), writing a textfile
# each round, and shows the probe's RSS and open descriptors at the start
# and at the end, so a leak per probe would show as growth, and the
# probe's CPU time per probe.
#
#   tests/fleet/soak.sh [--hvecho PATH] [--seconds N] [--every DURATION]
#
# Linux only (reads /proc). Both processes are started and stopped here,
# on 127.0.0.1 with a free port and a temporary directory.
set -euo pipefail

hvecho=build/default/cli/hvecho
seconds=600
every=100ms
while [ $# -gt 0 ]; do
  case $1 in
    --hvecho) hvecho=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$hvecho" ] || { echo "soak.sh: no hvecho at $hvecho (build first, or --hvecho)" >&2; exit 2; }

dir=$(mktemp -d)
server_pid=
probe_pid=
cleanup() {
  [ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$hvecho" -s "tcp:127.0.0.1:$port" -q > "$dir/server.log" 2>&1 &
server_pid=$!
sleep 0.5
"$hvecho" probe "tcp:127.0.0.1:$port" --every "$every" -q \
  --textfile "$dir/hvecho.prom" > "$dir/probe.log" 2>&1 &
probe_pid=$!

sample() { # pid -> "VmRSS kB, fds": the fewest descriptors of 20 looks
  # over 2 s (a probe in flight holds 4 more: socket, poller, waker pipe)
  local rss fds n i
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status")
  fds=
  for i in $(seq 20); do
    n=$(ls "/proc/$1/fd" | wc -l)
    if [ -z "$fds" ] || [ "$n" -lt "$fds" ]; then fds=$n; fi
    sleep 0.1
  done
  echo "rss_kib=$rss fds=$fds"
}
cpu_ms() { # pid -> user + system CPU time in ms
  awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"
}
probes() {
  awk '/^hvecho_probes_total/ {print $2}' "$dir/hvecho.prom" 2>/dev/null || echo 0
}

sleep 5
echo "hvecho $("$hvecho" --version | cut -d' ' -f2), every $every for $seconds s against tcp:127.0.0.1:$port"
echo "start (5 s):  probe $(sample $probe_pid)  server $(sample $server_pid)  probes=$(probes)"
sleep $((seconds - 5))
n=$(probes)
cpu=$(cpu_ms $probe_pid)
echo "end ($seconds s): probe $(sample $probe_pid)  server $(sample $server_pid)  probes=$n"
echo "probe CPU: $cpu ms in all, $(awk -v c="$cpu" -v n="$n" 'BEGIN {printf "%.3f", c / n}') ms per probe (with the textfile written each round)"
grep -E '^hvecho_probe_(success|failures_total)' "$dir/hvecho.prom" || true
echo "failures printed by the probe: $(wc -l < "$dir/probe.log")"
