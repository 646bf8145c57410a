#!/usr/bin/python3
"""Compares what readpst reads from a source PST/OST and from its `ostfs export`.

Usage: compare_readpst.py SOURCE EXPORT.pst WORKDIR
Prints one line per difference that is ostfs's fault and exits 1 if there is any:
  R1 readpst sees every item the export holds: per folder, items done + skipped is at least
     the messages + subfolders libpff lists there (nothing is lost on the readpst side; readpst
     also counts the associated items the export copies, which libpff does not list);
  R2 readpst skips no more items of a folder in the export than in the source (items it
     cannot classify, such as IPM.Post, are skipped in both);
  R3 every folder of the source's IPM subtree holds as many messages in the export.
readpst runs with -j 0: its parallel jobs race on the file offset they share after fork()
(children fclose() the parent's FILE, moving the offset) and skip random items in any file,
Outlook's own included. FAI (associated) items are compared only through R2: libpff does not
list them.
"""
import os
import re
import struct
import subprocess
import sys

import pypff

LINE = re.compile(r'^\s*"(.*)" - (\d+) items done, (\d+) items skipped\.$')


def readpst_counts(path, out):
    os.makedirs(out, exist_ok=True)
    res = subprocess.run(['readpst', '-j', '0', '-D', '-e', '-o', out, path], capture_output=True, check=True)
    counts = {}
    for line in res.stdout.decode('utf-8', 'replace').splitlines():
        m = LINE.match(line)
        if m:
            done, skipped = counts.get(m.group(1), (0, 0))
            counts[m.group(1)] = (done + int(m.group(2)), skipped + int(m.group(3)))
    return counts


def store_nid(f, prop_id):
    for rs in f.get_message_store().record_sets:
        for e in rs.entries:
            if e.entry_type == prop_id and e.data and len(e.data) == 24:
                return struct.unpack_from('<I', e.data, 20)[0]
    return None


def ipm_subtree(f):
    nid = store_nid(f, 0x35E0)

    def find(folder, pred):
        if pred(folder):
            return folder
        for s in folder.sub_folders:
            hit = find(s, pred)
            if hit is not None:
                return hit
        return None

    root = f.get_root_folder()
    hit = find(root, lambda x: x.identifier == nid) if nid is not None else None
    return hit or find(root, lambda x: x.name == 'IPM_SUBTREE')


def folder_table(top, wastebasket):
    """{path: messages} below `top` (the wastebasket as "<Deleted Items>": the export merges it
    into its own Deleted Items, whatever its name), and {name: items} summed by name."""
    paths, names = {}, {}

    def walk(folder, path):
        items = folder.number_of_sub_messages + folder.number_of_sub_folders
        if folder.identifier == wastebasket or (wastebasket is None and path == '/Deleted Items'):
            path = '<Deleted Items>'
        paths[path] = folder.number_of_sub_messages
        names[folder.name] = names.get(folder.name, 0) + items
        for s in folder.sub_folders:
            walk(s, path + '/' + (s.name or ''))

    walk(top, '')
    return paths, names


def main(source, export, work):
    problems = []
    src, exp = pypff.file(), pypff.file()
    src.open(source)
    exp.open(export)
    src_paths, _ = folder_table(ipm_subtree(src), store_nid(src, 0x35E3))
    exp_top = ipm_subtree(exp)
    exp_paths, exp_names = folder_table(exp_top, store_nid(exp, 0x35E3))
    top_items = exp_names.pop(exp_top.name)
    for path, count in src_paths.items():
        if exp_paths.get(path) != count:
            problems.append('R3 %s: %d messages in the source, %s in the export' % (path or '/', count, exp_paths.get(path)))
    src_counts = readpst_counts(source, os.path.join(work, 'source'))
    exp_counts = readpst_counts(export, os.path.join(work, 'export'))
    for name, (done, skipped) in exp_counts.items():
        want = exp_names.get(name, top_items if name not in exp_names else None)
        if want is not None and done + skipped < want:
            problems.append('R1 %s: readpst read %d + %d skipped, the export holds %d' % (name, done, skipped, want))
        if name in src_counts and skipped > src_counts[name][1]:
            problems.append('R2 %s: readpst skipped %d in the export, %d in the source' % (name, skipped, src_counts[name][1]))
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:4]))
