#!/usr/bin/python3
"""Reads a PST with three independent readers and prints normalized lines for export_tests.

  pypff FOLDER <path> <messages>          pypff MSG <path> <subject utf-16le hex> <att sha256,...>
  pypff NAMED <value hex>                  readpst EMBEDDED <subject utf-8 hex>
  readpst FOLDER <path> <messages>        readpst MSG <path> <subject utf-8 hex> <att sha256,...>
  extractor FOLDER <path> <messages>      extractor MSG <path> <subject utf-8 hex> <recipients> <att sha256,...>
Usage: check_pst.py FILE.pst WORKDIR NODE_DIR
"""
import email
import email.policy
import hashlib
import json
import os
import re
import subprocess
import sys

import pypff

pst, work, node_dir = sys.argv[1], sys.argv[2], sys.argv[3]


def raw_entry(item, entry_type):
    for rs in item.record_sets:
        for e in rs.entries:
            if e.entry_type == entry_type and e.data is not None:
                return e.data
    return None


def sha(data):
    return hashlib.sha256(data).hexdigest()


def pypff_walk(folder, path):
    print('pypff FOLDER %s %d' % (path, folder.number_of_sub_messages))
    for m in folder.sub_messages:
        subject = raw_entry(m, 0x0037) or b''
        hashes = []
        for a in m.attachments:
            method = raw_entry(a, 0x3705)
            if method is not None and method[:1] == b'\x05':
                hashes.append('embedded')  # pypff exposes no embedded item; pffexport does
            else:
                hashes.append(sha(a.read_buffer(a.size) if a.size else b''))
        print('pypff MSG %s %s %s' % (path, subject.hex(), ','.join(hashes) or '-'))
        for rs in m.record_sets:
            for e in rs.entries:
                if e.entry_type >= 0x8000 and e.data is not None:
                    print('pypff NAMED %s' % e.data.hex())
    for f in folder.sub_folders:
        pypff_walk(f, path + '/' + (f.name or ''))


f = pypff.file()
f.open(pst)
pypff_walk(f.get_root_folder(), '')
f.close()

# readpst: one directory per folder, one .eml per message (-e), attachments as MIME parts.
# -j 0: readpst's parallel jobs race on the PST's shared file offset (children fclose() the
# parent's FILE, which moves the offset) and skip random items, even in Outlook's own files.
out = os.path.join(work, 'readpst')
os.makedirs(out, exist_ok=True)
subprocess.run(['readpst', '-j', '0', '-D', '-e', '-q', '-o', out, pst], check=True, stdout=subprocess.DEVNULL)
for dirpath, dirnames, filenames in sorted(os.walk(out)):
    rel = dirpath[len(out):]
    emls = sorted(n for n in filenames if n.endswith('.eml'))
    print('readpst FOLDER %s %d' % (rel, len(emls)))
    for n in emls:
        with open(os.path.join(dirpath, n), 'rb') as fh:
            msg = email.message_from_binary_file(fh, policy=email.policy.default)
        hashes = sorted(sha(p.get_payload(decode=True) or b'') for p in msg.walk()
                        if p.get_content_disposition() == 'attachment' and p.get_content_type() != 'message/rfc822')
        for p in msg.walk():
            if p.get_content_type() == 'message/rfc822':
                # readpst starts the inner message with an mbox ">From" line, which hides its
                # headers from the email parser: take the Subject line directly.
                found = re.search(r'^Subject: (.*)$', p.as_string(), re.M)
                print('readpst EMBEDDED %s' % (found.group(1) if found else '').encode('utf-8').hex())
        print('readpst MSG %s %s %s' % (rel, str(msg['subject'] or '').encode('utf-8').hex(), ','.join(hashes) or '-'))

# pst-extractor reads the hierarchy and contents tables, as Outlook does.
res = subprocess.run(['node', os.path.join(node_dir, 'walk.js'), pst], check=True, capture_output=True, timeout=600)
doc = json.loads(res.stdout)
print('extractor STORE %s' % doc['store'])


def ex_walk(folder):
    print('extractor FOLDER %s %d' % (folder['path'], len(folder['messages'])))
    for m in folder['messages']:
        # pst-extractor cannot open embedded messages even in Outlook's files (msgInMsg.pst).
        hashes = ['embedded' if a['method'] == 5 else a.get('sha256', '?') for a in m['attachments']]
        print('extractor MSG %s %s %d %s' % (folder['path'], (m['subject'] or '').encode('utf-8').hex(), m['recipients'],
                                             ','.join(hashes) or '-'))
    for c in folder['folders']:
        ex_walk(c)


ex_walk(doc['root'])
