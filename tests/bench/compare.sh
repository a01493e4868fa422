#!/usr/bin/env bash
# compare.sh - hvecho's figures side by side with the reference tools, in
# one run, printed as a Markdown table (the one in README.md, Performance).
# Run by hand, not by ctest: it takes a few minutes and its figures vary
# with the machine.
#
#   TCP on 127.0.0.1:
#     latency     hvecho bench latency (64 B) vs sockperf ping-pong
#                 (--full-rtt: sockperf prints half the round trip unless
#                 told otherwise; both are round trips here)
#     throughput  hvecho bench throughput (echoed: every byte goes out and
#                 comes back) vs iperf3 one-way
#     handshakes  hvecho bench connections, sequential and 16 at once
#     idle        hvecho bench idle holding 1, 1,000 and 10,000 connections
#                 on one server: its memory (VmRSS / VmHWM from
#                 /proc/PID/status), a new client's handshake time and the
#                 echoed throughput while they are held
#   AF_VSOCK, inside the project's qemu guest (tests/guest; never on this
#   machine): hvecho bench against hvecho -s, socat and ncat as the echo
#   peer, when the guest's kernel and initramfs have been prepared
#   (ctest -R guest.prepare, or tests/guest/run-guest-tests.sh
#   --prepare-only); else that part is skipped with a note.
#
# Each TCP comparison runs the two tools in turns, --rounds times, and
# takes the median of each. The latency runs (both servers and both
# clients) share one CPU (taskset): on a VM, a wakeup across CPUs can cost
# ten times the round trip itself, and where the scheduler happens to
# place the two processes would decide the figure (--no-pin: leave it).
#
# Usage: tests/bench/compare.sh [--build-dir DIR] [--seconds N]
#                               [--rounds N] [--idle-max N] [--no-guest]
#                               [--no-pin]
# Exit status: 0 when every run worked (targets missed are shown, not
# fatal); 1 when a tool or a run failed; 2 bad usage.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=$(cd "$here/../.." && pwd)
build_dir=$src_dir/build/bench
secs=5
rounds=3
idle_max=10000
guest=1
pin=1

while [ $# -gt 0 ]; do
    case $1 in
        --build-dir) build_dir=${2:?}; shift 2 ;;
        --seconds) secs=${2:?}; shift 2 ;;
        --rounds) rounds=${2:?}; shift 2 ;;
        --idle-max) idle_max=${2:?}; shift 2 ;;
        --no-guest) guest=0; shift ;;
        --no-pin) pin=0; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
for v in "$secs" "$rounds" "$idle_max"; do
    case $v in ''|*[!0-9]*|0) echo "compare.sh: give whole numbers from 1" >&2; exit 2 ;; esac
done

hv=$build_dir/cli/hvecho
[ -x "$hv" ] || { echo "compare.sh: no $hv; build first: cmake -S . -B $build_dir -DHVECHO_GTK=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build $build_dir" >&2; exit 1; }
for t in sockperf iperf3 python3; do
    command -v "$t" >/dev/null || { echo "compare.sh: $t not found; run .ci/deps" >&2; exit 1; }
done

# The latency runs' CPU.
lat_pin=()
if [ "$pin" -eq 1 ] && command -v taskset >/dev/null; then
    lat_pin=(taskset -c "$(( $(nproc) - 1 ))")
fi

tmp=$(mktemp -d /tmp/hvecho-compare.XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" >&2; }
die() { say "compare.sh: $*"; exit 1; }

# A port the kernel just handed out on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# json FILE EXPR: a value from the last JSON line of FILE (python syntax,
# the object is r).
json() {
    python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); print(eval(sys.argv[2]))' "$1" "$2"
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() {
    python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b) if b else "-")' "$1" "$2"
}

# wait_line FILE REGEX SECONDS
wait_line() {
    local i=0
    while [ $i -lt $(( $3 * 20 )) ]; do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
        i=$(( i + 1 ))
    done
    return 1
}

# ---- the hvecho server (port 0: it reports the port) ----------------------
"$hv" -s tcp:127.0.0.1:0 --json -q --max-conns 30000 --idle-timeout 0 \
    >"$tmp/srv.json" 2>"$tmp/srv.err" &
srv=$!
pids+=("$srv")
wait_line "$tmp/srv.json" '"listening"' 10 || die "hvecho -s did not start: $(cat "$tmp/srv.err")"
hport=$(head -n 1 "$tmp/srv.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["port"])')
target=tcp:127.0.0.1:$hport
say "hvecho server: pid $srv on $target"

# ---- latency -----------------------------------------------------------------
# A server of its own, on the latency CPU like sockperf's.
"${lat_pin[@]}" "$hv" -s tcp:127.0.0.1:0 --json -q --idle-timeout 0 \
    >"$tmp/lsrv.json" 2>"$tmp/lsrv.err" &
pids+=("$!")
wait_line "$tmp/lsrv.json" '"listening"' 10 || die "hvecho -s did not start: $(cat "$tmp/lsrv.err")"
ltarget=tcp:127.0.0.1:$(head -n 1 "$tmp/lsrv.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["port"])')
sport=$(free_port)
"${lat_pin[@]}" sockperf sr --tcp -i 127.0.0.1 -p "$sport" >"$tmp/sockperf-sr.log" 2>&1 &
pids+=("$!")
sleep 1
sp=() hl=()
for r in $(seq "$rounds"); do
    say "latency round $r/$rounds: ${lat_pin[*]} sockperf pp --tcp -i 127.0.0.1 -p $sport -m 64 -t $secs --full-rtt"
    "${lat_pin[@]}" sockperf pp --tcp -i 127.0.0.1 -p "$sport" -m 64 -t "$secs" --full-rtt >"$tmp/sp.log" 2>&1 ||
        die "sockperf pp failed: $(tail -n 3 "$tmp/sp.log")"
    v=$(sed -n 's/.*percentile 50\.000 = *\([0-9.]*\).*/\1/p' "$tmp/sp.log")
    [ -n "$v" ] || die "no 50th percentile in sockperf's output"
    sp+=("$v")
    say "latency round $r/$rounds: hvecho bench latency $ltarget --size 64 --duration $secs"
    "${lat_pin[@]}" "$hv" bench latency "$ltarget" --size 64 --duration "$secs" --json >"$tmp/hl.json" ||
        die "hvecho bench latency failed: $(cat "$tmp/hl.json")"
    hl+=("$(json "$tmp/hl.json" 'r["rtt_us"]["p50"]')")
done
sp50=$(median "${sp[@]}")
hl50=$(median "${hl[@]}")
say "  sockperf p50 rtt: ${sp[*]} -> $sp50 us; hvecho: ${hl[*]} -> $hl50 us"

# ---- throughput ----------------------------------------------------------------
ip=() ht=()
for r in $(seq "$rounds"); do
    iport=$(free_port)
    iperf3 -s -B 127.0.0.1 -p "$iport" -1 >"$tmp/iperf-s.log" 2>&1 &
    ipid=$!
    sleep 0.5
    say "throughput round $r/$rounds: iperf3 -c 127.0.0.1 -p $iport -t $secs"
    iperf3 -c 127.0.0.1 -p "$iport" -t "$secs" -J >"$tmp/iperf.json" 2>&1 ||
        die "iperf3 failed: $(tail -n 5 "$tmp/iperf.json")"
    wait "$ipid" || true
    ip+=("$(python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))' "$tmp/iperf.json")")
    say "throughput round $r/$rounds: hvecho bench throughput $target --duration $secs"
    "$hv" bench throughput "$target" --duration "$secs" --json >"$tmp/ht.json" ||
        die "hvecho bench throughput failed: $(cat "$tmp/ht.json")"
    ht+=("$(json "$tmp/ht.json" '"%.3f" % r["gbit_per_s"]')")
done
ip50=$(median "${ip[@]}")
ht50=$(median "${ht[@]}")
say "  iperf3 one-way: ${ip[*]} -> $ip50 Gbit/s; hvecho echoed: ${ht[*]} -> $ht50 Gbit/s"

# ---- handshakes ------------------------------------------------------------------
say "handshakes: hvecho bench connections $target -n 5000 -P 16"
"$hv" bench connections "$target" -n 5000 -P 16 --json >"$tmp/hc.json" ||
    die "hvecho bench connections failed: $(cat "$tmp/hc.json")"
hc_seq=$(head -n 1 "$tmp/hc.json" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.0f %.0f %.0f" % (r["handshakes_per_s"], r["connect_us"]["p50"], r["handshake_us"]["p50"]))')
hc_par=$(tail -n 1 "$tmp/hc.json" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.0f %.0f %.0f" % (r["handshakes_per_s"], r["connect_us"]["p50"], r["handshake_us"]["p50"]))')

# ---- idle connections ----------------------------------------------------------
rss() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
idle_rows=()
idle_list=()
for n in 1 1000 "$idle_max"; do
    [ "$n" -le "$idle_max" ] || continue
    case " ${idle_list[*]} " in *" $n "*) continue ;; esac
    idle_list+=("$n")
done
for n in "${idle_list[@]}"; do
    say "idle $n: hvecho bench idle $target -n $n (held until SIGTERM)"
    "$hv" bench idle "$target" -n "$n" -t 30 --json >"$tmp/idle.json" 2>"$tmp/idle.err" &
    ipid=$!
    pids+=("$ipid")
    wait_line "$tmp/idle.json" '"holding"' 120 || die "bench idle $n never held: $(cat "$tmp/idle.err")"
    sleep 1
    held=$(ls "/proc/$srv/fd" | wc -l)
    say "  server descriptors: $held"
    "$hv" bench connections "$target" -n 200 -P 1 --json >"$tmp/idle-hs.json" ||
        die "handshakes with $n idle failed: $(cat "$tmp/idle-hs.json")"
    hs=$(json "$tmp/idle-hs.json" '"%.2f %.2f %.2f" % (r["handshake_us"]["p50"]/1000, r["handshake_us"]["p99"]/1000, r["handshake_us"]["max"]/1000)')
    "$hv" bench throughput "$target" --duration "$secs" --json >"$tmp/idle-tp.json" ||
        die "throughput with $n idle failed: $(cat "$tmp/idle-tp.json")"
    tp=$(json "$tmp/idle-tp.json" '"%.3f" % r["gbit_per_s"]')
    mem="$(rss "$srv" VmRSS) $(rss "$srv" VmHWM)"
    kill -TERM "$ipid"
    rc=0
    wait "$ipid" || rc=$?
    [ "$rc" -eq 0 ] || die "bench idle $n: exit $rc: $(cat "$tmp/idle.json" "$tmp/idle.err")"
    ok=$(json "$tmp/idle.json" 'r["ok"]')
    [ "$ok" -eq "$n" ] || die "bench idle $n: only $ok closed with the bye"
    say "  handshake ms p50/p99/max: $hs; echoed Gbit/s: $tp; server RSS/HWM MiB: $mem"
    idle_rows+=("$n $hs $tp $mem")
done

# ---- AF_VSOCK in the qemu guest ----------------------------------------------
guest_rows=()
guest_note=""
if [ "$guest" -eq 1 ]; then
    if bash "$here/guest-bench.sh" --build-dir "$build_dir" --seconds 3 >"$tmp/guest.out" 2>"$tmp/guest.err"; then
        mapfile -t guest_rows < <(grep '^|' "$tmp/guest.out")
    else
        guest_note=$(tail -n 1 "$tmp/guest.err")
    fi
else
    guest_note="skipped (--no-guest)"
fi

# ---- the table ------------------------------------------------------------------
lat_ratio=$(ratio "$hl50" "$sp50")
tp_ratio=$(ratio "$ht50" "$ip50")
read -r seq_rate seq_conn seq_hs <<<"$hc_seq"
read -r par_rate par_conn par_hs <<<"$hc_par"
cores=$(nproc)
echo
pinned="latency runs not pinned"
[ ${#lat_pin[@]} -eq 0 ] || pinned="latency runs on CPU ${lat_pin[2]}"
echo "hvecho $("$hv" --version | awk '{print $2}'), $(uname -sr), $cores CPU(s) ($pinned); TCP 127.0.0.1; medians of $rounds rounds of $secs s"
echo
echo "| measure | hvecho | reference | ratio | target |"
echo "|---|---:|---:|---:|---|"
echo "| latency, 64 B, round trip p50 | $hl50 µs | sockperf $sp50 µs | $lat_ratio | ≤ 1.05 |"
echo "| throughput (hvecho: echoed, each byte both ways) | $ht50 Gbit/s | iperf3 one-way $ip50 Gbit/s | $tp_ratio | ≥ 0.50 |"
echo "| handshakes one after another | $seq_rate /s (connect p50 $seq_conn µs, handshake p50 $seq_hs µs) | | | |"
echo "| handshakes 16 at once | $par_rate /s (connect p50 $par_conn µs, handshake p50 $par_hs µs) | | | |"
base_tp=""
for row in "${idle_rows[@]}"; do
    read -r n p50 p99 mx tp rssm hwm <<<"$row"
    [ -n "$base_tp" ] || base_tp=$tp
    echo "| $n idle connections held: new handshake p50 / p99 / max | $p50 / $p99 / $mx ms | | | < 10 ms |"
    echo "| $n idle connections held: server VmRSS (VmHWM) | $rssm MiB ($hwm MiB) | | | < 64 MiB |"
    echo "| $n idle connections held: echoed throughput | $tp Gbit/s | with 1 idle: $base_tp | $(ratio "$tp" "$base_tp") | no fall |"
done
for row in "${guest_rows[@]}"; do
    echo "$row"
done
if [ -n "$guest_note" ]; then
    echo
    echo "AF_VSOCK (qemu guest): $guest_note"
fi
echo
flags=""
[ "$guest" -eq 1 ] || flags+=" --no-guest"
[ "$pin" -eq 1 ] || flags+=" --no-pin"
echo "Command: tests/bench/compare.sh --build-dir $build_dir --seconds $secs --rounds $rounds --idle-max $idle_max$flags"
