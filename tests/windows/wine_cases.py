#!/usr/bin/env python3
"""Windows cases: hvecho.exe and hvecho-gui.exe, cross-built with
mingw-w64 and run under Wine, against each other and against the Linux
hvecho, over TCP on 127.0.0.1.

Usage: wine_cases.py --src DIR --build DIR --cmake CMAKE --wine WINE
                     --linux-hvecho PATH CASE

CASE: cross_build, wineprefix (the two fixtures), platform, cli_tcp,
cli_to_linux, linux_to_cli, many_clients, hyperv_unavailable, bad_input,
register, probe_textfile,
dialog (needs DISPLAY: run it under tests/gui/run-xvfb.sh).

The Wine prefix is <build>/wineprefix (WINEDEBUG=-all), made fresh by the
wineprefix case; nothing comes from the user's home. Every wait is
bounded; processes started here are ended by their pid. Wine has no
Hyper-V sockets, so AF_HYPERV is only tested as "unavailable".
"""
import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import promtext  # noqa: E402

A = None


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def cross_dir():
    return os.path.join(A.build, "windows-cross")


def exe(name):
    return {
        "hvecho": os.path.join(cross_dir(), "cli", "hvecho.exe"),
        "gui": os.path.join(cross_dir(), "gui-win32", "hvecho-gui.exe"),
        "driver": os.path.join(cross_dir(), "driver", "dlgdriver.exe"),
        "nettest": os.path.join(cross_dir(), "driver", "nettest.exe"),
    }[name]


def prefix_dir():
    """The dialog has a prefix of its own: Wine's desktop process belongs
    to a prefix's wineserver, and the CLI cases (no DISPLAY) would start
    it without X."""
    return os.path.join(A.build, "wineprefix-dialog" if A.case == "dialog"
                        else "wineprefix")


def wine_env(display=False):
    env = dict(os.environ)
    env["WINEPREFIX"] = prefix_dir()
    env["WINEDEBUG"] = "-all"
    # No Mono / Gecko installers: hvecho needs neither.
    env["WINEDLLOVERRIDES"] = "mscoree,mshtml="
    env["WINEARCH"] = "win64"
    if not display:
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
    return env


def need_wine():
    check(A.wine and shutil.which(A.wine),
          "wine not found: install wine and wine64 (.ci/deps)")


def wineserver_path():
    cands = [shutil.which("wineserver"), "/usr/lib/wine/wineserver64",
             "/usr/lib/wine/wineserver"]
    path = next((c for c in cands if c and os.access(c, os.X_OK)), None)
    check(path, "wineserver not found (package wine64)")
    return path


def wineserver(display=False):
    """Starts the prefix's wineserver and Wine's own background processes
    (services.exe, explorer.exe, ...) with their output on /dev/null,
    kept 15 s after the last program. Else the first program run here
    would start them, they would inherit its stdout and stderr pipes, and
    reading those to the end would wait until they exit."""
    devnull = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    # It detaches itself; does nothing when one already runs.
    subprocess.run([wineserver_path(), "-p15"], env=wine_env(display),
                   timeout=60, **devnull)
    subprocess.run([A.wine, "cmd", "/c", "exit"], env=wine_env(display),
                   timeout=240, **devnull)


class Ran:
    def __init__(self, code, out, err):
        self.returncode, self.stdout, self.stderr = code, out, err


def wine(args, timeout=60, display=False):
    """Runs a Windows program to the end. Output goes through files, so
    nothing that inherited them can make the wait longer."""
    need_wine()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen([A.wine] + args, env=wine_env(display),
                             stdin=subprocess.DEVNULL, stdout=out,
                             stderr=err)
        try:
            code = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise
        out.seek(0)
        err.seek(0)
        return Ran(code, out.read(), err.read())


def text(b):
    return b.decode("utf-8", "replace")


class JsonServer:
    """A server (Windows under Wine, or Linux) on tcp:127.0.0.1:0 with
    --json --once; knows the port it bound."""

    def __init__(self, cmd, env=None):
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.port = None
        deadline = time.time() + 60
        line = b""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if line or self.proc.poll() is not None:
                break
        if not line:
            self.kill()
            raise Fail("server printed nothing (exit %s): %s" % (
                self.proc.returncode, text(self.proc.stderr.read(4096))))
        ev = json.loads(line)
        check(ev["event"] == "listening", "first event: %r" % ev)
        self.port = ev.get("port")
        check(self.port, "no port in %r" % ev)

    def finish(self, timeout=60):
        """Waits for the server to exit (it serves one client); returns
        (exit code, events)."""
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise Fail("server did not exit: " + text(err))
        events = [json.loads(l) for l in out.splitlines() if l.strip()]
        return self.proc.returncode, events, text(err)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass


def events_of(out):
    return [json.loads(l) for l in text(out).splitlines() if l.strip()]


def find(events, kind):
    return [e for e in events if e.get("event") == kind]


# ---- fixtures ----

def case_cross_build():
    """The "windows" preset's build, into <build>/windows-cross, warnings
    as errors; and the dialog driver next to it."""
    tc = os.path.join(A.src, "cmake", "mingw-w64.cmake")
    steps = [
        [A.cmake, "-S", A.src, "-B", cross_dir(),
         "-DCMAKE_TOOLCHAIN_FILE=" + tc, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
         "-DHVECHO_GTK=OFF", "-DHVECHO_WIN32_GUI=ON", "-DHVECHO_WERROR=ON",
         "-DBUILD_TESTING=OFF"],
        [A.cmake, "--build", cross_dir(), "-j2"],
        [A.cmake, "-S", os.path.join(A.src, "tests", "windows", "driver"),
         "-B", os.path.join(cross_dir(), "driver"),
         "-DCMAKE_TOOLCHAIN_FILE=" + tc],
        [A.cmake, "--build", os.path.join(cross_dir(), "driver")],
    ]
    for s in steps:
        r = subprocess.run(s, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=800)
        sys.stdout.write(text(r.stdout)[-3000:])
        check(r.returncode == 0, "failed: " + " ".join(s))
    for n in ("hvecho", "gui", "driver", "nettest"):
        check(os.path.isfile(exe(n)), "not built: " + exe(n))
        with open(exe(n), "rb") as f:
            check(f.read(2) == b"MZ", exe(n) + " is not a Windows program")
    print("built", exe("hvecho"), exe("gui"), exe("driver"))


def make_prefix(display=False):
    """A fresh 64-bit prefix in the build tree."""
    need_wine()
    prefix = prefix_dir()
    shutil.rmtree(prefix, ignore_errors=True)
    os.makedirs(prefix)
    r = wine(["wineboot", "-i"], timeout=240, display=display)
    # wineboot returns while its helpers still set the prefix up: wait
    # until the wineserver (and with it every Wine process) has ended and
    # written the registry.
    subprocess.run([wineserver_path(), "-w"], env=wine_env(display),
                   timeout=240,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    check(os.path.isfile(os.path.join(prefix, "system.reg")),
          "wineboot made no prefix: " + text(r.stderr)[-2000:])
    print("wine prefix ready in", prefix)


def case_wineprefix():
    make_prefix()


# ---- the platform layer on its own ----

def case_platform():
    """nettest.exe: core/net_win32.c, thread_win32.c, probe_win32.c and
    register_win32.c against their contract (tests/windows/driver)."""
    r = wine([exe("nettest")], timeout=120)
    sys.stdout.write(text(r.stdout))
    check(r.returncode == 0, "nettest.exe failed (exit %d): %s" %
          (r.returncode, text(r.stderr)[-2000:]))


# ---- the command line ----

def client_ok(r, bye):
    """A client run with --json ended in a complete handshake with bye."""
    out = text(r.stdout)
    check(r.returncode == 0, "client exit %d:\n%s\n%s" %
          (r.returncode, out, text(r.stderr)))
    evs = events_of(r.stdout)
    byes = find(evs, "bye")
    check(byes, "no bye event: " + out)
    check(any(e.get("data") == bye for e in byes),
          "bye is not %r: %r" % (bye, byes))
    check(any(e.get("detail") == "echo verified"
              for e in find(evs, "received")), "echo not verified: " + out)
    fin = find(evs, "finished")
    check(fin and fin[-1].get("exit") == 0, "not finished ok: %r" % fin)
    return evs


def case_cli_tcp():
    """hvecho.exe server and client, both under Wine, over 127.0.0.1."""
    srv = JsonServer([A.wine, exe("hvecho"), "-s", "tcp:127.0.0.1:0",
                      "--json", "-1", "--bye", "bye from wine"],
                     env=wine_env())
    try:
        r = wine([exe("hvecho"), "-c", "tcp:127.0.0.1:%d" % srv.port,
                  "--json", "-m", "hello over wine"])
        client_ok(r, "bye from wine")
        code, evs, err = srv.finish()
        check(code == 0, "server exit %d: %s" % (code, err))
        check(find(evs, "bye"), "server sent no bye: %r" % evs)
        print("windows <-> windows over tcp: ok (port %d)" % srv.port)
    finally:
        srv.kill()


def case_cli_to_linux():
    """hvecho.exe client against the Linux hvecho server."""
    srv = JsonServer([A.linux_hvecho, "-s", "tcp:127.0.0.1:0", "--json",
                      "-1", "--bye", "bye from linux"])
    try:
        r = wine([exe("hvecho"), "-c", "tcp:127.0.0.1:%d" % srv.port,
                  "--json", "-m", "from windows \u00e9"])
        client_ok(r, "bye from linux")
        code, evs, err = srv.finish()
        check(code == 0, "linux server exit %d: %s" % (code, err))
        print("windows client -> linux server: ok")
    finally:
        srv.kill()


def case_linux_to_cli():
    """The Linux hvecho client against hvecho.exe's server."""
    srv = JsonServer([A.wine, exe("hvecho"), "-s", "tcp:127.0.0.1:0",
                      "--json", "-1", "--bye", "bye from windows"],
                     env=wine_env())
    try:
        r = subprocess.run([A.linux_hvecho, "-c",
                            "tcp:127.0.0.1:%d" % srv.port, "--json", "-m",
                            "from linux \u00e9"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        client_ok(r, "bye from windows")
        code, evs, err = srv.finish()
        check(code == 0, "windows server exit %d: %s" % (code, err))
        print("linux client -> windows server: ok")
    finally:
        srv.kill()


def case_many_clients():
    """200 Linux clients at once against hvecho.exe's server (one WSAPoll
    loop for all of them), then a 16 MiB message through it byte-exact
    (the server stops reading while the client is not reading its echo)
    and a Windows client doing 20 handshakes in a row."""
    srv = subprocess.Popen([A.wine, exe("hvecho"), "-s", "tcp:127.0.0.1:0",
                            "--json", "-q", "--max-conns", "1000"],
                           env=wine_env(), stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
    try:
        ev = json.loads(srv.stdout.readline())
        port = ev["port"]
        target = "tcp:127.0.0.1:%d" % port
        t0 = time.time()
        procs = [subprocess.Popen([A.linux_hvecho, "-c", target, "-q", "-m",
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
                p.wait()
                rc = -1
            if rc != 0:
                bad.append((i, rc, text(p.stderr.read())))
            p.stderr.close()
        check(not bad, "%d of 200 failed, first: %r" % (len(bad), bad[:1]))
        print("200 of 200 Linux clients completed against hvecho.exe in "
              "%.2f s" % (time.time() - t0))

        t0 = time.time()
        r = subprocess.run([A.linux_hvecho, "-c", target, "--size", "16M",
                            "-t", "60", "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=180)
        client_ok(r, "bye")
        print("16 MiB echoed byte-exact through hvecho.exe in %.2f s" %
              (time.time() - t0))

        r = wine([exe("hvecho"), "-c", target, "-n", "20", "--json"],
                 timeout=120)
        check(r.returncode == 0, "20 handshakes: exit %d %s" %
              (r.returncode, text(r.stderr)))
        fins = find(events_of(r.stdout), "bye")
        check(len(fins) == 20, "%d byes of 20" % len(fins))
        print("hvecho.exe -n 20: 20 handshakes")
    finally:
        srv.kill()
        srv.wait()


def case_hyperv_unavailable():
    """Wine has no AF_HYPERV: a clear message with the hint, exit 4."""
    for args in (["-c"], ["-c", "parent"], ["-s", "-1"]):
        r = wine([exe("hvecho")] + args)
        err = text(r.stderr)
        print("hvecho.exe %s -> exit %d: %s" % (" ".join(args),
                                                r.returncode, err.strip()))
        check(r.returncode == 4, "exit %d, not 4" % r.returncode)
        check("Hyper-V sockets" in err, "no 'Hyper-V sockets' in: " + err)
        check("Windows 10 1607" in err, "no version hint in: " + err)


def case_bad_input():
    """Bad input: one clear line, exit 2."""
    bad = [
        ["-c", "bogus:x"],
        ["-c", "tcp:127.0.0.1:99999"],
        ["-c", "42"],                   # a vsock CID: not on Windows
        ["-c", "-p", "not-a-service"],
        ["-c", "-t", "soon"],
        ["--no-such-option"],
        ["register", "--bogus"],
        ["register", "-p", "zz"],
    ]
    for args in bad:
        r = wine([exe("hvecho")] + args)
        err = text(r.stderr).strip()
        print("hvecho.exe %s -> exit %d: %s" % (" ".join(args),
                                                r.returncode, err))
        check(r.returncode == 2, "exit %d, not 2" % r.returncode)
        check(err.startswith("hvecho:"), "no 'hvecho:' line: " + err)


def case_register():
    """register --print shows the PowerShell; register / unregister write
    and remove the key (Wine runs programs as administrator)."""
    guid = "00001388-FACB-11E6-BD58-64006A7986D3"
    r = wine([exe("hvecho"), "register", "--print", "-p", "5000"])
    out = text(r.stdout)
    check(r.returncode == 0 and "GuestCommunicationServices" in out and
          guid in out and "ElementName" in out, "--print: " + out)
    r = wine([exe("hvecho"), "unregister", "--print", "-p", "5000"])
    check(r.returncode == 0 and "Remove-Item" in text(r.stdout),
          "unregister --print: " + text(r.stdout))

    r = wine([exe("hvecho"), "register", "-p", "5000", "--name",
              "hvecho test \u00e9"])
    check(r.returncode == 0, "register exit %d: %s" %
          (r.returncode, text(r.stderr)))
    check("registered" in text(r.stdout), "register said: " +
          text(r.stdout))
    r = wine([exe("hvecho"), "doctor", "-p", "5000"], timeout=120)
    check("is registered" in text(r.stdout) and
          "hvecho test \u00e9" in text(r.stdout),
          "doctor does not see the registration:\n" + text(r.stdout))
    r = wine([exe("hvecho"), "unregister", "-p", "5000"])
    check(r.returncode == 0 and "removed" in text(r.stdout),
          "unregister: %d %s" % (r.returncode, text(r.stdout)))
    r = wine([exe("hvecho"), "unregister", "-p", "5000"])
    check(r.returncode == 0 and "not registered" in text(r.stdout),
          "second unregister: " + text(r.stdout))
    # On Linux there is nothing to register: it says where to do it
    # (exit 2), and --print still prints the PowerShell.
    r = subprocess.run([A.linux_hvecho, "register", "-p", "5000"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    check(r.returncode == 2 and "Windows host" in text(r.stderr),
          "linux register: %d %s" % (r.returncode, text(r.stderr)))
    r = subprocess.run([A.linux_hvecho, "register", "--print", "-p", "5000"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    check(r.returncode == 0 and guid in text(r.stdout),
          "linux register --print: " + text(r.stdout))
    print("register / unregister: ok")


# ---- the dialog ----

def free_port():
    """A port nothing listens on now, with the next one free too (the
    driver's refused-connect check uses port + 1). The next one may still
    hold connections in TIME_WAIT from other tests (after their thousands
    of handshakes): those refuse a connect all the same, so SO_REUSEADDR
    lets the probe bind it; a listener there still makes it fail."""
    for _ in range(200):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if port >= 65534:
            continue
        t = socket.socket()
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            pass
        finally:
            t.close()
    raise Fail("no free port pair")


def case_dialog():
    """hvecho-gui.exe under Xvfb, driven by dlgdriver.exe through its
    controls; a screenshot of the dialog is kept in the build tree."""
    check(os.environ.get("DISPLAY"), "no DISPLAY: run under run-xvfb.sh")
    make_prefix(display=True)
    # A Wine virtual desktop: the dialog gets a title bar (Xvfb has no
    # window manager), and the screenshot shows it as on Windows.
    for key, name, val in (
            (r"HKCU\Software\Wine\Explorer", "Desktop", "Default"),
            (r"HKCU\Software\Wine\Explorer\Desktops", "Default",
             "1280x900")):
        r = wine(["reg", "add", key, "/v", name, "/d", val, "/f"],
                 display=True)
        check(r.returncode == 0, "reg add %s failed" % key)
    subprocess.run([wineserver_path(), "-w"], env=wine_env(True),
                   timeout=240, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wineserver(display=True)
    shot = os.path.join(cross_dir(), "hvecho-gui-screenshot.png")
    if os.path.exists(shot):
        os.remove(shot)
    gui = subprocess.Popen([A.wine, exe("gui")], env=wine_env(True),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        port = free_port()
        saved = os.path.join(cross_dir(), "hvecho-gui-log.txt")
        # Wine's drive Z: is the Unix root.
        r = wine([exe("driver"), "run", str(port),
                  "Z:" + saved.replace("/", "\\")], timeout=400,
                 display=True)
        sys.stdout.write(text(r.stdout))
        check(r.returncode == 0, "the driver failed (exit %d): %s" %
              (r.returncode, text(r.stderr)[-2000:]))
        with open(saved, encoding="utf-8") as f:
            log = f.read()
        check(" bye " in log and "handshake complete" in log and
              "hello from the driver \u00fc" in log,
              "the saved log (UTF-8) lacks the bye row")
        # The exports parse: CSV (RFC 4180) and JSON lines with the fields
        # of hvecho --json.
        base = saved[:-4]
        with open(base + ".csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        check(rows and {"time", "event", "text", "bytes"} <= set(rows[0]),
              "CSV header: %r" % (rows[:1],))
        check(any(r["event"] == "bye" for r in rows), "no bye in the CSV")
        with open(base + ".jsonl", encoding="utf-8") as f:
            evs = [json.loads(l) for l in f if l.strip()]
        check(any(e.get("event") == "bye" and e.get("side") == "client"
                  for e in evs), "no client bye in the JSON lines")
        check(any(e.get("event") == "received" and e.get("side") == "server"
                  and e.get("bytes") for e in evs),
              "no server data in the JSON lines")
        print("exports parse: %d CSV rows, %d JSON lines" %
              (len(rows), len(evs)))
        # The whole screen, trimmed to the dialog (Xvfb's root is black).
        raw = shot + ".raw.png"
        s = subprocess.run(["import", "-window", "root", raw],
                           env=os.environ, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        check(s.returncode == 0, "import failed: " + text(s.stderr))
        s = subprocess.run(["/usr/bin/convert", raw, "-trim", "+repage",
                            shot], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        check(s.returncode == 0, "convert failed: " + text(s.stderr))
        os.remove(raw)
        check(os.path.getsize(shot) > 10000, "screenshot too small")
        print("screenshot:", shot)

        # Closing with the server running stops it and ends the program.
        r = wine([exe("driver"), "close"], timeout=60, display=True)
        sys.stdout.write(text(r.stdout))
        check(r.returncode == 0, "close failed: " + text(r.stdout))
        try:
            code = gui.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise Fail("hvecho-gui.exe did not exit after closing")
        check(code == 0, "hvecho-gui.exe exit %d" % code)

        # Started again: the target used is offered from its history.
        gui = subprocess.Popen([A.wine, exe("gui")], env=wine_env(True),
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        r = wine([exe("driver"), "history", str(port)], timeout=120,
                 display=True)
        sys.stdout.write(text(r.stdout))
        check(r.returncode == 0, "history failed: " + text(r.stdout))
        r = wine([exe("driver"), "close"], timeout=60, display=True)
        check(r.returncode == 0, "close failed: " + text(r.stdout))
        gui.wait(timeout=30)
    finally:
        if gui.poll() is None:
            gui.kill()
            gui.wait()


def case_probe_textfile():
    """hvecho.exe probe writes the same Prometheus textfile as the Linux
    hvecho for TCP targets (a live Linux server, a dead port), replacing
    it with MoveFileEx on each round, no temporary file left behind."""
    srv = subprocess.Popen([A.linux_hvecho, "-s", "tcp:127.0.0.1:0",
                            "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
    d = tempfile.mkdtemp(prefix="hvecho-wine-probe-")
    try:
        port = json.loads(srv.stdout.readline())["port"]
        live, dead = "tcp:127.0.0.1:%d" % port, "tcp:127.0.0.1:%d" % \
            free_port()
        win_path = "Z:" + os.path.join(d, "win.prom").replace("/", "\\")
        # A host name too: looked up on the probe's helper thread.
        named = "tcp:localhost:%d" % port
        r = wine([exe("hvecho"), "probe", live, dead, named, "--count", "3",
                  "--every", "200ms", "--json", "--textfile", win_path],
                 timeout=120)
        check(r.returncode == 3, "probe.exe exit %d (want 3, one refused):"
              " %s %s" % (r.returncode, text(r.stdout), text(r.stderr)))
        lines = [json.loads(x) for x in text(r.stdout).splitlines()]
        check(len(lines) == 9, "want 9 JSON lines: %r" % lines)
        subprocess.run([A.linux_hvecho, "probe", live, dead, named,
                        "--count", "3", "--every", "200ms", "-q",
                        "--textfile", os.path.join(d, "linux.prom")],
                       stdout=subprocess.DEVNULL, timeout=60)
        check(sorted(os.listdir(d)) == ["linux.prom", "win.prom"],
              "files: %r" % os.listdir(d))
        win_text = open(os.path.join(d, "win.prom")).read()
        try:
            win, win_types = promtext.parse(win_text)
            lin, lin_types = promtext.parse(
                open(os.path.join(d, "linux.prom")).read())
        except promtext.BadText as e:
            raise Fail("textfile: %s" % e)
        check(win_types == lin_types, "families differ: %r vs %r" %
              (win_types, lin_types))
        check(set(win) == set(lin), "series differ:\n%s\n%s" %
              (sorted(win), sorted(lin)))
        v = promtext.value
        check(v(win, "hvecho_probe_success", target=live) == 1, win_text)
        check(v(win, "hvecho_probe_success", target=dead) == 0, win_text)
        check(v(win, "hvecho_probe_success", target=named) == 1, win_text)
        check(v(win, "hvecho_probes_total", target=live) == 3, win_text)
        check(v(win, "hvecho_probe_failures_total", target=dead,
                reason="refused") == 3, win_text)
        ts = v(win, "hvecho_probe_last_success_timestamp_seconds",
               target=live)
        check(ts and abs(time.time() - ts) < 120, "timestamp %r" % ts)
        pt = shutil.which("promtool")
        if pt:
            with open(os.path.join(d, "win.prom")) as f:
                c = subprocess.run([pt, "check", "metrics"], stdin=f,
                                   capture_output=True, text=True,
                                   timeout=60)
            check(c.returncode == 0 and not (c.stdout + c.stderr).strip(),
                  "promtool: %s%s" % (c.stdout, c.stderr))
        print("hvecho.exe probe: %d series, the same as Linux's" % len(win))
    finally:
        if srv.poll() is None:
            srv.terminate()
            srv.wait(10)
        shutil.rmtree(d, ignore_errors=True)


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--src", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--cmake", required=True)
    p.add_argument("--wine", default="")
    p.add_argument("--linux-hvecho", required=True)
    p.add_argument("case")
    A = p.parse_args()
    fn = globals().get("case_" + A.case)
    if not fn:
        print("unknown case", A.case, file=sys.stderr)
        return 2
    try:
        if A.case != "cross_build":
            need_wine()
            if A.case not in ("wineprefix", "dialog"):
                wineserver()
        fn()
    except Fail as e:
        print("FAIL:", e)
        return 1
    except subprocess.TimeoutExpired as e:
        print("FAIL: timed out:", e.cmd)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
