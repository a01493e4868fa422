#!/usr/bin/env bash
# valgrind-handshake.sh VALGRIND HVECHO - memcheck of a real handshake:
# the server (-s on 127.0.0.1, port 0) and the client (-c, 3 handshakes)
# both under valgrind; then a server stopped by SIGTERM with a client
# mid-way. Any memcheck error or leak fails (--error-exitcode=1).
set -euo pipefail
vg=$1
hv=$2
tmp=$(mktemp -d)
srv=""
cleanup() {
    [ -n "$srv" ] && kill "$srv" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

vgopts=(--error-exitcode=1 --leak-check=full --show-leak-kinds=all
        --errors-for-leak-kinds=all --track-fds=no -q)

# Starts a server under valgrind; sets srv (pid) and port.
start_server() {
    local log=$1
    shift
    "$vg" "${vgopts[@]}" --log-file="$log.vg" "$hv" -s tcp:127.0.0.1:0 \
        --json "$@" >"$log" 2>"$log.err" &
    srv=$!
    port=""
    for _ in $(seq 200); do
        port=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' \
               "$log" | head -n1)
        [ -n "$port" ] && return 0
        kill -0 "$srv" 2>/dev/null || break
        sleep 0.1
    done
    echo "valgrind-handshake: the server did not listen" >&2
    cat "$log.err" "$log.vg" >&2
    exit 1
}

check_vg() {
    local name=$1 rc=$2 log=$3
    if [ "$rc" -ne 0 ] || [ -s "$log" ]; then
        echo "valgrind-handshake: $name: exit $rc, memcheck says:" >&2
        cat "$log" >&2
        exit 1
    fi
    echo "$name: exit 0, memcheck: no errors, no leaks"
}

# 1. A server --once and one client handshake: both exit by themselves.
start_server "$tmp/s1" --once
rc=0
"$vg" "${vgopts[@]}" --log-file="$tmp/c1.vg" "$hv" -c "tcp:127.0.0.1:$port" \
    -m "valgrind handshake" >"$tmp/c1.out" 2>&1 || rc=$?
check_vg "client (1 handshake)" "$rc" "$tmp/c1.vg"
rc=0
wait "$srv" || rc=$?
srv=""
check_vg "server --once" "$rc" "$tmp/s1.vg"

# 2. A server that several clients use, one of them big, then SIGTERM
#    while an idle peer is still connected.
start_server "$tmp/s2"
rc=0
"$vg" "${vgopts[@]}" --log-file="$tmp/c2.vg" "$hv" -c "tcp:127.0.0.1:$port" \
    -n 3 --size 300K >"$tmp/c2.out" 2>&1 || rc=$?
check_vg "client (3 handshakes, 300 KiB)" "$rc" "$tmp/c2.vg"
exec 3<>"/dev/tcp/127.0.0.1/$port"   # an idle peer, left open
sleep 0.5
kill -TERM "$srv"
rc=0
wait "$srv" || rc=$?
srv=""
exec 3>&-
check_vg "server stopped by SIGTERM with a peer open" "$rc" "$tmp/s2.vg"
grep -q '"event":"finished"' "$tmp/s2" || {
    echo "valgrind-handshake: the server did not finish" >&2
    exit 1
}
