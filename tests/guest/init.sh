#!/bin/sh
# init.sh - /init of the throwaway test guest (busybox sh, PID 1).
#
# Mounts what the cases need, runs /cases.sh with its output on the serial
# console, and powers the guest off whatever happens, so that qemu exits.
# The vsock modules are NOT loaded here: cases.sh loads them itself, because
# its first cases need vsock missing, then vsock_loopback missing.

# PID 1 of the test guest only; never a shell on a real machine.
if [ "$$" -ne 1 ]; then
    echo "init.sh: this is the test guest's /init; run tests/guest/run-guest-tests.sh" >&2
    exit 2
fi

# The initramfs has no /dev/console node: mount devtmpfs, then open it.
. /lib.sh
guest_setup hvecho-guest

only=$(sed -n 's/.*hvecho_only=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "hvecho-guest: kernel $(uname -r), $(nproc) cpu(s), $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), up $(cut -d' ' -f1 /proc/uptime) s"
HVECHO_ONLY=$only sh /cases.sh
echo "hvecho-guest: suite exited with status $?, powering off"
sync
poweroff -f
# poweroff failed: with -no-reboot a reboot also ends qemu.
reboot -f
