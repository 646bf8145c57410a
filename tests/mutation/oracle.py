#!/usr/bin/python3
"""What libpff (pypff) reads from a file: every folder reachable from the root folder and
the node id of every message it can fetch in each. Prints JSON; exits 0 even when the file
cannot be opened ({"opened": false}). Run it in a child process: libpff may crash or hang on
a damaged file, and that must not take the test runner down.

Usage: oracle.py FILE
"""
import json
import sys

import pypff

MAX_DEPTH = 64


def folder_record(folder, depth, seen, out):
    try:
        nid = folder.identifier
    except (IOError, OSError):
        return
    if nid in seen or depth > MAX_DEPTH:
        return
    seen.add(nid)
    messages = []
    try:
        count = folder.number_of_sub_messages
    except (IOError, OSError):
        count = 0
    for i in range(count):
        try:
            messages.append({'index': i, 'nid': folder.get_sub_message(i).identifier})
        except (IOError, OSError):
            pass
    out.append({'nid': nid, 'messages': messages})
    try:
        subfolders = folder.number_of_sub_folders
    except (IOError, OSError):
        subfolders = 0
    for i in range(subfolders):
        try:
            child = folder.get_sub_folder(i)
        except (IOError, OSError):
            continue
        folder_record(child, depth + 1, seen, out)


def main(path):
    handle = pypff.file()
    try:
        handle.open(path)
        root = handle.get_root_folder()
    except (IOError, OSError) as e:
        print(json.dumps({'opened': False, 'reason': str(e).splitlines()[0] if str(e) else ''}))
        return
    folders = []
    if root is not None:
        folder_record(root, 0, set(), folders)
    print(json.dumps({'opened': True, 'folders': folders}))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
