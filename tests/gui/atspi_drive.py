#!/usr/bin/python3
# atspi_drive.py - drives the installed-style hvecho-gtk program from the
# outside, through the accessibility bus (AT-SPI), the way a screen reader
# or a UI-automation tool sees it: finds each control by its accessible
# name, types into fields through EditableText, presses buttons through
# their Action, reads labels and the log table back.
#
# Usage (under an X server and a D-Bus session, see tests/gui/CMakeLists):
#   atspi_drive.py PATH/TO/hvecho-gtk
# Exit 0 = pass, 1 = fail, 77 = skipped (no python3-gi / Atspi here).
#
# Safety: the program starts with settings that pick TCP on 127.0.0.1 for
# both the server and the client, and the script checks the window's own
# "Listens on tcp" / "Connects to tcp" lines before it presses Start or
# Send: nothing here can touch AF_VSOCK.
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi
except (ImportError, ValueError) as e:
    print(f"skipped: python3-gi with Atspi 2.0 is needed ({e})")
    sys.exit(77)

failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print(f"FAIL: {what}", flush=True)
    return ok


def find(node, name, role=None, depth=0):
    """The first accessible named name (and of that role) under node."""
    if node is None or depth > 40:
        return None
    try:
        if node.get_name() == name and (role is None or
                                        node.get_role_name() == role):
            return node
        n = node.get_child_count()
    except Exception:
        return None
    for i in range(n):
        hit = find(node.get_child_at_index(i), name, role, depth + 1)
        if hit is not None:
            return hit
    return None


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, -1) if acc else ""


def wait(pred, seconds, what):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    check(False, f"timed out waiting for {what}")
    return None


def press(app, name):
    b = wait(lambda: find(app, name), 5, f"control '{name}'")
    if not check(b is not None, f"no control '{name}'"):
        return False
    states = b.get_state_set()
    if not check(states.contains(Atspi.StateType.SENSITIVE),
                 f"'{name}' is greyed out"):
        return False
    return check(Atspi.Action.do_action(b, 0), f"pressing '{name}'")


def type_into(app, name, text):
    e = wait(lambda: find(app, name), 5, f"field '{name}'")
    if not check(e is not None, f"no field '{name}'"):
        return False
    return check(Atspi.EditableText.set_text_contents(e, text),
                 f"typing into '{name}'")


def log_rows(app):
    """The log table as a list of rows of cell texts."""
    table_acc = find(app, "Log", "table")
    if table_acc is None:
        return []
    rows = []
    for r in range(Atspi.Table.get_n_rows(table_acc)):
        rows.append([Atspi.Table.get_accessible_at(table_acc, r, c).get_name()
                     for c in range(Atspi.Table.get_n_columns(table_acc))])
    return rows


def main():
    if len(sys.argv) != 2:
        print("usage: atspi_drive.py PATH/TO/hvecho-gtk")
        return 2
    cfg = tempfile.mkdtemp(prefix="hvecho-atspi-")
    os.makedirs(os.path.join(cfg, "hvecho"))
    ini = os.path.join(cfg, "hvecho", "settings.ini")
    with open(ini, "w") as f:
        f.write("[window]\nmode=server\nlisten-kind=tcp\n"
                "listen-value=127.0.0.1:0\ntarget-kind=tcp\n"
                "target-value=127.0.0.1:1\nbye=bye over AT-SPI\n")
    env = dict(os.environ, XDG_CONFIG_HOME=cfg)
    env.pop("NO_AT_BRIDGE", None)
    Atspi.init()
    proc = subprocess.Popen([sys.argv[1]], env=env)
    try:
        drive(proc, ini)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
        shutil.rmtree(cfg, ignore_errors=True)
    print("atspi: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


def find_app(proc):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        c = desktop.get_child_at_index(i)
        try:
            if c is not None and c.get_process_id() == proc.pid:
                return c
        except Exception:
            pass
    return None


def drive(proc, ini):
    app = wait(lambda: find_app(proc), 20, "hvecho-gtk on the AT-SPI bus")
    if app is None:
        return
    wait(lambda: find(app, "Start Server", "push button"), 10,
         "the window")

    # Server, on TCP (checked in the window's own words first).
    listens = text_of(find(app, "Listen address check"))
    print(f"listen check: {listens}")
    if not check(listens.startswith("Listens on tcp 127.0.0.1"),
                 f"not a TCP listen address: {listens!r}"):
        return
    if not press(app, "Start Server"):
        return
    status = wait(lambda: (lambda s: s if s.startswith("Listening on")
                           else None)(text_of(find(app, "Server status"))),
                  10, "the server to listen")
    if not status:
        return
    m = re.search(r"127\.0\.0\.1:(\d+)", status)
    if not check(m is not None, f"no port in {status!r}"):
        return
    port = int(m.group(1))
    print(f"server status: {status}")

    # Client: switch mode, target the server, type, Send.
    if not press(app, "Client"):
        return
    if not type_into(app, "Target address", f"127.0.0.1:{port}"):
        return
    connects = wait(lambda: (lambda s: s if s.startswith("Connects to tcp")
                             else None)(text_of(find(app, "Target check"))),
                    5, "the target check")
    if not check(bool(connects), "target is not TCP"):
        return
    if not type_into(app, "Message to send", "hello through AT-SPI"):
        return
    if not press(app, "Send"):
        return
    done = wait(lambda: (lambda s: s if s.startswith(("Done", "Failed"))
                         else None)(text_of(find(app, "Client status"))),
                20, "the handshake")
    print(f"client status: {done}")
    check(done and done.startswith("Done"), f"handshake: {done!r}")

    def bye_rows():
        rows = log_rows(app)
        return rows if sum(1 for r in rows if r[2] == "bye") >= 2 else None
    rows = wait(bye_rows, 10, "both bye rows") or log_rows(app)
    for r in rows:
        print(" | ".join(r))
    by = {(r[1].split(" ")[0], r[2]): r for r in rows}
    # The core's words: 'N bytes: "..."', 'N bytes back in T, verified'.
    check(("client", "sent") in by and
          '"hello through AT-SPI"' in by[("client", "sent")][6], "sent row")
    check(("client", "echo") in by and
          by[("client", "echo")][6].endswith("verified"), "echo row")
    check(("client", "bye") in by and
          '"bye over AT-SPI"' in by[("client", "bye")][6], "client bye row")
    check(("server", "bye") in by, "server bye row")

    # Close the window with the server still running: the program ends
    # cleanly and remembers the client's target.
    if not press(app, "Close"):
        return
    try:
        rc = proc.wait(10)
    except subprocess.TimeoutExpired:
        rc = None
    check(rc == 0, f"hvecho-gtk exit status {rc}")
    with open(ini) as f:
        saved = f.read()
    check(f"target-value=127.0.0.1:{port}" in saved,
          "the target was not remembered")


if __name__ == "__main__":
    sys.exit(main())
