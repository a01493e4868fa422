#!/usr/bin/env python3
"""Cases for `hvecho bench` and `hvecho stress`: the real binary against a
real hvecho server, and against socat peers that corrupt or drop bytes, on
127.0.0.1. They check results and exit codes, never speed (figures vary;
tests/bench/compare.sh measures them).

Usage: cases.py HVECHO CASE   (or: cases.py HVECHO --list)

Ports: the hvecho server binds port 0 and reports the port; a socat peer
gets a port the kernel just handed out (bind 0, close) and is retried on
another one if it cannot listen, so cases running in parallel do not
collide. Every process started here is ended by its pid.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from hvtest import Fail, Server, case, check, free_port  # noqa: E402
import hvtest  # noqa: E402

HVECHO = None


class Socat:
    """A socat echo peer running COMMAND per connection on 127.0.0.1."""

    def __init__(self, command):
        check(shutil.which("socat"), "socat is not installed (.ci/deps)")
        for _ in range(5):
            port = free_port()
            self.proc = subprocess.Popen(
                ["socat", "TCP-LISTEN:%d,bind=127.0.0.1,fork,reuseaddr" % port,
                 "SYSTEM:" + command],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close()
                    # That probe was a connection too: socat forked a child
                    # for it, which ends on the probe's close.
                    self.target = "tcp:127.0.0.1:%d" % port
                    return
                except OSError:
                    time.sleep(0.05)
            self.stop()
        raise Fail("socat could not listen on a free port (5 tries)")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def bench(*args, timeout=120):
    """Runs hvecho ARGS...; returns (exit code, JSON objects, stderr)."""
    p = subprocess.run([HVECHO, *args], capture_output=True, text=True,
                       timeout=timeout)
    objs = []
    for line in p.stdout.splitlines():
        try:
            objs.append(json.loads(line))
        except ValueError:
            raise Fail("not JSON: %r (stderr: %s)" % (line, p.stderr))
    return p.returncode, objs, p.stderr


@case
def latency_real_server():
    """bench latency against hvecho -s: figures, exit 0."""
    s = Server()
    try:
        rc, objs, err = bench("bench", "latency", s.target, "-n", "500",
                              "--size", "64", "--json")
    finally:
        src = s.stop()
    check(rc == 0, "exit %d: %s" % (rc, err))
    r = objs[-1]
    check(r["bench"] == "latency" and r["messages"] == 500, r)
    check(r["bytes"] == 500 * 64 and r["failed"] == 0, r)
    rtt = r["rtt_us"]
    check(rtt["count"] == 500, rtt)
    check(0 < rtt["min"] <= rtt["p50"] <= rtt["p90"] <= rtt["p99"]
          <= rtt["max"], rtt)
    check(src == 0, "server exit %d" % src)
    print("round trip p50 %.1f us, p99 %.1f us over %d messages"
          % (rtt["p50"], rtt["p99"], rtt["count"]))


@case
def latency_text_output():
    """The human output: one summary line and the percentiles."""
    s = Server()
    try:
        p = subprocess.run([HVECHO, "bench", "latency", s.target, "-n", "50"],
                           capture_output=True, text=True, timeout=60)
    finally:
        s.stop()
    check(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr))
    for word in ("50 messages of 64 bytes", "p50", "p90", "p99", "max"):
        check(word in p.stdout, "no '%s' in:\n%s" % (word, p.stdout))
    check("\r" not in p.stdout, "progress line drawn on a pipe")


@case
def throughput_real_server():
    """bench throughput: 32 MiB streamed, every byte back, exit 0."""
    s = Server()
    try:
        rc, objs, err = bench("bench", "throughput", s.target,
                              "--bytes", "32M", "--json")
    finally:
        s.stop()
    check(rc == 0, "exit %d: %s" % (rc, err))
    r = objs[-1]
    check(r["bytes"] == 32 << 20 and r["sent"] == 32 << 20, r)
    check(r["mb_per_s"] > 0 and r["gbit_per_s"] > 0, r)
    print("%.1f MB/s echoed" % r["mb_per_s"])


@case
def throughput_duration():
    """bench throughput --duration: stops sending, drains, ends cleanly."""
    s = Server()
    try:
        rc, objs, err = bench("bench", "throughput", s.target,
                              "--duration", "1", "--json")
    finally:
        s.stop()
    check(rc == 0, "exit %d: %s" % (rc, err))
    r = objs[-1]
    check(r["bytes"] > 0 and r["bytes"] == r["sent"], r)
    check(0.5 < r["seconds"] < 30, r)


@case
def connections_real_server():
    """bench connections: sequential then parallel, all handshakes ok."""
    s = Server()
    try:
        rc, objs, err = bench("bench", "connections", s.target, "-n", "200",
                              "-P", "8", "--json")
    finally:
        s.stop()
    check(rc == 0, "exit %d: %s" % (rc, err))
    check([o["phase"] for o in objs] == ["sequential", "parallel 8"], objs)
    for o in objs:
        check(o["ok"] == 200 and o["failed"] == 0, o)
        check(o["handshakes_per_s"] > 0, o)
        check(o["connect_us"]["count"] == 200, o)
        check(o["handshake_us"]["count"] == 200, o)


@case
def idle_hold():
    """bench idle: 300 connections held, then each closes with the bye."""
    s = Server("tcp:127.0.0.1:0", "--max-conns", "1000")
    try:
        rc, objs, err = bench("bench", "idle", s.target, "-n", "300",
                              "--hold", "0.5", "--json")
    finally:
        s.stop()
    check(rc == 0, "exit %d: %s" % (rc, err))
    check(objs[0] == {"event": "holding", "connections": 300}, objs[0])
    check(objs[-1]["ok"] == 300 and objs[-1]["failed"] == 0, objs[-1])


@case
def idle_sigterm_ends_hold():
    """bench idle without --hold: SIGTERM ends the hold, byes, exit 0."""
    s = Server()
    p = subprocess.Popen([HVECHO, "bench", "idle", s.target, "-n", "50",
                          "--json"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        check(json.loads(line)["event"] == "holding", line)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        s.stop()
    check(p.returncode == 0, "exit %d: %s" % (p.returncode, err))
    check(json.loads(out)["ok"] == 50, out)


@case
def stress_real_server():
    """stress against hvecho -s: no error, exit 0."""
    s = Server()
    try:
        rc, objs, err = bench("stress", s.target, "-P", "8", "-n", "400",
                              "--max-size", "256K", "--json")
    finally:
        src = s.stop()
    check(rc == 0, "exit %d: %s" % (rc, err))
    r = objs[-1]
    check(r["ok"] == 400 and r["failed"] == 0, r)
    check(r["corrupted"] == 0 and r["lost_bytes"] == 0 and r["errors"] == {},
          r)
    check(r["bytes"] == r["sent"] and r["bytes"] >= 400, r)
    check(src == 0, "server exit %d" % src)


@case
def stress_corrupting_peer():
    """stress against socat running `tr a b`: corruption counted, exit 1."""
    # Every byte 'a' comes back as 'b'; the bye follows, so only the
    # corruption is wrong. Messages are random bytes up to 16 KiB: nearly
    # all contain an 'a'.
    peer = Socat("stdbuf -o0 tr a b; printf bye")
    try:
        rc, objs, err = bench("stress", peer.target, "-P", "4", "-n", "40",
                              "--max-size", "16K", "-t", "10", "--json")
    finally:
        peer.stop()
    check(rc == 1, "exit %d, expected 1: %s" % (rc, err))
    r = objs[-1]
    check(r["corrupted"] > 0, r)
    check(r["errors"].get("echo-mismatch") == r["corrupted"], r)
    check(r["corrupted"] + r["ok"] == 40, r)
    check("error" in r and r["exit"] == 1, r)
    print("%d of 40 handshakes corrupted, errors %s"
          % (r["corrupted"], r["errors"]))


@case
def stress_losing_peer():
    """stress against a peer that echoes 100 bytes and hangs up: the rest
    is counted as lost, exit 1."""
    peer = Socat("head -c 100")
    try:
        rc, objs, err = bench("stress", peer.target, "-P", "2", "-n", "10",
                              "--max-size", "64K", "-t", "10", "--json")
    finally:
        peer.stop()
    check(rc == 1, "exit %d, expected 1: %s" % (rc, err))
    r = objs[-1]
    check(r["failed"] > 0 and r["lost_bytes"] > 0, r)


@case
def plain_echo_no_bye():
    """A plain echo (socat SYSTEM:cat, no bye): every handshake fails with
    no-bye, exit 1; with --no-bye they all pass, exit 0."""
    peer = Socat("cat")
    try:
        rc, objs, err = bench("stress", peer.target, "-P", "2", "-n", "10",
                              "--max-size", "8K", "--json")
        rc2, objs2, err2 = bench("stress", peer.target, "-P", "2", "-n", "10",
                                 "--max-size", "8K", "--no-bye", "--json")
    finally:
        peer.stop()
    check(rc == 1 and objs[-1]["errors"] == {"no-bye": 10}, (rc, objs))
    check(rc2 == 0 and objs2[-1]["ok"] == 10, (rc2, objs2, err2))


@case
def nothing_listening():
    """bench latency where nothing listens: refused, exit 3."""
    rc, objs, err = bench("bench", "latency", "tcp:127.0.0.1:%d"
                          % free_port(), "-n", "5", "--json")
    check(rc == 3, "exit %d, expected 3: %s" % (rc, objs))
    check(objs[-1]["error"] == "refused", objs[-1])


@case
def bad_input():
    """Bad commands and options: one line on stderr, exit 2."""
    for args in (["bench"], ["bench", "nope"], ["bench", "idle"],
                 ["bench", "latency", "-n", "0"],
                 ["bench", "latency", "--size", "x"],
                 ["bench", "throughput", "--bytes", "1M", "--duration", "1"],
                 ["bench", "latency", "tcp:nohost"],
                 ["stress", "--max-size", "0"],
                 ["stress", "--frob"]):
        p = subprocess.run([HVECHO, *args], capture_output=True, text=True,
                           timeout=10)
        if args == ["bench"]:
            check(p.returncode == 0 and "bench latency" in p.stdout,
                  "hvecho bench: %d %s" % (p.returncode, p.stdout))
            continue
        check(p.returncode == 2, "%s: exit %d" % (args, p.returncode))
        lines = p.stderr.strip().splitlines()
        check(len(lines) == 1 and lines[0].startswith("hvecho: "),
              "%s: stderr %r" % (args, p.stderr))


if __name__ == "__main__":
    hvtest.run(globals())
