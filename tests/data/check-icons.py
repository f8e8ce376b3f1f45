#!/usr/bin/env python3
"""Checks the app icons: the full-colour one on GNOME's 128 px grid, the symbolic one 16 px and
drawn in a single colour (GTK recolours symbolic icons, so any second colour would be lost).

Usage: check-icons.py ICON_SVG SYMBOLIC_SVG
"""

import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
COLOUR_ATTRS = ('fill', 'stroke', 'stop-color')


def colours(root):
    found = set()
    for el in root.iter():
        for attr in COLOUR_ATTRS:
            value = el.get(attr)
            if value and value != 'none':
                found.add(value.lower())
        for decl in (el.get('style') or '').split(';'):
            if ':' in decl:
                key, value = (s.strip() for s in decl.split(':', 1))
                if key in COLOUR_ATTRS and value != 'none':
                    found.add(value.lower())
    return found


def check(path, size, problems):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        problems.append(f'{path}: not a readable SVG: {e}')
        return None
    if root.tag != SVG + 'svg':
        problems.append(f'{path}: the root element is not an SVG <svg>')
        return None
    if root.get('width') != str(size) or root.get('height') != str(size):
        problems.append(f'{path}: is {root.get("width")}x{root.get("height")}, expected {size}x{size}')
    if root.get('viewBox') != f'0 0 {size} {size}':
        problems.append(f'{path}: the viewBox is {root.get("viewBox")!r}, expected "0 0 {size} {size}"')
    if any(el.tag in (SVG + 'image', SVG + 'script') for el in root.iter()):
        problems.append(f'{path}: embeds an image or a script; draw it in vectors')
    return root


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    problems = []

    icon = check(sys.argv[1], 128, problems)
    if icon is not None:
        shapes = [el for el in icon.iter() if el.tag in (SVG + 'path', SVG + 'ellipse', SVG + 'rect', SVG + 'circle')]
        if len(shapes) < 5 or len(colours(icon) - {'#000000', '#ffffff'}) < 3:
            problems.append(f'{sys.argv[1]}: looks like a placeholder, not a drawn icon')

    symbolic = check(sys.argv[2], 16, problems)
    if symbolic is not None:
        used = colours(symbolic)
        if len(used) != 1:
            problems.append(f'{sys.argv[2]}: a symbolic icon has one colour, this one has {sorted(used)}')
        if any(re.search(r'url\(', el.get('fill', '') + el.get('stroke', '')) for el in symbolic.iter()):
            problems.append(f'{sys.argv[2]}: a symbolic icon has no gradients')

    if problems:
        print('\n'.join('FAIL: ' + p for p in problems), file=sys.stderr)
        return 1
    print('ok: icons')
    return 0


if __name__ == '__main__':
    sys.exit(main())
