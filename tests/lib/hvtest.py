"""hvtest - what the Python test drivers share: failing a case, the case
registry and its runner, an hvecho server on a port the kernel picks, free
ports and /proc figures.

A driver registers its cases with @case and ends with hvtest.run(globals()),
which takes `HVECHO CASE` (or `HVECHO --list`) from the command line, puts
the binary's absolute path in the driver's HVECHO and in hvtest.HVECHO, and
prints `ok - CASE` or `FAIL - CASE: why` (exit 1).
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading

HVECHO = None
CASES = {}


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def run(driver_globals, cleanup=None):
    global HVECHO
    if len(sys.argv) != 3:
        sys.exit("usage: %s HVECHO CASE|--list" % sys.argv[0])
    HVECHO = driver_globals["HVECHO"] = os.path.abspath(sys.argv[1])
    name = sys.argv[2]
    if name == "--list":
        print("\n".join(CASES))
        return
    fn = CASES.get(name)
    if not fn:
        sys.exit("no case %s" % name)
    try:
        fn()
        print("ok - %s" % name)
    except Fail as e:
        print("FAIL - %s: %s" % (name, e))
        sys.exit(1)
    finally:
        if cleanup:
            cleanup()


class Server:
    """hvecho -s LISTEN --json EXTRA...; knows the port it bound and keeps
    the events it prints (read on a thread, so it never blocks on a full
    pipe)."""

    def __init__(self, listen="tcp:127.0.0.1:0", *extra):
        self.proc = subprocess.Popen(
            [HVECHO, "-s", listen, "--json", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.events = []
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(10)
            raise Fail("server printed nothing: " + self.proc.stderr.read())
        ev = json.loads(line)
        check(ev["event"] == "listening", "first event: %r" % ev)
        self.port = ev.get("port")
        self.listen = listen
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.events.append(json.loads(line))

    @property
    def target(self):
        if self.listen.startswith("unix:"):
            return self.listen
        return "tcp:127.0.0.1:%d" % self.port

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Stops it with sig; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise Fail("server did not stop within %d s" % timeout)
        self.reader.join(5)
        return rc


def free_port():
    """A TCP port on 127.0.0.1 the kernel just handed out."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def vm_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1
