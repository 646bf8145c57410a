#!/usr/bin/python3
"""Walks a mounted ostfs tree as a user copying it out would: stat and read every file to
the end. Prints JSON: each file's path, st_size, bytes read or the errno of the failed read,
then the mount's .ostfs/errors.log and .ostfs/manifest.tsv as they are after the walk.

Usage: walk_mount.py MOUNTPOINT
"""
import json
import os
import sys


def read_all(path):
    total = 0
    with open(path, 'rb') as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                return total
            total += len(chunk)


def main(root):
    files = []
    listing_errors = []
    for directory, subdirs, names in os.walk(root, onerror=lambda e: listing_errors.append(str(e))):
        subdirs.sort()
        if os.path.relpath(directory, root) == '.ostfs':
            continue
        for name in sorted(names):
            path = os.path.join(directory, name)
            record = {'path': os.path.relpath(path, root)}
            try:
                record['size'] = os.stat(path).st_size
                record['read'] = read_all(path)
            except OSError as e:
                record['errno'] = e.errno
            files.append(record)
    reports = {}
    for name in ('errors.log', 'manifest.tsv'):
        with open(os.path.join(root, '.ostfs', name), encoding='utf-8', errors='replace') as f:
            reports[name] = f.read()
    print(json.dumps({'files': files, 'listing_errors': listing_errors, 'reports': reports}))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
