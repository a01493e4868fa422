#!/bin/sh
# lib.sh - what the guest suites share (busybox sh, inside a test guest
# only): the helpers a case uses and the runner. cases.sh (one guest,
# vsock_loopback) and boundary.sh (the outer guest of the two-level suite)
# source it; each sets CASES ("phase name description" lines), CASE_SCRIPT
# (itself, run as `sh CASE_SCRIPT --case NAME`) and HV before calling
# suite_begin / run_phase / suite_end.

CASE_TIMEOUT=${CASE_TIMEOUT:-60}

# ---- helpers (used inside a case) -------------------------------------------

# A case's scratch directory; a case fails by exiting non-zero.
T=/tmp/case

fail() {
    echo "# $*"
    exit 1
}

note() {
    echo "# $*"
}

# Milliseconds since boot (the guest has no other clock worth trusting).
now_ms() {
    awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# run NAME CMD...: runs CMD with stdout in $T/NAME.out, stderr in
# $T/NAME.err, and its exit status in $RC.
run() {
    _n=$1
    shift
    "$@" >"$T/$_n.out" 2>"$T/$_n.err"
    RC=$?
}

# expect_rc NAME WANT: the last run had exit status WANT (a list like "3|4"
# allowed), else fail showing its output.
expect_rc() {
    case "|$2|" in
        *"|$RC|"*) return 0 ;;
    esac
    show "$1"
    fail "$1: exit status $RC, expected $2"
}

show() {
    echo "# --- $1 stdout:"
    sed 's/^/#   /' "$T/$1.out" 2>/dev/null | head -n 30
    echo "# --- $1 stderr:"
    sed 's/^/#   /' "$T/$1.err" 2>/dev/null | head -n 30
}

# expect_grep FILE ERE WHAT: FILE has a line matching ERE.
expect_grep() {
    grep -qE "$2" "$1" && return 0
    echo "# --- $1:"
    sed 's/^/#   /' "$1" | head -n 30
    fail "$3: no line matching /$2/ in $(basename "$1")"
}

# wait_for FILE ERE SECONDS: polls until FILE has a line matching ERE.
wait_for() {
    _i=0
    _max=$(( $3 * 20 ))
    while [ "$_i" -lt "$_max" ]; do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        usleep 50000
        _i=$(( _i + 1 ))
    done
    return 1
}

# wait_exit PID SECONDS: waits for PID to end (bounded); sets RC to its exit
# status, or returns 1 if it is still running.
wait_exit() {
    _i=0
    _max=$(( $2 * 20 ))
    while kill -0 "$1" 2>/dev/null; do
        # a zombie child still answers kill -0: look at its state
        grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null && break
        [ "$_i" -ge "$_max" ] && return 1
        usleep 50000
        _i=$(( _i + 1 ))
    done
    wait "$1"
    RC=$?
    return 0
}

# start_server NAME ARGS...: hvecho -s ARGS --json in the background, its
# events in $T/NAME.out; waits until it listens. Sets SRV_PID.
start_server() {
    _s=$1
    shift
    $HV -s "$@" --json >"$T/$_s.out" 2>"$T/$_s.err" &
    SRV_PID=$!
    if ! wait_for "$T/$_s.out" '"event": *"listening"' 10; then
        kill -9 "$SRV_PID" 2>/dev/null
        show "$_s"
        fail "$_s: hvecho -s $* did not report listening within 10 s"
    fi
}

# stop_server NAME: SIGTERM; it must exit 0 within 5 s.
stop_server() {
    kill -TERM "$SRV_PID"
    if ! wait_exit "$SRV_PID" 5; then
        show "$1"
        fail "$1: server still running 5 s after SIGTERM"
    fi
    [ "$RC" -eq 0 ] || { show "$1"; fail "$1: server exit status $RC after SIGTERM, expected 0"; }
}

# bytes_equal FILE TEXT: FILE holds exactly the bytes of TEXT.
bytes_equal() {
    printf '%s' "$2" >"$T/expected"
    cmp -s "$1" "$T/expected"
}

# expect_handshake NAME: the output of a successful hvecho client run.
expect_handshake() {
    expect_rc "$1" 0
    expect_grep "$T/$1.out" 'bye' "$1: client output names the bye"
}

# clients_at_once N TARGET PORT TIMEOUT: N hvecho clients, each with its
# own message ("client I says hello"), held at a barrier (opening a fifo
# for reading blocks until it has a writer) and released together; output
# in $T/cI.out and .err. Sets BAD to the number that failed and
# ELAPSED_MS to the time from the release to the last one's end.
clients_at_once() {
    mkfifo "$T/go"
    _i=1
    _pids=""
    while [ $_i -le "$1" ]; do
        sh -c 'exec 3<"$1"; shift; exec "$@"' barrier "$T/go" \
            $HV -c "$2" -p "$3" -t "$4" -m "client $_i says hello" >"$T/c$_i.out" 2>"$T/c$_i.err" &
        _pids="$_pids $!"
        _i=$(( _i + 1 ))
    done
    _t0=$(now_ms)
    exec 4>"$T/go"
    BAD=0
    _i=1
    for _p in $_pids; do
        wait "$_p"
        _rc=$?
        if [ $_rc -ne 0 ]; then
            BAD=$(( BAD + 1 ))
            [ $BAD -le 3 ] && note "client $_i: exit $_rc: $(head -n 1 "$T/c$_i.err")"
        fi
        _i=$(( _i + 1 ))
    done
    ELAPSED_MS=$(( $(now_ms) - _t0 ))
    exec 4>&-
}

# guest_setup HOSTNAME: what every test guest's /init does first (PID 1):
# /dev, the console as stdin and stdout, /proc, /sys, /tmp, quiet kernel
# messages, the host name, lo up.
guest_setup() {
    /bin/busybox mount -t devtmpfs devtmpfs /dev
    exec 0</dev/console 1>/dev/console 2>&1
    export PATH=/bin:/sbin:/usr/bin:/usr/sbin
    export HOME=/tmp
    mount -t proc proc /proc
    mount -t sysfs sysfs /sys
    mount -t tmpfs -o size=75% tmpfs /tmp
    # Kernel messages below warnings would cut into the result lines.
    echo 4 >/proc/sys/kernel/printk
    hostname "$1"
    ip link set lo up
}

# ---- the runner -----------------------------------------------------------------

# run_phase PHASE: runs the selected cases of PHASE, in order.
run_phase() {
    echo "$CASES" | while read -r phase name desc; do
        [ "$phase" = "$1" ] || continue
        selected "$name" || continue
        idx=$(( $(cat /tmp/suite/n) + 1 ))
        echo "$idx" >/tmp/suite/n
        rm -rf "$T"
        mkdir -p "$T"
        t0=$(now_ms)
        # A session of its own (the script is no group leader, so setsid
        # does not fork): everything the case started dies with it below.
        setsid timeout -s KILL "$CASE_TIMEOUT" sh "$CASE_SCRIPT" --case "$name" \
            >/tmp/suite/case.log 2>&1 </dev/null &
        pid=$!
        wait "$pid"
        rc=$?
        kill -9 -- "-$pid" 2>/dev/null
        t1=$(now_ms)
        ms=$(( t1 - t0 ))
        if [ $rc -eq 0 ]; then
            echo "ok $idx - $desc (${ms} ms)"
            grep '^# ' /tmp/suite/case.log
            echo "$(( $(cat /tmp/suite/passed) + 1 ))" >/tmp/suite/passed
        else
            [ $rc -eq 137 ] && echo "# killed after the ${CASE_TIMEOUT} s case time limit" >>/tmp/suite/case.log
            echo "FAIL $idx - $desc (${ms} ms, status $rc)"
            sed 's/^\([^#]\)/#   \1/' /tmp/suite/case.log | head -n 80
            echo "$(( $(cat /tmp/suite/failed) + 1 ))" >/tmp/suite/failed
        fi
    done
}

selected() {
    [ -z "$HVECHO_ONLY" ] || echo "$1" | grep -qE "$HVECHO_ONLY"
}

# suite_begin: the plan ("1..N") and the counters.
suite_begin() {
    mkdir -p /tmp/suite
    echo 0 >/tmp/suite/n
    echo 0 >/tmp/suite/passed
    echo 0 >/tmp/suite/failed
    plan=0
    for name in $(echo "$CASES" | awk '{ print $2 }'); do
        selected "$name" && plan=$(( plan + 1 ))
    done
    echo "1..$plan"
    echo "# hvecho: $($HV --version 2>&1 | head -n 1)"
    suite_t0=$(now_ms)
}

# suite_end: the time taken and "N passed, N failed".
suite_end() {
    echo "# suite took $(( $(now_ms) - suite_t0 )) ms"
    echo "$(cat /tmp/suite/passed) passed, $(cat /tmp/suite/failed) failed"
}
