#!/usr/bin/python3
"""Structural checker for PST files, written from [MS-PST] and pst-writer-notes.md.

Usage: check_structure.py [--foreign] FILE.pst
Prints one line per problem ("rule: text") and "OK <n> nodes <m> blocks" when there is none;
exits 1 when there are problems, 2 when the file cannot be read at all.

Without --foreign every rule applies: that is the contract for ostfs's own output. With
--foreign (files made by Outlook or other tools) the rules that Outlook itself does not keep
are relaxed; RELAXED below says which and why.
"""
import struct
import sys

import pst_reader as r

NID_TYPE_FOLDER, NID_TYPE_SEARCH_FOLDER, NID_TYPE_MESSAGE, NID_TYPE_ATTACHMENT = 0x02, 0x03, 0x04, 0x05
NID_TYPE_ASSOC_MESSAGE, NID_TYPE_HIERARCHY, NID_TYPE_CONTENTS, NID_TYPE_ASSOC_CONTENTS = 0x08, 0x0D, 0x0E, 0x0F
NID_ROOT_FOLDER, NID_NAME_TO_ID_MAP = 0x122, 0x61
NID_ATTACHMENT_TABLE, NID_RECIPIENT_TABLE = 0x671, 0x692
MSGFLAG_READ, MSGFLAG_HASATTACH = 0x01, 0x10
ROW_ID, ROW_VER = 0x67F20003, 0x67F30003
MAP_NAMES = {r.PT_AMAP: 'AMap', r.PT_PMAP: 'PMap', r.PT_FMAP: 'FMap', r.PT_FPMAP: 'FPMap'}
# What a damaged structure raises while it is read; the checker reports it and goes on.
READ_ERRORS = (r.FormatError, KeyError, IndexError, ValueError, struct.error)

# Rules Outlook's own files do not keep, so they apply to ostfs output only.
RELAXED = {
    # Outlook marks space it has freed but not yet reused: its AMaps cover more than the BBT
    # and the pages (Outlook.pst, hughbe_Outlook.pst, test_unicode.pst, libyal outlook.pst).
    'amap-exact': 'Outlook keeps freed space marked until it reuses it',
    'cbamapfree': 'follows the AMap bits (and go-pst support.pst carries a stale value)',
    # Outlook leaves freed blocks in the BBT (200_recipients.pst, attachAndInline.pst) and
    # counts references of its own (slinger-r.pst: shared blocks with cRef 2 and 3 references).
    'orphan-block': 'Outlook leaves freed blocks in the BBT until they are reused',
    'cref': 'Outlook counts cRef its own way for shared and pending blocks',
    # Contents tables carry columns Outlook computes for views (PidTagMessageStatus 0x0E17,
    # 0x3013, the repl columns of hierarchy rows) without a matching object property, and
    # PidTagMessageSize cells that lag behind the message (attachAndInline.pst, Outlook.pst).
    'row-extra-cell': 'Outlook tables have computed columns the object does not hold',
    'row-cell': 'Outlook lets PidTagMessageSize cells lag behind the message',
    # pst-writer-notes.md §4 gives the scanpst rule; Outlook's own values differ from it in
    # older files (hughbe_Outlook.pst: 114 vs 234 bytes), Aspose's by one byte.
    'message-size': 'Outlook and other writers count PidTagMessageSize differently',
    'attach-size': 'Outlook and other writers count PidTagAttachSize differently',
    # FAI messages made by Outlook have no recipient table; nor do Aspose's messages.
    'recipient-table': 'Outlook writes no recipient table in FAI messages',
    # Files written by other tools: Aspose hashes string names differently (notes §3) and
    # leaves out folder counts; go-pst's support.pst lacks ContentCount on folders.
    'name-map-hash': 'Aspose-written files hash string names their own way',
    'pc-required': 'files converted by other tools lack some folder properties',
    'folder-counts': 'files converted by other tools leave counts stale',
    'table-rows': 'files converted by other tools leave folders out of their parent tables',
    'nid-parent': 'older Outlook versions set nidParent on tables and internal nodes',
    # Outlook updates an FMap byte only when it next allocates from or frees into that AMap.
    'fmap-value': 'Outlook refreshes FMap bytes lazily',
    'rgnid': 'subnode NIDs are not always drawn from rgnid[]',
    # Outlook 97-2002 (ANSI) files end inside their last region (97_outlook_pass12345.pst).
    'file-size': 'ANSI files end inside their last region',
}


def longest_free_run(bits):
    """Longest run of clear bits (free 64-byte slots) in an AMap's bytes, MSB first."""
    n = len(bits) * 8
    text = bin(int.from_bytes(bits, 'big') | (1 << n))[3:]
    return max(len(run) for run in text.split('1'))


class Checker:
    def __init__(self, path, foreign):
        self.path = path
        self.foreign = foreign
        self.problems = []
        self.pst = r.PstFile(path)
        for rule, text in self.pst.problems:
            self.problem(rule, text)

    def problem(self, rule, text):
        if self.foreign and rule in RELAXED:
            return
        self.problems.append('%s: %s' % (rule, text))

    # ---- NDB ---------------------------------------------------------------------------------
    def check_header(self):
        p, d = self.pst, self.pst.data
        if r.crc(d[8:8 + 471]) != struct.unpack_from('<I', d, 4)[0]:
            self.problem('header-crc', 'dwCRCPartial mismatch')
        if p.unicode and r.crc(d[8:524]) != struct.unpack_from('<I', d, 524)[0]:
            self.problem('header-crc', 'dwCRCFull mismatch')
        if p.ibFileEof != len(d):
            self.problem('header-eof', 'ibFileEof %d != file size %d' % (p.ibFileEof, len(d)))
        if p.blocks and p.bidNextB <= max(b.bid for b in p.blocks.values()):
            self.problem('header-bid', 'bidNextB 0x%x not above every block BID' % p.bidNextB)
        if p.pages and p.bidNextP <= max(pg[2] for pg in p.pages):
            self.problem('header-bid', 'bidNextP 0x%x not above every page BID' % p.bidNextP)
        for nid in p.nodes:
            t, index = nid & 0x1F, nid >> 5
            if t < 32 and index > p.rgnid[t] and t not in (0x01,):
                self.problem('rgnid', 'NID 0x%x beyond rgnid[%d] = 0x%x' % (nid, t, p.rgnid[t]))

    def check_blocks(self):
        p = self.pst
        before = len(p.problems)
        for b in p.blocks.values():
            p.check_block(b)
        for rule, text in p.problems[before:]:
            self.problem(rule, text)

    def check_refs(self):
        p = self.pst
        counts = {}
        for who, bid in p.references():
            key = bid & ~1
            if key not in p.blocks:
                self.problem('dangling-bid', '%s names BID 0x%x, which is not in the BBT' % (who, bid))
                continue
            counts[key] = counts.get(key, 0) + 1
        for key, b in p.blocks.items():
            n = counts.get(key, 0)
            if n == 0:
                self.problem('orphan-block', 'block 0x%x is referenced by no node' % b.bid)
            elif b.cref != n + 1:
                self.problem('cref', 'block 0x%x: cRef %d, %d references' % (b.bid, b.cref, n))

    def allocations(self):
        """(start, size, what) of every page and block the file uses after the header."""
        p = self.pst
        out = []
        regions = -(-(p.ibFileEof - r.REGION_FIRST) // r.REGION_SIZE)  # the last may be partial
        for reg in range(regions):
            base = r.region_offset(reg)
            for ptype, offset in r.map_pages(reg):
                out.append((base + offset, r.PAGE, '%s %d' % (MAP_NAMES[ptype], reg)))
        for ib, ptype, bid, level, parent in p.pages:
            out.append((ib, r.PAGE, '%s page 0x%x' % ('BBT' if ptype == r.PT_BBT else 'NBT', bid)))
        for b in p.blocks.values():
            out.append((b.ib, p.block_size_on_disk(b.cb), 'block 0x%x' % b.bid))
        return sorted(out), regions

    def check_allocation(self):
        p = self.pst
        allocs, regions = self.allocations()
        if (p.ibFileEof - r.REGION_FIRST) % r.REGION_SIZE:
            self.problem('file-size', 'file does not end on a region boundary')
        prev_end, prev_what = 0, None
        expected = [bytearray(496) for _ in range(regions)]
        for start, size, what in allocs:
            if start < r.REGION_FIRST or start + size > p.ibFileEof:
                self.problem('alloc-bounds', '%s at 0x%x outside the regions' % (what, start))
                continue
            if start < prev_end:
                self.problem('overlap', '%s at 0x%x overlaps %s' % (what, start, prev_what))
            prev_end, prev_what = max(prev_end, start + size), what
            reg = (start - r.REGION_FIRST) // r.REGION_SIZE
            off = start - r.region_offset(reg)
            if reg >= regions or off + size > r.REGION_SIZE:
                self.problem('alloc-bounds', '%s at 0x%x spans two regions' % (what, start))
                continue
            if start % 64:
                self.problem('alloc-align', '%s at 0x%x not on a 64-byte slot' % (what, start))
            for s in range(off // 64, (off + size + 63) // 64):
                expected[reg][s // 8] |= 0x80 >> (s % 8)
        if p.fAMapValid == 0:
            return  # Outlook rebuilds the maps; their bits mean nothing
        free = 0
        for reg in range(regions):
            base = r.region_offset(reg)
            ptype, repeat, wsig, dcrc, bid, crc_ok = p.page_trailer(base)
            if ptype != r.PT_AMAP or repeat != r.PT_AMAP or not crc_ok:
                self.problem('amap-page', 'AMap %d at 0x%x: ptype 0x%x, CRC %s' % (reg, base, ptype, 'ok' if crc_ok else 'bad'))
                continue
            for want, offset in r.map_pages(reg)[1:]:
                ib = base + offset
                t = p.page_trailer(ib)
                name = '%s %d at 0x%x' % (MAP_NAMES[want], reg, ib)
                if t[0] != want or t[1] != want or not t[5]:
                    self.problem('map-page', '%s: ptype 0x%x, CRC %s' % (name, t[0], 'ok' if t[5] else 'bad'))
                elif t[4] != ib or t[2] != 0:
                    self.problem('map-page', '%s: bid 0x%x, wSig 0x%x (want the offset and 0)' % (name, t[4], t[2]))
            bits = p.map_bits(base)
            for i in range(496):
                have, want = bits[i], expected[reg][i]
                if want & ~have:
                    self.problem('amap-missing', 'AMap %d byte %d: allocated slots 0x%02x not marked' % (reg, i, want & ~have))
                elif have != want:
                    self.problem('amap-exact', 'AMap %d byte %d: 0x%02x marked, 0x%02x allocated' % (reg, i, have, want))
                free += 8 - bin(have).count('1')
        if free * 64 != p.cbAMapFree:
            self.problem('cbamapfree', 'cbAMapFree %d, AMaps have %d free bytes' % (p.cbAMapFree, free * 64))
        self.check_fmaps(regions)

    def check_fmaps(self, regions):
        """FMap bytes ([MS-PST] 2.2.2.7.4): one per AMap from the FMap's own region on, the
        longest run of free slots in that AMap, capped at 255."""
        p = self.pst
        for reg in range(128, regions, 496):
            offset = dict(r.map_pages(reg)).get(r.PT_FMAP)
            if offset is None:
                continue
            fm = p.map_bits(r.region_offset(reg) + offset)
            for k in range(min(496, regions - reg)):
                want = min(255, longest_free_run(p.map_bits(r.region_offset(reg + k))))
                if fm[k] != want:
                    self.problem('fmap-value', 'FMap %d byte %d: %d, AMap %d has a longest free run of %d'
                                 % (reg, k, fm[k], reg + k, want))

    def check_nbt(self):
        p = self.pst
        for n in p.nodes.values():
            for bid, what in ((n.bid_data, 'bidData'), (n.bid_sub, 'bidSub')):
                if bid and (bid & ~1) not in p.blocks:
                    self.problem('dangling-bid', 'node 0x%x %s 0x%x not in the BBT' % (n.nid, what, bid))
            if n.bid_sub and not n.bid_sub & 2:
                self.problem('bidsub-internal', 'node 0x%x bidSub 0x%x is not an internal block' % (n.nid, n.bid_sub))
            t = n.nid & 0x1F
            if t in (NID_TYPE_FOLDER, NID_TYPE_SEARCH_FOLDER, NID_TYPE_MESSAGE, NID_TYPE_ASSOC_MESSAGE):
                want_self = n.nid == NID_ROOT_FOLDER
                parent = p.nodes.get(n.parent)
                if want_self and n.parent != n.nid:
                    self.problem('nid-parent', 'root folder nidParent 0x%x' % n.parent)
                elif not want_self and (parent is None or parent.nid & 0x1F not in (NID_TYPE_FOLDER, NID_TYPE_SEARCH_FOLDER)):
                    self.problem('nid-parent', 'node 0x%x nidParent 0x%x is not a folder' % (n.nid, n.parent))
            elif n.parent != 0:
                self.problem('nid-parent', 'node 0x%x (type 0x%x) has nidParent 0x%x' % (n.nid, t, n.parent))

    # ---- LTP and messaging --------------------------------------------------------------------
    def pc(self, node):
        return r.read_pc(self.pst, node.bid_data, node.bid_sub)[0]

    def check_folders(self):
        p = self.pst
        children = {}
        for n in p.nodes.values():
            if n.nid != n.parent:
                children.setdefault(n.parent, []).append(n)
        pcs = {}

        def pc_of(nid):
            if nid not in pcs:
                pcs[nid] = self.pc(p.nodes[nid])
            return pcs[nid]

        for folder in [n for n in p.nodes.values() if n.nid & 0x1F == NID_TYPE_FOLDER]:
            try:
                fpc = pc_of(folder.nid)
            except READ_ERRORS as e:
                self.problem('folder-pc', 'folder 0x%x: %s' % (folder.nid, e))
                continue
            for pid in (0x3001, 0x3602, 0x3603, 0x360A):
                if pid not in fpc.props:
                    self.problem('pc-required', 'folder 0x%x lacks property 0x%04x' % (folder.nid, pid))
            kids = children.get(folder.nid, [])
            index = folder.nid >> 5
            tables = ((NID_TYPE_HIERARCHY, (NID_TYPE_FOLDER, NID_TYPE_SEARCH_FOLDER)),
                      (NID_TYPE_CONTENTS, (NID_TYPE_MESSAGE,)), (NID_TYPE_ASSOC_CONTENTS, (NID_TYPE_ASSOC_MESSAGE,)))
            rows_by_type = {}
            for table_type, member_types in tables:
                tnid = (index << 5) | table_type
                if tnid not in p.nodes:
                    self.problem('folder-table', 'folder 0x%x has no table 0x%x' % (folder.nid, tnid))
                    continue
                try:
                    tc = r.read_tc(p, p.nodes[tnid].bid_data, p.nodes[tnid].bid_sub)
                except READ_ERRORS as e:
                    self.problem('table', 'table 0x%x: %s' % (tnid, e))
                    continue
                rows_by_type[table_type] = tc.rows
                want = sorted(k.nid for k in kids if k.nid & 0x1F in member_types)
                have = sorted(row_id for row_id, cells in tc.rows)
                if want != have:
                    self.problem('table-rows', 'table 0x%x rows %s, NBT children %s' % (tnid, _short(have), _short(want)))
                for row_id, cells in tc.rows:
                    if row_id in p.nodes:
                        try:
                            self.compare_row(tnid, row_id, cells, pc_of(row_id))
                        except READ_ERRORS as e:
                            self.problem('object-pc', 'object 0x%x: %s' % (row_id, e))
            self.check_counts(folder, fpc, rows_by_type, pc_of)

    def compare_row(self, table, row_id, cells, pc):
        for tag, value in cells.items():
            pid, ptype = tag >> 16, tag & 0xFFFF
            if tag in (ROW_ID, ROW_VER) or 0x6600 <= pid <= 0x67FF or value is None:
                continue
            if pid not in pc.props:
                self.problem('row-extra-cell', 'table 0x%x row 0x%x: cell 0x%08x, object has no such property' % (table, row_id, tag))
                continue
            pc_type, pc_value = pc.props[pid]
            if pc_type != ptype or pc_value != value:
                self.problem('row-cell', 'table 0x%x row 0x%x: cell 0x%08x differs from the object' % (table, row_id, tag))

    def check_counts(self, folder, fpc, rows, pc_of):
        def prop_int(pid):
            v = fpc.props.get(pid)
            return None if v is None else int.from_bytes(v[1], 'little')

        contents = rows.get(NID_TYPE_CONTENTS)
        if contents is not None:
            if prop_int(0x3602) is not None and prop_int(0x3602) != len(contents):
                self.problem('folder-counts', 'folder 0x%x: ContentCount %d, %d rows' % (folder.nid, prop_int(0x3602), len(contents)))
            unread = 0
            for row_id, cells in contents:
                if row_id in self.pst.nodes:
                    flags = pc_of(row_id).props.get(0x0E07)
                    if flags is None or not int.from_bytes(flags[1], 'little') & MSGFLAG_READ:
                        unread += 1
            if prop_int(0x3603) is not None and prop_int(0x3603) != unread:
                self.problem('folder-counts', 'folder 0x%x: ContentUnreadCount %d, %d unread' % (folder.nid, prop_int(0x3603), unread))
        hierarchy = rows.get(NID_TYPE_HIERARCHY)
        if hierarchy is not None and prop_int(0x360A) is not None and bool(prop_int(0x360A)) != bool(hierarchy):
            self.problem('folder-counts', 'folder 0x%x: Subfolders %d, %d child rows' % (folder.nid, prop_int(0x360A), len(hierarchy)))

    def check_messages(self):
        p = self.pst
        for n in p.nodes.values():
            if n.nid & 0x1F in (NID_TYPE_MESSAGE, NID_TYPE_ASSOC_MESSAGE):
                try:
                    self.check_message('message 0x%x' % n.nid, n.bid_data, n.bid_sub)
                except READ_ERRORS as e:
                    self.problem('message', 'message 0x%x: %s' % (n.nid, e))

    def leaf_bytes(self, bid_data, bid_sub):
        """Data bytes of a node's leaf blocks and of every nested subnode's (notes §4)."""
        p = self.pst
        total = sum(p.blocks[b & ~1].cb for b in p.leaf_bids(bid_data)) if bid_data else 0
        for nid, (bd, bs) in p.subnodes(bid_sub).items():
            total += self.leaf_bytes(bd, bs)
        return total

    def check_message(self, what, bid_data, bid_sub):
        p = self.pst
        pc, subs = r.read_pc(p, bid_data, bid_sub)
        size = pc.props.get(0x0E08)
        actual = self.leaf_bytes(bid_data, bid_sub)
        if size is None or int.from_bytes(size[1], 'little') != actual:
            self.problem('message-size', '%s: PidTagMessageSize %s, node data %d' %
                         (what, None if size is None else int.from_bytes(size[1], 'little'), actual))
        attachments = []
        if NID_ATTACHMENT_TABLE in subs:
            tc = r.read_tc(p, *subs[NID_ATTACHMENT_TABLE])
            attachments = [row_id for row_id, cells in tc.rows]
            for row_id, cells in tc.rows:
                if row_id not in subs:
                    self.problem('attachment-table', '%s: attachment row 0x%x has no subnode' % (what, row_id))
                    continue
                apc, asubs = r.read_pc(p, *subs[row_id])
                self.compare_row(NID_ATTACHMENT_TABLE, row_id, cells, apc)
                self.check_attachment('%s attachment 0x%x' % (what, row_id), apc, asubs)
        flags = pc.props.get(0x0E07)
        if flags is not None:
            has = bool(int.from_bytes(flags[1], 'little') & MSGFLAG_HASATTACH)
            if has != bool(attachments):
                self.problem('hasattach', '%s: MSGFLAG_HASATTACH %d, %d attachments' % (what, has, len(attachments)))
        if NID_RECIPIENT_TABLE not in subs:
            self.problem('recipient-table', '%s has no recipient table' % what)
        else:
            r.read_tc(p, *subs[NID_RECIPIENT_TABLE])

    def check_attachment(self, what, apc, asubs):
        total = 0
        object_size = None
        for pid, (ptype, value) in apc.props.items():
            if ptype == 0x000D:
                sub_nid, declared = struct.unpack_from('<II', value, 0)
                if sub_nid not in asubs:
                    self.problem('attach-object', '%s: embedded message 0x%x missing' % (what, sub_nid))
                    continue
                object_size = self.leaf_bytes(*asubs[sub_nid])
                if declared != object_size:
                    self.problem('attach-size', '%s: object size %d, embedded node data %d' % (what, declared, object_size))
                total += object_size
                self.check_message(what + ' embedded', *asubs[sub_nid])
            else:
                total += len(value) if value is not None else 0
        size = apc.props.get(0x0E20)
        if size is None or int.from_bytes(size[1], 'little') != total:
            self.problem('attach-size', '%s: PidTagAttachSize %s, values %d' %
                         (what, None if size is None else int.from_bytes(size[1], 'little'), total))

    def check_name_map(self):
        p = self.pst
        if NID_NAME_TO_ID_MAP not in p.nodes:
            self.problem('name-map', 'no name-to-id map node')
            return
        pc = self.pc(p.nodes[NID_NAME_TO_ID_MAP])
        buckets = int.from_bytes(pc.props.get(0x0001, (0, b'\0\0\0\0'))[1], 'little')
        if buckets == 0:
            self.problem('name-map', 'bucket count 0')
            return
        entries = pc.props.get(0x0003, (0, b''))[1] or b''
        strings = pc.props.get(0x0004, (0, b''))[1] or b''
        expected = {}
        for i in range(len(entries) // 8):
            prop_id, word, idx = struct.unpack_from('<IHH', entries, 8 * i)
            if idx != i:
                self.problem('name-map', 'entry %d has wPropIdx %d' % (i, idx))
            if word & 1:
                if prop_id + 4 > len(strings):
                    self.problem('name-map', 'entry %d string offset %d outside the string stream' % (i, prop_id))
                    continue
                length = struct.unpack_from('<I', strings, prop_id)[0]
                key = r.crc(strings[prop_id + 4:prop_id + 4 + length])
            else:
                key = prop_id
            bucket = 0x1000 + (key ^ word) % buckets
            expected.setdefault(bucket, []).append(struct.pack('<IHH', key, word, idx))
        for pid, (ptype, value) in pc.props.items():
            if 0x1000 <= pid < 0x1000 + buckets:
                have = sorted(value[o:o + 8] for o in range(0, len(value or b''), 8))
                want = sorted(expected.pop(pid, []))
                if have != want:
                    self.problem('name-map-hash', 'bucket 0x%x holds %d records, expected %d' % (pid, len(have), len(want)))
        for pid, recs in expected.items():
            self.problem('name-map-hash', 'bucket 0x%x missing (%d records)' % (pid, len(recs)))

    def run(self):
        self.check_header()
        self.check_blocks()
        self.check_refs()
        self.check_allocation()
        self.check_nbt()
        if self.pst.bCryptMethod == 2:
            return  # NDB_CRYPT_CYCLIC: the NDB is checked; LTP content is not decoded here
        for step in (self.check_folders, self.check_messages, self.check_name_map):
            try:
                step()
            except READ_ERRORS as e:
                self.problem('ltp', '%s: %s' % (step.__name__, e))


def _short(values):
    values = ['0x%x' % v for v in values]
    return '[' + ', '.join(values[:6]) + (', ...' if len(values) > 6 else '') + ']'


def main(argv):
    foreign = '--foreign' in argv
    paths = [a for a in argv[1:] if a != '--foreign']
    if len(paths) != 1:
        print(__doc__)
        return 2
    try:
        c = Checker(paths[0], foreign)
        c.run()
    except (OSError,) + READ_ERRORS as e:
        print('unreadable: %s' % e)
        return 2
    for line in c.problems:
        print(line)
    if c.problems:
        return 1
    print('OK %d nodes %d blocks' % (len(c.pst.nodes), len(c.pst.blocks)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
