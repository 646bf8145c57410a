#!/usr/bin/python3
"""Prints a PST's special-folder bookkeeping, one fact a line, for special_folders_test.cc:

  STORE MASK <PidTagValidFolderMask hex>        STORE <prop id hex> <NID hex>
  FOLDER <folder NID hex> <prop id hex> <NID hex>    (PidTagIpm*EntryId on the root and Inbox)
  REN <folder NID hex> <index> <NID hex or ->       (PidTagAdditionalRenEntryIds)
  RENEX <folder NID hex> <PersistID hex> <NID hex>  (PidTagAdditionalRenEntryIdsEx)
  RECEIVE <message class> <NID hex>                 (receive-folder table rows)
  SENTMAIL <message subject> <NID hex>              (PidTagSentMailEntryId on messages)
An entry id of another store prints "foreign" instead of the NID.
Usage: dump_special.py FILE.pst
"""
import struct
import sys

import pst_reader as r

ROOT_IDS = (0x36D0, 0x36D1, 0x36D2, 0x36D3, 0x36D4, 0x36D7)


def main(path):
    pst = r.PstFile(path)
    store = r.read_pc(pst, pst.nodes[0x21].bid_data, pst.nodes[0x21].bid_sub)[0].props
    record_key = store[0x0FF9][1]

    def nid_of(entry_id):
        if len(entry_id) != 24 or entry_id[4:20] != record_key:
            return 'foreign'
        return '0x%x' % struct.unpack_from('<I', entry_id, 20)[0]

    print('STORE MASK 0x%x' % int.from_bytes(store[0x35DF][1], 'little'))
    for pid in (0x35E0, 0x35E2, 0x35E3, 0x35E4, 0x35E7):
        if pid in store:
            print('STORE 0x%04x %s' % (pid, nid_of(store[pid][1])))
    for nid, node in sorted(pst.nodes.items()):
        if nid & 0x1F != 0x02:
            continue
        props = r.read_pc(pst, node.bid_data, node.bid_sub)[0].props
        for pid in ROOT_IDS:
            if pid in props:
                print('FOLDER 0x%x 0x%04x %s' % (nid, pid, nid_of(props[pid][1])))
        if 0x36D8 in props:
            v = props[0x36D8][1]
            count = struct.unpack_from('<I', v, 0)[0]
            offsets = [struct.unpack_from('<I', v, 4 + 4 * i)[0] for i in range(count)] + [len(v)]
            for i in range(count):
                item = v[offsets[i]:offsets[i + 1]]
                print('REN 0x%x %d %s' % (nid, i, nid_of(item) if item else '-'))
        if 0x36D9 in props:
            v, off = props[0x36D9][1], 0
            while off + 4 <= len(v):
                persist, size = struct.unpack_from('<HH', v, off)
                if persist == 0:
                    break
                element, esize = struct.unpack_from('<HH', v, off + 4)
                print('RENEX 0x%x 0x%04x %s' % (nid, persist, nid_of(v[off + 8:off + 8 + esize])))
                off += 4 + size
    for nid, node in sorted(pst.nodes.items()):
        if nid & 0x1F not in (0x04, 0x08):
            continue
        props = r.read_pc(pst, node.bid_data, node.bid_sub)[0].props
        if 0x0E0A in props:
            subject = props.get(0x0037, (0, b''))[1].decode('utf-16-le')
            print('SENTMAIL %s %s' % (subject, nid_of(props[0x0E0A][1])))
    tc = r.read_tc(pst, pst.nodes[0x62B].bid_data, pst.nodes[0x62B].bid_sub)
    for row_id, cells in tc.rows:
        klass = cells.get(0x001A001F, b'').decode('utf-16-le')
        print('RECEIVE "%s" 0x%x' % (klass, struct.unpack('<I', cells[0x66050003])[0]))


if __name__ == '__main__':
    main(sys.argv[1])
