#!/usr/bin/env python3
"""Integration cases: the real hvecho binary, server and client, over TCP
and Unix sockets on loopback, with real peers (socat, ncat).

Usage: cases.py HVECHO CASE   (or: cases.py HVECHO --list)

Every case bounds its loops in count and time; servers it starts are ended
by their pid. Nothing here touches AF_VSOCK (the guest suite does that).
"""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from hvtest import Server, case, check, vm_rss_kib  # noqa: E402
import hvtest  # noqa: E402

HVECHO = None
LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")


def client(target, *args, timeout=60, stdin=None):
    t = time.monotonic()
    p = subprocess.run([HVECHO, "-c", target, *args], capture_output=True,
                       timeout=timeout, input=stdin)
    return p.returncode, p.stdout.decode(errors="replace"), \
        p.stderr.decode(errors="replace"), time.monotonic() - t


@case
def handshake_tcp():
    s = Server()
    rc, out, err, _ = client(s.target)
    check(rc == 0, "exit %d: %s" % (rc, err))
    for word in ("connected", "sent", "echo", "verified", "shut down", "bye",
                 "handshake complete"):
        check(word in out, "no '%s' in output:\n%s" % (word, out))
    check(s.stop() == 0, "server exit code")
    kinds = [e["event"] for e in s.events]
    for k in ("accepted", "shutdown", "bye", "closed", "finished"):
        check(k in kinds, "server events lack %s: %s" % (k, kinds))
    print(out, end="")


@case
def handshake_unix():
    path = os.path.join(TMP, "s.sock")
    s = Server("unix:" + path)
    rc, out, err, _ = client(s.target, "-m", "over a unix socket", "-n", "3")
    check(rc == 0, "exit %d: %s" % (rc, err))
    check("3 handshakes: 3 done, 0 failed in " in out, out)
    check(s.stop() == 0, "server exit code")
    check(not os.path.exists(path), "socket file left behind")


@case
def handshake_ipv6():
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        print("no IPv6 loopback here: case skipped")
        return
    s = Server("tcp:[::1]:0")
    rc, out, err, _ = client("tcp:[::1]:%d" % s.port)
    check(rc == 0, "exit %d: %s" % (rc, err))
    s.stop()


@case
def json_output():
    s = Server()
    rc, out, err, _ = client(s.target, "--json", "-m", "j\"s\x01n")
    check(rc == 0, err)
    evs = [json.loads(l) for l in out.splitlines()]
    kinds = [e["event"] for e in evs]
    check(kinds == ["connecting", "connected", "sent", "received", "shutdown",
                    "bye", "closed", "finished"], kinds)
    check(evs[2]["data"] == "j\"s\x01n", evs[2])
    check(evs[5]["data"] == "bye", evs[5])
    check(evs[-1]["exit"] == 0, evs[-1])
    s.stop()


@case
def many_clients():
    """200 clients at once against one server: all complete."""
    s = Server("tcp:127.0.0.1:0", "--max-conns", "1000", "-q")
    procs = [subprocess.Popen([HVECHO, "-c", s.target, "-q", "-m",
                               "client %d" % i, "-t", "30"],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
             for i in range(200)]
    bad = []
    for i, p in enumerate(procs):
        try:
            rc = p.wait(120)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = -1
        if rc != 0:
            bad.append((i, rc, p.stderr.read().decode()))
    check(s.stop() == 0, "server exit")
    check(not bad, "%d of 200 failed, first: %r" % (len(bad), bad[:1]))
    closed = [e for e in s.events if e["event"] == "closed"]
    print("200 of 200 clients completed; server closed %d connections"
          % len(closed))


@case
def big_message():
    """A 64 MiB message echoed byte-exact."""
    path = os.path.join(TMP, "big.bin")
    with open(path, "wb") as f:
        f.write(random.Random(7).randbytes(64 * 1024 * 1024))
    s = Server()
    rc, out, err, took = client(s.target, "--message-file", path, "--json",
                                "-t", "30", timeout=120)
    check(rc == 0, "exit %d: %s" % (rc, err))
    evs = {e["event"]: e for e in map(json.loads, out.splitlines())}
    check(evs["received"]["bytes"] == 64 * 1024 * 1024, evs["received"])
    ms = evs["received"]["dur_ms"]
    print("64 MiB echoed byte-exact over TCP: echo %.1f ms (%.0f MB/s each "
          "way), process %.2f s" % (ms, 64 * 1.048576 / (ms / 1000), took))
    s.stop()
    closed = [e for e in s.events if e["event"] == "closed"]
    check(closed and closed[0]["bytes"] == 64 * 1024 * 1024, closed)


@case
def reset_mid_stream():
    """A client that resets mid-stream does not disturb the others."""
    s = Server()
    stop = time.monotonic() + 20
    results = []

    def good():
        for _ in range(10):
            results.append(client(s.target, "-q", "--size", "256K")[0])

    t = threading.Thread(target=good)
    t.start()
    resets = 0
    while t.is_alive() and time.monotonic() < stop and resets < 200:
        c = socket.create_connection(("127.0.0.1", s.port))
        c.sendall(b"x" * 100000)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     b"\x01\x00\x00\x00\x00\x00\x00\x00")
        c.close()  # RST with unread echo pending
        resets += 1
    t.join(60)
    check(results == [0] * 10, "good clients: %r" % results)
    rc, _, err, _ = client(s.target, "-q")
    check(rc == 0, err)
    check(s.stop() == 0, "server exit")
    print("%d resets mid-stream; 10 of 10 good clients complete" % resets)


def echo_no_bye_server(mode):
    """A TCP peer that echoes and then either stays silent after the
    shutdown (mode 'hang') or closes without a bye ('close')."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)

    def serve():
        c, _ = ls.accept()
        c.settimeout(20)
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
            if mode == "hang":
                time.sleep(5)
        except OSError:
            pass
        c.close()
        ls.close()

    threading.Thread(target=serve, daemon=True).start()
    return "tcp:127.0.0.1:%d" % ls.getsockname()[1]


@case
def no_bye_times_out():
    target = echo_no_bye_server("hang")
    rc, out, err, took = client(target, "-t", "1")
    check(rc == 1, "exit %d, want 1: %s" % (rc, err))
    check("no bye within" in err, err)
    check(took < 4, "took %.1f s with a 1 s timeout" % took)
    print("silent server: exit 1 after %.2f s (timeout 1 s): %s"
          % (took, err.splitlines()[0]))


@case
def no_bye_closed():
    target = echo_no_bye_server("close")
    rc, out, err, _ = client(target)
    check(rc == 1, "exit %d: %s" % (rc, err))
    check("without sending a bye" in err, err)


def seed_server():
    """A TCP peer that answers as the original sample server did: the echo,
    then after the client's shutdown a fixed 8-byte bye: "Bye!", a NUL and
    3 bytes of whatever was on its stack."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)

    def serve():
        c, _ = ls.accept()
        c.settimeout(20)
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
            c.sendall(b"Bye!\x00\xa7\x3f\x7f")
        except OSError:
            pass
        c.close()
        ls.close()

    threading.Thread(target=serve, daemon=True).start()
    return "tcp:127.0.0.1:%d" % ls.getsockname()[1]


@case
def no_bye_option():
    """-c --no-bye: a plain echo peer (closes after the echo, no bye)
    completes the handshake; without it the failure's hint names the
    option."""
    rc, out, err, _ = client(echo_no_bye_server("close"), "--no-bye")
    check(rc == 0, "exit %d: %s" % (rc, err))
    check("none: the peer ended the stream" in out, out)
    check("handshake complete" in out, out)
    print(out, end="")
    rc, out, err, _ = client(echo_no_bye_server("close"))
    check(rc == 1, "exit %d: %s" % (rc, err))
    check("--no-bye" in err, "the hint does not name --no-bye: " + err)
    print(err, end="")
    rc, out, err, _ = client(echo_no_bye_server("close"), "--no-bye",
                             "--json")
    check(rc == 0, "json: exit %d: %s" % (rc, err))
    byes = [json.loads(l) for l in out.splitlines()
            if json.loads(l)["event"] == "bye"]
    check(len(byes) == 1 and byes[0].get("bytes", 0) == 0, out)


@case
def seed_bye():
    """The original server's 8-byte bye completes the handshake and is
    shown with a note saying what it is."""
    rc, out, err, _ = client(seed_server())
    check(rc == 0, "exit %d: %s" % (rc, err))
    check('8 bytes in ' in out and '"Bye!\\x00\\xA7?\\x7F"' in out, out)
    check("note: the original echo server's fixed-size bye" in out, out)
    check("handshake complete" in out, out)
    print(out, end="")
    rc, out, err, _ = client(seed_server(), "--json")
    check(rc == 0, "json: exit %d: %s" % (rc, err))
    check('"seed_bye":true' in out, out)


@case
def seed_vsock_flag():
    """The original command lines pass -vsock: accepted, changes nothing;
    --help says why."""
    path = os.path.join(TMP, "seed.sock")
    s = Server("unix:" + path, "-vsock")
    rc, out, err, _ = client(s.target, "-vsock")
    check(rc == 0, "exit %d: %s" % (rc, err))
    check("handshake complete" in out, out)
    # -vsock in front of the address, as "hvecho -c parent -vsock" has it
    # after; both orders parse.
    p = subprocess.run([HVECHO, "-c", "-vsock", s.target], capture_output=True,
                       text=True, timeout=30)
    check(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr))
    check(s.stop() == 0, "server exit code")
    h = subprocess.run([HVECHO, "--help"], capture_output=True, text=True,
                       timeout=10).stdout
    check("-vsock" in h and "accepted and ignored" in h, h)
    print("hvecho -s unix:... -vsock and -c ... -vsock: handshake complete")


@case
def nothing_listening():
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    ls.close()
    rc, out, err, _ = client("tcp:127.0.0.1:%d" % port)
    check(rc == 3, "exit %d, want 3" % rc)
    check("connection refused" in err and "hint: " in err, err)
    rc, out, err, _ = client("unix:" + os.path.join(TMP, "nobody.sock"))
    check(rc == 3, "unix: exit %d, want 3: %s" % (rc, err))
    print(err, end="")


@case
def client_runs():
    """--forever ends with Ctrl+C (exit 0, the summary row); --interval
    spaces the handshakes; --keep-going goes on past failures and says how
    many failed."""
    s = Server()
    p = subprocess.Popen([HVECHO, "-c", s.target, "--forever", "--interval",
                          "20ms", "--json"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    byes = 0
    events = []
    deadline = time.monotonic() + 20
    while byes < 5 and time.monotonic() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        events.append(json.loads(line))
        byes += events[-1]["event"] == "bye"
    p.send_signal(signal.SIGINT)
    # Read on through the same buffered reader (communicate() would skip
    # what it holds already).
    rest = p.stdout.read()
    err = p.stderr.read()
    p.wait(20)
    events += [json.loads(x) for x in rest.splitlines()]
    check(p.returncode == 0, "--forever after SIGINT: exit %d: %s"
          % (p.returncode, err))
    check(byes == 5, "%d byes before the deadline" % byes)
    rounds = [e["round"] for e in events if e["event"] == "connecting"]
    check(rounds[:5] == [1, 2, 3, 4, 5], rounds)
    starts = [e["t_ms"] for e in events if e["event"] == "connecting"]
    closes = [e["t_ms"] for e in events if e["event"] == "closed"]
    gaps = [b - a for a, b in zip(closes, starts[1:])]
    check(gaps and min(gaps) >= 20, "gaps between handshakes: %s\n%s"
          % (gaps, "\n".join(map(str, events[-12:]))))
    check(events[-1]["event"] == "finished" and events[-1]["exit"] == 0,
          events[-1])
    # Human output: the summary row after Ctrl+C.
    p = subprocess.Popen([HVECHO, "-c", s.target, "--forever", "-q"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=20)
    check(p.returncode == 0, "exit %d: %s" % (p.returncode, err))
    check(" done, 0 failed in " in out and "round trip min " in out, out)
    print(out, end="")
    s.stop()
    # Nothing listens: every handshake fails, the run goes on.
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    ls.close()
    rc, out, err, _ = client("tcp:127.0.0.1:%d" % port, "-n", "3",
                             "--keep-going")
    check(rc == 3, "exit %d, want 3" % rc)
    check(err.count("connection refused") == 3, err)
    check("3 handshakes: 0 done, 3 failed in " in out, out)
    check("note: 3 of 3 handshakes failed" in out, out)
    print(out, end="")
    rc, out, err, _ = client("tcp:127.0.0.1:%d" % port, "-n", "3")
    check(rc == 3 and err.count("connection refused") == 1, err)
    rc, out, err, _ = client("tcp:127.0.0.1:%d" % port, "--interval", "1x")
    check(rc == 2 and "--interval '1x'" in err, err)
    rc, out, err, _ = client("tcp:127.0.0.1:%d" % port, "-n", "0")
    check(rc == 2 and "--forever" in err, err)


@case
def address_in_use():
    s = Server()
    p = subprocess.run([HVECHO, "-s", "tcp:127.0.0.1:%d" % s.port],
                       capture_output=True, text=True, timeout=10)
    check(p.returncode == 3, "exit %d: %s" % (p.returncode, p.stderr))
    check("address already in use" in p.stderr, p.stderr)
    s.stop()


BAD = [
    [],
    ["-x"],
    ["--frobnicate"],
    ["-c", "nonsense"],
    ["-c", "tcp:127.0.0.1"],
    ["-c", "tcp:127.0.0.1:70000"],
    ["-c", "tcp:[::1:80"],
    ["-c", "unix:"],
    ["-c", "hybrid:"],
    ["-c", "hybrid::5000"],
    ["-c", "hybrid:/tmp/v.sock:"],
    ["-c", "hybrid:/tmp/v.sock:0"],
    ["-c", "6d3ea8d0-8f1b-4e0e-9c3b-1a2b3c4d5e6f"],
    ["-c", "children"],
    ["-c", "parent", "-p", "3049197C-9A4E-4FBF-9367-97F792F16994"],
    ["-c", "tcp:127.0.0.1:1", "-p", "not-a-service"],
    ["-c", "tcp:127.0.0.1:1", "-p", "0xFFFFFFFF"],
    ["-c", "tcp:127.0.0.1:1", "-t", "0"],
    ["-c", "tcp:127.0.0.1:1", "-t", "soon"],
    ["-c", "tcp:127.0.0.1:1", "-n", "0"],
    ["-c", "tcp:127.0.0.1:1", "-m", ""],
    ["-c", "tcp:127.0.0.1:1", "-m"],
    ["-c", "tcp:127.0.0.1:1", "--message-file", "/nonexistent/file"],
    ["-c", "tcp:127.0.0.1:1", "--size", "12Q"],
    ["-c", "tcp:127.0.0.1:1", "-m", "a", "--size", "5"],
    ["-c", "tcp:127.0.0.1:1", "--bye", "x"],
    ["-c", "tcp:127.0.0.1:1", "extra"],
    ["-s", "parent"],
    ["-s", "tcp:127.0.0.1:1", "-m", "x"],
    ["-s", "tcp:127.0.0.1:1", "--max-conns", "0"],
    ["-s", "tcp:127.0.0.1:1", "--idle-timeout", "-1"],
    ["guid"],
    ["guid", "xyz"],
    ["bogus-command"],
]


@case
def bad_input():
    """Each bad input: exit 2 and exactly one line on stderr."""
    for args in BAD:
        p = subprocess.run([HVECHO, *args], capture_output=True, text=True,
                           timeout=10)
        lines = p.stderr.splitlines()
        check(p.returncode == 2, "%r: exit %d, want 2: %s"
              % (args, p.returncode, p.stderr))
        check(len(lines) == 1 and lines[0].startswith("hvecho: "),
              "%r: stderr is not one line: %r" % (args, p.stderr))
        check(p.stdout == "", "%r printed on stdout: %r" % (args, p.stdout))
    print("%d bad inputs: each exit 2 with one line on stderr" % len(BAD))


@case
def ctrl_c_busy_server():
    """SIGINT to a server with clients streaming: it exits 0, promptly."""
    s = Server()
    procs = [subprocess.Popen([HVECHO, "-c", s.target, "-q", "--size", "256M",
                               "-t", "20"],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(4)]
    # Each client makes its 256 MiB before it connects: seconds each on a
    # loaded 2-CPU machine, so the wait for all four is generous.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and \
            sum(e["event"] == "accepted" for e in list(s.events)) < 4:
        time.sleep(0.05)
    time.sleep(0.2)  # let the data flow
    t = time.monotonic()
    rc = s.stop(signal.SIGINT)
    took = time.monotonic() - t
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    check(rc == 0, "server exit %d after SIGINT" % rc)
    closed = [e for e in s.events if e["event"] == "closed"]
    check(s.events[-1]["event"] == "finished", s.events[-1:])
    check(len(closed) == 4, "%d of 4 connections closed" % len(closed))
    print("busy server stopped by SIGINT in %.0f ms, exit 0, %d connections "
          "closed" % (took * 1000, len(closed)))


@case
def lone_peer_ping_pong():
    """One peer in a ping-pong, alone on the server (which then serves it
    with receives that wait themselves): every echo byte-exact across
    sizes and pauses, CLOSED counts every byte, a second client is served
    meanwhile, and SIGINT still stops the server promptly."""
    for listen in ("tcp:127.0.0.1:0", "unix:" + os.path.join(TMP, "pp.sock")):
        s = Server(listen)
        if listen.startswith("unix:"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(listen[5:])
        else:
            sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        sock.settimeout(10)
        rng = random.Random(11)
        done = threading.Event()
        state = {"msgs": 0, "bytes": 0, "bad": None, "pauses": 0}

        def ping_pong():
            while not done.is_set() and state["msgs"] < 200000:
                data = rng.randbytes(rng.choice([1, 7, 64, 1500, 65536]))
                try:
                    sock.sendall(data)
                    got = b""
                    while len(got) < len(data):
                        part = sock.recv(len(data) - len(got))
                        if not part:
                            raise OSError("closed by the server")
                        got += part
                except OSError as e:
                    if not done.is_set():
                        state["bad"] = "message %d: %s" % (state["msgs"], e)
                    return
                if got != data:
                    state["bad"] = "message %d: echo differs" % state["msgs"]
                    return
                state["msgs"] += 1
                state["bytes"] += len(data)
                if rng.random() < 0.01:  # longer than the server's wait
                    state["pauses"] += 1
                    time.sleep(0.02)

        t = threading.Thread(target=ping_pong, daemon=True)
        t.start()
        time.sleep(1.0)
        rc, out, err, took = client(s.target, "-t", "10")
        check(rc == 0, "second client during the ping-pong: exit %d: %s %s"
              % (rc, out, err))
        time.sleep(1.0)
        done.set()
        t0 = time.monotonic()
        rc = s.stop(signal.SIGINT)
        stop_took = time.monotonic() - t0
        t.join(10)
        sock.close()
        check(state["bad"] is None, state["bad"])
        check(rc == 0, "server exit %d after SIGINT" % rc)
        check(state["msgs"] > 100, "only %d messages" % state["msgs"])
        closed = [e for e in s.events if e["event"] == "closed" and
                  e.get("conn") == 1]
        check(len(closed) == 1, "no closed event for the ping-pong peer")
        check(closed[0]["bytes"] >= state["bytes"],
              "closed says %d bytes echoed, the peer got %d"
              % (closed[0]["bytes"], state["bytes"]))
        print("%s: %d messages (%d bytes, %d pauses) byte-exact; a second "
              "client took %.0f ms meanwhile; SIGINT stopped the server in "
              "%.0f ms" % (listen.split(":")[0], state["msgs"], state["bytes"],
                           state["pauses"], took * 1000, stop_took * 1000))


@case
def stalled_front_end():
    """The server's own output stalls (stdout is a pipe nobody reads): it
    stops accepting instead of queueing events without bound."""
    srv = subprocess.Popen([HVECHO, "-s", "tcp:127.0.0.1:0", "--json"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        port = json.loads(srv.stdout.readline())["port"]
        # From here on nobody reads the server's stdout.
        start = vm_rss_kib(srv.pid)
        bench = subprocess.Popen([HVECHO, "bench", "connections",
                                  "tcp:127.0.0.1:%d" % port, "-n", "40000",
                                  "-P", "32", "-t", "1", "-q"],
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        peak = start
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and bench.poll() is None:
            peak = max(peak, vm_rss_kib(srv.pid))
            time.sleep(0.1)
        if bench.poll() is None:
            bench.kill()
        bench.wait()
        check(srv.poll() is None, "the server died")
        check(peak - start < 64 * 1024,
              "server RSS grew from %d to %d KiB" % (start, peak))
        print("server RSS %d KiB at start, peak %d KiB with its output "
              "stalled" % (start, peak))
    finally:
        srv.kill()
        srv.wait()


@case
def server_once():
    s = Server("tcp:127.0.0.1:0", "--once")
    rc, _, err, _ = client(s.target)
    check(rc == 0, err)
    check(s.proc.wait(10) == 0, "--once server did not exit 0")


@case
def bye_text():
    s = Server("tcp:127.0.0.1:0", "--bye", "see you \u00e9")
    rc, out, err, _ = client(s.target, "--json")
    check(rc == 0, err)
    bye = [json.loads(l) for l in out.splitlines()][5]
    check(bye["event"] == "bye" and bye["bytes"] == len("see you \u00e9".encode()),
          bye)
    s.stop()


@case
def socat_client():
    """socat as the client against the hvecho server: echo and exact bye."""
    s = Server()
    p = subprocess.run(["socat", "-t", "5", "-", "TCP:127.0.0.1:%d" % s.port],
                       input=b"hello from socat", capture_output=True,
                       timeout=20)
    check(p.returncode == 0, p.stderr)
    check(p.stdout == b"hello from socatbye", p.stdout)
    s.stop()


@case
def ncat_client():
    s = Server()
    p = subprocess.run(["ncat", "127.0.0.1", str(s.port)],
                       input=b"hello from ncat", capture_output=True,
                       timeout=20)
    check(p.returncode == 0, p.stderr)
    check(p.stdout == b"hello from ncatbye", p.stdout)
    s.stop()


@case
def socat_echo_server():
    """hvecho client against socat echoing with no bye: exit 1, says so."""
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    ls.close()
    srv = subprocess.Popen(["socat", "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr"
                            % port, "EXEC:cat"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.05)
        # The probe connection above was the one socat served; start again.
        srv.wait(10)
        srv = subprocess.Popen(["socat", "TCP-LISTEN:%d,bind=127.0.0.1,"
                                "reuseaddr" % port, "EXEC:cat"],
                               stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        rc, out, err, _ = client("tcp:127.0.0.1:%d" % port)
        check(rc == 1, "exit %d: %s" % (rc, err))
        check("verified" in out, out)
        check("bye" in err, err)
        print(err, end="")
    finally:
        if srv.poll() is None:
            srv.kill()
        srv.wait()


@case
def peer_bytes_escaped():
    """Bytes from a peer never reach the terminal raw."""
    s = Server("tcp:127.0.0.1:0", "--bye", "\x1b]0;pwned\x07\x1b[2J")
    rc, out, err, _ = client(s.target, "-m", "\x1b[31mred\x9b")
    check(rc == 0, err)
    check("\x1b" not in out and "\x07" not in out and "\x9b" not in out,
          repr(out))
    check("\\x1B]0;pwned\\x07" in out, out)
    s.stop()


@case
def doctor():
    env = dict(os.environ, HVECHO_NO_VSOCK="1")
    p = subprocess.run([HVECHO, "doctor"], capture_output=True, text=True,
                       timeout=60, env=env)
    check(p.returncode == 0, p.stdout + p.stderr)
    check("tcp 127.0.0.1" in p.stdout and "unix socket" in p.stdout, p.stdout)
    check("2 handshakes complete, 0 failed" in p.stdout, p.stdout)
    check("skipped" in p.stdout, p.stdout)
    # In a guest the host check is skipped too: HVECHO_NO_VSOCK means no
    # vsock socket at all on this machine.
    check("vsock to the host (parent)" not in p.stdout or
          "skipped: HVECHO_NO_VSOCK" in p.stdout, p.stdout)
    print(p.stdout, end="")


@case
def doctor_target():
    """hvecho doctor TARGET: also a client handshake with a server there
    (across a VM boundary: a host's guest); a bad target is bad usage."""
    env = dict(os.environ, HVECHO_NO_VSOCK="1")
    s = Server()
    p = subprocess.run([HVECHO, "doctor", s.target], capture_output=True,
                       text=True, timeout=60, env=env)
    s.stop()
    check(p.returncode == 0, p.stdout + p.stderr)
    check(any(line.startswith("  to " + s.target) and " ok " in line
              and "handshake complete" in line
              for line in p.stdout.splitlines()), p.stdout)
    check("3 handshakes complete, 0 failed" in p.stdout, p.stdout)
    p = subprocess.run([HVECHO, "doctor", "3"], capture_output=True,
                       text=True, timeout=60, env=env)
    check(p.returncode == 0 and "skipped: HVECHO_NO_VSOCK" in p.stdout,
          p.stdout + p.stderr)
    p = subprocess.run([HVECHO, "doctor", "nonsense"], capture_output=True,
                       text=True, timeout=60, env=env)
    check(p.returncode == 2 and "not a target" in p.stderr, p.stderr)


@case
def guid_command():
    p = subprocess.run([HVECHO, "guid", "0x3049197C"], capture_output=True,
                       text=True, timeout=10)
    check(p.returncode == 0 and "3049197C-FACB-11E6-BD58-64006A7986D3"
          in p.stdout, p.stdout)
    p = subprocess.run([HVECHO, "guid", "{00001388-facb-11e6-bd58-64006a7986d3}"],
                       capture_output=True, text=True, timeout=10)
    check("(5000)" in p.stdout, p.stdout)


@case
def help_and_version():
    p = subprocess.run([HVECHO, "--help"], capture_output=True, text=True,
                       timeout=10)
    check(p.returncode == 0 and "Exit codes" in p.stdout, p.stdout)
    p = subprocess.run([HVECHO, "--version"], capture_output=True, text=True,
                       timeout=10)
    check(p.returncode == 0 and p.stdout.startswith("hvecho "), p.stdout)


class Vmm:
    """tests/lib/hybrid_vmm.py, the stand-in for a hybrid vsock VMM, with
    Unix sockets standing for the guest's vsock ports."""

    def __init__(self, *args):
        self.uds = os.path.join(TMP, "vmm.sock")
        self.guest = os.path.join(TMP, "guest")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(LIB, "hybrid_vmm.py"),
             "--uds", self.uds, "--guest", "unix:" + self.guest,
             "--lifetime", "120", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        check(line.strip() == "ready", "the VMM stand-in did not start: %s"
              % self.proc.stderr.read() if not line else line)

    def stop(self):
        self.proc.kill()
        self.proc.wait(10)
        return self.proc.stderr.read()


@case
def hybrid_host_to_guest():
    """hybrid:PATH:PORT through the VMM stand-in to a server in the
    "guest" (a Unix socket for its vsock port), and the port from -p."""
    vmm = Vmm()
    g = Server("unix:%s_%d" % (vmm.guest, 5000))
    rc, out, err, _ = client("hybrid:%s:5000" % vmm.uds, "-m", "through",
                             "-n", "3")
    check(rc == 0, "exit %d: %s %s" % (rc, out, err))
    check("hybrid %s port 5000" % vmm.uds in out, out)
    check("3 done, 0 failed" in out, out)
    rc, out, err, _ = client("hybrid:" + vmm.uds, "-p", "5000", "--size",
                             "16M")
    check(rc == 0, "-p 5000: exit %d: %s %s" % (rc, out, err))
    rc, out, err, _ = client("hybrid:" + vmm.uds, "-p", "0x1388", "--json")
    check(rc == 0, "--json: exit %d: %s" % (rc, err))
    g.stop()
    log = vmm.stop()
    check("CONNECT 5000: OK 1073741824" in log, log)
    print(out, end="")


@case
def hybrid_guest_to_host():
    """hvecho -s hybrid:PATH binds PATH_PORT; a "guest" connection to
    host port PORT arrives there through the VMM stand-in."""
    uds = os.path.join(TMP, "vmm.sock")
    s = Server("hybrid:%s:6000" % uds)
    check(os.path.exists(uds + "_6000"), "no %s_6000" % uds)
    s2 = Server("hybrid:" + uds, "-p", "0x3049197C")
    check(os.path.exists("%s_%d" % (uds, 0x3049197C)), "no PATH_810097020")
    check(s2.port == 0x3049197C, "listening port: %r" % s2.port)
    vmm = Vmm("--from-guest", "unix:%s:6000" % os.path.join(TMP, "g6000"))
    rc, out, err, _ = client("unix:" + os.path.join(TMP, "g6000"), "-n", "2")
    check(rc == 0, "exit %d: %s %s" % (rc, out, err))
    check(s.stop() == 0 and s2.stop() == 0, "server exit code")
    check(not os.path.exists(uds + "_6000"), "socket file left behind")
    kinds = [e["event"] for e in s.events]
    check(kinds.count("bye") == 2, "server events: %s" % kinds)
    vmm.stop()
    p = subprocess.run([HVECHO, "-s", "hybrid:/" + "x" * 100],
                       capture_output=True, text=True, timeout=10)
    check(p.returncode == 2 and "longer than 107" in p.stderr,
          "long path: exit %d: %s" % (p.returncode, p.stderr))


@case
def hybrid_errors():
    """What a user meets: no socket, a stale socket file, no OK (nothing
    listens on the guest port), a malformed reply (quoted, escaped), no
    reply at all (bounded by -t); each exits 3 with a hint."""
    uds = os.path.join(TMP, "vmm.sock")

    def expect(target, words, *args):
        rc, out, err, took = client(target, *args)
        check(rc == 3, "%s: exit %d, want 3: %s" % (target, rc, err))
        for w in words:
            check(w in err, "%s: no %r in:\n%s" % (target, w, err))
        check("hint: " in err, err)
        print(err, end="")
        return took

    expect("hybrid:" + uds, ["no VMM answers", "no socket file at " + uds,
                             "not running, or the path is wrong"])
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(uds)
    stale.close()
    expect("hybrid:" + uds, ["no VMM answers", "nothing listens on it"])
    os.unlink(uds)
    vmm = Vmm()
    expect("hybrid:%s:7000" % uds, ["did not open the connection (no OK)",
                                    "CONNECT 7000",
                                    "nothing listens on that port in the "
                                    "guest"])
    vmm.stop()
    g = Server("unix:%s_%d" % (os.path.join(TMP, "guest"), 7000))
    vmm = Vmm("--reply", "NOPE \\x1b[31m\\n")
    expect("hybrid:%s:7000" % uds, ["is not 'OK <port>'",
                                    '"NOPE \\x1B[31m"', "check the path"])
    vmm.stop()
    vmm = Vmm("--silent")
    took = expect("hybrid:%s:7000" % uds, ["no OK", "no reply within 1000 ms"],
                  "-t", "1")
    check(took < 5, "took %.1f s with -t 1" % took)
    vmm.stop()
    # A plain hvecho server is no VMM: it echoes the CONNECT line back.
    u = Server("unix:" + os.path.join(TMP, "plain.sock"))
    expect("hybrid:" + os.path.join(TMP, "plain.sock") + ":9",
           ['"CONNECT 9"', "is not 'OK <port>'"])
    u.stop()
    g.stop()


@case
def hybrid_bench():
    """The benchmarks through the VMM stand-in (the same connect path)."""
    vmm = Vmm()
    g = Server("unix:%s_%d" % (vmm.guest, 5000))
    for kind, extra in (("connections", ["-n", "200", "-P", "8"]),
                        ("latency", ["-n", "200"]),
                        ("throughput", ["--bytes", "8M"])):
        p = subprocess.run([HVECHO, "bench", kind, "hybrid:%s:5000" % vmm.uds,
                            *extra], capture_output=True, text=True,
                           timeout=120)
        check(p.returncode == 0, "bench %s: exit %d: %s %s"
              % (kind, p.returncode, p.stdout, p.stderr))
        print(p.stdout.strip().splitlines()[-1])
    p = subprocess.run([HVECHO, "bench", "connections",
                        "hybrid:%s:5001" % vmm.uds, "-n", "5"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 3 and "no OK" in p.stdout + p.stderr,
          "no guest server: exit %d: %s %s" % (p.returncode, p.stdout,
                                               p.stderr))
    g.stop()
    vmm.stop()


if __name__ == "__main__":
    TMP = tempfile.mkdtemp(prefix="hvecho-it-")
    hvtest.run(globals(), lambda: shutil.rmtree(TMP, ignore_errors=True))
