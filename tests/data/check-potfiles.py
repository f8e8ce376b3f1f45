#!/usr/bin/env python3
"""Checks that po/POTFILES.in lists every source file with translatable strings, and nothing else.

Usage: check-potfiles.py SOURCE_ROOT

A file under src/ has translatable strings if it calls _(), N_(), C_(), NC_() or ngettext(), or
marks a property translatable="yes". Every entry of POTFILES.in must exist.
"""

import os
import re
import sys

TRANSLATABLE = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|ngettext)\s*\(|translatable="yes"')
EXTENSIONS = ('.c', '.h', '.ui')


def main():
    if len(sys.argv) != 2:
        print('usage: check-potfiles.py SOURCE_ROOT', file=sys.stderr)
        return 2
    root = sys.argv[1]
    potfiles = os.path.join(root, 'po', 'POTFILES.in')

    listed = []
    with open(potfiles, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)

    needed = []
    for folder, _dirs, files in os.walk(os.path.join(root, 'src')):
        for name in files:
            if not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8', errors='replace') as f:
                if TRANSLATABLE.search(f.read()):
                    needed.append(os.path.relpath(path, root))

    missing = sorted(set(needed) - set(listed))
    absent = sorted(p for p in listed if not os.path.exists(os.path.join(root, p)))
    duplicates = sorted({p for p in listed if listed.count(p) > 1})

    failed = False
    if missing:
        failed = True
        print('FAIL: these files have translatable strings but are not in po/POTFILES.in:',
              file=sys.stderr)
        for p in missing:
            print(f'  {p}', file=sys.stderr)
    if absent:
        failed = True
        print('FAIL: po/POTFILES.in lists files that do not exist:', file=sys.stderr)
        for p in absent:
            print(f'  {p}', file=sys.stderr)
    if duplicates:
        failed = True
        print('FAIL: po/POTFILES.in lists these files more than once:', file=sys.stderr)
        for p in duplicates:
            print(f'  {p}', file=sys.stderr)
    if failed:
        return 1

    print(f'ok: {len(needed)} source files with strings, {len(listed)} entries in po/POTFILES.in')
    return 0


if __name__ == '__main__':
    sys.exit(main())
