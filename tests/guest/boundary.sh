#!/bin/sh
# boundary.sh - the two-level guest suite: hvecho across a real VM
# boundary. Runs in the OUTER test guest only (busybox sh, started by
# outer-init.sh), which is the vsock host (vhost_vsock) of an INNER guest
# it boots here with qemu (on this guest's KVM, kvm_amd on the SVM that
# qemu's TCG emulates, else TCG; vhost-vsock-pci, guest CID 3). Never run
# this on a real machine: it uses vsock and /dev/vhost-vsock.
#
# The outer drives the inner over the inner's second serial line (a fifo
# pair here; see inner-init.sh), never over vsock: `inner SECONDS CMD`
# runs CMD there and puts its output in $T/inner.out and its status in RC.
# Both consoles are kept: this one is the outer's, the inner's goes to
# /tmp/inner-console.log and is printed at the end with "inner| " before
# each line (run-guest-tests.sh splits it off into its own log).
#
# Output as cases.sh: "1..N", "ok N - ..." / "FAIL N - ..." per case with
# its time, "#" detail lines, "N passed, N failed".

if ! grep -qw 'hvecho_test_outer=1' /proc/cmdline 2>/dev/null; then
    echo "boundary.sh: not in the hvecho outer test guest; run tests/guest/run-guest-tests.sh" >&2
    exit 2
fi

# Two levels of emulation are slow, and slower still on a busy machine.
CASE_TIMEOUT=300
CASE_SCRIPT=/boundary.sh
HV=hvecho
CID=3
INNER_BOOT_LIMIT=${INNER_BOOT_LIMIT:-600}  # seconds

CASES='b g2h_hvecho guest -> host: inner hvecho -c parent to outer hvecho -s
b g2h_peers guest -> host with socat and ncat as echo servers on the host: hvecho -c parent to them
b h2g_hvecho host -> guest: outer hvecho -c 3 to inner hvecho -s
b h2g_peers host -> guest with socat and ncat as clients on the host: to hvecho -s in the guest
b big_both_ways 16 MiB byte-exact both ways (hvecho --size checks every byte)
b hundred_clients 100 clients at once from the host to the guest server
b bench hvecho bench latency, throughput, connections from the guest to hvecho -s, socat, ncat on the host (figures, not asserted)
b server_killed guest server killed mid-stream: the host client fails with the reason in time; restarted: next handshake works
b wrong_cid_host host to a CID no guest has: exit 3 or 4 in bounded time, hint names the guest side
b wrong_cid_guest guest to a CID the host drops: exit 3 or 4 in bounded time, hint says a guest reaches only its host
b doctor_outer doctor on the host: a vsock host (vhost_vsock), and a real handshake with guest 3
b doctor_inner doctor in the guest: CID 3, parent is its host, and a real handshake with it
b hybrid_h2g hybrid vsock: hvecho -c hybrid:PATH:PORT through the VMM stand-in to the guest server
b hybrid_g2h hybrid vsock: a guest connection to the host port arrives on PATH_PORT (hvecho -s hybrid:PATH)
b hybrid_no_ok hybrid vsock: nothing listens on that guest port: no OK, exit 3 with the hint'

T=/tmp/case
. /lib.sh

# ---- the inner guest ----------------------------------------------------------

# inner SECONDS CMD: runs CMD (one line of sh) in the inner guest under
# `timeout SECONDS`; output in $T/inner.out, status in RC (255: no answer).
inner() {
    _secs=$1
    shift
    _id=$(( $(cat /tmp/inner.seq) + 1 ))
    echo "$_id" >/tmp/inner.seq
    _cmd=$*
    _line="$_id $_secs ${#_cmd} $_cmd"
    _resent=$(grep -c '^@@RESEND' /tmp/inner-cmd.log)
    _tries=1
    printf '%s\n' "$_line" >/tmp/inner.in
    _end=$(( $(now_ms) + (_secs + 30) * 1000 ))
    while ! grep -q "^@@END $_id " /tmp/inner-cmd.log; do
        # The inner got a garbled line: the same line once more (3 tries).
        _n=$(grep -c '^@@RESEND' /tmp/inner-cmd.log)
        if [ "$_n" -gt "$_resent" ] && [ "$_tries" -lt 3 ]; then
            echo "# the inner guest got a garbled command line; sending it again"
            _resent=$_n
            _tries=$(( _tries + 1 ))
            printf '%s\n' "$_line" >/tmp/inner.in
        fi
        if [ "$(now_ms)" -gt "$_end" ]; then
            RC=255
            : >"$T/inner.out"
            return 0
        fi
        usleep 100000
    done
    awk -v id="$_id" '$0 == "@@BEGIN " id { on = 1; next }
                      $1 == "@@END" && $2 == id { exit }
                      on' /tmp/inner-cmd.log >"$T/inner.out"
    RC=$(grep "^@@END $_id " /tmp/inner-cmd.log | awk '{ print $3 }')
}

# inner_ok SECONDS CMD: inner, and the case fails unless it exits 0.
inner_ok() {
    inner "$@"
    [ "$RC" -eq 0 ] && return 0
    sed 's/^/#   inner: /' "$T/inner.out" | head -n 30
    fail "in the guest, exit $RC: $2"
}

# inner_server NAME ARGS...: hvecho -s ARGS --json in the inner guest, in
# the background, its events in the inner's /tmp/NAME.out; waits until it
# listens. The inner pid is in INNER_PID.
inner_server() {
    _n=$1
    shift
    inner 30 "hvecho -s $* --json >/tmp/$_n.out 2>/tmp/$_n.err & echo \$!; i=0; while ! grep -q '\"event\":\"listening\"' /tmp/$_n.out; do i=\$((i+1)); [ \$i -gt 200 ] && exit 1; usleep 100000; done"
    INNER_PID=$(head -n 1 "$T/inner.out")
    [ "$RC" -eq 0 ] && return 0
    inner 5 "cat /tmp/$_n.out /tmp/$_n.err"
    sed 's/^/#   inner: /' "$T/inner.out" | head -n 20
    fail "in the guest: hvecho -s $* did not listen"
}

# inner_stop PID: SIGTERM in the inner guest; waits for it to end.
inner_stop() {
    inner 15 "kill -TERM $1; i=0; while kill -0 $1 2>/dev/null; do i=\$((i+1)); [ \$i -gt 100 ] && exit 1; usleep 100000; done"
}

# Boots the inner guest in a session of its own (it outlives every case)
# and waits for its command line. Uncompressed kernel (PVH entry): no
# decompression. pci=noearly: no early PCI scan for an AGP aperture (the
# CPU is an AMD one), seconds of port I/O exits. acpi=off: it cannot power
# off, so it ends with a reboot, which -no-reboot turns into qemu's exit.
boot_inner() {
    rm -f /tmp/inner.in /tmp/inner.out
    mkfifo /tmp/inner.in /tmp/inner.out
    echo 0 >/tmp/inner.seq
    : >/tmp/inner-cmd.log
    setsid sh -c 'exec cat /tmp/inner.out >>/tmp/inner-cmd.log' </dev/null >/dev/null 2>&1 &
    # KVM where the outer has it (kvm_amd on the SVM qemu's TCG emulates),
    # else TCG inside TCG; INNER_ACCEL=tcg forces the latter.
    accel=${INNER_ACCEL:-kvm}
    [ "$accel" = kvm ] && [ ! -e /dev/kvm ] && accel=tcg
    set -- qemu-system-x86_64 -accel $accel -machine pc -cpu qemu64 -smp 1 -m 256 \
        -nodefaults -no-user-config -display none -no-reboot -monitor none \
        -kernel /inner/vmlinux -initrd /inner/initramfs.cpio \
        -append "console=ttyS0 ${INNER_DEBUG:-quiet loglevel=3} mitigations=off tsc=reliable no_timer_check cryptomgr.notests audit=0 apparmor=0 acpi=off pci=noearly panic=-1 rdinit=/init" \
        -serial file:/tmp/inner-console.log \
        -chardev pipe,id=cmd,path=/tmp/inner -serial chardev:cmd \
        -device vhost-vsock-pci,guest-cid=$CID
    echo "# inner: $*"
    t0=$(now_ms)
    setsid "$@" </dev/null >/tmp/inner-qemu.log 2>&1 &
    echo $! >/tmp/inner.pid
    next=$(( t0 + 30000 ))
    while ! grep -q '^@@READY' /tmp/inner-cmd.log; do
        now=$(now_ms)
        if [ $(( now - t0 )) -gt $(( INNER_BOOT_LIMIT * 1000 )) ] ||
           ! kill -0 "$(cat /tmp/inner.pid)" 2>/dev/null; then
            echo "# the inner guest did not come up ($(( $(now_ms) - t0 )) ms); qemu said:"
            sed 's/^/#   /' /tmp/inner-qemu.log | head -n 20
            echo "# its console:"
            sed 's/^/#   /' /tmp/inner-console.log | tail -n 20
            return 1
        fi
        # Every 30 s a sign of life.
        if [ "$now" -gt "$next" ]; then
            next=$(( now + 30000 ))
            echo "# inner guest booting, $(( (now - t0) / 1000 )) s"
        fi
        usleep 200000
    done
    echo "# inner guest up, its command line ready in $(( $(now_ms) - t0 )) ms"
}

# The inner reboots (its qemu exits) without answering: the command is
# sent, and the wait is for its qemu, up to 10 s.
end_inner() {
    pid=$(cat /tmp/inner.pid 2>/dev/null)
    [ -n "$pid" ] || return 0
    t0=$(now_ms)
    printf '%s 10 9 reboot -f\n' "$(( $(cat /tmp/inner.seq) + 1 ))" >/tmp/inner.in
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null
    echo "# inner guest ended in $(( $(now_ms) - t0 )) ms"
    sed 's/^/inner| /' /tmp/inner-console.log
    sed 's/^/inner-qemu| /' /tmp/inner-qemu.log
}

# ---- the cases ----------------------------------------------------------------

case_g2h_hvecho() {
    start_server srv
    inner 30 "hvecho -c parent -t 20 -m 'from the guest'"
    [ "$RC" -eq 0 ] || { cat "$T/inner.out" | sed 's/^/#   inner: /'; fail "inner hvecho -c parent: exit $RC"; }
    grep -q 'bye' "$T/inner.out" || fail "no bye in the inner client's output"
    stop_server srv
    expect_grep "$T/srv.out" "\"event\":\"accepted\".*cid $CID port" "the host saw the guest's CID $CID"
    note "$(grep -m1 '"event":"accepted"' "$T/srv.out" | cut -c 1-160)"
}

# host_peers SOCAT_PORT NCAT_PORT: socat and ncat echo servers here, on
# the host side; socat answers the client's shutdown with a bye, ncat
# (--sh-exec cat) ends the connection instead: a plain echo.
host_peers() {
    socat -t 5 -d -d "VSOCK-LISTEN:$1,reuseaddr,fork" SYSTEM:'cat; printf bye' >"$T/socat$1.log" 2>&1 &
    SOCAT_PID=$!
    ncat -v --vsock -l -k "$2" --sh-exec cat >"$T/ncat$2.log" 2>&1 &
    NCAT_PID=$!
    wait_for "$T/socat$1.log" 'listening on' 20 || fail "socat did not listen on $1"
    wait_for "$T/ncat$2.log" '[Ll]istening on' 20 || fail "ncat did not listen on $2"
}

case_g2h_peers() {
    host_peers 7102 7103
    inner 60 "hvecho -c parent -p 7102 -t 20 -m 'to socat on the host'"
    [ "$RC" -eq 0 ] || { sed 's/^/#   inner: /' "$T/inner.out"; fail "hvecho -c parent to socat on the host: exit $RC"; }
    grep -q 'bye' "$T/inner.out" || fail "no bye from socat in the client's output"
    inner 60 "hvecho -c parent -p 7103 -t 20 -m 'to ncat on the host'"
    kill "$SOCAT_PID" "$NCAT_PID" 2>/dev/null
    expect_grep "$T/inner.out" 'echo .*verified' "the echo from ncat came back verified"
    note "hvecho -c parent to socat (bye): exit 0; to ncat --sh-exec cat: exit $RC, $(grep '^hvecho:' "$T/inner.out" | cut -c 9-90)"
}

case_h2g_hvecho() {
    inner_server s7200 -p 7200
    run cli $HV -c $CID -p 7200 -t 20 -m 'from the host'
    expect_handshake cli
    inner_stop "$INNER_PID"
    inner 5 "grep -m1 '\"event\":\"accepted\"' /tmp/s7200.out"
    grep -q 'cid 2 port' "$T/inner.out" || { sed 's/^/#   /' "$T/inner.out"; fail "the guest server did not see CID 2 (the host)"; }
    note "$(grep -m1 'connected' "$T/cli.out")"
}

case_h2g_peers() {
    inner_server s7300 -p 7300
    printf 'socat from the host' | socat -t 20 - VSOCK-CONNECT:$CID:7300 >"$T/p1" 2>"$T/p1.err" || fail "socat: $(cat "$T/p1.err")"
    bytes_equal "$T/p1" 'socat from the hostbye' || fail "socat got '$(cat "$T/p1")'"
    printf 'ncat from the host' | ncat --vsock $CID 7300 >"$T/p2" 2>"$T/p2.err" || fail "ncat: $(cat "$T/p2.err")"
    bytes_equal "$T/p2" 'ncat from the hostbye' || fail "ncat got '$(cat "$T/p2")'"
    inner_stop "$INNER_PID"
    note "socat and ncat clients on the host got the echo and exactly the bye from the guest's hvecho -s"
}

case_big_both_ways() {
    inner_server s7400 -p 7400
    t0=$(now_ms)
    run h2g $HV -c $CID -p 7400 -t 60 --size 16M
    t1=$(now_ms)
    expect_handshake h2g
    note "host -> guest, hvecho --size 16M: checked byte by byte, $(( t1 - t0 )) ms"
    inner_stop "$INNER_PID"
    start_server srv -p 7401
    inner 240 "t0=\$(awk '{print int(\$1*1000)}' /proc/uptime); hvecho -c parent -p 7401 -t 60 --size 16M -q; rc=\$?; echo ms \$(( \$(awk '{print int(\$1*1000)}' /proc/uptime) - t0 )); exit \$rc"
    [ "$RC" -eq 0 ] || { sed 's/^/#   inner: /' "$T/inner.out"; fail "guest -> host 16 MiB: exit $RC"; }
    note "guest -> host, hvecho --size 16M: checked byte by byte, $(grep '^ms' "$T/inner.out" | cut -d' ' -f2) ms (guest clock)"
    stop_server srv
    n=$(grep -c '"event":"closed".*16777216' "$T/srv.out")
    [ "$n" -ge 1 ] || { show srv; fail "the host server did not report 16 MiB echoed"; }
}

case_hundred_clients() {
    inner_server s7500 -p 7500
    clients_at_once 100 $CID 7500 120
    inner_stop "$INNER_PID"
    [ $BAD -eq 0 ] || fail "$BAD of 100 clients failed"
    inner 10 "grep -c '\"event\":\"accepted\"' /tmp/s7500.out; awk '/\"event\":\"accepted\"/ { n++; if (n > m) m = n } /\"event\":\"closed\"/ { n-- } END { print m + 0 }' /tmp/s7500.out"
    n=$(head -n 1 "$T/inner.out")
    [ "$n" = 100 ] || fail "the guest server accepted $n connections, expected 100"
    note "100 clients done in $ELAPSED_MS ms; at most $(sed -n 2p "$T/inner.out") open at once in the guest server"
}

# bench_peer NAME PORT ARGS: the three benchmarks from the guest against
# port PORT of the host (the peers run on the host side, the benchmark in
# the guest: the same for all three, so the figures compare).
bench_peer() {
    _peer=$1
    _port=$2
    shift 2
    for k in latency throughput connections; do
        case $k in
            latency) a="-n 100 --size 64" ;;
            throughput) a="--bytes 2M" ;;
            connections) a="-n 20 -P 4" ;;
        esac
        inner 120 "hvecho bench $k parent -p $_port -t 10 $a $*"
        if [ "$RC" -ne 0 ]; then
            note "$_peer $k: exit $RC: $(grep -v '^$' "$T/inner.out" | tail -n 2 | tr '\n' ' ' | cut -c 1-160)"
            # hvecho's own server must serve every run; a comparison
            # peer's failed run (ncat once let a 2 MiB echo pass the read
            # timeout under two levels of TCG) is reported as its figure.
            [ "$_peer" != "hvecho -s" ] || BENCH_BAD=$(( BENCH_BAD + 1 ))
            continue
        fi
        note "$_peer $k: $(grep -v '^$' "$T/inner.out" | tail -n 2 | tr -s ' ' | tr '\n' ';' | cut -c 1-200)"
    done
}

case_bench() {
    BENCH_BAD=0
    start_server srv -p 7600
    bench_peer "hvecho -s" 7600
    stop_server srv
    host_peers 7601 7602
    bench_peer socat 7601
    bench_peer "ncat (no bye)" 7602 --no-bye
    kill "$SOCAT_PID" "$NCAT_PID" 2>/dev/null
    [ "$BENCH_BAD" -eq 0 ] || fail "$BENCH_BAD benchmark runs failed"
}

case_server_killed() {
    inner_server s7700 -p 7700
    # A 64 MiB echo takes far longer than a second across the boundary
    # (16 MiB take seconds): the server is surely mid-stream when it is
    # killed. (256 MiB cost seconds of making the data first.)
    $HV -c $CID -p 7700 -t 15 --size 64M >"$T/cli.out" 2>"$T/cli.err" &
    cpid=$!
    inner_ok 60 "i=0; while ! grep -q '\"event\":\"accepted\"' /tmp/s7700.out; do i=\$((i+1)); [ \$i -gt 80 ] && exit 1; usleep 100000; done; sleep 1; kill -9 $INNER_PID"
    t0=$(now_ms)
    wait_exit "$cpid" 40 || { kill -9 "$cpid"; fail "the host client still runs 40 s after the guest server was killed"; }
    t1=$(now_ms)
    [ "$RC" -eq 1 ] || [ "$RC" -eq 3 ] || { show cli; fail "host client exit $RC, expected 1"; }
    grep -q '^hvecho: ' "$T/cli.err" || { show cli; fail "no error line"; }
    note "host client: exit $RC $(( t1 - t0 )) ms after the kill: $(grep '^hvecho: ' "$T/cli.err" | head -n 1 | cut -c 1-160)"
    inner_server s7701 -p 7700
    run again $HV -c $CID -p 7700 -t 20
    expect_handshake again
    inner_stop "$INNER_PID"
    note "restarted guest server: the next handshake completed"
}

case_wrong_cid_host() {
    t0=$(now_ms)
    run cli $HV -c 42 -p 7800 -t 3
    t1=$(now_ms)
    expect_rc cli '3|4'
    expect_grep "$T/cli.err" '^hint: .*(CID|guest)' "hint about the guest's CID"
    [ $(( t1 - t0 )) -lt 8000 ] || fail "took $(( t1 - t0 )) ms with -t 3"
    note "exit $RC in $(( t1 - t0 )) ms: $(head -n 1 "$T/cli.err" | cut -c 1-170)"
    note "$(grep '^hint:' "$T/cli.err" | cut -c 1-190)"
}

case_wrong_cid_guest() {
    inner 30 "t0=\$(awk '{print int(\$1*1000)}' /proc/uptime); hvecho -c 42 -p 7900 -t 3; rc=\$?; echo ms \$(( \$(awk '{print int(\$1*1000)}' /proc/uptime) - t0 )); exit \$rc"
    rc=$RC
    cp "$T/inner.out" "$T/g.out"
    case $rc in 3|4) ;; *) sed 's/^/#   inner: /' "$T/g.out"; fail "guest client exit $rc, expected 3 or 4" ;; esac
    grep -qE '^hint: .*(host|parent)' "$T/g.out" || { sed 's/^/#   inner: /' "$T/g.out"; fail "no hint naming the host or parent"; }
    ms=$(grep '^ms' "$T/g.out" | cut -d' ' -f2)
    [ "$ms" -lt 8000 ] || fail "took $ms ms in the guest with -t 3"
    note "exit $rc in $ms ms (guest clock): $(grep '^hvecho: ' "$T/g.out" | cut -c 1-170)"
    note "$(grep '^hint:' "$T/g.out" | cut -c 1-190)"
}

case_doctor_outer() {
    inner_server s8000
    run doc $HV doctor $CID
    inner_stop "$INNER_PID"
    expect_rc doc 0
    expect_grep "$T/doc.out" 'vsock host' "doctor says this is a vsock host"
    expect_grep "$T/doc.out" 'vhost_vsock' "doctor names vhost_vsock"
    expect_grep "$T/doc.out" "^  (vsock )?(to )?(guest )?(CID )?$CID.* ok .*handshake complete" "a real handshake with guest $CID"
    grep -iE 'role|vsock host|guest' "$T/doc.out" | head -n 4 | sed 's/^/# /'
}

case_doctor_inner() {
    start_server srv
    inner 40 "hvecho doctor"
    rc=$RC
    stop_server srv
    cp "$T/inner.out" "$T/doc.out"
    [ "$rc" -eq 0 ] || { sed 's/^/#   inner: /' "$T/doc.out"; fail "doctor in the guest: exit $rc"; }
    expect_grep "$T/doc.out" "guest.*CID $CID" "the guest says its CID is $CID"
    expect_grep "$T/doc.out" 'parent.* ok .*handshake complete' "a real handshake with the host (parent)"
    grep -iE 'role|guest|parent' "$T/doc.out" | head -n 4 | sed 's/^/# /'
}

# start_vmm ARGS: the VMM stand-in (tests/lib/hybrid_vmm.py) on
# /tmp/vm.sock, bridging to guest CID 3.
start_vmm() {
    python3 -S /hybrid_vmm.py --uds /tmp/vm.sock --guest vsock:$CID --lifetime 100 "$@" >"$T/vmm.out" 2>"$T/vmm.err" &
    VMM_PID=$!
    wait_for "$T/vmm.out" '^ready' 30 || { sed 's/^/#   /' "$T/vmm.err"; fail "the VMM stand-in did not start"; }
}

case_hybrid_h2g() {
    inner_server s8100 -p 8100
    start_vmm
    run cli $HV -c hybrid:/tmp/vm.sock:8100 -t 20 -n 2
    expect_rc cli 0
    run cli2 $HV -c hybrid:/tmp/vm.sock -p 8100 -t 20 --size 1M
    expect_handshake cli2
    kill "$VMM_PID"
    inner_stop "$INNER_PID"
    expect_grep "$T/vmm.err" 'CONNECT 8100: OK' "the stand-in saw CONNECT 8100 and answered OK"
    note "$(grep -m1 'connected' "$T/cli.out")"
}

case_hybrid_g2h() {
    start_vmm --from-guest vsock:8200
    start_server srv hybrid:/tmp/vm.sock:8200
    [ -S /tmp/vm.sock_8200 ] || fail "no /tmp/vm.sock_8200"
    inner 30 "hvecho -c parent -p 8200 -t 20 -m 'guest to hybrid host'"
    [ "$RC" -eq 0 ] || { sed 's/^/#   inner: /' "$T/inner.out"; fail "inner hvecho -c parent -p 8200: exit $RC"; }
    stop_server srv
    kill "$VMM_PID"
    expect_grep "$T/srv.out" '"event":"accepted"' "the server on /tmp/vm.sock_8200 accepted the guest's connection"
    expect_grep "$T/vmm.err" 'guest -> host port 8200' "the stand-in joined the guest's connection to PATH_8200"
    note "$(grep -m1 '"event":"listening"' "$T/srv.out" | cut -c 1-160)"
}

case_hybrid_no_ok() {
    start_vmm
    t0=$(now_ms)
    run cli $HV -c hybrid:/tmp/vm.sock:8300 -t 10
    t1=$(now_ms)
    kill "$VMM_PID"
    expect_rc cli 3
    expect_grep "$T/cli.err" 'no OK' "the error says no OK"
    expect_grep "$T/cli.err" '^hint: .*nothing listens on that port in the guest' "the hint"
    note "$(head -n 1 "$T/cli.err" | cut -c 1-170) ($(( t1 - t0 )) ms)"
}

if [ "$1" = "--case" ]; then
    mkdir -p "$T"
    "case_$2"
    exit $?
fi

suite_begin
if boot_inner; then
    run_phase b
else
    echo "FAIL 1 - the inner guest did not boot"
fi
suite_end
end_inner
