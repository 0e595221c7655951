#!/usr/bin/python3
# a11y-dump.py: what a screen reader sees of one process's windows, read over AT-SPI.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: a11y-dump.py PID [WINDOW-TITLE]
#
# Prints one line per accessible object that is showing, indented by depth:
#   <role>\t<name>\t<flags>
# where flags lists "focusable", "editable", "UNNAMED" (an interactive object
# without a name, or named only by its GTK type: a screen reader reads just
# its role), "MNEMONIC" (a name that still has a mnemonic underscore) and
# "DOUBLED" (the same words twice: "Save Save"). With WINDOW-TITLE
# only the frames whose name equals it are walked. Exit status 0; 2 when the
# process is not on the accessibility bus within 20 s; 3 when the whole dump
# took more than 28 s (the test waits 30 s for it). An object that goes away
# while it is read (an AT-SPI call raises) is left out, with its children.
#
# Needs the system python3 with python3-pyatspi (tools/install-deps installs it).

import os
import re
import signal
import sys
import time

import pyatspi

INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_RADIO_MENU_ITEM,
    pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_LINK, pyatspi.ROLE_LIST_BOX,
    pyatspi.ROLE_LIST, pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_TREE,
    pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_PAGE_TAB_LIST, pyatspi.ROLE_TEXT,
    pyatspi.ROLE_SWITCH if hasattr(pyatspi, "ROLE_SWITCH") else pyatspi.ROLE_TOGGLE_BUTTON,
}


def role_name(obj):
    try:
        return obj.getRoleName().replace(" ", "-")
    except Exception:
        return "?"


def walk(obj, depth, out, seen):
    if obj is None or depth > 60:
        return
    # Every call asks the application over D-Bus: an object removed meanwhile
    # (a row reloaded, a popover closed) raises, and is left out.
    try:
        states = obj.getState()
        showing = states.contains(pyatspi.STATE_VISIBLE)
        focusable = states.contains(pyatspi.STATE_FOCUSABLE)
        editable = states.contains(pyatspi.STATE_EDITABLE)
        name = (obj.name or "").replace("\n", " ").replace("\t", " ")
        role = obj.getRole()
    except Exception:
        return
    if not showing and depth > 1:
        return
    flags = []
    if focusable:
        flags.append("focusable")
    if editable:
        flags.append("editable")
    # GTK 4.8 names an object that has no name by its type ("GtkImage",
    # "GtkMenuButton"): a screen reader reads that, which is no name at all.
    type_name = re.fullmatch(r"(Gtk|Adw|Mw)[A-Z][A-Za-z]*", name.strip()) is not None
    if role in INTERACTIVE and (not name.strip() or type_name):
        flags.append("UNNAMED")
    # "Save Save": the same words twice in a row, read twice.
    words = name.split()
    half = len(words) // 2
    if role in INTERACTIVE and half > 0 and len(words) % 2 == 0 and words[:half] == words[half:]:
        flags.append("DOUBLED")
    # "_Save Save": a mnemonic underscore reaches the name, and is read.
    if role in INTERACTIVE and re.search(r"(^|\s)_[^_\s]", name):
        flags.append("MNEMONIC")
    out.append("%s%s\t%s\t%s" % ("  " * depth, role_name(obj), name, ",".join(flags)))
    try:
        n = obj.childCount
    except Exception:
        n = 0
    # A GtkDropDown keeps its popup list (a GtkListView GTK names by its
    # type) in the tree while closed; it is GTK's, and read only when open.
    if role == pyatspi.ROLE_COMBO_BOX:
        return
    for i in range(min(n, 400)):
        try:
            child = obj.getChildAtIndex(i)
        except Exception:
            continue
        walk(child, depth + 1, out, seen)


# MW_TEST_SLOWDOWN (tests/meson.build sets it for sanitizer builds) stretches
# both limits.
SLOWDOWN = max(1, min(20, int(os.environ.get("MW_TEST_SLOWDOWN", "1") or "1")))


def give_up(signum, frame):
    print("a11y-dump: no complete dump within %d s" % (28 * SLOWDOWN), file=sys.stderr)
    sys.exit(3)


def main():
    # A call that never returns (an application that stopped answering) would
    # leave the test waiting: the whole dump has a deadline.
    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(28 * SLOWDOWN)
    pid = int(sys.argv[1])
    title = sys.argv[2] if len(sys.argv) > 2 else None
    deadline = time.monotonic() + 20 * SLOWDOWN
    app = None
    while app is None and time.monotonic() < deadline:
        try:
            desktop = pyatspi.Registry.getDesktop(0)
            count = desktop.childCount
        except Exception:
            count = 0
        for i in range(count):
            try:
                a = desktop.getChildAtIndex(i)
                if a is not None and a.get_process_id() == pid:
                    app = a
                    break
            except Exception:
                continue
        if app is None:
            time.sleep(0.2)
    if app is None:
        print("a11y-dump: process %d is not on the accessibility bus" % pid, file=sys.stderr)
        return 2
    out = []
    seen = set()
    try:
        count = app.childCount
    except Exception:
        count = 0
    for i in range(count):
        try:
            w = app.getChildAtIndex(i)
            if w is None or (title is not None and w.name != title):
                continue
        except Exception:
            continue
        walk(w, 0, out, seen)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
