#!/usr/bin/env python3
"""hybrid_vmm - a stand-in for the host side of a hybrid vsock VMM
(Firecracker, Cloud Hypervisor), written from the protocol Firecracker
documents in docs/vsock.md. It is not Firecracker: it is what the tests
hold hvecho's `hybrid:` target and listen address against.

  host -> guest: a host program connects to the VMM's Unix socket UDS and
    writes "CONNECT <port>\\n". The VMM opens the guest's vsock port; when
    that works it answers "OK <hostport>\\n" (hostport: the host side's own
    port number, counting up from 2^30) and from then on the stream is the
    guest's connection; when nothing listens there it closes the socket.
  guest -> host: a guest connects to the host (CID 2) on port P; the VMM
    connects to the host's Unix socket UDS_P and joins the two.

Here "the guest" is either a real vsock peer (in the outer qemu guest of
the two-level guest suite: the inner guest's CID, over vhost-vsock) or,
on a machine without vsock, Unix sockets standing in for guest ports.

Usage: hybrid_vmm.py --uds PATH --guest vsock:CID|unix:PREFIX
                     [--from-guest vsock:PORT | --from-guest unix:PATH:PORT]...
                     [--reply TEXT] [--silent] [--lifetime SECONDS]
  --guest unix:PREFIX   guest port P is the Unix socket PREFIX_P
  --from-guest          where guest -> host connections come from: a vsock
                        port this machine listens on (the host side), or a
                        Unix socket standing for guest connections to P
  --reply TEXT          answer TEXT (Python escapes, e.g. 'NO\\n') instead
                        of "OK <hostport>\\n" (a broken VMM, for the tests)
  --silent              read the CONNECT line and never answer
  --lifetime SECONDS    exit after that long at most (default 600)
Prints "ready" on stdout once every socket listens. Uses only the socket,
threading, os, sys and time modules (the guest suite copies just those).
"""
import os
import socket
import sys
import threading
import time

AF_VSOCK = getattr(socket, "AF_VSOCK", 40)
CONNECT_TIMEOUT = 5.0
LINE_MAX = 64


def log(msg):
    sys.stderr.write("hybrid_vmm: %s\n" % msg)
    sys.stderr.flush()


def splice(a, b):
    """Copies both ways until both directions ended; a shutdown of one
    side's sending half is passed on as a shutdown, not a close, so a
    half-closed handshake (shutdown, then the bye) works through it."""
    def pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
    t = threading.Thread(target=pump, args=(b, a), daemon=True)
    t.start()
    pump(a, b)
    t.join()
    a.close()
    b.close()


class Vmm:
    def __init__(self, uds, guest, reply=None, silent=False):
        self.uds = uds
        self.guest = guest
        self.reply = reply
        self.silent = silent
        self.next_port = 1 << 30
        self.lock = threading.Lock()

    def connect_guest(self, port):
        kind, _, arg = self.guest.partition(":")
        if kind == "vsock":
            s = socket.socket(AF_VSOCK, socket.SOCK_STREAM)
            s.settimeout(CONNECT_TIMEOUT)
            s.connect((int(arg), port))
        else:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(CONNECT_TIMEOUT)
            s.connect("%s_%d" % (arg, port))
        s.settimeout(None)
        return s

    def host_conn(self, c):
        """One connection to UDS: the CONNECT line, the guest, OK."""
        line = b""
        c.settimeout(CONNECT_TIMEOUT)
        try:
            while not line.endswith(b"\n") and len(line) < LINE_MAX:
                b = c.recv(1)
                if not b:
                    break
                line += b
            words = line.split()
            if len(words) != 2 or words[0] != b"CONNECT" or \
                    not words[1].isdigit():
                log("bad request %r: closed" % line)
                c.close()
                return
            port = int(words[1])
            if self.silent:
                time.sleep(3600)
                return
            try:
                g = self.connect_guest(port)
            except OSError as e:
                log("CONNECT %d: guest port shut (%s): closed" % (port, e))
                c.close()
                return
            if self.reply is not None:
                c.sendall(self.reply)
                time.sleep(0.2)
                c.close()
                g.close()
                return
            with self.lock:
                hostport = self.next_port
                self.next_port += 1
            c.sendall(b"OK %d\n" % hostport)
            c.settimeout(None)
            log("CONNECT %d: OK %d" % (port, hostport))
        except OSError as e:
            log("host connection failed: %s" % e)
            c.close()
            return
        splice(c, g)

    def guest_conn(self, g, port):
        """A guest connection to host port `port`: on to UDS_port."""
        h = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        h.settimeout(CONNECT_TIMEOUT)
        try:
            h.connect("%s_%d" % (self.uds, port))
        except OSError as e:
            log("guest -> host port %d: %s_%d: %s: closed"
                % (port, self.uds, port, e))
            h.close()
            g.close()
            return
        h.settimeout(None)
        log("guest -> host port %d: joined to %s_%d" % (port, self.uds, port))
        splice(g, h)

    def accept_loop(self, listener, handle, *args):
        while True:
            try:
                c, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(c, *args),
                             daemon=True).start()


def listen_unix(path):
    try:
        os.unlink(path)
    except OSError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(256)
    return s


def main(argv):
    uds = guest = reply = None
    silent = False
    lifetime = 600.0
    from_guest = []
    i = 0
    while i < len(argv):
        a = argv[i]
        v = argv[i + 1] if i + 1 < len(argv) else None
        if a == "--silent":
            silent = True
            i += 1
            continue
        if v is None:
            sys.exit("hybrid_vmm: %s needs a value" % a)
        if a == "--uds":
            uds = v
        elif a == "--guest":
            guest = v
        elif a == "--from-guest":
            from_guest.append(v)
        elif a == "--reply":
            reply = v.encode("latin-1").decode("unicode_escape") \
                .encode("latin-1")
        elif a == "--lifetime":
            lifetime = float(v)
        else:
            sys.exit("hybrid_vmm: unknown option %s" % a)
        i += 2
    if not uds or not guest or guest.split(":")[0] not in ("vsock", "unix"):
        sys.exit(__doc__)
    vmm = Vmm(uds, guest, reply, silent)
    threads = [threading.Thread(target=vmm.accept_loop,
                                args=(listen_unix(uds), vmm.host_conn),
                                daemon=True)]
    for f in from_guest:
        kind, _, rest = f.partition(":")
        if kind == "vsock":
            port = int(rest)
            s = socket.socket(AF_VSOCK, socket.SOCK_STREAM)
            s.bind((0xFFFFFFFF, port))
            s.listen(256)
        else:
            path, _, p = rest.rpartition(":")
            port = int(p)
            s = listen_unix(path)
        threads.append(threading.Thread(target=vmm.accept_loop,
                                        args=(s, vmm.guest_conn, port),
                                        daemon=True))
    for t in threads:
        t.start()
    print("ready", flush=True)
    time.sleep(lifetime)
    log("lifetime over")


if __name__ == "__main__":
    main(sys.argv[1:])
