#!/bin/sh
# cases.sh - hvecho's AF_VSOCK test cases, run inside the test guest only
# (busybox sh; started by init.sh). Never run this on a real machine: it
# loads kernel modules and uses vsock.
#
# `sh cases.sh` runs the suite: it prints "1..N", one line per case
# ("ok 3 - ..." or "FAIL 3 - ..."; lines starting with "#" are details) and
# closes with "N passed, N failed". Each case runs as `sh cases.sh --case
# NAME` in a session of its own under a time limit, so that a stuck case
# fails alone and leaves no process behind.
#
# Order matters: the cases of phase "none" run before any vsock module is
# loaded, those of phase "core" with vsock.ko (and the virtio common module)
# but without vsock_loopback, and all others with vsock_loopback loaded.
# Every case uses its own ports.

# Only in the test guest: its kernel command line says so (see
# run-guest-tests.sh). Anywhere else this would load modules and use vsock.
if ! grep -qw 'hvecho_test_guest=1' /proc/cmdline 2>/dev/null; then
    echo "cases.sh: not in the hvecho test guest; run tests/guest/run-guest-tests.sh" >&2
    exit 2
fi

CASE_TIMEOUT=60
CASE_SCRIPT=/cases.sh
MODDIR=/modules
HV=hvecho

# phase name description
CASES='none no_vsock no vsock module: client and server fail at once, exit 4
core no_loopback vsock_loopback not loaded: client fails at once, exit 4, hint names vsock_loopback
core doctor_no_loopback doctor without vsock_loopback skips the vsock handshake and says why
loop machinery socat server and socat client on vsock loopback (the guest itself works)
loop default_service hvecho server (any CID) and client on loopback, default service
loop numeric_port hvecho server and client, numeric port (decimal and 0x hex)
loop facb_guid service given as a FACB GUID is the same listener as its port
loop legacy_guid legacy GUID 3049197C-9A4E-... refused with the reason, exit 2
loop socat_client socat client gets echo and bye
loop ncat_client ncat client gets echo and bye
loop socat_server_nobye hvecho client against socat echo without bye reports it, exit 1
loop socat_server_bye hvecho client against socat echo with a bye, exit 0
loop peer_reported server reports the peer as cid 1 and the client port
loop doctor doctor does a real vsock handshake on CID 1
loop once_and_count server --once exits with the result of its client; client -n 3
loop hundred_clients 100 clients at once against one server
loop big_message 64 MiB message byte-exact (hvecho client and socat)
loop client_reset client killed mid-stream: server serves the next and notices the dead one
loop sigterm server stopped with SIGTERM while clients are connected exits 0
loop refused nothing listening on the port: refused, exit 3
loop probe_metrics hvecho probe of vsock targets: JSON lines and the textfile with the service label, refused counted by reason
loop parent parent (CID 2) with no host transport: exit 3 or 4 with a hint, never this machine'

. /lib.sh

# ---- the cases ----------------------------------------------------------------

case_no_vsock() {
    t0=$(now_ms)
    run cli $HV -c -p 5000
    expect_rc cli 4
    expect_grep "$T/cli.err" '^hint: ' "client hint"
    run srv $HV -s -p 5000
    expect_rc srv 4
    expect_grep "$T/srv.err" '^hint: ' "server hint"
    t1=$(now_ms)
    [ $(( t1 - t0 )) -lt 3000 ] || fail "took $(( t1 - t0 )) ms, expected at once"
    note "client: $(head -n 1 "$T/cli.err")"
}

case_no_loopback() {
    t0=$(now_ms)
    run cli $HV -c loopback -p 5001
    t1=$(now_ms)
    expect_rc cli 4
    expect_grep "$T/cli.err" '^hvecho: ' "error line"
    expect_grep "$T/cli.err" '^hint: .*vsock_loopback' "hint names vsock_loopback"
    [ $(( t1 - t0 )) -lt 3000 ] || fail "took $(( t1 - t0 )) ms, expected at once"
    note "$(head -n 1 "$T/cli.err") ($(( t1 - t0 )) ms)"
    note "$(grep '^hint:' "$T/cli.err" | head -n 1)"
}

case_doctor_no_loopback() {
    run doc $HV doctor --json
    expect_rc doc 0
    expect_grep "$T/doc.out" '"event":"handshake","name":"vsock[^"]*","ok":false,"detail":"skipped: [^"]*vsock_loopback' "vsock check skipped, naming vsock_loopback"
    expect_grep "$T/doc.out" '"event":"handshake","name":"tcp[^"]*","ok":true' "tcp check passes"
}

case_doctor() {
    run doc $HV doctor --json
    expect_rc doc 0
    expect_grep "$T/doc.out" '"event":"handshake","name":"vsock[^"]*","ok":true' "vsock handshake passes"
    run doc2 $HV doctor
    expect_rc doc2 0
    expect_grep "$T/doc2.out" '^3 handshakes complete, 0 failed' "summary line"
    note "$(grep -i 'vsock loopback' "$T/doc2.out" | head -n 1 | cut -c 1-150)"
}

case_machinery() {
    socat VSOCK-LISTEN:5100,reuseaddr EXEC:cat >"$T/socat.log" 2>&1 &
    pid=$!
    i=0
    out=""
    # socat has no "listening" line: retry the client a few times.
    while [ $i -lt 20 ]; do
        out=$(printf 'ping over vsock' | socat -t 5 - VSOCK-CONNECT:1:5100 2>/dev/null)
        [ -n "$out" ] && break
        usleep 100000
        i=$(( i + 1 ))
    done
    kill "$pid" 2>/dev/null
    [ "$out" = "ping over vsock" ] || fail "socat echo over vsock returned '$out'"
}

case_default_service() {
    # the defaults: listen on any CID, connect to loopback, port 0x3049197C
    start_server srv
    expect_grep "$T/srv.out" '"event":"listening".*"port":810097020' "server listens on port 0x3049197C"
    run cli $HV -c
    expect_handshake cli
    expect_grep "$T/cli.out" 'port 810097020|0x3049197C' "client names the default port"
    stop_server srv
}

case_numeric_port() {
    start_server srv loopback -p 5200
    run dec $HV -c loopback -p 5200
    expect_handshake dec
    run hex $HV -c loopback -p 0x1450
    expect_handshake hex
    stop_server srv
}

case_facb_guid() {
    # 00001451-FACB-... is port 0x1451 = 5201; socat reaches it by port.
    start_server srv loopback -p 00001451-FACB-11E6-BD58-64006A7986D3
    run cli $HV -c loopback -p 5201
    expect_handshake cli
    out=$(printf 'guid' | socat -t 10 - VSOCK-CONNECT:1:5201)
    [ "$out" = "guidbye" ] || fail "socat on port 5201 got '$out', expected 'guidbye'"
    run cli2 $HV -c loopback -p 00001451-facb-11e6-bd58-64006a7986d3
    expect_handshake cli2
    stop_server srv
}

case_legacy_guid() {
    run cli $HV -c loopback -p 3049197C-9A4E-4FBF-9367-97F792F16994
    expect_rc cli 2
    expect_grep "$T/cli.err" '^hvecho: ' "client error line"
    expect_grep "$T/cli.err" 'FACB|facb' "client says which GUIDs reach a Linux guest"
    run srv $HV -s loopback -p 3049197C-9A4E-4FBF-9367-97F792F16994
    expect_rc srv 2
    expect_grep "$T/srv.err" 'FACB|facb' "server says which GUIDs reach a Linux guest"
    note "$(head -n 1 "$T/cli.err")"
}

case_once_and_count() {
    $HV -s loopback -p 5650 --once --json >"$T/srv.out" 2>"$T/srv.err" &
    SRV_PID=$!
    wait_for "$T/srv.out" '"event":"listening"' 10 || { show srv; fail "server did not listen"; }
    run cli $HV -c loopback -p 5650
    expect_handshake cli
    wait_exit "$SRV_PID" 5 || { kill -9 "$SRV_PID"; show srv; fail "--once server still running 5 s after its client"; }
    [ "$RC" -eq 0 ] || { show srv; fail "--once server exit status $RC, expected 0"; }
    start_server srv2 loopback -p 5651
    run cli2 $HV -c loopback -p 5651 -n 3
    expect_handshake cli2
    stop_server srv2
    n=$(grep -c '"event":"closed".*"bye sent"' "$T/srv2.out")
    [ "$n" -eq 3 ] || { show srv2; fail "server saw $n complete handshakes for -n 3, expected 3"; }
}

case_socat_client() {
    start_server srv loopback -p 5300
    printf 'hello from socat' | socat -t 10 - VSOCK-CONNECT:1:5300 >"$T/socat.out" 2>"$T/socat.err"
    rc=$?
    [ $rc -eq 0 ] || fail "socat exit status $rc: $(cat "$T/socat.err")"
    bytes_equal "$T/socat.out" 'hello from socatbye' ||
        fail "socat got '$(cat "$T/socat.out")', expected exactly 'hello from socatbye'"
    # a bye of our own choosing, with a space
    stop_server srv
    start_server srv2 loopback -p 5301 --bye 'see you'
    printf 'x' | socat -t 10 - VSOCK-CONNECT:1:5301 >"$T/socat2.out" 2>&1
    bytes_equal "$T/socat2.out" 'xsee you' ||
        fail "socat got '$(cat "$T/socat2.out")', expected exactly 'xsee you'"
    stop_server srv2
}

case_ncat_client() {
    start_server srv loopback -p 5400
    printf 'hello from ncat' | ncat --vsock 1 5400 >"$T/ncat.out" 2>"$T/ncat.err"
    rc=$?
    [ $rc -eq 0 ] || fail "ncat exit status $rc: $(cat "$T/ncat.err")"
    bytes_equal "$T/ncat.out" 'hello from ncatbye' ||
        fail "ncat got '$(cat "$T/ncat.out")', expected exactly 'hello from ncatbye'"
    stop_server srv
}

# start_socat_server PORT ADDRESS: socat VSOCK-LISTEN:PORT,fork ADDRESS in
# the background, waiting until it listens (its -d -d log says so).
start_socat_server() {
    socat -d -d "VSOCK-LISTEN:$1,reuseaddr,fork" "$2" >"$T/socat.log" 2>&1 &
    SOCAT_PID=$!
    wait_for "$T/socat.log" 'listening on' 10 || {
        sed 's/^/#   /' "$T/socat.log"
        fail "socat did not listen on port $1 within 10 s"
    }
}

case_socat_server_nobye() {
    start_socat_server 5500 EXEC:cat
    run cli $HV -c loopback -p 5500 -t 10
    kill "$SOCAT_PID"
    expect_rc cli 1
    expect_grep "$T/cli.err" '^hvecho: .*bye' "error names the missing bye"
    note "$(head -n 1 "$T/cli.err")"
}

case_socat_server_bye() {
    start_socat_server 5501 SYSTEM:'cat; printf ciao'
    run cli $HV -c loopback -p 5501 -t 10
    kill "$SOCAT_PID"
    expect_handshake cli
    expect_grep "$T/cli.out" 'ciao' "client shows the peer's bye"
}

case_peer_reported() {
    start_server srv loopback -p 5600
    printf 'who am i' | socat -t 10 - VSOCK-CONNECT:1:5600,bind=1:4242 >"$T/socat.out" 2>"$T/socat.err" ||
        fail "socat with bind=1:4242: $(cat "$T/socat.err")"
    bytes_equal "$T/socat.out" 'who am ibye' || fail "socat got '$(cat "$T/socat.out")'"
    stop_server srv
    expect_grep "$T/srv.out" '"event": *"accepted".*"cid 1 port 4242"' "accepted event with peer cid 1 port 4242"
}

case_hundred_clients() {
    start_server srv loopback -p 5700
    clients_at_once 100 loopback 5700 30
    stop_server srv
    [ $BAD -eq 0 ] || fail "$BAD of 100 clients failed"
    for i in 1 50 100; do
        expect_grep "$T/c$i.out" "\"client $i says hello\"" "client $i shows its own message"
    done
    n=$(grep -c '"event":"accepted"' "$T/srv.out")
    [ "$n" -eq 100 ] || fail "server reported $n accepted connections, expected 100"
    n=$(grep -c '"event":"closed".*"detail":"bye sent"' "$T/srv.out")
    [ "$n" -eq 100 ] || fail "server reported $n connections closed after the bye, expected 100"
    peak=$(awk '/"event":"accepted"/ { n++; if (n > m) m = n }
                /"event":"closed"/ { n-- } END { print m + 0 }' "$T/srv.out")
    note "at most $peak of the 100 connections were open at the same time"
}

case_big_message() {
    size=67108864
    # A pattern that is not periodic in any small length: random bytes.
    head -c $size /dev/urandom >"$T/big" || fail "could not make the 64 MiB file"
    start_server srv loopback -p 5800
    t0=$(now_ms)
    run cli $HV -c loopback -p 5800 -t 60 --message-file "$T/big"
    t1=$(now_ms)
    expect_handshake cli
    note "hvecho client: 64 MiB echoed in $(( t1 - t0 )) ms"
    # An independent check by a real peer: socat sends the file, and what
    # comes back must be the file followed by exactly "bye".
    t0=$(now_ms)
    socat -t 30 - VSOCK-CONNECT:1:5800 <"$T/big" >"$T/back" 2>"$T/socat.err" ||
        fail "socat: $(cat "$T/socat.err")"
    t1=$(now_ms)
    got=$(stat -c %s "$T/back")
    [ "$got" -eq $(( size + 3 )) ] || fail "socat got $got bytes back, expected $(( size + 3 ))"
    head -c $size "$T/back" | cmp -s - "$T/big" || fail "socat: echo differs from the 64 MiB sent"
    [ "$(tail -c 3 "$T/back")" = "bye" ] || fail "socat: the last 3 bytes are not 'bye'"
    rm -f "$T/back"
    note "socat: 64 MiB echoed in $(( t1 - t0 )) ms"
    stop_server srv
    n=$(grep -c '"event":"closed".*"total":67108864,.*"bye sent"' "$T/srv.out")
    [ "$n" -eq 2 ] || { show srv; fail "server reported $n connections of 64 MiB closed after the bye, expected 2"; }
}

case_client_reset() {
    start_server srv loopback -p 5900
    # A client that floods and never reads (socat -u): the server stops
    # reading once the echo backs up, so the client is surely mid-stream
    # when it is killed. Its socket then goes away: the kernel sends the
    # server a SHUTDOWN (both ways) at once, and a RST later.
    socat -u /dev/zero VSOCK-CONNECT:1:5900 >"$T/flood.log" 2>&1 &
    pid=$!
    wait_for "$T/srv.out" '"event":"accepted","[^}]*"conn":1' 10 || { show srv; fail "the client was never accepted"; }
    sleep 1
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    t0=$(now_ms)
    # One bad client never delays another.
    run cli $HV -c loopback -p 5900 -t 10
    expect_handshake cli
    kill -0 "$SRV_PID" 2>/dev/null || { show srv; fail "server died after the client reset"; }
    # The dead connection is closed well before the idle timeout (60 s).
    wait_for "$T/srv.out" '"event":"(closed|error)",[^}]*"conn":1,' 10 || {
        show srv
        fail "no end of connection 1 reported 10 s after its client was killed (back-pressured: it waits for POLLOUT, which never comes)"
    }
    note "$(( $(now_ms) - t0 )) ms: $(grep -E '"conn":1,' "$T/srv.out" | tail -n 1 | cut -c 1-200)"
    stop_server srv
}

case_sigterm() {
    start_server srv loopback -p 6000
    i=1
    spids=""
    while [ $i -le 3 ]; do
        mkfifo "$T/f$i"
        # each client stays connected, reading from a fifo held open below
        socat -t 1 - VSOCK-CONNECT:1:6000 <"$T/f$i" >"$T/s$i.out" 2>&1 &
        spids="$spids $!"
        i=$(( i + 1 ))
    done
    exec 7>"$T/f1" 8>"$T/f2" 9>"$T/f3"
    printf 'a' >&7
    i=0
    while [ "$(grep -c '"event": *"accepted"' "$T/srv.out")" -lt 3 ]; do
        [ $i -ge 100 ] && { show srv; exec 7>&- 8>&- 9>&-; fail "3 clients not accepted within 10 s"; }
        usleep 100000
        i=$(( i + 1 ))
    done
    t0=$(now_ms)
    stop_server srv
    t1=$(now_ms)
    note "server exited 0 $(( t1 - t0 )) ms after SIGTERM with 3 clients connected"
    # the clients see the end of the stream and exit by themselves
    for p in $spids; do
        wait_exit "$p" 5 || { exec 7>&- 8>&- 9>&-; fail "a client still connected 5 s after the server exited"; }
    done
    exec 7>&- 8>&- 9>&-
}

case_refused() {
    t0=$(now_ms)
    run cli $HV -c loopback -p 6100 -t 5
    t1=$(now_ms)
    expect_rc cli 3
    expect_grep "$T/cli.err" '^hvecho: .*refused' "error says refused"
    expect_grep "$T/cli.err" '^hint: ' "hint line"
    [ $(( t1 - t0 )) -lt 3000 ] || fail "took $(( t1 - t0 )) ms, expected at once"
    note "$(head -n 1 "$T/cli.err")"
}

case_probe_metrics() {
    start_server srv loopback -p 6300
    run live $HV probe cid:1,loopback -p 6300 -n 2 --json --textfile "$T/m.prom"
    expect_rc live 0
    expect_grep "$T/live.out" '"probe":"cid:1","service":"0x0000189C","round":2,.*"success":true,"connect_ms"' "JSON line of the live target"
    expect_grep "$T/m.prom" '^hvecho_probe_success\{target="cid:1",service="0x0000189C"\} 1$' "success 1 with the service label"
    expect_grep "$T/m.prom" '^hvecho_probes_total\{target="loopback",service="0x0000189C"\} 2$' "two probes of loopback"
    expect_grep "$T/m.prom" '^hvecho_probe_duration_seconds\{target="cid:1",service="0x0000189C",phase="bye"\} 0\.' "bye phase duration"
    [ "$(ls "$T" | grep -c 'm\.prom')" -eq 1 ] || fail "a temporary file was left: $(ls "$T")"
    run dead $HV probe cid:1 -p 6301 --textfile "$T/d.prom"
    expect_rc dead 3
    expect_grep "$T/dead.out" 'FAILED  refused' "the failure line"
    expect_grep "$T/d.prom" '^hvecho_probe_failures_total\{target="cid:1",service="0x0000189D",reason="refused"\} 1$' "refused counted"
    stop_server srv
    note "$(grep '^hvecho_probe_duration_seconds.*total' "$T/m.prom" | head -n 1)"
}

case_parent() {
    t0=$(now_ms)
    run cli $HV -c parent -p 6200 -t 5
    t1=$(now_ms)
    expect_rc cli '3|4'
    expect_grep "$T/cli.err" '^hvecho: ' "error line"
    expect_grep "$T/cli.err" '^hint: .*(host|transport|virtio|hv_sock|vmci)' "hint names the cause"
    note "$(head -n 1 "$T/cli.err") ($(( t1 - t0 )) ms)"
    note "$(grep '^hint:' "$T/cli.err" | head -n 1)"
    # With no guest-to-host transport the kernel hands CID 2 to
    # vsock_loopback: "parent" must not quietly reach a server on this
    # machine and call that a handshake with the host.
    start_server srv -p 6201
    run cli2 $HV -c parent -p 6201 -t 5
    rc2=$RC
    stop_server srv
    RC=$rc2
    expect_rc cli2 '3|4'
    if grep -q '"event":"accepted"' "$T/srv.out"; then
        show srv
        fail "parent reached the server on this machine"
    fi
}

# ---- the suite ---------------------------------------------------------------

load_module() {
    insmod "$MODDIR/$1.ko" || echo "# insmod $1.ko failed"
}

suite() {
    suite_begin
    run_phase none
    load_module vsock
    load_module vmw_vsock_virtio_transport_common
    run_phase core
    load_module vsock_loopback
    run_phase loop
    suite_end
}

if [ "$1" = "--case" ]; then
    mkdir -p "$T"
    "case_$2"
    exit $?
fi
suite
