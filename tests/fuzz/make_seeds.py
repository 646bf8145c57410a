#!/usr/bin/python3
"""Writes the fuzzer's seed corpus: every corpus file up to 1.1 MB, cut to the shortest length
(in 16 KiB steps) at which libpff (pypff) still opens it and lists its root folder, so the
seeds are a fraction of the files' size yet still reach folders and messages. Files that open
at no shorter length are kept whole.

Usage: make_seeds.py CORPUS_DIR OUT_DIR
"""
import hashlib
import os
import sys
import tempfile

import pypff

MAX_SOURCE = 1_100_000
STEP = 16384


def opens(data):
    with tempfile.NamedTemporaryFile(suffix='.pst') as tmp:
        tmp.write(data)
        tmp.flush()
        handle = pypff.file()
        try:
            handle.open(tmp.name)
            root = handle.get_root_folder()
            return root is not None and root.number_of_sub_folders > 0
        except (IOError, OSError):
            return False
        finally:
            try:
                handle.close()
            except (IOError, OSError):
                pass


def shortest_opening_prefix(data):
    for cut in range(STEP, len(data), STEP):
        if opens(data[:cut]):
            return data[:cut]
    return data


def main(corpus, out):
    os.makedirs(out, exist_ok=True)
    written = 0
    for name in sorted(os.listdir(corpus)):
        if not name.lower().endswith(('.pst', '.ost')):
            continue
        path = os.path.join(corpus, name)
        if os.path.getsize(path) > MAX_SOURCE:
            continue
        with open(path, 'rb') as f:
            data = f.read()
        seed = shortest_opening_prefix(data)
        # libFuzzer names corpus entries by content hash; so do we, so reruns add nothing new.
        with open(os.path.join(out, hashlib.sha1(seed).hexdigest()), 'wb') as f:
            f.write(seed)
        written += 1
    print('%d seeds in %s' % (written, out))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
