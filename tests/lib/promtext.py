"""promtext - the Prometheus text exposition format, parsed just enough
for the tests to check what `hvecho probe --textfile` writes (the fleet
and the Windows cases): every sample's name, labels (unescaped) and value,
with a TYPE line required before a family's samples."""
import re

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


class BadText(Exception):
    pass


def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n"
                  else m.group(1), v)


def parse(text):
    """({(name, frozenset(labels.items())): value}, {family: type});
    raises BadText on anything out of form."""
    if not text.endswith("\n"):
        raise BadText("the file does not end with a newline")
    samples, typed = {}, {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            typed[name] = kind
            continue
        m = SAMPLE.match(line)
        if not m:
            raise BadText("not a sample line: %r" % line)
        name = m.group(1)
        if name not in typed:
            raise BadText("%s has no TYPE line before it" % name)
        labels = {}
        body = m.group(3) or ""
        pos = 0
        while pos < len(body):
            lm = LABEL.match(body, pos)
            if not lm:
                raise BadText("bad labels in %r" % line)
            labels[lm.group(1)] = unescape(lm.group(2))
            pos = lm.end()
        samples[(name, frozenset(labels.items()))] = float(m.group(4))
    return samples, typed


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))
