#!/usr/bin/env python3
# test-layers.py: src/gui and src/cli speak only to src/core's public API.
# They hold no SQL, no DBMail table or column names, no DBMail status codes,
# include no mw-dbmail*.h and touch no raw database results.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-layers.py SOURCE_ROOT              the test (prints TAP)
#        test-layers.py SOURCE_ROOT --counts     what each file holds today,
#                                                in the allowlist's format
#        test-layers.py SOURCE_ROOT --tighten    lowers tests/layers/allowed.txt
#                                                to today's counts (never raises)
#
# Issue 15 moves what is left of these into src/core. Until it is done,
# tests/layers/allowed.txt lists how many of each a file still holds; this is
# a ratchet: a count may never grow, a file not listed may hold none, and a
# count that shrank must be lowered in the list (the test fails until it is),
# so what was moved out cannot come back.

import bisect
import os
import re
import sys

SCANNED = (("src/gui", (".c", ".h")), ("src/cli", (".c", ".h")), ("ui", (".ui",)))
ALLOWLIST = os.path.join("tests", "layers", "allowed.txt")

# DBMail's tables, as the core writes them ({users}) and as they are named in
# the database (dbmail_users).
TABLES = ("acl", "aliases", "authlog", "auto_notifications", "auto_replies", "envelope", "filters",
          "header", "headername", "headervalue", "keywords", "mailboxes", "messageblks", "messages",
          "mimeparts", "partlists", "pbsp", "physmessage", "referencesfield", "replycache",
          "sievescripts", "subscription", "upgrade_steps", "usermap", "users")

# DBMail's columns whose names say DBMail and nothing else. Plain words that
# are also mail terms (name, status, size, alias, userid, last_login, owner)
# are left out: they would match ordinary code and prose.
COLUMNS = ("user_idnr", "client_idnr", "deliver_to", "alias_idnr", "mailbox_idnr", "owner_idnr",
           "message_idnr", "messageblk_idnr", "physmessage_id", "headername_id", "headervalue_id",
           "maxmail_size", "curmail_size", "maxsieve_size", "cursieve_size", "encryption_type",
           "passwd", "spasswd", "saction", "messagesize", "rfcsize", "internal_date", "unique_id",
           "seen_flag", "answered_flag", "deleted_flag", "flagged_flag", "draft_flag", "recent_flag",
           "lookup_flag", "read_flag", "write_flag", "insert_flag", "post_flag", "create_flag",
           "delete_flag", "expunge_flag", "administer_flag", "no_inferiors", "no_select",
           "part_key", "part_depth", "part_order", "notify_address", "reply_body")

# SQL only in its own shape, in upper case as the core writes it, and only
# inside string literals (or the text of a .ui file): "Delete the selected
# messages" or a comment saying "where" is not SQL.
SQL = re.compile(r"\bSELECT\s+(?:[a-z_*({$0-9]|DISTINCT\b|COUNT\b|CASE\b|EXISTS\b)"
                 r"|\bINSERT\s+INTO\b|\bUPDATE\s+\S+\s+SET\b|\bDELETE\s+FROM\b"
                 r"|\bJOIN\s+\S+\s+(?:\w+\s+)?(?:ON|USING)\b|\bWHERE\s+\S"
                 r"|\b(?:CREATE|ALTER|DROP|TRUNCATE)\s+(?:TABLE|INDEX|DATABASE|ROLE)\b"
                 r"|(?:=|<|>|\bIN\s*\()\s*\$[1-9]")

# An identifier part: "_" counts as a separator, so a->user_idnr,
# get_user_idnr and "user_idnr" all match, spasswd does not match passwd.
TABLE = re.compile(r"\{(?:%s)\}|(?<![A-Za-z0-9_])dbmail_(?:%s)(?![A-Za-z0-9_])"
                   % ("|".join(TABLES), "|".join(TABLES)))
COLUMN = re.compile(r"(?<![A-Za-z0-9])(?:%s)(?![A-Za-z0-9])" % "|".join(COLUMNS))

# DBMail's message status numbers (0 new, 1 seen by POP, 2 deleted, 3 purge
# pending) used as such: "status" compared with one of them, in code or in
# SQL text, or a switch on a status with cases 0 to 3.
STATUS_COMPARE = re.compile(r"\bstatus\s*(?:==|!=|<>|<=|>=|=|<|>)\s*[0-3]\b"
                            r"|\b[0-3]\s*(?:==|!=|<=|>=|<|>)\s*(?:\w+(?:->|\.))*status\b"
                            r"|\bstatus\s+(?:NOT\s+)?IN\s*\(\s*[0-3]")
SWITCH = re.compile(r"\bswitch\s*\(")
STATUS_CASE = re.compile(r"\bcase\s+[0-3]\s*:")

INCLUDE = re.compile(r"^[ \t]*#[ \t]*include[ \t]*[\"<]mw-dbmail[^\">]*[\">]", re.M)
RAW_DB = re.compile(r"\b(?:mw_db_(?:exec\w*|result_\w+|begin|commit|rollback|expand_tables)|MwDbResult)\b")
DBMAIL_API = re.compile(r"\b(?:_?mw_dbmail_\w+|MwDbmail\w*|MW_DBMAIL_\w+|MW_TYPE_DBMAIL_\w+)\b")

RULES = (
    ("sql", "SQL statements"),
    ("table", "DBMail table names"),
    ("column", "DBMail column names"),
    ("status", "DBMail message status codes"),
    ("include", "includes of mw-dbmail*.h"),
    ("raw-db", "raw database access (mw_db_exec, mw_db_result_*, MwDbResult)"),
    ("dbmail-api", "the DBMail flavour's own functions and types (mw_dbmail_*, MwDbmail*, MW_DBMAIL_*)"),
)
RULE_NAMES = tuple(name for name, _ in RULES)

C_TOKEN = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def blank(text):
    """text with everything but line breaks turned into spaces, so that
    offsets and line numbers stay where they were."""
    return re.sub(r"[^\n]", " ", text)


class Source:
    def __init__(self, root, name):
        self.name = name
        with open(os.path.join(root, name), encoding="utf-8") as f:
            self.text = f.read()
        self.newlines = [m.start() for m in re.finditer(r"\n", self.text)]

    def line(self, offset):
        return bisect.bisect_right(self.newlines, offset - 1) + 1

    def excerpt(self, offset):
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start:end if end >= 0 else len(self.text)].strip()[:100]


def c_parts(text):
    """(code without comments, code without comments or strings, string
    literals joined as C joins adjacent ones: [(offset, text)])."""
    no_comments, bare, strings = [], [], []
    last = 0
    previous_string_end = None
    for m in C_TOKEN.finditer(text):
        between = text[last:m.start()]
        no_comments.append(between)
        bare.append(between)
        token = m.group(0)
        if token.startswith("/"):
            no_comments.append(blank(token))
            bare.append(blank(token))
        else:
            no_comments.append(token)
            bare.append(token[0] + blank(token[1:-1]) + token[-1])
            if token.startswith('"'):
                if previous_string_end is not None and text[previous_string_end:m.start()].strip() == "":
                    offset, joined = strings[-1]
                    strings[-1] = (offset, joined + token[1:-1])
                else:
                    strings.append((m.start(), token[1:-1]))
                previous_string_end = m.end()
        last = m.end()
    no_comments.append(text[last:])
    bare.append(text[last:])
    return "".join(no_comments), "".join(bare), strings


def status_switches(no_comments):
    """Offsets of the switches on a status whose cases are DBMail's codes."""
    found = []
    for m in SWITCH.finditer(no_comments):
        depth, i = 1, m.end()
        while i < len(no_comments) and depth > 0:
            depth += {"(": 1, ")": -1}.get(no_comments[i], 0)
            i += 1
        if not re.search(r"\bstatus\b", no_comments[m.end():i]):
            continue
        body_start = no_comments.find("{", i)
        if body_start < 0:
            continue
        depth, j = 1, body_start + 1
        while j < len(no_comments) and depth > 0:
            depth += {"{": 1, "}": -1}.get(no_comments[j], 0)
            j += 1
        if STATUS_CASE.search(no_comments[body_start:j]):
            found.append(m.start())
    return found


def scan(src):
    """{rule: [offset, ...]} for one file."""
    hits = {rule: [] for rule in RULE_NAMES}
    text = src.text
    hits["table"] = [m.start() for m in TABLE.finditer(text)]
    hits["column"] = [m.start() for m in COLUMN.finditer(text)]
    if src.name.endswith(".ui"):
        hits["sql"] = [m.start() for m in SQL.finditer(text)]
        return hits
    no_comments, bare, strings = c_parts(text)
    for offset, literal in strings:
        if SQL.search(literal):
            hits["sql"].append(offset)
    hits["status"] = sorted([m.start() for m in STATUS_COMPARE.finditer(no_comments)] +
                            status_switches(no_comments))
    hits["include"] = [m.start() for m in INCLUDE.finditer(no_comments)]
    hits["raw-db"] = [m.start() for m in RAW_DB.finditer(bare)]
    hits["dbmail-api"] = [m.start() for m in DBMAIL_API.finditer(bare)]
    return hits


def scanned_files(root):
    names = []
    for folder, exts in SCANNED:
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if name.endswith(exts):
                names.append(folder + "/" + name)
    return names


def read_allowlist(path):
    """(header lines, {(file, rule): count}, problems)."""
    header, allowed, problems = [], {}, []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            stripped = line.strip()
            if not allowed and (stripped.startswith("#") or stripped == ""):
                header.append(line.rstrip("\n"))
                continue
            if stripped == "" or stripped.startswith("#"):
                continue
            fields = stripped.split()
            if len(fields) != 3 or fields[1] not in RULE_NAMES or not fields[2].isdigit():
                problems.append("%s:%d: \"%s\" is not \"FILE RULE COUNT\" with RULE one of %s."
                                % (ALLOWLIST, number, stripped, ", ".join(RULE_NAMES)))
                continue
            key = (fields[0], fields[1])
            if key in allowed:
                problems.append("%s:%d: %s %s is listed twice." % (ALLOWLIST, number, *key))
            allowed[key] = int(fields[2])
    return header, allowed, problems


def format_entries(counts):
    width = max([len(name) for name, _ in counts] + [0])
    return ["%-*s  %-10s  %d" % (width, name, rule, n) for (name, rule), n in sorted(counts.items())]


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-") or len(args) > 2 or (len(args) == 2 and args[1] not in ("--counts", "--tighten")):
        print("usage: test-layers.py SOURCE_ROOT [--counts | --tighten]", file=sys.stderr)
        return 2
    root, mode = args[0], (args[1] if len(args) == 2 else None)

    sources = {name: Source(root, name) for name in scanned_files(root)}
    found = {}
    for name, src in sources.items():
        for rule, offsets in scan(src).items():
            if offsets:
                found[(name, rule)] = offsets

    if mode == "--counts":
        print("\n".join(format_entries({key: len(offsets) for key, offsets in found.items()})))
        return 0

    allowlist_path = os.path.join(root, ALLOWLIST)
    header, allowed, problems = read_allowlist(allowlist_path)

    if mode == "--tighten":
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        tightened = {}
        for key, n in allowed.items():
            now = len(found.get(key, ()))
            if now > n:
                print("%s %s: %d found, %d allowed; left at %d (the list is never raised)" % (*key, now, n, n),
                      file=sys.stderr)
            if min(now, n) > 0:
                tightened[key] = min(now, n)
        with open(allowlist_path, "w", encoding="utf-8") as f:
            f.write("\n".join(header + format_entries(tightened)) + "\n")
        return 0

    # One result per file and rule that is listed or found; a rule that no
    # file has any more gets one result of its own.
    results = []
    if problems:
        results.append(("%s can be read" % ALLOWLIST, problems))
    described = dict(RULES)
    for rule in RULE_NAMES:
        keys = sorted(key for key in set(found) | set(allowed) if key[1] == rule)
        if not keys:
            results.append(("%s: no file in src/gui, src/cli or ui has any" % rule, []))
        for name, _ in keys:
            offsets = found.get((name, rule), [])
            n, limit = len(offsets), allowed.get((name, rule), 0)
            what = "%s %s: %d, %d allowed until issue 15 is done" % (name, rule, n, limit)
            diagnostics = []
            if n > limit:
                src = sources[name]
                diagnostics.append(
                    "%s has %d of rule '%s' (%s) where %s allows %d. src/gui and src/cli speak only to src/core's "
                    "public API: put this into src/core (the DBMail flavour in src/core/schema, reached through a "
                    "core function in mail terms) and call that instead. Never raise the allowance. Each one:"
                    % (name, n, rule, described[rule], ALLOWLIST, limit))
                for offset in offsets:
                    diagnostics.append("  %s:%d: %s: %s" % (name, src.line(offset), rule, src.excerpt(offset)))
            elif n < limit:
                diagnostics.append(
                    "%s now has %d of rule '%s' (%s), fewer than the %d that %s allows: good. Lower the allowance "
                    "so that they cannot come back: run tests/layers/test-layers.py . --tighten (it writes %s; "
                    "a count of 0 drops the line) and commit the list with the change."
                    % (name, n, rule, described[rule], limit, ALLOWLIST, ALLOWLIST))
            results.append((what, diagnostics))

    print("1..%d" % len(results))
    failed = 0
    for number, (what, diagnostics) in enumerate(results, 1):
        for d in diagnostics:
            print("# " + d)
        print("%s %d - %s" % ("not ok" if diagnostics else "ok", number, what))
        failed += bool(diagnostics)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
