#!/usr/bin/env bash
# run-guest-tests.sh - runs hvecho's real AF_VSOCK test cases inside
# throwaway Linux guests (qemu, TCG), never on this machine. Two suites:
#   single    one guest, vsock_loopback (CID 1) only: cases.sh;
#   boundary  two levels: an outer guest that is a vsock host (vhost_vsock)
#             boots an inner guest (CID 3) with qemu from its initramfs;
#             the cases cross that real VM boundary: boundary.sh.
#
# Steps, each printed as it runs:
#   1. kernel:    Debian's kernel, fetched once with `apt-get download` of the
#                 package linux-image-amd64 depends on, unpacked with
#                 `dpkg-deb -x`; vmlinuz, vmlinux (the kernel uncompressed,
#                 which every guest boots) and the three vsock modules are
#                 kept (decompressed) in <build>/guest/kernel/<package>/.
#                 For the two-level suite also the virtio, guest vsock,
#                 vhost and KVM (kvm, kvm-amd and what they need) modules.
#   2. hvecho:    a statically linked hvecho, from a separate CMake configure
#                 of this source tree in <build>/guest/static: with musl
#                 (cmake/musl-static.cmake, as the preset "static") where
#                 musl-gcc is installed, else glibc's -static.
#   3. initramfs: busybox-static, hvecho, socat and ncat with the shared
#                 libraries ldd lists plus the dynamic loader, the modules,
#                 init.sh as /init and cases.sh; <build>/guest/initramfs.cpio.
#                 Two-level: inner.cpio (the same tools, the guest modules,
#                 inner-init.sh) and outer.cpio (the same tools, python3
#                 with the few modules the VMM stand-in imports, qemu with
#                 its libraries, TCG module and firmware, vmlinux and
#                 inner.cpio, the vhost and KVM modules, outer-init.sh,
#                 boundary.sh).
#   4. boot:      qemu-system-x86_64 -accel tcg with NO vsock device: the
#                 guest uses vsock_loopback (CID 1) only. Its serial console
#                 is kept in <build>/guest/guest.log; a guest still running
#                 after --timeout seconds is killed and counts as a failure.
#                 Two-level: the outer guest (-cpu max -smp 2 -m 2560, no
#                 vsock device of its own either) is booted once; the inner
#                 guest runs on the outer's KVM (kvm_amd on the SVM that
#                 qemu's TCG emulates), or on TCG where that is missing.
#                 Nothing uses this machine's /dev/kvm. Its console
#                 is <build>/guest/boundary-outer.log, the inner guest's
#                 <build>/guest/boundary-inner.log.
#   5. results:   the guest prints `ok N - ...` / `FAIL N - ...` per case and
#                 `N passed, N failed`; they are parsed from the log.
#
# Safety: nothing here opens an AF_VSOCK socket or /dev/vhost-vsock, or
# loads a module, on this machine. hvecho, socat, ncat and the inner qemu
# only run inside the guests.
#
# Exit status: 0 all cases passed; 1 a case failed, the guest hung or
# crashed; 2 bad usage; 3 could not prepare (no kernel, build failed, ...).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=$(cd "$here/../.." && pwd)
build_dir=""
timeout_s=180
memory=512M
do_prepare=1
do_boot=1
only=""
cmake_bin=${CMAKE_COMMAND:-cmake}
c_compiler=""
hvecho_given=""
suite=all
boundary_timeout=600

usage() {
    cat <<EOF
usage: $0 --build-dir DIR [options]

Runs hvecho's AF_VSOCK cases inside a qemu guest (see tests/guest/README.md).

  --build-dir DIR   the CMake build tree to work in (required); all files
                    go under DIR/guest
  --timeout SEC     kill the guest after SEC seconds (default $timeout_s)
  --memory SIZE     guest memory (default $memory)
  --only REGEX      run only the cases whose name matches REGEX
                    (busybox grep -E in the guest)
  --prepare-only    fetch the kernel, build hvecho and the initramfs; no boot
  --boot-only       boot the initramfs built before; no preparation
  --suite WHICH     single (one guest, vsock_loopback), boundary (two levels,
                    a real VM boundary) or all (default)
  --boundary-timeout SEC  kill the two-level guest after SEC seconds
                    (default $boundary_timeout)
  --hvecho PATH     use this statically linked hvecho instead of building one
  --cmake PATH      the cmake to use for the static build (default: cmake)
  --cc PATH         the C compiler for the static build
  -h, --help        this text
EOF
}

while [ $# -gt 0 ]; do
    case $1 in
        --build-dir) build_dir=${2:?--build-dir needs a directory}; shift 2 ;;
        --timeout) timeout_s=${2:?--timeout needs seconds}; shift 2 ;;
        --memory) memory=${2:?--memory needs a size}; shift 2 ;;
        --only) only=${2:?--only needs a pattern}; shift 2 ;;
        --prepare-only) do_boot=0; shift ;;
        --boot-only) do_prepare=0; shift ;;
        --hvecho) hvecho_given=${2:?--hvecho needs a path}; shift 2 ;;
        --suite) suite=${2:?--suite needs single, boundary or all}; shift 2 ;;
        --boundary-timeout) boundary_timeout=${2:?--boundary-timeout needs seconds}; shift 2 ;;
        --cmake) cmake_bin=${2:?--cmake needs a path}; shift 2 ;;
        --cc) c_compiler=${2:?--cc needs a path}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-guest-tests: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ -z "$build_dir" ]; then
    echo "run-guest-tests: --build-dir is required" >&2
    usage >&2
    exit 2
fi
case $timeout_s$boundary_timeout in
    ''|*[!0-9]*) echo "run-guest-tests: --timeout and --boundary-timeout take whole seconds" >&2; exit 2 ;;
esac
case $suite in
    single|boundary|all) ;;
    *) echo "run-guest-tests: --suite takes single, boundary or all" >&2; exit 2 ;;
esac
if [ -n "$only" ]; then
    case $only in
        *[!A-Za-z0-9_.\|-]*)
            echo "run-guest-tests: --only takes letters, digits and . _ - | only" >&2
            exit 2 ;;
    esac
fi
mkdir -p "$build_dir"
build_dir=$(cd "$build_dir" && pwd)
work=$build_dir/guest

step() { printf '\n== %s\n' "$*"; }
info() { printf '   %s\n' "$*"; }
die() { printf 'run-guest-tests: %s\n' "$*" >&2; exit "${2:-3}"; }

need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 ||
            die "$tool not found; run .ci/deps (as root) to install what the guest tests need"
    done
}

# ---- 1. kernel -------------------------------------------------------------

# The kernel package linux-image-amd64 depends on, per the package lists.
kernel_package() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

# The newest kernel cached by an earlier run, or nothing.
newest_cached_kernel() {
    local d
    local d
    for d in $(ls -d "$work"/kernel/linux-image-*/ 2>/dev/null | sort -rV); do
        if kernel_complete "${d%/}"; then
            echo "${d%/}"
            return
        fi
    done
}

# download_kernel PKG: fetches and unpacks PKG into $work/kernel/PKG, keeping
# vmlinuz and the three modules; the file "package" marks it complete.
# Returns 1 if the download fails.
download_kernel() {
    local pkg=$1 tmp=$work/kernel/tmp
    local dest=$work/kernel/$pkg
    info "linux-image-amd64 depends on $pkg; downloading it"
    rm -rf "$tmp" "$dest"
    mkdir -p "$tmp/root" "$dest/modules"
    # apt-get download writes into the current directory.
    (cd "$tmp" && apt-get download -q "$pkg") || return 1
    info "unpacking with dpkg-deb -x"
    dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
    local vmlinuz
    vmlinuz=$(ls "$tmp"/root/boot/vmlinuz-* 2>/dev/null | head -n 1) || true
    [ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in $pkg"
    cp "$vmlinuz" "$dest/vmlinuz"
    local m f
    for m in $KERNEL_MODULES; do
        f=$(find "$tmp/root/lib/modules" \
                 \( -name "$m.ko" -o -name "$m.ko.xz" \) | head -n 1)
        [ -n "$f" ] || die "$m.ko not found in $pkg"
        case $f in
            # busybox insmod cannot read xz: decompress here, on the host.
            *.xz) xz -dc "$f" >"$dest/modules/$m.ko" ;;
            *) cp "$f" "$dest/modules/$m.ko" ;;
        esac
        info "module $m.ko (from $(basename "$f"))"
    done
    # Every guest boots the uncompressed kernel (PVH entry: no
    # decompression under TCG).
    info "vmlinux: the kernel uncompressed"
    python3 "$here/extract-vmlinux.py" "$dest/vmlinuz" "$dest/vmlinux" ||
        die "could not extract vmlinux from $vmlinuz"
    echo "$pkg" >"$dest/package"
    rm -rf "$tmp"
    info "cached in $dest"
}

# The modules both suites load, from the kernel package.
KERNEL_MODULES="vsock vmw_vsock_virtio_transport_common vsock_loopback
    vmw_vsock_virtio_transport virtio_ring virtio virtio_pci_legacy_dev
    virtio_pci_modern_dev virtio_pci vhost_iotlb vhost vhost_vsock
    irqbypass kvm ccp kvm-amd"

# A cached kernel is complete when its package file, vmlinux and every
# module are there (a cache from before the two-level suite lacks some).
kernel_complete() {
    local m
    [ -f "$1/package" ] && [ -f "$1/vmlinux" ] || return 1
    for m in $KERNEL_MODULES; do
        [ -f "$1/modules/$m.ko" ] || return 1
    done
}

# Sets kdir to the kernel to boot: kdir/vmlinux and kdir/modules/*.ko.
fetch_kernel() {
    step "1/5 kernel: Debian linux-image for the guest"
    need apt-cache apt-get dpkg-deb xz
    local pkg
    pkg=$(kernel_package) || true
    if [ -n "$pkg" ] && kernel_complete "$work/kernel/$pkg"; then
        kdir=$work/kernel/$pkg
        info "cached: $kdir"
        return
    fi
    if [ -n "$pkg" ] && download_kernel "$pkg"; then
        kdir=$work/kernel/$pkg
        return
    fi
    # No package lists, or stale ones naming a version the mirror no
    # longer has: refresh them once.
    info "no kernel package to download; refreshing the package lists (apt-get update)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    if $sudo apt-get update -q >/dev/null; then
        pkg=$(kernel_package) || true
        if [ -n "$pkg" ] && { kernel_complete "$work/kernel/$pkg" || download_kernel "$pkg"; }; then
            kdir=$work/kernel/$pkg
            return
        fi
    fi
    kdir=$(newest_cached_kernel)
    [ -n "$kdir" ] || die "could not download linux-image-amd64's kernel and none is cached"
    info "download failed; using the cached $(basename "$kdir")"
}

# ---- 2. static hvecho ------------------------------------------------------

build_static_hvecho() {
    need readelf
    if [ -n "$hvecho_given" ]; then
        step "2/5 hvecho: given, $hvecho_given"
        hvecho_bin=$(readlink -f "$hvecho_given")
        [ -x "$hvecho_bin" ] || die "$hvecho_given is not an executable" 2
        check_static
        return
    fi
    step "2/5 hvecho: static build in $work/static"
    need "$cmake_bin"
    local args=(-S "$src_dir" -B "$work/static" -DHVECHO_GTK=OFF
                -DHVECHO_WIN32_GUI=OFF -DBUILD_TESTING=OFF)
    if command -v musl-gcc >/dev/null 2>&1; then
        # The same as the preset "static": fully static, musl libc.
        info "musl-gcc found: the static build uses musl (cmake/musl-static.cmake)"
        args+=("-DCMAKE_TOOLCHAIN_FILE=$src_dir/cmake/musl-static.cmake"
               -DCMAKE_BUILD_TYPE=MinSizeRel)
    else
        info "no musl-gcc (musl-tools): falling back to glibc's -static"
        args+=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_EXE_LINKER_FLAGS=-static)
        [ -z "$c_compiler" ] || args+=("-DCMAKE_C_COMPILER=$c_compiler")
    fi
    # A build tree made with the other compiler cannot be reconfigured.
    local mode=glibc
    command -v musl-gcc >/dev/null 2>&1 && mode=musl
    if [ "$(cat "$work/static/.libc" 2>/dev/null)" != "$mode" ]; then
        rm -rf "$work/static"
        mkdir -p "$work/static"
        echo "$mode" >"$work/static/.libc"
    fi
    info "$cmake_bin ${args[*]}"
    "$cmake_bin" "${args[@]}" >"$work/static-configure.log" 2>&1 || {
        cat "$work/static-configure.log" >&2
        die "configuring the static build failed"
    }
    info "$cmake_bin --build $work/static --target hvecho --parallel"
    "$cmake_bin" --build "$work/static" --target hvecho --parallel \
        >"$work/static-build.log" 2>&1 || {
        cat "$work/static-build.log" >&2
        die "building the static hvecho failed"
    }
    hvecho_bin=$work/static/cli/hvecho
    [ -x "$hvecho_bin" ] || die "no $hvecho_bin after the build"
    check_static
}

# Not executed here (this machine must not touch vsock): only inspected.
check_static() {
    if readelf -l "$hvecho_bin" | grep -q 'INTERP'; then
        die "$hvecho_bin is not statically linked"
    fi
    info "static: $hvecho_bin ($(stat -c %s "$hvecho_bin") bytes)"
}

# ---- 3. initramfs ----------------------------------------------------------

# Copies a dynamically linked program and what ldd lists for it (plus the
# dynamic loader) into the staging root, at the same paths.
copy_with_libs() {
    local prog=$1 dest=$2 lib
    install -D -m 0755 "$prog" "$root$dest"
    # ldd lines: "libx.so.1 => /lib/.../libx.so.1 (0x...)" and
    # "/lib64/ld-linux-x86-64.so.2 (0x...)"; linux-vdso has no file.
    for lib in $(ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
                                   $1 ~ /^\// { print $1 }'); do
        [ -e "$root$lib" ] && continue
        install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
    done
}

# stage_tools ROOT [inner]: a fresh staging root with busybox (and its
# applets), the static hvecho, socat and ncat with their libraries (not
# for the inner guest), /etc/passwd.
stage_tools() {
    root=$1
    local bb
    bb=$(command -v busybox)
    readelf -l "$bb" | grep -q INTERP &&
        die "$bb is not the static busybox; install busybox-static"
    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,modules,etc}
    install -m 0755 "$bb" "$root/bin/busybox"
    # The applets' links in one process (a fork of ln for each of some 270
    # applets took seconds per initramfs on a busy machine).
    busybox --list-full | python3 -c '
import os, sys
for name in sys.stdin.read().split():
    link = os.path.join(sys.argv[1], name)
    if not os.path.lexists(link):
        os.symlink("/bin/busybox", link)' "$root"
    install -m 0755 "$hvecho_bin" "$root/bin/hvecho"
    if [ "${2:-}" != inner ]; then
        copy_with_libs "$(command -v socat)" /usr/bin/socat
        copy_with_libs "$(command -v ncat)" /usr/bin/ncat
    fi
    printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\n' >"$root/etc/group"
}

# pack ROOT OUT: an uncompressed newc cpio archive (the guest would spend
# longer in gunzip under TCG than the bytes cost).
pack() {
    (cd "$1" && find . -print | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --quiet) >"$2"
    info "$2 ($(( $(stat -c %s "$2") / 1024 )) KiB)"
}

build_initramfs() {
    step "3/5 initramfs: busybox, hvecho, socat, ncat, vsock modules"
    need busybox cpio ldd socat ncat
    stage_tools "$work/initramfs"
    local m
    for m in vsock vmw_vsock_virtio_transport_common vsock_loopback; do
        install -m 0644 "$kdir/modules/$m.ko" "$root/modules/"
    done
    install -m 0755 "$here/init.sh" "$root/init"
    install -m 0755 "$here/cases.sh" "$root/cases.sh"
    install -m 0644 "$here/lib.sh" "$root/lib.sh"
    pack "$root" "$work/initramfs.cpio"
}

# copy_python: python3 (the system's) with just the modules the VMM
# stand-in imports, at their own paths, so it finds its prefix.
copy_python() {
    local py=/usr/bin/python3 f
    [ -x "$py" ] || py=$(command -v python3)
    copy_with_libs "$(readlink -f "$py")" "$(readlink -f "$py")"
    ln -sf "$(readlink -f "$py")" "$root/usr/bin/python3"
    for f in $("$py" -S -E -c 'import sys, os, socket, threading, time
import encodings.utf_8, encodings.latin_1, encodings.ascii
print("\n".join(sorted({m.__file__ for m in list(sys.modules.values())
                       if getattr(m, "__file__", None)})))'); do
        case $f in
            *.so) copy_with_libs "$f" "$f" ;;
            *) install -D -m 0644 "$f" "$root$f" ;;
        esac
    done
}

# The inner guest: the tools, the virtio and guest vsock modules,
# inner-init.sh. The outer guest: the tools, python3, qemu (binary,
# libraries, TCG module, firmware), the inner kernel and initramfs, the
# vhost modules, outer-init.sh, boundary.sh and the VMM stand-in.
build_boundary_initramfs() {
    step "3b/5 initramfs for the two-level suite: inner and outer guests"
    need busybox cpio ldd socat ncat qemu-system-x86_64
    local m f
    # The inner guest gets no socat or ncat: their libraries would make its
    # initramfs five times the size, and starting them two levels down
    # takes long. They run on the outer side of every case.
    stage_tools "$work/boundary-inner" inner
    for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev \
             virtio_pci vsock vmw_vsock_virtio_transport_common \
             vmw_vsock_virtio_transport; do
        install -m 0644 "$kdir/modules/$m.ko" "$root/modules/"
    done
    install -m 0755 "$here/inner-init.sh" "$root/init"
    install -m 0644 "$here/lib.sh" "$root/lib.sh"
    pack "$root" "$work/boundary-inner.cpio"

    stage_tools "$work/boundary-outer"
    for m in vhost_iotlb vhost vsock vmw_vsock_virtio_transport_common vhost_vsock \
             irqbypass kvm ccp kvm-amd; do
        install -m 0644 "$kdir/modules/$m.ko" "$root/modules/"
    done
    copy_python
    local qemu
    qemu=$(command -v qemu-system-x86_64)
    copy_with_libs "$qemu" /usr/bin/qemu-system-x86_64
    # Debian builds TCG as a module; qemu loads it from its module dir.
    for f in /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so \
             /usr/lib/qemu/accel-tcg-x86_64.so; do
        [ -f "$f" ] && copy_with_libs "$f" "$f"
    done
    # The firmware a PVH boot of -machine pc with no devices of its own
    # reads: SeaBIOS, the PVH and linuxboot option ROMs, kvmvapic.
    for f in /usr/share/seabios/bios-256k.bin /usr/share/qemu/pvh.bin \
             /usr/share/qemu/linuxboot_dma.bin /usr/share/qemu/kvmvapic.bin; do
        [ -e "$f" ] || die "$f not found (qemu-system-x86, seabios)"
        install -D -m 0644 "$(readlink -f "$f")" "$root$f"
    done
    install -D -m 0644 "$kdir/vmlinux" "$root/inner/vmlinux"
    install -m 0644 "$work/boundary-inner.cpio" "$root/inner/initramfs.cpio"
    install -m 0755 "$here/outer-init.sh" "$root/init"
    install -m 0755 "$here/boundary.sh" "$root/boundary.sh"
    install -m 0644 "$here/lib.sh" "$root/lib.sh"
    install -m 0644 "$src_dir/tests/lib/hybrid_vmm.py" "$root/hybrid_vmm.py"
    pack "$root" "$work/boundary-outer.cpio"
}

# ---- 4. boot ---------------------------------------------------------------

# boot_needs CPIO KERNEL: what a boot needs was prepared (sets kdir).
boot_needs() {
    need qemu-system-x86_64 timeout
    [ -f "$work/$1" ] || die "no $work/$1: run without --boot-only first"
    [ -n "$kdir" ] || kdir=$(newest_cached_kernel)
    [ -n "$kdir" ] && [ -f "$kdir/$2" ] || die "no cached kernel: run without --boot-only first"
}

# run_guest LIMIT LOG QEMU...: runs qemu with the serial console in LOG,
# killed after LIMIT seconds; sets elapsed and guest_status. stdin from
# /dev/null: the guest gets no input and qemu never waits on a terminal.
# -k: a guest ignoring SIGTERM is killed 5 s later.
run_guest() {
    local limit=$1 out=$2 start=$SECONDS rc=0
    shift 2
    timeout -k 5 "$limit" "$@" </dev/null >"$out" 2>&1 || rc=$?
    elapsed=$(( SECONDS - start ))
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        guest_status="killed at the ${limit}s time limit"
    elif [ "$rc" -ne 0 ]; then
        guest_status="qemu exited with status $rc"
    else
        guest_status="ended"
    fi
}

boot_guest() {
    step "4/5 boot: qemu-system-x86_64 -accel tcg, time limit ${timeout_s}s"
    boot_needs initramfs.cpio vmlinux
    # hvecho_test_guest=1: cases.sh runs only where this is on the command line.
    # pci=noearly: no early PCI scan for an AGP aperture (qemu's CPU is an
    # AMD one), seconds of port I/O under TCG; the kernel uncompressed
    # (PVH entry): no decompression under TCG.
    local append="console=ttyS0 panic=-1 quiet loglevel=3 mitigations=off cryptomgr.notests audit=0 apparmor=0 pci=noearly rdinit=/init hvecho_test_guest=1"
    [ -z "$only" ] || append+=" hvecho_only=$only"
    # No -device vhost-vsock-pci (or any vsock device) and no network: the
    # guest only talks to itself over vsock_loopback.
    local qemu=(qemu-system-x86_64 -accel tcg -smp 2 -m "$memory"
                -nodefaults -no-user-config -nographic -no-reboot
                -serial stdio -monitor none -nic none
                -kernel "$kdir/vmlinux" -initrd "$work/initramfs.cpio"
                -append "$append")
    info "${qemu[*]}"
    info "serial console -> $work/guest.log"
    log=$work/guest.log
    run_guest "$timeout_s" "$log" "${qemu[@]}"
    info "guest $guest_status (${elapsed}s)"
}

# The two-level guest, booted once. The outer kernel is the uncompressed
# vmlinux too (no decompression under TCG); it keeps ACPI (two CPUs) and
# ends with a reboot, which -no-reboot turns into qemu's exit.
boot_boundary() {
    step "4b/5 boot: the two-level guest, qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2560, time limit ${boundary_timeout}s"
    boot_needs boundary-outer.cpio vmlinux
    # clocksource=hpet: the suite's time limits run on this guest's clock,
    # and a TSC calibrated on a busy machine can run many times too fast.
    local append="console=ttyS0 panic=-1 quiet loglevel=3 mitigations=off clocksource=hpet cryptomgr.notests audit=0 apparmor=0 pci=noearly rdinit=/init hvecho_test_outer=1"
    [ -z "$only" ] || append+=" hvecho_only=$only"
    # No vsock device and no network: the outer guest is the vsock host of
    # its own inner guest and of nothing else.
    local qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2560
                -nodefaults -no-user-config -nographic -no-reboot
                -serial stdio -monitor none -nic none
                -kernel "$kdir/vmlinux" -initrd "$work/boundary-outer.cpio"
                -append "$append")
    info "${qemu[*]}"
    local raw=$work/boundary-console.log
    info "consoles -> $work/boundary-outer.log, $work/boundary-inner.log"
    run_guest "$boundary_timeout" "$raw" "${qemu[@]}"
    # The outer prints the inner's console at its end, each line marked.
    tr -d '\r' <"$raw" | grep -v '^inner' >"$work/boundary-outer.log" || true
    tr -d '\r' <"$raw" | sed -n 's/^inner\(-qemu\)\{0,1\}| //p' >"$work/boundary-inner.log" || true
    log=$work/boundary-outer.log
    info "guest $guest_status (${elapsed}s)"
}

# ---- 5. results ------------------------------------------------------------

report() {
    step "5/5 results (from $log)"
    # The serial console ends lines with CR LF.
    # The case lines, their details, and the guests' own lines (boot times).
    tr -d '\r' <"$log" | sed 's/^Booting from ROM\.\.//' |
        grep -E '^(ok|FAIL|skip) [0-9]+ - |^#|^hvecho-(guest|outer): ' || true
    local summary passed failed planned ran
    summary=$(tr -d '\r' <"$log" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1) || true
    planned=$(tr -d '\r' <"$log" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | tail -n 1) || true
    ran=$(tr -d '\r' <"$log" | grep -cE '^(ok|FAIL) [0-9]+ - ') || true
    if [ -z "$summary" ]; then
        echo "guest suite did not finish (guest $guest_status); last lines of the log:"
        tr -d '\r' <"$log" | sed 's/\x1b[[?0-9;]*[a-zA-Z]//g; s/\x1bc//g' |
            tail -n 25 | sed 's/^/   | /'
        echo "RESULT: FAIL"
        return 1
    fi
    passed=${summary%% passed*}
    failed=${summary#*, }; failed=${failed%% failed}
    echo "$summary (guest $guest_status, ${elapsed}s)"
    if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ] ||
       [ -z "$planned" ] || [ "$planned" -ne $(( passed + failed )) ] ||
       [ "$ran" -ne $(( passed + failed )) ]; then
        [ "$failed" -ne 0 ] || echo "planned ${planned:-?} cases, ${ran} reported"
        echo "RESULT: FAIL (full guest output: $log)"
        return 1
    fi
    echo "RESULT: PASS (full guest output: $log)"
}

mkdir -p "$work"
hvecho_bin=""
kdir=""
if [ "$do_prepare" -eq 1 ]; then
    fetch_kernel
    build_static_hvecho
    [ "$suite" = boundary ] || build_initramfs
    [ "$suite" = single ] || build_boundary_initramfs
fi
status=0
if [ "$do_boot" -eq 1 ] && [ "$suite" != boundary ]; then
    boot_guest
    report || status=1
fi
if [ "$do_boot" -eq 1 ] && [ "$suite" != single ]; then
    boot_boundary
    report || status=1
fi
exit $status
