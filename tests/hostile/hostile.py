#!/usr/bin/env python3
"""hostile.py - hostile peers against the real hvecho server (issue 7).

Each case starts `hvecho -s tcp:127.0.0.1:0 --json` (the system picks the
port; the driver reads it from the "listening" event, so parallel runs
never collide), warms it up, takes its figures (open descriptors from
/proc/PID/fd, VmRSS from /proc/PID/status), lets hostile peers loose while
good clients (a separate process, so this one's threads cannot slow them)
keep doing the full handshake and check every echoed byte, then checks:

  - every good handshake completed, every echoed byte right;
  - the server is still alive, and its descriptors and memory came back to
    where they started (memory within a small slack: the allocator keeps
    some freed pages);
  - the server's log says why it closed each hostile peer.

Every loop is bounded in count and in time. Standard library only.

    hostile.py --hvecho PATH CASE      run one case (see CASES)
    hostile.py --good PORT SECONDS     (internal) the good-client process
"""

import argparse
import fcntl
import json
import os
import random
import re
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

MIB = 1024 * 1024
SANITIZED = False  # --sanitized: ASan keeps freed memory, RSS not checked


def log(msg):
    print(msg, flush=True)


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


# ---------------------------------------------------------------- figures

def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise Fail(f"no {field} in /proc/{pid}/status")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 (1-based) of the whole line.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


# ---------------------------------------------------------------- server

class Server:
    """The real hvecho server on 127.0.0.1, port chosen by the system."""

    def __init__(self, hvecho, extra=(), nofile=None,
                 listen="tcp:127.0.0.1:0"):
        self.logf = tempfile.NamedTemporaryFile(
            mode="w+b", prefix="hvecho-hostile-", suffix=".jsonl")
        self.errf = tempfile.TemporaryFile(mode="w+b")

        def limit_fds():
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.proc = subprocess.Popen(
            [hvecho, "-s", listen, "--json", *extra],
            stdout=self.logf, stderr=self.errf, stdin=subprocess.DEVNULL,
            preexec_fn=limit_fds if nofile else None)
        self.pid = self.proc.pid
        self.port = None
        listening = False
        end = time.monotonic() + 10
        while time.monotonic() < end and not listening:
            for ev in self.events():
                if ev.get("event") == "listening":
                    self.port = ev.get("port")
                    listening = True
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        check(listening and (self.port or not listen.startswith("tcp:")),
              "the server did not report a listening port: " + self.stderr())

    def events(self):
        with open(self.logf.name, "rb") as f:
            data = f.read()
        out = []
        for line in data.split(b"\n"):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass  # a line being written right now
        return out

    def closes(self, error=None):
        return [e for e in self.events() if e.get("event") == "closed"
                and (error is None or e.get("error") == error)]

    def stderr(self):
        self.errf.seek(0)
        return self.errf.read().decode(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def fds(self):
        return fd_count(self.pid)

    def rss_kib(self):
        return status_kib(self.pid, "VmRSS")

    def hwm_kib(self):
        return status_kib(self.pid, "VmHWM")

    def stop(self):
        """SIGTERM; the server must stop cleanly (exit 0) within 5 s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise Fail("the server did not stop within 5 s of SIGTERM")
        return self.proc.returncode


# ---------------------------------------------------------------- clients

def handshake(port, msg, timeout=10.0, chunk=None, rng=None, connect=None):
    """The hvecho handshake, checked byte by byte. Returns seconds taken;
    raises Fail on any deviation. connect, when given, makes the socket
    (another family than TCP on 127.0.0.1)."""
    t0 = time.monotonic()
    deadline = t0 + timeout
    s = connect() if connect else \
        socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.setblocking(False)
        sent = got = 0
        view = memoryview(msg)
        while got < len(msg):
            left = deadline - time.monotonic()
            check(left > 0, f"good client: timed out after {got} of "
                  f"{len(msg)} echoed bytes")
            w = [s] if sent < len(msg) else []
            r, w, _ = select.select([s], w, [], left)
            if w:
                n = chunk(rng) if chunk else len(msg) - sent
                try:
                    sent += s.send(view[sent:sent + n])
                except BlockingIOError:
                    pass
            if r:
                data = s.recv(65536)
                check(data, f"good client: end of stream after {got} of "
                      f"{len(msg)} echoed bytes")
                check(data == msg[got:got + len(data)],
                      f"good client: echo differs at byte {got}")
                got += len(data)
        s.shutdown(socket.SHUT_WR)
        bye = b""
        while True:
            left = deadline - time.monotonic()
            check(left > 0, "good client: no end of stream after the bye")
            r, _, _ = select.select([s], [], [], left)
            if r:
                data = s.recv(4097)
                if not data:
                    break
                bye += data
                check(len(bye) <= 4096, "good client: bye too long")
        check(bye == b"bye", f"good client: bye was {bye!r}")
    finally:
        s.close()
    return time.monotonic() - t0


def good_main(port, seconds):
    """The good-client process: full handshakes in a row for `seconds`,
    one line of JSON with the figures at the end."""
    rng = random.Random(port)
    lat, fails, nbytes = [], [], 0
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end and i < 100000:
        i += 1
        msg = rng.randbytes(rng.choice((14, 100, 1000, 20000)))
        try:
            lat.append(handshake(port, msg))
            nbytes += len(msg)
        except (Fail, OSError) as e:
            fails.append(str(e))
        time.sleep(0.005)
    print(json.dumps({"ok": len(lat), "fails": fails[:5],
                      "nfails": len(fails), "bytes": nbytes,
                      "p50_ms": percentile(lat, 50) * 1000,
                      "p99_ms": percentile(lat, 99) * 1000,
                      "max_ms": max(lat) * 1000 if lat else None}))


class Good:
    """Runs the good-client process next to the hostile peers."""

    def __init__(self, port, seconds):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--good", str(port),
             str(seconds)], stdout=subprocess.PIPE)
        self.seconds = seconds

    def result(self):
        out, _ = self.proc.communicate(timeout=self.seconds + 60)
        r = json.loads(out)
        check(r["nfails"] == 0, f"good clients failed {r['nfails']} times: "
              f"{r['fails']}")
        check(r["ok"] > 0, "no good handshake completed")
        return r


def reset_close(s):
    """Close with SO_LINGER 0: the peer sees a reset."""
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
    except OSError:
        pass
    s.close()


# ---------------------------------------------------------------- frame

class Case:
    """Start, warm up, take the 'before' figures, run, wait for the
    server's descriptors to come back, take the 'after' figures, check."""

    rss_slack_kib = 4 * 1024

    def __init__(self, hvecho, name, extra=()):
        self.name = name
        self.srv = Server(hvecho, extra)
        for _ in range(20):
            handshake(self.srv.port, os.urandom(70000))
        time.sleep(0.2)
        self.fds_before = self.srv.fds()
        self.rss_before = self.srv.rss_kib()
        self.peak_rss = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        self.figures = {}

    def _sample(self):
        while not self._stop.wait(0.02):
            try:
                self.peak_rss = max(self.peak_rss, self.srv.rss_kib())
            except (OSError, Fail):
                return

    def settle(self, limit_s=15.0):
        """Wait (bounded) until the server holds as many fds as before."""
        end = time.monotonic() + limit_s
        while time.monotonic() < end:
            check(self.srv.alive(), "the server died: " + self.srv.stderr())
            if self.srv.fds() <= self.fds_before:
                break
            time.sleep(0.05)
        time.sleep(0.3)
        return self.srv.fds()

    def finish(self, good=None, peak_limit_mib=None):
        check(self.srv.alive(), "the server died: " + self.srv.stderr())
        fds_after = self.settle()
        rss_after = self.srv.rss_kib()
        self._stop.set()
        self._sampler.join()
        self.peak_rss = max(self.peak_rss, rss_after)
        # A last handshake: still serving, still echoing right.
        handshake(self.srv.port, os.urandom(100000))
        f = self.figures
        if good:
            f.update(good_ok=good["ok"], good_p50_ms=round(good["p50_ms"], 2),
                     good_p99_ms=round(good["p99_ms"], 2),
                     good_max_ms=round(good["max_ms"], 2))
        f.update(fds_before=self.fds_before, fds_after=fds_after,
                 rss_before_kib=self.rss_before, peak_rss_kib=self.peak_rss,
                 rss_after_kib=rss_after)
        log(f"[{self.name}] " + " ".join(f"{k}={v}" for k, v in f.items()))
        check(fds_after == self.fds_before,
              f"descriptors did not come back: {self.fds_before} before, "
              f"{fds_after} after")
        if SANITIZED:
            log(f"[{self.name}] sanitizer build: memory figures not checked")
        else:
            check(rss_after <= self.rss_before + self.rss_slack_kib,
                  f"memory did not come back: VmRSS {self.rss_before} KiB "
                  f"before, {rss_after} KiB after")
            if peak_limit_mib is not None:
                check(self.peak_rss <= self.rss_before + peak_limit_mib * 1024,
                      f"memory not bounded: peak VmRSS {self.peak_rss} KiB, "
                      f"{self.rss_before} KiB before")
        rc = self.srv.stop()
        check(rc == 0, f"the server exited {rc} on SIGTERM: "
              + self.srv.stderr())


def raise_fd_limit(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ---------------------------------------------------------------- cases

def case_idle(hvecho):
    """1,000 connections that connect and say nothing: the idle timeout
    closes them; good clients meanwhile keep their p99 under 100 ms."""
    limit = raise_fd_limit(4096)  # the server inherits it
    n = min(1000, (limit - 200) // 2)
    if n < 1000:
        log(f"[idle] RLIMIT_NOFILE is {limit}: {n} idle peers, not 1000")
    c = Case(hvecho, "idle", ["--idle-timeout", "3"])
    port = c.srv.port
    idle = []
    t0 = time.monotonic()
    for _ in range(n):
        idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    t_open = time.monotonic() - t0
    # Counted before the good clients' 2 s, once the server has taken
    # them all: after them, on a loaded machine, the 3 s idle timeout had
    # already closed most of them (168 of 1,000 held in a -j2 run).
    end = time.monotonic() + 2
    while c.srv.fds() - c.fds_before < n and time.monotonic() < end:
        time.sleep(0.02)
    open_now = c.srv.fds() - c.fds_before
    good = Good(port, 2.0)
    r = good.result()
    # Each idle peer must now see the server close it: EOF or a reset.
    end = time.monotonic() + 15
    closed = 0
    pending = list(idle)
    while pending and time.monotonic() < end:
        r_ready, _, _ = select.select(pending, [], [], 0.5)
        for s in r_ready:
            try:
                data = s.recv(16)
            except ConnectionResetError:
                data = b""
            check(data == b"", f"idle peer got bytes {data!r}")
            pending.remove(s)
            closed += 1
    t_closed = time.monotonic() - t0
    for s in idle:
        s.close()
    c.figures.update(idle_peers=n, open_s=round(t_open, 2),
                     server_fds_with_idle=open_now,
                     idle_closed_by_server=closed,
                     all_closed_after_s=round(t_closed, 2))
    check(open_now >= n, f"the server held {open_now} extra fds, not {n}")
    check(closed == n, f"only {closed} of {n} idle peers were closed")
    c.finish(r, peak_limit_mib=64)
    lines = len(c.srv.closes("idle-timeout"))
    log(f"[idle] idle-timeout log lines: {lines}")
    check(lines == n, f"{lines} idle-timeout close events, not {n}")
    check(r["p99_ms"] < 100, f"good-client p99 {r['p99_ms']:.1f} ms >= 100")


def flood_sender(port, total, seconds, halfclose, out, rcvbuf=None):
    """Sends up to `total` bytes and never reads; returns what got out."""
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    block = memoryview(os.urandom(MIB))
    sent = 0
    end = time.monotonic() + seconds
    while sent < total and time.monotonic() < end:
        _, w, _ = select.select([], [s], [], 0.1)
        if w:
            try:
                sent += s.send(block[: min(MIB, total - sent)])
            except BlockingIOError:
                pass
            except OSError:
                break
    if halfclose:
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    out.append((s, sent))


def server_rx_queue(port, peer_port):
    """Bytes in the server-side socket's receive queue, not yet read by
    the server (from /proc/net/tcp), or None when not found."""
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            parts = line.split()
            lp = int(parts[1].split(":")[1], 16)
            rp = int(parts[2].split(":")[1], 16)
            if lp == port and rp == peer_port:
                return int(parts[4].split(":")[1], 16)
    return None


def unsent(sock):
    """Bytes in our own send queue (SIOCOUTQ)."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ,
                                          b"\0\0\0\0"))[0]


def stuck_fin_peer(port, out):
    """Sends in 32 KiB steps, never reading, until the server has stopped
    reading from it (its receive queue holds bytes that stay there: the
    echo path is full) while everything we sent has reached it (so its
    window is still open), then half-closes: the FIN reaches the server
    while it must not read. An attempt that overshoots (the server's
    window closed first) is reset and tried again, at most 5 times."""
    piece = os.urandom(32768)
    for attempt in range(5):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        me = s.getsockname()[1]
        sent = 0
        for i in range(2048):
            s.sendall(piece)
            sent += len(piece)
            time.sleep(0.002)
            q = [server_rx_queue(port, me)]
            while q[-1] and len(q) < 4 and q[-1] == q[0]:
                time.sleep(0.03)
                q.append(server_rx_queue(port, me))
            if len(q) == 4 and q[-1] == q[0]:
                break
        if unsent(s) == 0:
            s.shutdown(socket.SHUT_WR)
            out.append((s, sent))
            if os.environ.get("HOSTILE_DEBUG"):
                time.sleep(0.2)
                log(f"stuck peer {me}: sent {sent}, server rx {q}, now "
                    f"{server_rx_queue(port, me)}, unsent {unsent(s)}, "
                    f"close-wait {close_wait_count(port)}")
            return
        reset_close(s)
    raise Fail("could not leave a peer stuck with its FIN in")


def close_wait_count(port):
    """Server-side sockets on port in CLOSE-WAIT: the peer's FIN is in
    but the server has not closed (from /proc/net/tcp)."""
    n = 0
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            parts = line.split()
            if int(parts[1].split(":")[1], 16) == port and parts[3] == "08":
                n += 1
    return n


def case_noread(hvecho):
    """Peers that send 256 MiB and never read: the server stops reading
    from them, its memory stays bounded; good clients go on. Half of them
    half-close while their echo is stuck, and three more stop sending
    just after the server stopped reading from them, then half-close, so
    that their FIN reaches the server while it cannot echo (it is told of
    the FIN but must not read): the server must not spin (its CPU time
    is measured) and the idle timeout closes them all."""
    c = Case(hvecho, "noread", ["--idle-timeout", "5"])
    port = c.srv.port
    good = Good(port, 4.0)
    peers = []
    threads = [threading.Thread(target=flood_sender,
                                args=(port, 256 * MIB, 3.0, i % 2 == 0,
                                      peers))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # Once the flood is over: a busy CPU would make a slow server look
    # stuck.
    fin_errors = []

    def fin_peer():
        try:
            stuck_fin_peer(port, peers)
        except Exception as e:  # reported below
            fin_errors.append(e)

    threads = [threading.Thread(target=fin_peer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    check(not fin_errors, f"stuck peers: {fin_errors}")
    accepted = sum(n for _, n in peers)
    # Half of them have half-closed with their echo stuck: measure the
    # server's CPU use while nothing moves.
    end = time.monotonic() + 3
    while close_wait_count(port) < 3 and time.monotonic() < end:
        time.sleep(0.05)
    fin_in = close_wait_count(port)
    cpu0 = cpu_seconds(c.srv.pid)
    time.sleep(1.5)
    cpu = cpu_seconds(c.srv.pid) - cpu0
    r = good.result()
    c.figures.update(peers=len(peers), tried_mib=8 * 256,
                     accepted_by_kernel_mib=round(accepted / MIB, 1),
                     stuck_with_fin_in=fin_in,
                     server_cpu_s_while_stuck=round(cpu, 2))
    # The idle timeout must close all of them.
    n = len(peers)
    end = time.monotonic() + 15
    while time.monotonic() < end and len(c.srv.closes("idle-timeout")) < n:
        time.sleep(0.1)
    check(fin_in == 3, f"{fin_in} of 3 peers got their FIN to the stuck "
          "server")
    ports = {s.getsockname()[1] for s, _ in peers}
    for s, _ in peers:
        s.close()
    c.finish(r, peak_limit_mib=32)
    idle = len(c.srv.closes("idle-timeout"))
    # The smallest of the sweep fit in the buffers: they got their echo
    # and bye, and the server closed them cleanly.
    done = [e for e in c.srv.closes() if int(e.get("peer", ":0")
                                             .rsplit(":", 1)[1]) in ports]
    clean = sum(1 for e in done if "error" not in e)
    log(f"[noread] closed by the idle timeout: {idle}, echo and bye "
        f"complete: {clean}, of {n}")
    check(len(done) == n and idle + clean == n,
          f"of {n} peers, {idle} closed by the idle timeout and {clean} "
          f"cleanly: {[e for e in done if 'error' in e][:3]}")
    check(idle >= 8, f"only {idle} peers were stuck")
    check(cpu < 0.5, f"the server used {cpu:.2f} s of CPU in 1.5 s while "
          "every peer was stuck: it spins")


def case_reset(hvecho):
    """Peers that reset mid-stream, mid-echo and mid-bye."""
    c = Case(hvecho, "reset")
    port = c.srv.port
    good = Good(port, 3.0)
    rng = random.Random(7)
    counts = {"mid_stream": 0, "mid_echo": 0, "mid_bye": 0,
              "after_bye_before_read": 0}
    end = time.monotonic() + 3.0
    i = 0
    while time.monotonic() < end and i < 2000:
        i += 1
        kind = list(counts)[i % len(counts)]
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        msg = rng.randbytes(rng.randint(1000, 300000))
        try:
            if kind == "mid_stream":
                s.setblocking(False)
                try:
                    s.send(msg[: len(msg) // 2])
                except BlockingIOError:
                    pass
            elif kind == "mid_echo":
                s.sendall(msg[:1000])
                s.recv(10)
            else:
                s.sendall(msg[:100])
                got = b""
                while len(got) < 100:
                    try:
                        d = s.recv(100 - len(got))
                    except socket.timeout:
                        me = s.getsockname()[1]
                        ev = [e for e in c.srv.events()
                              if e.get("peer", "").endswith(f":{me}")]
                        raise Fail(f"reset case ({kind}): no echo in 5 s; "
                                   f"server events for us: {ev}; "
                                   f"{os.popen('ss -tnoi sport = :' + str(port) + ' or dport = :' + str(port)).read()[:3000]}")
                    check(d, "reset case: end of stream during the echo")
                    got += d
                check(got == msg[:100], "reset case: echo differs")
                s.shutdown(socket.SHUT_WR)
                if kind == "mid_bye":
                    s.recv(1)
        except (ConnectionResetError, BrokenPipeError):
            pass
        reset_close(s)
        counts[kind] += 1
    r = good.result()
    c.figures.update({f"resets_{k}": v for k, v in counts.items()})
    c.finish(r, peak_limit_mib=32)


def case_halfclose(hvecho):
    """Peers that half-close and then idle: with a small message the
    server echoes, sends the bye and closes; with an echo too big for the
    socket buffers it cannot finish and the idle timeout closes them."""
    c = Case(hvecho, "halfclose", ["--idle-timeout", "3"])
    port = c.srv.port
    good = Good(port, 3.0)
    small, big = [], []
    for i in range(100):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"x" * 100)
        s.shutdown(socket.SHUT_WR)
        small.append(s)
    for i in range(10):
        flood_sender(port, 64 * MIB, 0.5, True, big)
    r = good.result()
    end = time.monotonic() + 15
    while time.monotonic() < end and len(c.srv.closes("idle-timeout")) < 10:
        time.sleep(0.1)
    idle = len(c.srv.closes("idle-timeout"))
    # The small ones got their echo and bye, then the server's close.
    ok = 0
    for s in small:
        s.settimeout(5)
        data = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            data += d
        ok += data == b"x" * 100 + b"bye"
        s.close()
    for s, _ in big:
        s.close()
    c.figures.update(small_halfclosed=len(small), small_echo_and_bye=ok,
                     big_halfclosed=len(big), big_closed_by_idle=idle)
    c.finish(r, peak_limit_mib=32)
    check(ok == len(small), f"only {ok} of {len(small)} half-closed peers "
          "got their echo and bye")
    check(idle == len(big), f"{idle} of {len(big)} stuck half-closed peers "
          "closed by the idle timeout")


def case_flood(hvecho):
    """A connect-and-close flood from 4 threads."""
    c = Case(hvecho, "flood")
    port = c.srv.port
    good = Good(port, 4.0)
    done = [0] * 4

    def flood(k):
        end = time.monotonic() + 4.0
        i = 0
        while time.monotonic() < end and i < 3000:
            i += 1
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
            except OSError:
                continue
            if i % 2:
                reset_close(s)
            else:
                s.close()
            done[k] += 1

    threads = [threading.Thread(target=flood, args=(k,)) for k in range(4)]
    cpu0, t0 = cpu_seconds(c.srv.pid), time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    cpu, secs = cpu_seconds(c.srv.pid) - cpu0, time.monotonic() - t0
    r = good.result()
    c.figures.update(flood_connections=sum(done), flood_s=round(secs, 2),
                     server_cpu_s=round(cpu, 2))
    c.finish(r, peak_limit_mib=32)


def case_random(hvecho):
    """Random bytes in random chunk sizes, with pauses; every echoed byte
    checked. Some peers also walk away at a random point."""
    c = Case(hvecho, "random")
    port = c.srv.port
    good = Good(port, 3.0)
    results = {"handshakes": 0, "bytes": 0, "walkaways": 0}
    lock = threading.Lock()

    def worker(seed):
        rng = random.Random(seed)
        end = time.monotonic() + 3.0
        i = 0
        while time.monotonic() < end and i < 500:
            i += 1
            msg = rng.randbytes(rng.choice((1, 7, 4096, 65536, 65537,
                                            rng.randint(1, 600000))))
            if rng.random() < 0.2:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                try:
                    s.sendall(msg[: rng.randint(0, len(msg))])
                except OSError:
                    pass
                (reset_close if rng.random() < 0.5 else socket.socket.close)(s)
                with lock:
                    results["walkaways"] += 1
                continue
            handshake(port, msg, timeout=20,
                      chunk=lambda r: r.choice((1, 2, 3, 100, 1460, 8192,
                                                r.randint(1, 70000))),
                      rng=rng)
            with lock:
                results["handshakes"] += 1
                results["bytes"] += len(msg)

    errors = []

    def run(seed):
        try:
            worker(seed)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    check(not errors, f"random peers: {errors[:3]}")
    r = good.result()
    c.figures.update(random_handshakes=results["handshakes"],
                     random_mib=round(results["bytes"] / MIB, 1),
                     walkaways=results["walkaways"])
    c.finish(r, peak_limit_mib=32)


def expect_closed_by_server(s, what):
    """The server must close s: EOF or a reset, within 5 s."""
    s.settimeout(5)
    try:
        while s.recv(65536):
            pass
    except (ConnectionResetError, BrokenPipeError):
        pass
    except socket.timeout:
        raise Fail(f"{what}: the server did not close the peer")


def wait_events(get, n, secs=5.0):
    """The server logs an event just after it acts: poll (bounded) until
    get() returns at least n of them."""
    end = time.monotonic() + secs
    got = get()
    while len(got) < n and time.monotonic() < end:
        time.sleep(0.05)
        got = get()
    return got


def connect_expect_closed(port, what):
    """Connect; the server closes us at once (the reset may even beat the
    end of our connect)."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except ConnectionResetError:
        return
    expect_closed_by_server(s, what)
    s.close()


def allow_families(hvecho):
    """--allow on an IPv6 listener (::1) and a Unix one (uid:N)."""
    def v6():
        return socket.create_connection(("::1", srv.port), timeout=5)

    def unix():
        u = socket.socket(socket.AF_UNIX)
        u.settimeout(5)
        u.connect(path)
        return u

    def denied_peer(conn):
        try:
            s = conn()
        except ConnectionResetError:
            return
        expect_closed_by_server(s, "--allow")
        s.close()

    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
        have_v6 = True
    except OSError:
        have_v6 = False
    results = []
    if have_v6:
        for allow, ok in (("::1/128", True), ("127.0.0.0/8,fe80::/10", False)):
            srv = Server(hvecho, ["--allow", allow], listen="tcp:[::1]:0")
            try:
                if ok:
                    handshake(srv.port, b"v6 peer", connect=v6)
                else:
                    denied_peer(v6)
                n = len(wait_events(lambda: srv.closes("denied"),
                                    0 if ok else 1))
                check(n == (0 if ok else 1), f"--allow {allow} on ::1: "
                      f"{n} denials")
                results.append(f"::1 with --allow {allow}: "
                               f"{'handshake' if ok else 'denied'}")
            finally:
                srv.stop()
    else:
        log("[limits] no IPv6 loopback here: the ::1 --allow check skipped")
    d = tempfile.mkdtemp(prefix="hvecho-hostile-")
    path = os.path.join(d, "s")
    uid = os.getuid()
    try:
        for allow, ok in ((f"uid:{uid}", True), (f"uid:{uid + 1}", False)):
            srv = Server(hvecho, ["--allow", allow], listen=f"unix:{path}")
            try:
                if ok:
                    handshake(0, b"unix peer", connect=unix)
                else:
                    denied_peer(unix)
                n = len(wait_events(lambda: srv.closes("denied"),
                                    0 if ok else 1))
                check(n == (0 if ok else 1), f"--allow {allow} on unix: "
                      f"{n} denials")
                results.append(f"unix with --allow {allow}: "
                               f"{'handshake' if ok else 'denied'}")
            finally:
                srv.stop()
    finally:
        if os.path.exists(path):
            os.unlink(path)
        os.rmdir(d)
    log("[limits] " + "; ".join(results))


def case_limits(hvecho):
    """Each server limit closes the peer, with a log line that says why,
    and the server goes on: --max-conns, --max-bytes, --allow."""
    c = Case(hvecho, "limits", ["--max-conns", "30", "--max-bytes", "100000",
                                "--idle-timeout", "10"])
    port = c.srv.port
    # --max-conns: 30 held open, the next ones are refused.
    held = [socket.create_connection(("127.0.0.1", port), timeout=5)
            for _ in range(30)]
    time.sleep(0.3)
    for _ in range(5):
        connect_expect_closed(port, "--max-conns")
    refused = wait_events(lambda: [e for e in c.srv.closes("limit")
                                   if "--max-conns" in e.get("detail", "")],
                          5)
    for s in held:
        s.close()
    time.sleep(0.3)
    # --max-bytes: a peer that sends 200000 bytes is closed.
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    t = threading.Thread(target=lambda: expect_closed_by_server(s, "max"))
    t.start()
    try:
        s.sendall(os.urandom(200000))
    except (ConnectionResetError, BrokenPipeError):
        pass
    t.join(timeout=10)
    s.close()
    time.sleep(0.2)
    over_bytes = wait_events(lambda: [e for e in c.srv.closes("limit")
                                      if "--max-bytes" in
                                      e.get("detail", "")], 1)
    # A handshake under the limit still works.
    good = Good(port, 1.0)
    r = good.result()
    c.figures.update(max_conns_refused=len(refused),
                     max_bytes_closed=len(over_bytes))
    c.finish(r)
    check(len(refused) == 5, f"{len(refused)} --max-conns log lines, not 5")
    check(len(over_bytes) == 1, f"{len(over_bytes)} --max-bytes log lines")

    # --allow: a list without 127.0.0.1 closes us at once, with a line.
    srv = Server(hvecho, ["--allow", "10.0.0.0/8, ::1/128, cid:3, uid:0"])
    try:
        for _ in range(3):
            connect_expect_closed(srv.port, "--allow")
        denied = wait_events(lambda: srv.closes("denied"), 3)
        log(f"[limits] --allow 10.0.0.0/8,::1/128,...: denied={len(denied)}"
            f" detail={denied[0].get('detail') if denied else None!r}")
        check(len(denied) == 3, f"{len(denied)} denied log lines, not 3")
        check(srv.alive(), "the server died after --allow denials")
    finally:
        srv.stop()
    srv = Server(hvecho, ["--allow", "192.168.0.0/16,127.0.0.0/8"])
    try:
        handshake(srv.port, b"allowed peer")
        check(not srv.closes("denied"), "an allowed peer was denied")
        log("[limits] --allow 192.168.0.0/16,127.0.0.0/8: handshake ok")
    finally:
        srv.stop()
    allow_families(hvecho)

    # The human log says why, on one line per peer.
    p = subprocess.Popen([hvecho, "-s", "tcp:127.0.0.1:0", "--max-conns",
                          "1", "--max-bytes", "1000", "--allow",
                          "127.0.0.1"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        first = p.stdout.readline()
        m = re.search(rb"127\.0\.0\.1:(\d+)", first)
        check(m, f"no port in {first!r}")
        hport = int(m.group(1))
        held = socket.create_connection(("127.0.0.1", hport), timeout=5)
        time.sleep(0.2)
        connect_expect_closed(hport, "--max-conns (human)")
        held.close()
        time.sleep(0.2)
        s = socket.create_connection(("127.0.0.1", hport), timeout=5)
        try:
            s.sendall(os.urandom(5000))
        except OSError:
            pass
        expect_closed_by_server(s, "--max-bytes (human)")
        s.close()
        time.sleep(0.2)
    finally:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
    text = (first + out).decode()
    lines = [l for l in text.splitlines() if " closed " in l and "limit" in l]
    for l in lines:
        log(f"[limits] human: {l[10:]}")
    check(any("--max-conns" in l for l in lines), "no human --max-conns line")
    check(any("--max-bytes" in l for l in lines), "no human --max-bytes line")
    check(any("--max-bytes" in l and "1,001 bytes read" in l for l in lines),
          "the server read more than one byte past --max-bytes 1000")
    check(p.returncode == 0, f"server exit {p.returncode}")

    # Out of descriptors: the server pauses accepting, says so, and goes
    # on once descriptors are free again.
    srv = Server(hvecho, ["--idle-timeout", "30"], nofile=32)
    try:
        held = []
        for _ in range(60):
            held.append(socket.create_connection(("127.0.0.1", srv.port),
                                                 timeout=5))
        time.sleep(0.5)
        fds_full = srv.fds()
        check(srv.alive(), "the server died out of descriptors")
        emfile = [e for e in srv.events() if e.get("event") == "error"
                  and "file descriptors" in e.get("detail", "")]
        for h in held:
            h.close()
        t0 = time.monotonic()
        handshake(srv.port, os.urandom(10000), timeout=10)
        log(f"[limits] RLIMIT_NOFILE 32, 60 peers: server at {fds_full} "
            f"fds, {len(emfile)} 'out of file descriptors' lines; after the "
            f"peers left, a handshake in "
            f"{(time.monotonic() - t0) * 1000:.0f} ms")
        check(emfile, "no 'out of file descriptors' line")
        check(fds_full <= 32, f"{fds_full} fds, over the limit")
    finally:
        check(srv.stop() == 0, "server exit not 0 after running out of fds")

    # A bad list: exit 2, one line.
    p = subprocess.run([hvecho, "-s", "tcp:127.0.0.1:0", "--allow",
                        "127.0.0.1,not-a-peer"], capture_output=True,
                       timeout=10)
    err = p.stderr.decode()
    log(f"[limits] bad --allow: exit {p.returncode}: {err.strip()}")
    check(p.returncode == 2 and err.count("\n") == 1,
          "a bad --allow list must exit 2 with one line")


def scan_control(data, what):
    """No raw control bytes on a terminal: C0 except \\n, DEL, ESC, and
    no C1 (U+0080..U+009F) once decoded, and valid UTF-8 throughout."""
    for i, b in enumerate(data):
        if (b < 0x20 and b != 0x0A) or b == 0x7F:
            raise Fail(f"{what}: raw control byte 0x{b:02X} at {i}: "
                       f"{data[max(0, i - 20):i + 20]!r}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Fail(f"{what}: not valid UTF-8: {e}")
    for ch in text:
        if 0x80 <= ord(ch) <= 0x9F:
            raise Fail(f"{what}: a C1 control U+{ord(ch):04X}")


NASTY = (b"\x1b[2J\x1b[31mred\x1b]0;title\x07\x1bP+q\x1b\\"  # CSI, OSC, DCS
         b"\xc2\x9b31m\xc2\x9d0;osc\xc2\x9c"                 # C1 in UTF-8
         b"\x9b\x9d\x85"                                     # raw C1 bytes
         b"\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80"     # invalid UTF-8
         b"\x00\x08\x7f\r\t\n end")


def fake_server(reply_echo, bye):
    """A hostile server for the client: echoes (possibly wrong bytes),
    sends a hostile bye. Returns (port, thread)."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)
    ls.settimeout(10)
    port = ls.getsockname()[1]

    def run():
        with ls:
            try:
                s, _ = ls.accept()
            except socket.timeout:
                return
            with s:
                s.settimeout(5)
                got = b""
                try:
                    while True:
                        d = s.recv(65536)
                        if not d:
                            break
                        got += d
                        if reply_echo is None:
                            s.sendall(d)
                        elif len(got) >= len(NASTY):
                            s.sendall(reply_echo)
                            break
                    if reply_echo is None:
                        s.sendall(bye)
                except OSError:
                    pass

    t = threading.Thread(target=run)
    t.start()
    return port, t


def case_escape(hvecho):
    """Peer bytes never reach the terminal raw: escape sequences, C1
    controls in UTF-8, invalid UTF-8, from a peer of the server (-v shows
    every read) and from a server to the client (echo, bye, mismatch),
    human and --json output."""
    msgfile = tempfile.NamedTemporaryFile(delete=False)
    msgfile.write(NASTY)
    msgfile.close()
    runs = 0
    try:
        for fmt in ([], ["--json"]):
            # The server side, -v: every read and write shown. The port
            # comes from its first line, human or JSON.
            p = subprocess.Popen([hvecho, "-s", "tcp:127.0.0.1:0", "-v",
                                  "--once", *fmt], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            first = p.stdout.readline()
            m = re.search(rb'"port":(\d+)|127\.0\.0\.1:(\d+)', first)
            check(m, f"no port in the server's first line {first!r}")
            port = int(m.group(1) or m.group(2))
            c = subprocess.run([hvecho, "-c", f"tcp:127.0.0.1:{port}",
                                "--message-file", msgfile.name, *fmt],
                               capture_output=True, timeout=20)
            out, err = p.communicate(timeout=20)
            out = first + out
            check(c.returncode == 0, f"client exit {c.returncode}: "
                  f"{c.stderr!r}")
            check(p.returncode == 0, f"server exit {p.returncode}")
            for data, what in ((out, "server stdout"), (err, "server stderr"),
                               (c.stdout, "client stdout"),
                               (c.stderr, "client stderr")):
                scan_control(data, f"{what} {fmt or 'human'}")
            if fmt:
                # Valid JSON, and the escapes decode to the peer's bytes.
                got = b""
                for line in out.splitlines():
                    ev = json.loads(line)
                    if ev["event"] == "received":
                        got += bytes(ord(ch) for ch in ev["data"])
                check(got == NASTY, f"the JSON data fields decode to "
                      f"{got[:60]!r}, not the bytes sent")
                for line in c.stdout.splitlines():
                    json.loads(line)
            check(b"\\x1B" in out or b"\\u001B" in out,
                  f"the server's -v output does not show the escaped "
                  f"bytes: {out[:300]!r}")
            runs += 2
            # The client side against a hostile server: a nasty bye, then
            # a wrong echo full of nasty bytes.
            for echo, bye in ((None, NASTY[:200]),
                              (NASTY[::-1], b"bye")):
                port, t = fake_server(echo, bye)
                c = subprocess.run([hvecho, "-c", f"tcp:127.0.0.1:{port}",
                                    "--message-file", msgfile.name, "-t",
                                    "3", *fmt],
                                   capture_output=True, timeout=20)
                t.join(timeout=15)
                scan_control(c.stdout, f"client stdout vs hostile server "
                             f"{fmt or 'human'}")
                scan_control(c.stderr, f"client stderr vs hostile server "
                             f"{fmt or 'human'}")
                runs += 1
    finally:
        os.unlink(msgfile.name)
    log(f"[escape] {runs} runs of the CLI, human and --json: no raw control "
        "bytes, valid UTF-8, no C1")


CASES = {
    "idle": case_idle,
    "noread": case_noread,
    "reset": case_reset,
    "halfclose": case_halfclose,
    "flood": case_flood,
    "random": case_random,
    "limits": case_limits,
    "escape": case_escape,
}


def main():
    global SANITIZED
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hvecho")
    ap.add_argument("--sanitized", action="store_true")
    ap.add_argument("--good", nargs=2, metavar=("PORT", "SECONDS"))
    ap.add_argument("case", nargs="?", choices=sorted(CASES))
    a = ap.parse_args()
    if a.good:
        good_main(int(a.good[0]), float(a.good[1]))
        return 0
    if not a.hvecho or not a.case:
        ap.error("give --hvecho PATH and a case")
    SANITIZED = a.sanitized
    t0 = time.monotonic()
    try:
        CASES[a.case](a.hvecho)
    except Fail as e:
        log(f"FAIL [{a.case}]: {e}")
        return 1
    log(f"PASS [{a.case}] in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
