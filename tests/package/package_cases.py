#!/usr/bin/env python3
"""package_cases.py - the package label (tests/package/CMakeLists.txt says
what each case checks).

    package_cases.py HVECHO CASE

HVECHO is the build's hvecho; the environment gives HVECHO_SRC,
HVECHO_BUILD, HVECHO_CMAKE, HVECHO_CPACK and HVECHO_VERSION_FILE (the
version the build computed). Work files go to <build>/package/<case>,
made afresh. Nothing is installed on this machine, nothing is run as
another user, and hvecho doctor runs with HVECHO_NO_VSOCK: no vsock here.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import hvtest  # noqa: E402
from hvtest import case, check  # noqa: E402

HVECHO = None
SRC = os.environ.get("HVECHO_SRC", "")
BUILD = os.environ.get("HVECHO_BUILD", "")
CMAKE = os.environ.get("HVECHO_CMAKE", "cmake")
CPACK = os.environ.get("HVECHO_CPACK", "cpack")
HERE = os.path.dirname(os.path.abspath(__file__))
COMPLETION = os.path.join(SRC, "dist", "completion")

# Option-like words in the help texts that belong to other programs (the
# --no-bye example: ncat -l -k --sh-exec cat).
FOREIGN = {"-l", "-k", "--sh-exec"}


def run(cmd, timeout=120, env=None, cwd=None, ok=True):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                       env=env, cwd=cwd)
    if ok:
        check(r.returncode == 0, "%s: exit %d\n%s%s" % (
            " ".join(cmd), r.returncode, r.stdout[-3000:], r.stderr[-3000:]))
    return r


def workdir(name):
    d = os.path.join(BUILD, "package", name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def version():
    with open(os.environ["HVECHO_VERSION_FILE"]) as f:
        m = re.search(r'set\(HVECHO_VERSION "([^"]+)"\)', f.read())
    check(m, "no version in " + os.environ["HVECHO_VERSION_FILE"])
    return m.group(1)


def version_now(work):
    """The version cmake/version.cmake gives the tree now (this build's
    may be older than the last commit)."""
    out = os.path.join(work, "version-now")
    run([CMAKE, "-DSRC=" + SRC, "-DOUT=" + out,
         "-DBASE=" + version().split("+")[0], "-P",
         os.path.join(SRC, "cmake", "version.cmake")])
    with open(os.path.join(out, "hvecho-version.cmake")) as f:
        return re.search(r'"([^"]+)"', f.read()).group(1)


def elapsed(t0, what):
    print("%-40s %5.1f s" % (what, time.monotonic() - t0))


# ---- what hvecho --help says ------------------------------------------------

OPT_RE = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[A-Za-z0-9])(?![\w-])")


def options_of(text):
    return set(OPT_RE.findall(text)) - FOREIGN


def own_lines(text, sub):
    """The lines of a subcommand's --help that are about it: a help may
    cover several (register and unregister; bench and stress), each
    with its own usage lines (and their continuations)."""
    keep, owner = [], None
    for line in text.splitlines():
        m = re.match(r"\s*hvecho ([a-z][a-z-]*)", line)
        if m:
            owner = m.group(1)
        elif not re.match(r"\s+\[", line):
            owner = None
        if owner in (None, sub):
            keep.append(line)
    # Not its own: "TARGET as for hvecho -c", "(hvecho -s)".
    return re.sub(r"hvecho -\w\b", "", "\n".join(keep))


class Cli:
    """The subcommands, their options and the target kinds, read from
    hvecho --help and each subcommand's own --help."""

    def __init__(self, hvecho):
        main = run([hvecho, "--help"]).stdout
        # The options of the main form: its Options section, and those of
        # the usage lines that start with one (hvecho -s, hvecho -c).
        opts = main.split("\nOptions:")[1].split("\nExit codes")[0]
        self.main_opts = options_of(opts)
        for m in re.finditer(r"^\s+hvecho (-[^\[]*)", main, re.M):
            self.main_opts |= options_of(m.group(1))
        self.subs = []       # in order of the help
        self.kinds = {}      # subcommand -> its first words (bench kinds)
        for m in re.finditer(r"^\s+hvecho ([a-z][a-z-]*)((?: [a-z|]+)?)",
                             main, re.M):
            sub = m.group(1)
            if sub not in self.subs:
                self.subs.append(sub)
            if "|" in m.group(2):
                self.kinds[sub] = m.group(2).strip().split("|")
        self.sub_opts = {}
        for sub in self.subs:
            r = run([hvecho, sub, "--help"], ok=False)
            if r.returncode == 0 and r.stdout != main:
                self.sub_opts[sub] = options_of(own_lines(r.stdout, sub))
        # Targets (-c): the first column of that section.
        sect = main.split("Targets")[1].split("\n\n")[0]
        sect, listen = sect.split("\nListen addresses")
        self.targets = set()
        for line in sect.splitlines()[1:]:
            if not line.startswith("  ") or line.startswith("    "):
                continue
            for word in re.split(r",\s*", line.strip().split("  ")[0]):
                if ":" in word:
                    self.targets.add(word.split(":")[0] + ":")
                elif re.fullmatch(r"[a-z]+(?: \(default\))?", word):
                    self.targets.add(word.split()[0])
        # Listen addresses (-s): "wildcard (default: ...), loopback,
        # tcp:HOST:PORT", and so on in the lines under it indented by two
        # (deeper ones describe): the names, and the kinds "word:".
        first, *more = listen.split("\n")
        lines = [first.split(":", 1)[1]] + [
            ln for ln in more if re.match(r"  \S", ln)]
        self.listen = set()
        for item in [i for ln in lines for i in ln.split(",")]:
            m = re.match(r"\s*([a-z]+)(:|\s*\(|\s*$)", item)
            if m:
                self.listen.add(m.group(1) + (":" if m.group(2) == ":"
                                              else ""))
        check(self.subs and self.main_opts and self.targets and self.listen,
              "could not read hvecho --help:\n" + main)

    def contexts(self):
        """(command line that completes options, the options expected)."""
        yield "hvecho -", self.main_opts
        for sub, opts in sorted(self.sub_opts.items()):
            kinds = self.kinds.get(sub)
            line = "hvecho %s %s-" % (sub, kinds[0] + " " if kinds else "")
            yield line, opts


# ---- the completions, asked the way each shell asks them ------------------

def bash_complete(script, lines, cwd):
    prog = ["source %s" % shq(script), "complete -p hvecho >/dev/null || exit 9"]
    for line in lines:
        prog.append("COMP_LINE=%s; COMP_POINT=${#COMP_LINE}" % shq(line))
        # Split as readline does: blanks, and ':' / '=' are words of their own.
        prog.append('COMP_WORDS=(); w=""; '
                    'for ((i = 0; i < ${#COMP_LINE}; i++)); do '
                    'c=${COMP_LINE:i:1}; '
                    'if [[ $c == " " ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); w=""; '
                    'elif [[ $c == [:=] ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); '
                    'COMP_WORDS+=("$c"); w=""; else w+=$c; fi; done; '
                    'COMP_WORDS+=("$w"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))')
        prog.append('COMPREPLY=(); _hvecho hvecho; echo "== $COMP_LINE"; '
                    'printf "%s\\n" "${COMPREPLY[@]}"')
    r = run(["bash", "--norc", "--noprofile", "-c", "\n".join(prog)], cwd=cwd)
    return parse_sections(r.stdout)


def fish_complete(fish_dir, lines, cwd, hvecho):
    """fish loads a command's completions when the command is on PATH:
    that of hvecho is put first. fish's own files go to the temp dir."""
    prog = ["set -p fish_complete_path %s" % shq(fish_dir)]
    for line in lines:
        prog.append("echo %s; complete -C %s" % (shq("== " + line), shq(line)))
    env = dict(os.environ, XDG_CONFIG_HOME=cwd, XDG_DATA_HOME=cwd,
               XDG_CACHE_HOME=cwd,
               PATH=os.path.dirname(hvecho) + os.pathsep + os.environ["PATH"])
    r = run(["fish", "--no-config", "-c", "\n".join(prog)], cwd=cwd, env=env)
    return parse_sections(r.stdout, tab=True)


def zsh_complete(zsh_dir, lines, cwd):
    r = run(["zsh", "-f", os.path.join(HERE, "zsh-complete.zsh"), zsh_dir]
            + lines, cwd=cwd, timeout=300)
    return parse_sections(r.stdout)


def parse_sections(out, tab=False):
    res, cur = {}, None
    for line in out.splitlines():
        if line.startswith("== "):
            cur = res.setdefault(line[3:], set())
        elif cur is not None and line:
            cur.add(line.split("\t")[0] if tab else line)
    return res


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


def check_completions(cli, shell, ask, where, documented):
    """ask(lines, cwd) -> {line: set of matches} for one shell. Each
    context must offer every option its --help shows, and nothing that
    neither --help nor the man page (documented) has."""
    tmp = tempfile.mkdtemp(prefix="hvecho-compl-")
    try:
        with open(os.path.join(tmp, "message.txt"), "w") as f:
            f.write("hello\n")
        ctx = list(cli.contexts())
        lines = [c[0] for c in ctx] + ["hvecho ", "hvecho -c ", "hvecho -s ",
                                       "hvecho --message-file ",
                                       "hvecho -c unix:mess"]
        for sub, kinds in cli.kinds.items():
            lines.append("hvecho %s " % sub)
        got = ask(lines, tmp)
        every = set(documented).union(cli.main_opts, *cli.sub_opts.values())
        for line, want in ctx:
            have = {w for w in got.get(line, set()) if w.startswith("-")}
            check(want <= have, "%s (%s): '%s' does not offer %s" % (
                shell, where, line, sorted(want - have)))
            check(have <= every, "%s (%s): '%s' offers %s, which neither "
                  "hvecho --help nor the man page has" % (
                      shell, where, line, sorted(have - every)))
        have = got.get("hvecho ", set())
        check(set(cli.subs) <= have, "%s: 'hvecho ' does not offer the "
              "subcommands %s" % (shell, sorted(set(cli.subs) - have)))
        have = got.get("hvecho -c ", set())
        check(cli.targets <= have, "%s: 'hvecho -c ' does not offer the "
              "targets %s" % (shell, sorted(cli.targets - have)))
        stale = {w for w in have if not w.startswith("-")} - cli.targets
        check(not stale, "%s: 'hvecho -c ' offers %s, which hvecho --help "
              "does not list as targets" % (shell, sorted(stale)))
        have = got.get("hvecho -s ", set())
        check(cli.listen <= have, "%s: 'hvecho -s ' does not offer the "
              "listen addresses %s" % (shell, sorted(cli.listen - have)))
        stale = {w for w in have if not w.startswith("-")} - cli.listen
        check(not stale, "%s: 'hvecho -s ' offers %s, which hvecho --help "
              "does not list as listen addresses" % (shell, sorted(stale)))
        for sub, kinds in cli.kinds.items():
            have = got.get("hvecho %s " % sub, set())
            check(set(kinds) <= have, "%s: 'hvecho %s ' does not offer %s"
                  % (shell, sub, sorted(set(kinds) - have)))
        have = got.get("hvecho --message-file ", set())
        check("message.txt" in have, "%s: --message-file offers no file "
              "names: %s" % (shell, sorted(have)))
        have = got.get("hvecho -c unix:mess", set())
        check(any(w.endswith("message.txt") for w in have),
              "%s: unix: offers no file names: %s" % (shell, sorted(have)))
        print("%s completion (%s): %d option contexts, %d subcommands, "
              "%d target kinds, %d listen kinds, file names: ok" % (
                  shell, where, len(ctx), len(cli.subs), len(cli.targets),
                  len(cli.listen)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def render_man(page):
    """man --warnings on a page: its text; a warning fails."""
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80", MAN_KEEP_FORMATTING="")
    r = run(["man", "--warnings", "-E", "UTF-8", "-l", page], env=env)
    check(not r.stderr.strip(), "man --warnings %s:\n%s" % (page, r.stderr))
    text = re.sub(r".\x08", "", r.stdout)
    # Lines are hyphenated and justified: rejoin words split at line ends.
    text = re.sub(r"[\u2010-](\n\s+)", "", text)
    return text.replace("\u2010", "-").replace("\u2212", "-")


def check_man(cli, page):
    text = render_man(page)
    words = set(re.findall(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)", text))
    every = set(cli.main_opts).union(*cli.sub_opts.values())
    check(every <= words, "%s lacks the options %s" % (
        page, sorted(every - words)))
    for w in cli.subs + sorted(cli.targets | cli.listen) + [
            k for ks in cli.kinds.values() for k in ks]:
        check(re.search(r"(?<![\w-])%s" % re.escape(w), text),
              "%s does not mention %s" % (page, w))
    for sect in ("SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
                 "EXAMPLES", "FILES", "SEE ALSO"):
        check(re.search(r"^%s$" % sect, text, re.M), "%s has no %s" % (
            page, sect))
    print("man page %s: %d options, %d subcommands, %d targets: ok" % (
        os.path.basename(page), len(every), len(cli.subs), len(cli.targets)))
    return words - FOREIGN


@case
def drift():
    """The man page and the completions in the source tree against the
    hvecho --help of this build."""
    cli = Cli(HVECHO)
    man = os.path.join(os.path.dirname(os.environ["HVECHO_VERSION_FILE"]),
                       "hvecho.1")
    doc = check_man(cli, man)
    check_completions(cli, "bash", lambda l, c: bash_complete(
        os.path.join(COMPLETION, "hvecho.bash"), l, c), "source tree", doc)
    fish_dir = tempfile.mkdtemp(prefix="hvecho-fish-")
    try:
        shutil.copy(os.path.join(COMPLETION, "hvecho.fish"), fish_dir)
        check_completions(cli, "fish", lambda l, c: fish_complete(
            fish_dir, l, c, HVECHO), "source tree", doc)
    finally:
        shutil.rmtree(fish_dir, ignore_errors=True)
    check_completions(cli, "zsh", lambda l, c: zsh_complete(
        COMPLETION, l, c), "source tree", doc)


# ---- the Debian packages ---------------------------------------------------

@case
def deb():
    ver = version()
    work = workdir("deb")
    t0 = time.monotonic()
    run([CPACK, "-G", "DEB", "--config",
         os.path.join(BUILD, "CPackConfig.cmake"), "-B", work], timeout=400)
    debs = sorted(f for f in os.listdir(work) if f.endswith(".deb"))
    want = ["hvecho-gtk_%s_amd64.deb" % ver, "hvecho_%s_amd64.deb" % ver]
    if not os.path.exists(os.path.join(BUILD, "gui-gtk")):
        want = want[1:]
    check(debs == want, "cpack made %s, not %s" % (debs, want))
    elapsed(t0, "cpack -G DEB")
    for d in debs:
        print("%-50s %8d bytes" % (d, os.path.getsize(os.path.join(work, d))))

    paths = [os.path.join(work, d) for d in debs]
    t0 = time.monotonic()
    r = run(["lintian", "--allow-root", "--tag-display-limit", "0", "-EIL",
             "+pedantic"] + paths, timeout=400, ok=False)
    out = r.stdout + r.stderr
    print("lintian:\n" + (out.strip() or "(nothing)"))
    errors = [ln for ln in out.splitlines() if ln.startswith("E: ")]
    check(not errors and r.returncode in (0, 2) and "E:" not in out,
          "lintian reports errors (exit %d):\n%s" % (r.returncode, out))
    elapsed(t0, "lintian")

    fields = run(["dpkg-deb", "-f", paths[-1]]).stdout
    check(re.search(r"^Depends: .*libc6", fields, re.M),
          "hvecho: no shlibdeps Depends:\n" + fields)
    check(re.search(r"^Section: net$", fields, re.M), fields)
    if len(paths) > 1:
        fields = run(["dpkg-deb", "-f", paths[0]]).stdout
        check(re.search(r"^Depends: .*libgtk-3-0", fields, re.M),
              "hvecho-gtk: no libgtk-3-0 in Depends:\n" + fields)

    root = os.path.join(work, "root")
    for p in paths:
        run(["dpkg", "-x", p, root])
    usr = os.path.join(root, "usr")
    for f in ["bin/hvecho", "share/man/man1/hvecho.1.gz",
              "share/doc/hvecho/copyright", "share/doc/hvecho/README.md",
              "share/doc/hvecho/LICENSE", "share/doc/hvecho/changelog.gz",
              "share/bash-completion/completions/hvecho",
              "share/zsh/vendor-completions/_hvecho",
              "share/fish/vendor_completions.d/hvecho.fish"] + (
              ["bin/hvecho-gtk", "share/man/man1/hvecho-gtk.1.gz",
               "share/doc/hvecho-gtk/copyright",
               "share/applications/io.github.hvecho.Hvecho.desktop",
               "share/icons/hicolor/scalable/apps/io.github.hvecho.Hvecho.svg"]
              if len(paths) > 1 else []):
        check(os.path.exists(os.path.join(usr, f)), "the packages lack /usr/" + f)
    # The systemd units of dist/systemd, naming the packaged hvecho, and
    # the Prometheus rules of dist/prometheus.
    units = os.path.join(SRC, "dist", "systemd")
    for u in sorted(os.listdir(units)) if os.path.isdir(units) else []:
        u = u[:-3] if u.endswith(".in") else u
        path = os.path.join(usr, "lib/systemd/system", u)
        check(os.path.exists(path), "hvecho lacks the unit /usr/lib/systemd/"
              "system/" + u)
        with open(path) as f:
            for m in re.finditer(r"^ExecStart=(\S+)", f.read(), re.M):
                check(m.group(1) == "/usr/bin/hvecho", "%s: ExecStart=%s" % (
                    u, m.group(1)))
        print("unit %s: ok" % u)
    rules = os.path.join(SRC, "dist", "prometheus")
    for r_ in sorted(os.listdir(rules)) if os.path.isdir(rules) else []:
        check(os.path.exists(os.path.join(usr, "share/hvecho/prometheus", r_)),
              "hvecho lacks /usr/share/hvecho/prometheus/" + r_)
    with open(os.path.join(usr, "share/doc/hvecho/copyright")) as f:
        check("License: Apache-2.0" in f.read(), "copyright: no Apache-2.0")

    hv = os.path.join(usr, "bin", "hvecho")
    r = run([hv, "--version"])
    check(r.stdout.strip() == "hvecho " + ver, "installed hvecho --version "
          "says %r, the package is %s" % (r.stdout, ver))
    env = dict(os.environ, HVECHO_NO_VSOCK="1")
    r = run([hv, "doctor"], env=env, timeout=60)
    check("tcp 127.0.0.1" in r.stdout and "unix socket" in r.stdout and
          "2 handshakes complete, 0 failed" in r.stdout, r.stdout)
    print("installed hvecho doctor: TCP and Unix handshakes complete")

    cli = Cli(hv)
    doc = check_man(cli, os.path.join(usr, "share/man/man1/hvecho.1.gz"))
    if len(paths) > 1:
        text = render_man(os.path.join(usr, "share/man/man1/hvecho-gtk.1.gz"))
        check("hvecho-gtk" in text and "settings.ini" in text, text[:500])

    # The installed completions, where each shell looks for them.
    r = run(["bash", "--norc", "-c", "source %s && complete -p hvecho" %
             shq(os.path.join(usr, "share/bash-completion/completions/hvecho"))])
    check("-F _hvecho" in r.stdout, "bash: " + r.stdout + r.stderr)
    r = run(["zsh", "-f", "-c", "fpath=(%s $fpath); autoload -U compinit; "
             "compinit -u -D; print -r -- $_comps[hvecho]" %
             shq(os.path.join(usr, "share/zsh/vendor-completions"))])
    check(r.stdout.strip() == "_hvecho", "zsh: compinit did not find "
          "_hvecho: %r %r" % (r.stdout, r.stderr))
    check_completions(cli, "bash", lambda l, c: bash_complete(
        os.path.join(usr, "share/bash-completion/completions/hvecho"), l, c),
        "installed", doc)
    check_completions(cli, "zsh", lambda l, c: zsh_complete(
        os.path.join(usr, "share/zsh/vendor-completions"), l, c), "installed",
        doc)
    check_completions(cli, "fish", lambda l, c: fish_complete(
        os.path.join(usr, "share/fish/vendor_completions.d"), l, c, hv),
        "installed", doc)


# ---- the static CLI ----------------------------------------------------------

def preset_archive(preset, generator, suffix, ext, files, timeout):
    """Configures and builds a preset in <build>/package/<preset>, packs
    it, checks the archive's name (this build's version) and that it
    holds exactly files under its top directory; unpacks it there.
    Returns (work dir, version, top directory name, archive path)."""
    work = workdir(preset)
    ver = preset_build(preset, work, generator, timeout)
    now = version_now(work)
    check(ver == now, "%s build's version %s, the tree's %s" % (
        preset, ver, now))
    name = "hvecho-%s-%s" % (ver, suffix)
    path = os.path.join(work, name + ext)
    check(os.path.exists(path), "no " + path)
    opener = tarfile.open if ext.startswith(".tar") else zipfile.ZipFile
    with opener(path) as a:
        names = sorted(a.getnames() if ext.startswith(".tar")
                       else a.namelist())
        want = sorted(name + "/" + f for f in files)
        check(names == want, "%s has %s, not %s" % (path, names, want))
        a.extractall(work)
    print("%s: %d bytes" % (os.path.basename(path), os.path.getsize(path)))
    return work, ver, name, path


def preset_build(preset, work, generator, timeout):
    t0 = time.monotonic()
    run([CMAKE, "--preset", preset, "-B", work], cwd=SRC, timeout=300)
    run([CMAKE, "--build", work, "--parallel", "2"], timeout=timeout)
    elapsed(t0, "preset %s: configure and build" % preset)
    t0 = time.monotonic()
    run([CPACK, "-G", generator, "--config",
         os.path.join(work, "CPackConfig.cmake"), "-B", work], timeout=300)
    elapsed(t0, "cpack -G " + generator)
    with open(os.path.join(work, "version", "hvecho-version.cmake")) as f:
        return re.search(r'"([^"]+)"', f.read()).group(1)


@case
def static():
    work, ver, name, tgz = preset_archive(
        "static", "TGZ", "linux-x86_64-static", ".tar.gz",
        ("hvecho", "README.md", "LICENSE"), 500)
    hv = os.path.join(work, name, "hvecho")
    r = run(["readelf", "-d", hv])
    check("There is no dynamic section" in r.stdout, "readelf -d:\n" + r.stdout)
    r = run(["readelf", "-l", hv])
    check("INTERP" not in r.stdout, "the static hvecho asks for a loader")
    r = run([hv, "--version"])
    check(r.stdout.strip() == "hvecho " + ver, r.stdout)
    print("static hvecho: %d bytes; %s: %d bytes" % (
        os.path.getsize(hv), os.path.basename(tgz), os.path.getsize(tgz)))


# ---- the Windows zip -----------------------------------------------------------

def pe_version(path):
    """The VERSIONINFO of a PE file: (FileVersion numbers, ProductVersion
    numbers, {string name: value})."""
    with open(path, "rb") as f:
        data = f.read()
    at = data.find(struct.pack("<I", 0xFEEF04BD))
    check(at > 0, path + " has no version resource")
    fv_ms, fv_ls, pv_ms, pv_ls = struct.unpack_from("<IIII", data, at + 8)
    nums = lambda ms, ls: (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)
    strings = {}
    for key in ("FileVersion", "ProductVersion", "LegalCopyright"):
        k = (key + "\0").encode("utf-16-le")
        i = data.find(k, at)
        check(i > 0, "%s: no %s string" % (path, key))
        i += len(k)
        i += (4 - i % 4) % 4
        j = data.find(b"\0\0", i)
        while j >= 0 and (j - i) % 2:
            j = data.find(b"\0\0", j + 1)
        strings[key] = data[i:j].decode("utf-16-le")
    return nums(fv_ms, fv_ls), nums(pv_ms, pv_ls), strings


def wine_env(prefix):
    env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all",
               WINEDLLOVERRIDES="mscoree,mshtml=", WINEARCH="win64")
    env.pop("DISPLAY", None)
    return env


@case
def windows():
    work, ver, name, _ = preset_archive(
        "windows", "ZIP", "windows-x86_64", ".zip",
        ("hvecho.exe", "hvecho-gui.exe", "README.md", "LICENSE.txt"), 800)

    m = re.match(r"(\d+)\.(\d+)\.(\d+)(?:\+git(\d+))?", ver)
    want_nums = tuple(int(x or 0) for x in m.groups())
    for exe in ("hvecho.exe", "hvecho-gui.exe"):
        fv, pv, s = pe_version(os.path.join(work, name, exe))
        check(s["FileVersion"] == ver and s["ProductVersion"] == ver,
              "%s: version strings %s, the package is %s" % (exe, s, ver))
        check(fv == want_nums and pv == want_nums, "%s: FILEVERSION %s, "
              "PRODUCTVERSION %s; want %s" % (exe, fv, pv, want_nums))
        check("Apache-2.0" in s["LegalCopyright"], s["LegalCopyright"])
        print("%s: %d bytes, version resource %s (%s)" % (
            exe, os.path.getsize(os.path.join(work, name, exe)),
            s["ProductVersion"], ".".join(map(str, fv))))

    prefix = os.path.join(work, "wineprefix")
    env = wine_env(prefix)
    t0 = time.monotonic()
    run(["wineboot", "-i"], env=env, timeout=300)
    wineserver = shutil.which("wineserver") or "/usr/lib/wine/wineserver64"
    run([wineserver, "-w"], env=env, timeout=300, ok=False)
    elapsed(t0, "a fresh Wine prefix")
    for exe, prog in (("hvecho.exe", "hvecho"), ("hvecho-gui.exe", "hvecho-gui")):
        r = run(["wine", os.path.join(work, name, exe), "--version"], env=env,
                timeout=120)
        check(r.stdout.strip() == "%s %s" % (prog, ver),
              "wine %s --version: %r" % (exe, r.stdout))
        print("wine %s --version: %s" % (exe, r.stdout.strip()))
    run([wineserver, "-k"], env=env, timeout=60, ok=False)


hvtest.run(globals())
