#!/bin/sh
# outer-init.sh - /init of the OUTER guest of the two-level guest suite
# (busybox sh, PID 1): a qemu TCG guest that is itself a vsock host. It
# loads vhost_iotlb, vhost, vsock, vmw_vsock_virtio_transport_common and
# vhost_vsock (so /dev/vhost-vsock exists here, in the guest), and kvm and
# kvm-amd (so its /dev/kvm runs the inner guest), runs
# boundary.sh, which boots the inner guest with qemu from this initramfs
# and runs the cases, then ends the outer guest (acpi=off: no power off,
# so a reboot, which -no-reboot turns into qemu's exit).

if [ "$$" -ne 1 ]; then
    echo "outer-init.sh: the outer test guest's /init; run tests/guest/run-guest-tests.sh" >&2
    exit 2
fi
. /lib.sh
guest_setup hvecho-outer

echo "hvecho-outer: up $(cut -d' ' -f1 /proc/uptime) s (outer clock), loading modules"
for m in vhost_iotlb vhost vsock vmw_vsock_virtio_transport_common vhost_vsock; do
    insmod "/modules/$m.ko" || echo "# insmod $m.ko failed"
done
# KVM inside this TCG guest: qemu's TCG emulates AMD SVM for -cpu max, so
# kvm_amd can run the inner guest here; without it the inner runs on TCG.
for m in irqbypass kvm ccp kvm-amd; do
    insmod "/modules/$m.ko" 2>/dev/null || { echo "# insmod $m.ko failed: the inner guest runs on TCG"; break; }
done
echo "hvecho-outer: kernel $(uname -r), $(nproc) cpu(s), $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), /dev/vhost-vsock $([ -e /dev/vhost-vsock ] && echo present || echo MISSING), /dev/kvm $([ -e /dev/kvm ] && echo present || echo absent), up $(cut -d' ' -f1 /proc/uptime) s"
only=$(sed -n 's/.*hvecho_only=\([^ ]*\).*/\1/p' /proc/cmdline)
HVECHO_ONLY=$only sh /boundary.sh
echo "hvecho-outer: suite exited with status $?, ending the guest"
sync
reboot -f
poweroff -f
