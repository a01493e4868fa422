#!/usr/bin/env bash
# guest-bench.sh - hvecho bench over real AF_VSOCK, inside the project's
# throwaway qemu guest (never on this machine), against three echo peers:
# hvecho -s, socat and ncat. Prints Markdown table rows on stdout (for
# compare.sh); progress and the guest's console go to stderr / a log.
#
# It reuses the test guest of tests/guest: run-guest-tests.sh
# --prepare-only fetches the kernel (cached) and builds a static hvecho and
# the initramfs; this script lays a second cpio archive over that one (the
# kernel unpacks both, the later wins) whose /init is guest-init.sh, and
# boots it the same way: qemu TCG, no vsock device, no network, so the
# guest only talks to itself over vsock_loopback. The overlay also holds
# tests/bench/blocking-echo.c, built static here: the reference peer.
#
# Figures from an emulated (TCG) CPU are slow in absolute terms; the point
# is hvecho against socat and ncat on the same guest.
#
# Usage: guest-bench.sh --build-dir DIR [--seconds N] [--timeout SEC]
#                       [--no-prepare]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=$(cd "$here/../.." && pwd)
build_dir=""
secs=3
timeout_s=240
prepare=1
while [ $# -gt 0 ]; do
    case $1 in
        --build-dir) build_dir=${2:?}; shift 2 ;;
        --seconds) secs=${2:?}; shift 2 ;;
        --timeout) timeout_s=${2:?}; shift 2 ;;
        --no-prepare) prepare=0; shift ;;
        *) echo "guest-bench.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$build_dir" ] || { echo "guest-bench.sh: --build-dir is required" >&2; exit 2; }
mkdir -p "$build_dir"
build_dir=$(cd "$build_dir" && pwd)
work=$build_dir/guest

die() { echo "guest-bench: $*" >&2; exit 1; }

if [ "$prepare" -eq 1 ]; then
    echo "guest-bench: preparing the guest (tests/guest/run-guest-tests.sh --prepare-only)" >&2
    bash "$src_dir/tests/guest/run-guest-tests.sh" --build-dir "$build_dir" \
        --prepare-only >"$work-bench-prepare.log" 2>&1 ||
        die "preparing the guest failed (see $work-bench-prepare.log)"
fi
[ -f "$work/initramfs.cpio" ] || die "no $work/initramfs.cpio: prepare the guest first"
kdir=$(ls -d "$work"/kernel/linux-image-*/ 2>/dev/null | sort -V | tail -n 1) || true
kdir=${kdir%/}
[ -f "$kdir/vmlinuz" ] || die "no cached guest kernel under $work/kernel"

overlay=$work/bench-overlay
rm -rf "$overlay"
mkdir -p "$overlay"
install -m 0755 "$here/guest-init.sh" "$overlay/init"
# The reference peer, static like the guest's hvecho (musl where the
# static hvecho has it, else glibc's -static).
mkdir -p "$overlay/bin"
if command -v musl-gcc >/dev/null 2>&1 && [ -d "$work/static/musl-kernel-headers" ]; then
    musl-gcc -O2 -Wall -Wextra -Werror -static -idirafter "$work/static/musl-kernel-headers" \
        "$here/blocking-echo.c" -o "$overlay/bin/blocking-echo"
else
    cc -O2 -Wall -Wextra -Werror -static "$here/blocking-echo.c" -o "$overlay/bin/blocking-echo"
fi || die "building tests/bench/blocking-echo.c failed"
(cd "$overlay" && find . -print | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
    >"$work/bench-overlay.cpio"
cat "$work/initramfs.cpio" "$work/bench-overlay.cpio" >"$work/bench-initramfs.cpio"

log=$work/guest-bench.log
echo "guest-bench: booting qemu (TCG, vsock_loopback only), console in $log" >&2
rc=0
timeout -k 5 "$timeout_s" qemu-system-x86_64 -accel tcg -smp 2 -m 512M \
    -nodefaults -no-user-config -nographic -no-reboot \
    -serial stdio -monitor none -nic none \
    -kernel "$kdir/vmlinuz" -initrd "$work/bench-initramfs.cpio" \
    -append "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init hvecho_secs=$secs" \
    </dev/null >"$log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || echo "guest-bench: qemu exit status $rc" >&2
tr -d '\r' <"$log" | grep -q '^BENCH-DONE' ||
    die "the guest did not finish the benchmarks (see $log)"
tr -d '\r' <"$log" | grep '^BENCH-ERROR' >&2 || true

# BENCH <peer> <json> lines -> table rows.
tr -d '\r' <"$log" | grep '^BENCH [a-z]* {' | python3 -c '
import json, sys
res = {}
for line in sys.stdin:
    _, peer, js = line.split(" ", 2)
    try:
        r = json.loads(js)
    except ValueError:
        continue
    kind = r["bench"]
    if r.get("phase"):
        kind += " " + r["phase"]
    res.setdefault(kind, {}).setdefault(peer, []).append(r)
def cell(kind, peer, fmt):
    runs = res.get(kind, {}).get(peer)
    if not runs:
        return "-"
    bad = [r for r in runs if r.get("exit", 0) != 0]
    if bad:
        return "failed: %s" % bad[0].get("error", "?")
    # Several rounds (the handshakes): the median one.
    runs.sort(key=lambda r: r.get("handshakes_per_s", 0))
    r = runs[len(runs) // 2]
    text = fmt(r)
    if len(runs) > 1:
        text += " (median of %s)" % ", ".join(fmt(x).split()[0] for x in runs)
    return text
rows = [
    ("latency, 64 B, round trip p50", "latency",
     lambda r: "%.0f µs" % r["rtt_us"]["p50"]),
    ("echoed throughput", "throughput",
     lambda r: "%.1f MB/s" % r["mb_per_s"]),
    ("handshakes, one at a time", "connections sequential",
     lambda r: "%.0f /s" % r["handshakes_per_s"]),
    ("handshakes, 4 at once", "connections parallel 4",
     lambda r: "%.0f /s" % r["handshakes_per_s"]),
]
for label, kind, fmt in rows:
    print("| AF_VSOCK in the qemu guest (TCG): %s | %s | socat %s; ncat (no bye) %s;"
          " blocking one-client server %s | | |"
          % (label, cell(kind, "hvecho", fmt), cell(kind, "socat", fmt),
             cell(kind, "ncat", fmt), cell(kind, "blocking", fmt)))
'
