#!/usr/bin/env python3
"""fleet.py - hvecho for fleets against the real tools: `hvecho probe`
with Debian's prometheus-node-exporter (textfile collector) and prometheus
scraping it, promtool on the metrics and on the alerting rules,
systemd-analyze verify on the units, socket activation through
systemd-socket-activate, the probe's deadline against a peer that trickles
its echo, and a stop during a name lookup that never ends (a DNS stub that
never answers, in a network and mount namespace of the test's own).

Every process is started here on 127.0.0.1 with free ports and temporary
directories, and stopped by its pid. Usage: fleet.py HVECHO CASE
(environment: HVECHO_UNITS_DIR, the configured units; HVECHO_RULES_DIR,
dist/prometheus; HVECHO_INSTALL_BIN, the hvecho path the units name).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import hvtest  # noqa: E402
import promtext  # noqa: E402
from hvtest import Fail, case, check, free_port  # noqa: E402

HVECHO = None
PROCS = []      # started here, stopped at the end by pid
TMPDIRS = []


def tmpdir():
    d = tempfile.mkdtemp(prefix="hvecho-fleet-")
    TMPDIRS.append(d)
    return d


def start(argv, log=None, **kw):
    """Starts argv; with log, its output goes to that file (a long run
    must not fill a pipe nobody reads)."""
    if log:
        f = open(log, "w")
        kw["stdout"] = kw["stderr"] = f
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    p = subprocess.Popen(argv, text=True, **kw)
    p.log = log
    PROCS.append(p)
    return p


def tail(p):
    """The end of a process's output (its log file, or its stderr once it
    has exited)."""
    if p.log:
        with open(p.log) as f:
            return f.read()[-2000:]
    return p.stderr.read()[-2000:] if p.poll() is not None else ""


def stop(p, timeout=10):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return p.returncode


def cleanup():
    for p in PROCS:
        if p.poll() is None:
            p.kill()
            p.wait()
    for d in TMPDIRS:
        shutil.rmtree(d, ignore_errors=True)


def run(argv, timeout=60, **kw):
    return subprocess.run(argv, capture_output=True, text=True,
                          timeout=timeout, **kw)


def server(port):
    """hvecho -s on 127.0.0.1:port (a fixed port, so it can come back)."""
    s = hvtest.Server("tcp:127.0.0.1:%d" % port)
    PROCS.append(s.proc)
    return s


# ---- the Prometheus text exposition ----

def parse_metrics(text):
    try:
        return promtext.parse(text)
    except promtext.BadText as e:
        raise Fail(str(e))


value = promtext.value


def promtool_check_metrics(path):
    with open(path) as f:
        r = subprocess.run(["promtool", "check", "metrics"], stdin=f,
                           capture_output=True, text=True, timeout=60)
    check(r.returncode == 0 and not r.stdout.strip() and
          not r.stderr.strip(),
          "promtool check metrics: rc %d: %s%s" % (r.returncode, r.stdout,
                                                   r.stderr))


@case
def textfile():
    """One probe round of a live, a dead, a named and a badly named
    target: the JSON lines, the metrics (values, HELP/TYPE, escaped
    labels), promtool check metrics, no temporary file left."""
    srv = server(free_port())
    dead = free_port()
    d = tmpdir()
    prom = os.path.join(d, "hvecho.prom")
    weird = 'unix:%s/no"such\\sock' % d
    targets = [srv.target, "tcp:127.0.0.1:%d" % dead,
               "tcp:localhost:%d" % srv.port]
    # srv.target twice: probed once (the same series twice is an error
    # to the collectors).
    r = run([HVECHO, "probe", ",".join(targets[:2]), targets[2], weird,
             srv.target, "--json", "--textfile", prom, "-n", "2"])
    check(r.returncode == 3, "exit %d (want 3: a target refused): %s" %
          (r.returncode, r.stderr))
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    check(len(lines) == 8, "want 8 JSON lines (4 targets x 2 rounds): %r"
          % r.stdout)
    by = {(x["probe"], x["round"]): x for x in lines}
    ok = by[(srv.target, 2)]
    check(ok["success"] is True and ok["connect_ms"] > 0 and
          ok["echo_ms"] > 0 and ok["bye_ms"] > 0, "live: %r" % ok)
    bad = by[(targets[1], 1)]
    check(bad["success"] is False and bad["error"] == "refused",
          "dead: %r" % bad)
    check(by[(targets[2], 1)]["success"] is True, "localhost: %r" %
          by[(targets[2], 1)])
    check(by[(weird, 1)]["error"] == "not-found", "weird: %r" %
          by[(weird, 1)])
    check(os.listdir(d) == ["hvecho.prom"], "files left: %r" % os.listdir(d))
    text = open(prom).read()
    samples, typed = parse_metrics(text)
    for fam, kind in [("hvecho_probe_success", "gauge"),
                      ("hvecho_probe_duration_seconds", "gauge"),
                      ("hvecho_probe_timestamp_seconds", "gauge"),
                      ("hvecho_probe_last_success_timestamp_seconds",
                       "gauge"),
                      ("hvecho_probes_total", "counter"),
                      ("hvecho_probe_failures_total", "counter")]:
        check(typed.get(fam) == kind, "%s: TYPE %r" % (fam, typed.get(fam)))
        check("# HELP %s " % fam in text, "%s has no HELP" % fam)
    t = srv.target
    check(value(samples, "hvecho_probe_success", target=t) == 1, text)
    check(value(samples, "hvecho_probe_success", target=targets[1]) == 0,
          text)
    check(value(samples, "hvecho_probe_success", target=weird) == 0,
          "the escaped label did not come back as %r:\n%s" % (weird, text))
    check(value(samples, "hvecho_probes_total", target=t) == 2, text)
    check(value(samples, "hvecho_probe_failures_total", target=targets[1],
                reason="refused") == 2, text)
    check(value(samples, "hvecho_probe_failures_total", target=weird,
                reason="not-found") == 2, text)
    for ph in ("connect", "echo", "bye", "total"):
        v = value(samples, "hvecho_probe_duration_seconds", target=t,
                  phase=ph)
        check(v is not None and 0 < v < 5, "phase %s: %r" % (ph, v))
    now = time.time()
    ts = value(samples, "hvecho_probe_last_success_timestamp_seconds",
               target=t)
    check(ts and abs(now - ts) < 60, "last success %r, now %r" % (ts, now))
    check(value(samples, "hvecho_probe_last_success_timestamp_seconds",
                target=targets[1]) is None, "a dead target has no success")
    promtool_check_metrics(prom)
    srv.stop()


@case
def atomic_replace():
    """--every 20ms for 2 s while a reader opens the file as fast as it
    can: every read is a whole file (the rename is atomic)."""
    srv = server(free_port())
    d = tmpdir()
    prom = os.path.join(d, "hvecho.prom")
    p = start([HVECHO, "probe", srv.target, "--every", "20ms", "-q",
               "--textfile", prom], log=os.path.join(tmpdir(), "probe.log"))
    reads, rounds = 0, set()
    end = time.monotonic() + 2
    while time.monotonic() < end:
        try:
            with open(prom) as f:
                text = f.read()
        except FileNotFoundError:
            continue
        samples, _ = parse_metrics(text)
        check(value(samples, "hvecho_probe_success", target=srv.target) == 1,
              "a read of the file:\n" + text)
        rounds.add(value(samples, "hvecho_probes_total", target=srv.target))
        reads += 1
    rc = stop(p)
    check(rc == 0, "probe --every stopped by SIGTERM: exit %d" % rc)
    check(len(rounds) > 10, "only %d rounds seen in %d reads" %
          (len(rounds), reads))
    check(os.listdir(d) == ["hvecho.prom"], "files left: %r" % os.listdir(d))
    print("%d whole reads, %d different rounds" % (reads, len(rounds)))
    srv.stop()


# ---- node_exporter + prometheus ----

def wait_http(url, what, proc, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise Fail("%s exited %d: %s" % (what, proc.returncode,
                                            tail(proc)))
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return r.read().decode()
        except OSError:
            pass
        time.sleep(0.2)
    raise Fail("%s did not answer %s within %d s" % (what, url, timeout))


def query(prom_port, q):
    url = "http://127.0.0.1:%d/api/v1/query?%s" % (
        prom_port, urllib.parse.urlencode({"query": q}))
    with urllib.request.urlopen(url, timeout=5) as r:
        body = json.loads(r.read().decode())
    check(body.get("status") == "success", "query %s: %r" % (q, body))
    return body["data"]["result"]


def wait_query(prom_port, q, want, timeout=60):
    """Polls q until want(result) holds; returns the result."""
    end = time.monotonic() + timeout
    res = None
    while time.monotonic() < end:
        res = query(prom_port, q)
        if want(res):
            print("query %s -> %s" % (q, json.dumps(
                [(x["metric"], x["value"][1]) for x in res])))
            return res
        time.sleep(0.5)
    raise Fail("query %s: still %r after %d s" % (q, res, timeout))


def one_value(res):
    return float(res[0]["value"][1]) if len(res) == 1 else None


@case
def prometheus():
    """The probe's textfile through node_exporter into prometheus: success
    1 for a live server, 0 with reason refused for a dead one, 0 when the
    live one stops and 1 again after it restarts."""
    live_port, dead_port = free_port(), free_port()
    srv = server(live_port)
    live, dead = "tcp:127.0.0.1:%d" % live_port, \
        "tcp:127.0.0.1:%d" % dead_port
    d = tmpdir()
    textdir = os.path.join(d, "textfile")
    os.mkdir(textdir)
    probe = start([HVECHO, "probe", live, dead, "--every", "500ms", "-q",
                   "--deadline", "2s", "--textfile",
                   os.path.join(textdir, "hvecho.prom")],
                  log=os.path.join(d, "probe.log"))
    ne_port, prom_port = free_port(), free_port()
    ne = start(["prometheus-node-exporter",
                "--web.listen-address=127.0.0.1:%d" % ne_port,
                "--collector.disable-defaults", "--collector.textfile",
                "--collector.textfile.directory=" + textdir],
               log=os.path.join(d, "node_exporter.log"))
    metrics = wait_http("http://127.0.0.1:%d/metrics" % ne_port,
                        "node_exporter", ne)
    cfg = os.path.join(d, "prometheus.yml")
    with open(cfg, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: node\n    static_configs:\n"
                "      - targets: ['127.0.0.1:%d']\n" % ne_port)
    prom = start(["prometheus", "--config.file=" + cfg,
                  "--storage.tsdb.path=" + os.path.join(d, "data"),
                  "--web.listen-address=127.0.0.1:%d" % prom_port],
                 log=os.path.join(d, "prometheus.log"))
    wait_http("http://127.0.0.1:%d/-/ready" % prom_port, "prometheus", prom,
              timeout=120)
    if probe.poll() is not None:
        raise Fail("the probe exited: %s" % tail(probe))

    ok = 'hvecho_probe_success{target="%s"}'
    wait_query(prom_port, ok % live, lambda r: one_value(r) == 1)
    wait_query(prom_port, ok % dead, lambda r: one_value(r) == 0)
    wait_query(prom_port, 'hvecho_probe_failures_total{target="%s"}' % dead,
               lambda r: len(r) == 1 and
               r[0]["metric"].get("reason") == "refused" and
               float(r[0]["value"][1]) >= 1)
    wait_query(prom_port, 'hvecho_probe_duration_seconds{target="%s",'
               'phase="total"}' % live,
               lambda r: one_value(r) is not None and 0 < one_value(r) < 2)

    srv.stop()
    wait_query(prom_port, ok % live, lambda r: one_value(r) == 0)
    wait_query(prom_port, 'hvecho_probe_failures_total{target="%s",'
               'reason="refused"}' % live, lambda r: one_value(r) is not None
               and one_value(r) >= 1)

    srv = server(live_port)
    wait_query(prom_port, ok % live, lambda r: one_value(r) == 1)
    wait_query(prom_port, 'hvecho_probes_total{target="%s"}' % live,
               lambda r: one_value(r) is not None and one_value(r) >= 3)
    # node_exporter read the file without complaint.
    errs = [x for x in metrics.splitlines()
            if x.startswith("node_textfile_scrape_error")]
    check(errs == ["node_textfile_scrape_error 0"],
          "node_exporter: %r" % errs)
    check(stop(probe) == 0, "probe: exit %d" % probe.returncode)
    srv.stop()
    stop(prom, timeout=30)
    stop(ne)


# ---- systemd and promtool on the shipped files ----

@case
def units_verify():
    """systemd-analyze verify on the units as installed (the hvecho path
    pointed at this build), with not one warning; the hardening is in."""
    src = os.environ["HVECHO_UNITS_DIR"]
    installed = os.environ["HVECHO_INSTALL_BIN"]
    d = tmpdir()
    names = sorted(os.listdir(src))
    check(names == ["hvecho-probe@.service", "hvecho-server.service",
                    "hvecho-server.socket"], "units: %r" % names)
    for n in names:
        text = open(os.path.join(src, n)).read()
        check("@" + "HVECHO" not in text, "%s is not configured" % n)
        if n.endswith(".service"):
            check("ExecStart=%s " % installed in text,
                  "%s does not start %s" % (n, installed))
        with open(os.path.join(d, n), "w") as f:
            f.write(text.replace(installed, HVECHO))
    # The template through an instance of it.
    shutil.copy(os.path.join(d, "hvecho-probe@.service"),
                os.path.join(d, "hvecho-probe@fleet.service"))
    for unit in ("hvecho-server.service", "hvecho-server.socket",
                 "hvecho-probe@fleet.service"):
        r = run(["systemd-analyze", "verify", "--man=no", "./" + unit],
                cwd=d)
        check(r.returncode == 0 and not r.stdout.strip() and
              not r.stderr.strip(), "systemd-analyze verify %s: rc %d: %s%s"
              % (unit, r.returncode, r.stdout, r.stderr))
    srv = open(os.path.join(d, "hvecho-server.service")).read()
    for line in ("DynamicUser=yes", "NoNewPrivileges=yes",
                 "RestrictAddressFamilies=AF_VSOCK AF_UNIX AF_INET AF_INET6",
                 "ProtectSystem=strict", "CapabilityBoundingSet=\n"):
        check(line in srv, "hvecho-server.service lacks %r" % line)
    sock = open(os.path.join(d, "hvecho-server.socket")).read()
    check("ListenStream=vsock::810097020" in sock, "socket: " + sock)
    # And a broken unit does fail, so the check above means something.
    with open(os.path.join(d, "broken.service"), "w") as f:
        f.write(srv.replace("Restart=", "Restrt="))
    r = run(["systemd-analyze", "verify", "--man=no", "./broken.service"],
            cwd=d)
    check(r.stderr.strip(), "a misspelt key went unnoticed")


@case
def rules():
    """promtool check rules and promtool test rules on the shipped
    alerting rules."""
    d = os.environ["HVECHO_RULES_DIR"]
    r = run(["promtool", "check", "rules", "hvecho-rules.yml"], cwd=d)
    check(r.returncode == 0 and "SUCCESS: 2 rules found" in r.stdout,
          "check rules: %s%s" % (r.stdout, r.stderr))
    r = run(["promtool", "test", "rules", "hvecho-rules.test.yml"], cwd=d)
    check(r.returncode == 0 and "SUCCESS" in r.stdout,
          "test rules: %s%s" % (r.stdout, r.stderr))
    print(r.stdout.strip())


@case
def socket_activation():
    """systemd-socket-activate listens (TCP, then a unix socket) and
    starts `hvecho -s systemd` on the first connection; clients complete
    the handshake through the inherited socket."""
    d = tmpdir()
    port = free_port()
    for listen, target in (("127.0.0.1:%d" % port,
                            "tcp:127.0.0.1:%d" % port),
                           (os.path.join(d, "s"),
                            "unix:" + os.path.join(d, "s"))):
        sa = start(["systemd-socket-activate", "-l", listen, HVECHO, "-s",
                    "systemd", "--json"])
        end = time.monotonic() + 10
        while time.monotonic() < end:  # until it listens
            r = run([HVECHO, "-c", target, "-q", "-t", "5"])
            if r.returncode == 0:
                break
            time.sleep(0.1)
        check(r.returncode == 0, "client through %s: %d %s" %
              (listen, r.returncode, r.stderr))
        r = run([HVECHO, "-c", target, "-m", "second", "--json"])
        check(r.returncode == 0 and '"event":"bye"' in r.stdout,
              "second client: %s %s" % (r.stdout, r.stderr))
        check(stop(sa) == 0, "server: exit %d" % sa.returncode)
        first = json.loads(sa.stdout.readline())
        check(first["event"] == "listening" and
              "socket activation" in first["detail"], "server: %r" % first)
        print(first["detail"])
    # Without a socket from systemd, -s systemd refuses (never a fallback).
    r = run([HVECHO, "-s", "systemd"])
    check(r.returncode == 2 and "LISTEN_FDS" in r.stderr, "no socket: %d %s"
          % (r.returncode, r.stderr))


# ---- deadlines ----

class Trickler:
    """A TCP peer that echoes one byte per second and never sends a bye:
    each byte comes in well within the read timeout, so only an overall
    deadline can end the handshake."""

    def __init__(self):
        self.ls = socket.socket()
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(8)
        self.port = self.ls.getsockname()[1]
        self.stopping = False
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        self.ls.settimeout(0.2)
        while not self.stopping:
            try:
                c, _ = self.ls.accept()
            except OSError:
                continue
            threading.Thread(target=self.trickle, args=(c,),
                             daemon=True).start()

    def trickle(self, c):
        c.settimeout(1)
        pending = b""
        for _ in range(60):  # bounded: at most a minute
            if self.stopping:
                break
            try:
                data = c.recv(4096)
                if data:
                    pending += data
            except socket.timeout:
                pass
            except OSError:
                break
            if pending:
                try:
                    c.send(pending[:1])
                except OSError:
                    break
                pending = pending[1:]
            time.sleep(1)
        c.close()


@case
def deadline_trickle():
    """A peer trickling one byte per second (the read timeout is 5 s):
    the probe fails at its 3 s deadline with reason deadline, not after
    the 14 s the trickle would take."""
    t = Trickler()
    target = "tcp:127.0.0.1:%d" % t.port
    t0 = time.monotonic()
    r = run([HVECHO, "probe", target, "--deadline", "3s", "-t", "5",
             "--json"])
    took = time.monotonic() - t0
    t.stopping = True
    line = json.loads(r.stdout)
    check(r.returncode == 1 and line["error"] == "deadline",
          "exit %d: %s %s" % (r.returncode, r.stdout, r.stderr))
    check(2.9 <= took < 5, "took %.2f s for a 3 s deadline" % took)
    check(2900 <= line["total_ms"] < 4000, "total_ms %r" % line["total_ms"])
    print("failed after %.2f s: %s" % (took, line["detail"]))


# ---- a name lookup that never ends ----

def in_own_namespaces():
    return os.environ.get("HVECHO_FLEET_NS") == "1"


def reexec_in_namespaces(name):
    """Runs case name again inside new network and mount namespaces of
    our own (root), where /etc/resolv.conf can point at a stub."""
    if not shutil.which("unshare"):
        raise Fail("unshare (util-linux) is missing")
    env = dict(os.environ, HVECHO_FLEET_NS="1")
    r = run(["unshare", "--net", "--mount", "--propagation", "private",
             sys.executable, os.path.abspath(__file__), HVECHO, name],
            env=env, timeout=120)
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        raise Fail("in the namespaces: rc %d: %s%s" % (r.returncode,
                                                       r.stdout[-2000:],
                                                       r.stderr[-2000:]))


class SilentDNS:
    """A DNS server on 127.0.0.1:53 (in our own network namespace) that
    takes every query and never answers."""

    def __init__(self):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", 53))
        self.s.settimeout(0.2)
        self.queries = 0
        self.stopping = False
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while not self.stopping:
            try:
                self.s.recvfrom(4096)
                self.queries += 1
            except socket.timeout:
                pass


def silent_resolver():
    """In our namespaces: lo up, resolv.conf -> the silent stub (30 s per
    try, 3 tries: a blocking lookup would take 90 s)."""
    check(in_own_namespaces(), "not in the test's namespaces")
    r = run(["ip", "link", "set", "lo", "up"])
    check(r.returncode == 0, "ip link set lo up: %s" % r.stderr)
    conf = os.path.join(tmpdir(), "resolv.conf")
    with open(conf, "w") as f:
        f.write("nameserver 127.0.0.1\noptions timeout:30 attempts:3\n")
    r = run(["mount", "--bind", conf, "/etc/resolv.conf"])
    check(r.returncode == 0, "mount --bind resolv.conf: %s" % r.stderr)
    return SilentDNS()


@case
def dns_stop():
    """SIGTERM while `hvecho probe` waits for a resolver that never
    answers: it exits at once, not after the resolver's 90 s."""
    if not in_own_namespaces():
        return reexec_in_namespaces("dns_stop")
    dns = silent_resolver()
    p = start([HVECHO, "probe", "tcp:fleet-guest.invalid:5000", "-t", "60",
               "--deadline", "60s", "--every", "1s", "--json"],
              log=os.path.join(tmpdir(), "probe.log"))
    end = time.monotonic() + 10
    while dns.queries == 0 and time.monotonic() < end:
        time.sleep(0.05)
    check(dns.queries > 0, "the probe never asked the stub")
    time.sleep(0.5)
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(10)
    except subprocess.TimeoutExpired:
        raise Fail("still running 10 s after SIGTERM during the lookup")
    took = time.monotonic() - t0
    check(took < 3.0, "took %.2f s to stop (the resolver takes 90 s)" %
          took)
    check(rc == 0, "exit %d after SIGTERM (--every)" % rc)
    print("stopped %.3f s after SIGTERM, %d DNS queries unanswered" %
          (took, dns.queries))


@case
def dns_deadline():
    """The deadline holds during the lookup too: a 2 s deadline fails at
    2 s with reason deadline while the resolver stays silent."""
    if not in_own_namespaces():
        return reexec_in_namespaces("dns_deadline")
    silent_resolver()
    t0 = time.monotonic()
    r = run([HVECHO, "probe", "tcp:fleet-guest.invalid:5000", "-t", "60",
             "--deadline", "2s", "--json"])
    took = time.monotonic() - t0
    line = json.loads(r.stdout)
    check(r.returncode == 1 and line["error"] == "deadline",
          "exit %d: %s %s" % (r.returncode, r.stdout, r.stderr))
    check(1.9 <= took < 4, "took %.2f s" % took)
    print("failed after %.2f s: %s" % (took, line["detail"]))


if __name__ == "__main__":
    hvtest.run(globals(), cleanup)
