#!/bin/sh
# inner-init.sh - /init of the INNER guest of the two-level guest suite
# (busybox sh, PID 1), booted by the outer guest's qemu with a
# vhost-vsock-pci device (guest CID 3). See boundary.sh.
#
# It loads the virtio and guest vsock modules, then serves commands from
# the outer guest on its second serial line (ttyS1), one at a time: the
# outer writes "ID SECONDS COMMAND" on one line; the command runs under
# `timeout SECONDS`, and its output comes back between "@@BEGIN ID" and
# "@@END ID STATUS". Its console (ttyS0) is the outer guest's log of it.
# The outer never talks to it over vsock except in the cases themselves.

if [ "$$" -ne 1 ]; then
    echo "inner-init.sh: the inner test guest's /init; run tests/guest/run-guest-tests.sh" >&2
    exit 2
fi
. /lib.sh
guest_setup hvecho-inner
echo "inner: up $(cut -d' ' -f1 /proc/uptime) s (inner clock), loading modules"

# virtio-pci and the guest transport (Debian builds them as modules).
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev \
         virtio_pci vsock vmw_vsock_virtio_transport_common \
         vmw_vsock_virtio_transport; do
    insmod "/modules/$m.ko" || echo "inner: insmod $m.ko failed"
done
i=0
while [ ! -e /dev/vsock ] && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
echo "inner: kernel $(uname -r), $(nproc) cpu(s), /dev/vsock $([ -e /dev/vsock ] && echo present || echo MISSING), up $(cut -d' ' -f1 /proc/uptime) s"

# The command line: raw, no echo, so what the outer writes is not sent back.
stty -F /dev/ttyS1 raw -echo
exec 3<>/dev/ttyS1
echo "@@READY" >&3
while IFS= read -r line <&3; do
    id=${line%% *}
    rest=${line#* }
    secs=${rest%% *}
    rest=${rest#* }
    len=${rest%% *}
    cmd=${rest#* }
    # A line that lost bytes on the way (seen once in a run) is not run:
    # the outer is asked to send it again.
    case $id$secs$len in
        *[!0-9]*|'') ok=0 ;;
        *) [ "${#id}" -gt 0 ] && [ "${#secs}" -gt 0 ] && [ "$len" = "${#cmd}" ] && ok=1 || ok=0 ;;
    esac
    if [ "$ok" -ne 1 ]; then
        echo "inner: $(cut -d' ' -f1 /proc/uptime) a garbled line of ${#line} bytes, asking again"
        echo "@@RESEND" >&3
        continue
    fi
    echo "inner: $(cut -d' ' -f1 /proc/uptime) [$id] $cmd"
    timeout -s KILL "$secs" sh -c "$cmd" </dev/null >/tmp/agent.out 2>&1
    rc=$?
    echo "inner: $(cut -d' ' -f1 /proc/uptime) [$id] exit $rc"
    { echo "@@BEGIN $id"; cat /tmp/agent.out; echo "@@END $id $rc"; } >&3
    [ "$cmd" = "reboot -f" ] && break
done
reboot -f
