#!/usr/bin/env python3
"""Checks the Flatpak manifest: well-formed JSON, and consistent with the build and the desktop file.

Usage: check-flatpak.py MANIFEST APP_ID COMMAND DESKTOP_FILE
"""

import configparser
import json
import os
import sys

REQUIRED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--talk-name=org.freedesktop.Flatpak',
    '--filesystem=home',
]
# Broader than the app needs: the home folder is enough for projects, the rest has no use.
REFUSED_FINISH_ARGS = ['--filesystem=host', '--device=all', '--socket=x11', '--talk-name=*']


def main():
    if len(sys.argv) != 5:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    manifest_path, app_id, command, desktop_path = sys.argv[1:]
    problems = []

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f'FAIL: {manifest_path} is not valid JSON: {e}', file=sys.stderr)
        return 1
    if not isinstance(manifest, dict):
        print(f'FAIL: {manifest_path} is not a JSON object', file=sys.stderr)
        return 1

    def expect(key, value):
        if manifest.get(key) != value:
            problems.append(f'"{key}" is {manifest.get(key)!r}, expected {value!r}')

    expect('id', app_id)
    expect('command', command)
    expect('runtime', 'org.gnome.Platform')
    expect('sdk', 'org.gnome.Sdk')
    expect('runtime-version', '47')

    if os.path.basename(manifest_path) != app_id + '.json':
        problems.append(f'the manifest file should be named {app_id}.json')

    finish_args = manifest.get('finish-args', [])
    for arg in REQUIRED_FINISH_ARGS:
        if arg not in finish_args:
            problems.append(f'finish-args lacks {arg}')
    for arg in REFUSED_FINISH_ARGS:
        if arg in finish_args:
            problems.append(f'finish-args has {arg}, broader than the app needs')
    for key in ('x-comment-host-cli', 'x-comment-filesystem'):
        if not manifest.get(key):
            problems.append(f'the explanation "{key}" is missing')

    modules = manifest.get('modules', [])
    app_module = modules[-1] if modules else {}
    if not isinstance(app_module, dict) or app_module.get('buildsystem') != 'meson':
        problems.append('the last module (the app) is not built with meson')
    else:
        sources = app_module.get('sources', [])
        dirs = [s for s in sources if isinstance(s, dict) and s.get('type') == 'dir']
        if len(dirs) != 1:
            problems.append('the app module should have one source of type "dir"')
        else:
            root = os.path.normpath(os.path.join(os.path.dirname(manifest_path), dirs[0].get('path', '')))
            if not os.path.exists(os.path.join(root, 'meson.build')):
                problems.append(f'the app source path {dirs[0].get("path")!r} is not the project folder')

    # The desktop file starts what the manifest runs, and is named after the same id.
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str
    desktop.read(desktop_path, encoding='utf-8')
    exec_line = desktop.get('Desktop Entry', 'Exec', fallback='')
    if exec_line.split(' ')[0] != command:
        problems.append(f'the desktop file runs {exec_line!r}, the manifest {command!r}')
    if desktop.get('Desktop Entry', 'Icon', fallback='') != app_id:
        problems.append('the desktop file\'s Icon is not the app id')

    if problems:
        print('\n'.join(f'FAIL: {manifest_path}: {p}' for p in problems), file=sys.stderr)
        return 1
    print(f'ok: {os.path.basename(manifest_path)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
