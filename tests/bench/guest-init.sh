#!/bin/sh
# guest-init.sh - /init of the benchmark guest (busybox sh, PID 1), laid
# over the test guest's initramfs by guest-bench.sh. Runs inside the
# project's throwaway qemu guest ONLY: it loads the vsock modules and uses
# AF_VSOCK (CID 1, vsock_loopback).
#
# Starts four echo peers on vsock, each sending a bye after the client's
# shutdown as hvecho's handshake expects (but ncat, see below):
#   hvecho -s loopback -p 7000
#   socat VSOCK-LISTEN:7001,fork SYSTEM:'cat; printf bye'
#   ncat --vsock -l -k 7002 --sh-exec cat   (no bye: benched with --no-bye)
#   blocking-echo 7003   (tests/bench/blocking-echo.c: the reference)
# and runs hvecho bench latency, throughput and connections against each.
# Every result is one line "BENCH <peer> <json>" on the serial console;
# "BENCH-DONE" ends the run, then the guest powers off.

# The test guest's setup (tests/guest/lib.sh, in the initramfs below).
. /lib.sh
guest_setup hvecho-bench

secs=$(sed -n 's/.*hvecho_secs=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$secs" ] || secs=3
echo "hvecho-bench-guest: kernel $(uname -r), $(nproc) cpu(s), $secs s per run"
for m in vsock vmw_vsock_virtio_transport_common vsock_loopback; do
    insmod "/modules/$m.ko" || echo "BENCH-ERROR insmod $m.ko failed"
done

hvecho -s loopback -p 7000 -q --idle-timeout 0 >/tmp/srv.log 2>&1 &
socat VSOCK-LISTEN:7001,reuseaddr,fork SYSTEM:'cat; printf bye' >/tmp/socat.log 2>&1 &
# ncat ends the connection as soon as the client shuts down (its child
# gets no chance to send a bye): a plain echo, benched with --no-bye.
ncat --vsock -l -k 7002 --sh-exec cat >/tmp/ncat.log 2>&1 &
# The reference: one client at a time, blocking calls (blocking-echo.c).
blocking-echo 7003 >/tmp/blocking.log 2>&1 &

# Waits (bounded) until PORT answers a full handshake.
ready() {
    i=0
    while [ $i -lt 100 ]; do
        hvecho bench latency loopback -p "$1" -n 1 -t 2 $2 >/tmp/ready.out 2>&1 && return 0
        usleep 100000
        i=$(( i + 1 ))
    done
    return 1
}

for peer in hvecho:7000 socat:7001 ncat:7002 blocking:7003; do
    name=${peer%%:*}
    port=${peer#*:}
    nobye=""
    [ "$name" = ncat ] && nobye=--no-bye
    if ! ready "$port" "$nobye"; then
        echo "BENCH-ERROR $name on port $port never answered a handshake:" \
            "$(tail -n 2 /tmp/ready.out | tr '\n' ' ')" \
            "$(tail -n 2 "/tmp/$name.log" 2>/dev/null | tr '\n' ' ')"
        continue
    fi
    out=$(hvecho bench latency loopback -p "$port" --size 64 --duration "$secs" -t 10 $nobye --json 2>&1)
    echo "BENCH $name $out"
    out=$(hvecho bench throughput loopback -p "$port" --duration "$secs" -t 10 $nobye --json 2>&1)
    echo "BENCH $name $out"
    # Two lines: the handshakes one after another (each waits for the
    # last: what a server costs per connection), then 4 at once; three
    # rounds (guest-bench.sh shows the median), since an emulated CPU
    # on a shared host varies from run to run. 500 handshakes for hvecho
    # and the blocking server, 100 for socat and ncat, which fork a
    # process per connection and manage a few dozen a second here.
    n=500
    case $name in socat|ncat) n=100 ;; esac
    for round in 1 2 3; do
        hvecho bench connections loopback -p "$port" -n "$n" -P 4 -t 10 $nobye --json 2>&1 |
            tail -n 2 | while read -r out; do echo "BENCH $name $out"; done
    done
done
echo "BENCH-DONE"
sync
poweroff -f
reboot -f
