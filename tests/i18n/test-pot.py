#!/usr/bin/env python3
# test-pot.py: what translators get: every file with translatable strings is
# in po/POTFILES.in, and every "Translators:" comment in the sources reaches
# the .pot.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-pot.py SOURCE_ROOT XGETTEXT [XGETTEXT_OPTION...]
#
# The options are the ones po/meson.build gives xgettext (tests/meson.build
# passes the same list), so the .pot made here is the one translators get.
# xgettext attaches a comment only when it ends on the line before the
# keyword's line (or on that line): a comment above "g_set_error (error, ...,"
# whose _() is on the next line, or above a "{", is silently dropped.
#
# Prints TAP: one result per check, and a diagnostic for each failure.

import os
import re
import subprocess
import sys
import tempfile

TAG = "Translators:"


def read_potfiles(root):
    names = []
    with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                names.append(line)
    return names


def candidate_files(root):
    """Every file xgettext could find strings in: C sources, GtkBuilder
    templates and the data files it has rules for."""
    found = []
    for top, exts in (("src", (".c", ".h")), ("ui", (".ui",))):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(exts):
                    found.append(os.path.relpath(os.path.join(dirpath, name), root))
    data = os.path.join(root, "data")
    for name in sorted(os.listdir(data)):
        if name.endswith((".desktop.in", ".metainfo.xml.in", ".gschema.xml")):
            found.append(os.path.join("data", name))
    return found


def run_xgettext(root, xgettext, options, files):
    with tempfile.TemporaryDirectory() as tmp:
        listing = os.path.join(tmp, "files")
        output = os.path.join(tmp, "out.pot")
        with open(listing, "w", encoding="utf-8") as f:
            f.write("\n".join(files) + "\n")
        proc = subprocess.run([xgettext, "--package-name=mailwarden", "-D", root, "-f", listing,
                               "-o", output, "--force-po"] + options,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError("xgettext failed:\n" + proc.stderr)
        with open(output, encoding="utf-8") as f:
            return f.read()


def parse_pot(text):
    """The entries as (extracted comment lines, [(file, line)])."""
    entries = []
    comments, refs = [], []
    for line in text.splitlines():
        if line.startswith("#. "):
            comments.append(line[3:].strip())
        elif line.startswith("#: "):
            for ref in line[3:].split():
                name, _, number = ref.rpartition(":")
                if number.isdigit():
                    refs.append((name, int(number)))
        elif line.startswith("msgid "):
            entries.append((comments, refs))
            comments, refs = [], []
    return entries


COMMENT_OR_STRING = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def translator_comments(root, name):
    """(first line, last line, first line of text) of each C comment that
    holds the tag."""
    with open(os.path.join(root, name), encoding="utf-8") as f:
        source = f.read()
    found = []
    for m in COMMENT_OR_STRING.finditer(source):
        token = m.group(0)
        if not token.startswith("/") or TAG not in token:
            continue
        body = token[2:-2] if token.startswith("/*") else token[2:]
        first_text = body.strip().splitlines()[0].strip()
        start = source.count("\n", 0, m.start()) + 1
        end = start + token.count("\n")
        found.append((start, end, first_text))
    return found


def main():
    if len(sys.argv) < 3:
        print("usage: test-pot.py SOURCE_ROOT XGETTEXT [OPTION...]", file=sys.stderr)
        return 2
    root, xgettext, options = sys.argv[1], sys.argv[2], sys.argv[3:]
    listed = read_potfiles(root)
    results = []

    # 1. Every listed file exists; every file with strings is listed.
    problems = ["po/POTFILES.in names %s, which does not exist." % n
                for n in listed if not os.path.isfile(os.path.join(root, n))]
    candidates = candidate_files(root)
    everything = parse_pot(run_xgettext(root, xgettext, options, candidates))
    with_strings = sorted({name for _, refs in everything for name, _ in refs})
    for name in with_strings:
        if name not in listed:
            problems.append("%s has translatable strings but is not in po/POTFILES.in, so translators "
                            "never see them: add it there (keep the list sorted)." % name)
    results.append(("every file with translatable strings is in po/POTFILES.in", problems))

    # 2. Every "Translators:" comment reaches the .pot, attached to the
    # string right below it. One file at a time: in the whole .pot, a string
    # that two files share carries the comments of both, and one file's
    # comment would hide the other's dropped one.
    problems = []
    for name in listed:
        if not name.endswith((".c", ".h")) or not os.path.isfile(os.path.join(root, name)):
            continue
        comments_here = translator_comments(root, name)
        if not comments_here:
            continue
        entries = parse_pot(run_xgettext(root, xgettext, options, [name]))
        for start, end, first_text in comments_here:
            if not first_text.startswith(TAG):
                problems.append("%s:%d: \"%s\" is not at the start of its comment; xgettext only passes on "
                                "comments that begin with it." % (name, start, TAG))
                continue
            attached = any(first_text in comments and
                           any(ref_name == name and end <= line <= end + 3 for ref_name, line in refs)
                           for comments, refs in entries)
            if not attached:
                problems.append("%s:%d: this Translators comment never reaches the .pot: xgettext keeps a "
                                "comment only when it sits right before the line with the _(), N_(), C_() "
                                "or g_dngettext() call (move it there, or put the call on the line below "
                                "the comment)." % (name, start))
    results.append(("every Translators comment in the C sources reaches the .pot", problems))

    print("1..%d" % len(results))
    failed = 0
    for number, (what, problems) in enumerate(results, 1):
        for p in problems:
            print("# " + p)
        print("%s %d - %s" % ("not ok" if problems else "ok", number, what))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
