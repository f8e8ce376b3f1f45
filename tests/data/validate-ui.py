#!/usr/bin/env python3
"""Validates every .ui file of the source tree with gtk4-builder-tool.

Usage: validate-ui.py UI_DIR SOURCE_DIR

The .ui files are found at test time, so new ones are covered without editing the build.

gtk4-builder-tool validates a <template class="CmgX" parent="GtkY"> against a stand-in type derived
from GtkY, but it knows nothing else of this program, so before running it this script
  - removes each <signal>, after checking here that its handler is bound in the class's .c file
    (GTK 4.8's tool cannot resolve any handler name, not even one of GTK's own functions);
  - checks an <object class="CmgZ"> as the GTK class it derives from (found in CmgZ's template or
    its G_DEFINE_*TYPE), after removing the properties CmgZ itself declares, which must appear in
    a g_param_spec_*() call of its .c file; the inherited ones are left for GTK to check;
  - likewise removes the template's own properties.
Everything else (GTK classes, their properties and values, children, layouts, ids, the XML
itself) is validated by gtk4-builder-tool on that copy.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

DEFINE_TYPE = re.compile(
    r'G_DEFINE_(?:FINAL_)?TYPE(?:_WITH_CODE|_WITH_PRIVATE)?\s*\(\s*(\w+)\s*,\s*\w+\s*,\s*(\w+)')
PARAM_SPEC = re.compile(r'g_param_spec_\w+\s*\(\s*"([A-Za-z0-9_-]+)"')
OVERRIDE_PROPERTY = re.compile(r'g_object_class_override_property\s*\([^,]+,[^,]+,\s*"([A-Za-z0-9_-]+)"')
BIND_CALLBACK = re.compile(r'gtk_widget_class_bind_template_callback\s*\(\s*\w+\s*,\s*(\w+)\s*\)')
BIND_CALLBACK_FULL = re.compile(
    r'(?:gtk_widget_class_bind_template_callback_full|gtk_builder_cscope_add_callback_symbol)'
    r'\s*\([^,]+,\s*"(\w+)"')

# Type macros whose class name cannot be derived by capitalising the words.
MACRO_EXCEPTIONS = {
    'G_TYPE_OBJECT': 'GObject',
    'GTK_TYPE_GL_AREA': 'GtkGLArea',
}


# gtk4-builder-tool must instantiate every <object>: a class derived straight from an abstract GTK
# class is checked as a concrete subclass instead, and the properties that only the stand-in has
# are refused here, so that the stand-in accepts no more than the abstract class would.
ABSTRACT_STAND_INS = {
    'GtkWidget': ('GtkBox', {'orientation', 'spacing', 'homogeneous', 'baseline-position'}),
}


def macro_to_class(macro):
    if macro in MACRO_EXCEPTIONS:
        return MACRO_EXCEPTIONS[macro]
    m = re.fullmatch(r'([A-Z]+)_TYPE_(\w+)', macro)
    if not m:
        return None
    prefix = m.group(1).capitalize()
    return prefix + ''.join(word.capitalize() for word in m.group(2).split('_'))


def norm(prop):
    return prop.replace('_', '-')


class Classes:
    """What the source tree says about its own (Cmg*) classes."""

    def __init__(self, ui_dir, source_dir):
        self.parent = {}       # class name -> parent class name
        self.c_file = {}       # class name -> the .c file that defines it
        c_files = []
        for root, _dirs, files in os.walk(source_dir):
            c_files += [os.path.join(root, f) for f in files if f.endswith('.c')]
        for path in sorted(c_files):
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
            for name, macro in DEFINE_TYPE.findall(text):
                self.c_file[name] = path
                parent = macro_to_class(macro)
                if parent:
                    self.parent.setdefault(name, parent)
        # A template states its parent exactly: it wins over a guess from a type macro.
        for path in ui_files(ui_dir):
            try:
                for template in ET.parse(path).getroot().iter('template'):
                    self.parent[template.get('class')] = template.get('parent')
                    c_path = os.path.splitext(path)[0] + '.c'
                    if template.get('class') not in self.c_file and os.path.exists(c_path):
                        self.c_file[template.get('class')] = c_path
            except ET.ParseError:
                pass  # reported when that file's turn comes

    def is_own(self, name):
        return name in self.parent or name in self.c_file

    def gtk_ancestor(self, name):
        seen = set()
        while name in self.parent and name not in seen:
            seen.add(name)
            name = self.parent[name]
        return None if self.is_own(name) else name

    def own_properties(self, name):
        """Properties declared by name and its own ancestors (not GTK's)."""
        props = set()
        seen = set()
        while self.is_own(name) and name not in seen:
            seen.add(name)
            path = self.c_file.get(name)
            if path:
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                props |= {norm(p) for p in PARAM_SPEC.findall(text)}
                props |= {norm(p) for p in OVERRIDE_PROPERTY.findall(text)}
            name = self.parent.get(name)
        return props


def ui_files(ui_dir):
    return sorted(os.path.join(ui_dir, f) for f in os.listdir(ui_dir) if f.endswith('.ui'))


def prepare(path, classes, problems, notes):
    """Returns the XML text to give gtk4-builder-tool, or None if the file cannot be parsed."""
    name = os.path.basename(path)
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        problems.append(f'{name}: not well-formed XML: {e}')
        return None

    root = tree.getroot()
    ids = {el.get('id') for el in root.iter() if el.get('id')}
    c_path = os.path.splitext(path)[0] + '.c'
    c_text = None
    if os.path.exists(c_path):
        with open(c_path, encoding='utf-8', errors='replace') as f:
            c_text = f.read()
    bound = set()
    if c_text is not None:
        bound = set(BIND_CALLBACK.findall(c_text)) | set(BIND_CALLBACK_FULL.findall(c_text))

    handlers = 0
    for parent in list(root.iter()):
        for el in list(parent):
            if el.tag != 'signal':
                continue
            handler = el.get('handler')
            handlers += 1
            if c_text is None:
                problems.append(f'{name}: signal "{el.get("name")}" calls {handler}, '
                                f'but there is no {os.path.basename(c_path)} to bind it')
            elif handler not in bound:
                problems.append(f'{name}: signal "{el.get("name")}" calls {handler}, but '
                                f'{os.path.basename(c_path)} does not bind it with '
                                f'gtk_widget_class_bind_template_callback')
            if el.get('object') and el.get('object') not in ids:
                problems.append(f'{name}: signal "{el.get("name")}" names object '
                                f'"{el.get("object")}", which no element of the file has as id')
            parent.remove(el)
    if handlers:
        notes.append(f'{name}: {handlers} signal handler(s) checked against {os.path.basename(c_path)}')

    for el in root.iter():
        cls = el.get('class')
        if el.tag not in ('object', 'template') or not cls or not classes.is_own(cls):
            continue
        ancestor = classes.gtk_ancestor(cls)
        if ancestor is None:
            problems.append(f'{name}: cannot tell which GTK class {cls} derives from '
                            f'(no template and no G_DEFINE_*TYPE for it under src/)')
            continue
        own = classes.own_properties(cls)
        stand_in, refused = ancestor, set()
        if el.tag == 'object' and ancestor in ABSTRACT_STAND_INS:
            stand_in, refused = ABSTRACT_STAND_INS[ancestor]
        for prop in [p for p in el if p.tag == 'property']:
            pname = norm(prop.get('name', ''))
            if pname in own:
                el.remove(prop)
                notes.append(f'{name}: {cls}:{pname} is declared in {cls}\'s source')
            elif pname in refused:
                problems.append(f'{name}: {cls} has no property "{pname}" '
                                f'(neither {cls} nor {ancestor} declares it)')
        if el.tag == 'object':
            el.set('class', stand_in)
            if stand_in != ancestor:
                notes.append(f'{name}: {cls} checked as {ancestor} (instantiated as {stand_in})')
            else:
                notes.append(f'{name}: {cls} checked as {ancestor}')
        else:
            notes.append(f'{name}: template {cls} checked against its parent {el.get("parent")}')

    return ET.tostring(root, encoding='unicode')


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    ui_dir, source_dir = sys.argv[1], sys.argv[2]

    if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
        print('FAIL: neither DISPLAY nor WAYLAND_DISPLAY is set, and gtk4-builder-tool needs a '
              'display. Run this suite under a display server, for example:\n'
              '  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" meson test --suite data',
              file=sys.stderr)
        return 1

    tool = shutil.which('gtk4-builder-tool')
    if tool is None:
        print('FAIL: gtk4-builder-tool is not installed (Debian: libgtk-4-bin)', file=sys.stderr)
        return 1

    files = ui_files(ui_dir)
    if not files:
        print(f'FAIL: no .ui files in {ui_dir}', file=sys.stderr)
        return 1

    classes = Classes(ui_dir, source_dir)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            notes = []
            name = os.path.basename(path)
            text = prepare(path, classes, problems, notes)
            for note in notes:
                print(f'  {note}')
            if text is None:
                continue
            copy = os.path.join(tmp, name)
            with open(copy, 'w', encoding='utf-8') as f:
                f.write('<?xml version="1.0" encoding="UTF-8"?>\n' + text + '\n')
            # gtk4-builder-tool 4.8 itself now and then dies of a signal at exit (seen about once
            # in thirty runs, never twice in a row): a crash of the tool says nothing about the
            # file, so it is tried again; a validation error (exit status 1) is reported at once.
            for attempt in range(3):
                run = subprocess.run([tool, 'validate', copy], capture_output=True, text=True)
                if run.returncode >= 0:
                    break
                print(f'  {name}: gtk4-builder-tool died of signal {-run.returncode}; trying again')
            if run.returncode != 0:
                message = (run.stderr + run.stdout).strip() or f'exit status {run.returncode}'
                message = message.replace(copy, name + ' (as checked)')
                context = ''
                m = re.search(r':(\d+):\d+', message)
                if m:
                    with open(copy, encoding='utf-8') as f:
                        lines = f.read().splitlines()
                    line = int(m.group(1))
                    if 0 < line <= len(lines):
                        context = f'\n    near: {lines[line - 1].strip()}'
                problems.append(f'{name}: gtk4-builder-tool: {message}{context}')
            else:
                print(f'ok {name}')

    if problems:
        print('\n'.join('FAIL: ' + p for p in problems), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
