"""A small, independent PST reader for the structural checker, written from [MS-PST].

It reads what the checker needs and nothing more: the HEADER, the B-tree pages, blocks,
allocation maps, subnode trees, heaps, BTHs, property contexts and table contexts. It does
not share code with export/: the checker must be able to catch the writer's mistakes.
Unicode (wVer >= 23) and ANSI (wVer 14/15) files with 512-byte pages are supported.
"""
import mmap
import os
import struct
import zlib

PAGE = 512
REGION_FIRST = 0x4400
REGION_SIZE = 253952
PT_BBT, PT_NBT, PT_FMAP, PT_PMAP, PT_AMAP, PT_FPMAP, PT_DL = 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86

# [MS-PST] 5.1 mpbbCrypt, first third (NDB_CRYPT_PERMUTE encoding), as bytes 0..255.
_PERMUTE = bytes([
    65, 54, 19, 98, 168, 33, 110, 187, 244, 22, 204, 4, 127, 100, 232, 93, 30, 242, 203, 42, 116, 197, 94, 53,
    210, 149, 71, 158, 150, 45, 154, 136, 76, 125, 132, 63, 219, 172, 49, 182, 72, 95, 246, 196, 216, 57, 139,
    231, 35, 59, 56, 142, 200, 193, 223, 37, 177, 32, 165, 70, 96, 78, 156, 251, 170, 211, 86, 81, 69, 124, 85,
    0, 7, 201, 43, 157, 133, 155, 9, 160, 143, 173, 179, 15, 99, 171, 137, 75, 215, 167, 21, 90, 113, 102, 66,
    191, 38, 74, 107, 152, 250, 234, 119, 83, 178, 112, 5, 44, 253, 89, 58, 134, 126, 206, 6, 235, 130, 120, 87,
    199, 141, 67, 175, 180, 28, 212, 91, 205, 226, 233, 39, 79, 195, 8, 114, 128, 207, 176, 239, 245, 40, 109,
    190, 48, 77, 52, 146, 213, 14, 60, 34, 50, 229, 228, 249, 159, 194, 209, 10, 129, 18, 225, 238, 145, 131,
    118, 227, 151, 230, 97, 138, 23, 121, 164, 183, 220, 144, 122, 92, 140, 2, 166, 202, 105, 222, 80, 26, 17,
    147, 185, 82, 135, 88, 252, 237, 29, 55, 73, 27, 106, 224, 41, 51, 153, 189, 108, 217, 148, 243, 64, 84,
    111, 240, 198, 115, 184, 214, 62, 101, 24, 68, 31, 221, 103, 16, 241, 12, 25, 236, 174, 3, 161, 20, 123,
    169, 11, 255, 248, 163, 192, 162, 1, 247, 46, 188, 36, 104, 117, 13, 254, 186, 47, 181, 208, 218, 61])
_UNPERMUTE = bytes(_PERMUTE.index(i) for i in range(256))


class FormatError(Exception):
    """The file breaks a rule the reader itself depends on (it cannot go on)."""


def crc(data):
    """[MS-PST] 5.3: CRC-32 (0xEDB88320) with initial value 0 and no final XOR."""
    return zlib.crc32(data, 0xFFFFFFFF) ^ 0xFFFFFFFF


def sig(ib, bid):
    """[MS-PST] 5.5 ComputeSig."""
    x = (ib ^ bid) & 0xFFFFFFFF
    return ((x >> 16) ^ x) & 0xFFFF


def region_offset(r):
    return REGION_FIRST + r * REGION_SIZE


def has_pmap(r):
    return r % 8 == 0


def has_fmap(r):
    return r >= 128 and (r - 128) % 496 == 0


def has_fpmap(r):
    return r >= 8192 and (r - 8192) % 31744 == 0


def map_pages(r):
    """(ptype, offset in the region) of region r's map pages: the AMap, then the PMap, FMap and
    FPMap present there, packed one page after another. An FPMap region has no FMap, so its
    FPMap is at +1024, where scanpst looks for it (see export/ndb/amap.h)."""
    pages = [(PT_AMAP, 0)]
    for present, ptype in ((has_pmap, PT_PMAP), (has_fmap, PT_FMAP), (has_fpmap, PT_FPMAP)):
        if present(r):
            pages.append((ptype, len(pages) * PAGE))
    return pages


class Format:
    """Field sizes of the Unicode or ANSI variant ([MS-PST] 2.2.2)."""

    def __init__(self, unicode):
        self.unicode = unicode
        self.id = 8 if unicode else 4             # BID, IB, NID-in-BT key size
        self.bt_area = 488 if unicode else 496    # bytes of entries in a BTPAGE
        self.nbt_entry = 32 if unicode else 16
        self.bbt_entry = 24 if unicode else 12
        self.bt_entry = 24 if unicode else 12     # intermediate BTENTRY
        self.block_trailer = 16 if unicode else 12
        self.max_block = 8176 if unicode else 8180
        self.sl_entry = 24 if unicode else 12
        self.si_entry = 16 if unicode else 8
        self.xblock_header = 8

    def u(self, data, off):
        return struct.unpack_from('<Q' if self.unicode else '<I', data, off)[0]


class Block:
    __slots__ = ('bid', 'ib', 'cb', 'cref', 'raw')

    def __init__(self, bid, ib, cb, cref):
        self.bid, self.ib, self.cb, self.cref, self.raw = bid, ib, cb, cref, None


class Node:
    __slots__ = ('nid', 'bid_data', 'bid_sub', 'parent')

    def __init__(self, nid, bid_data, bid_sub, parent):
        self.nid, self.bid_data, self.bid_sub, self.parent = nid, bid_data, bid_sub, parent


class PstFile:
    """Parses the header and both B-trees eagerly; pages and blocks are checked by the caller."""

    def __init__(self, path):
        with open(path, 'rb') as f:
            # Mapped, not read: the checker also runs on the > 4 GB benchmark output.
            size = os.fstat(f.fileno()).st_size
            self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b''
        d = self.data
        if len(d) < 0x4400 or d[0:4] != b'!BDN':
            raise FormatError('HEADER dwMagic is not !BDN')
        self.magic_client = d[8:10]
        self.wVer = struct.unpack_from('<H', d, 10)[0]
        if self.wVer in (14, 15):
            self.fmt = Format(False)
        elif self.wVer >= 23:
            self.fmt = Format(True)
        else:
            raise FormatError('unsupported wVer %d' % self.wVer)
        if self.wVer >= 36:
            raise FormatError('OST 2013 layout (4 KiB pages) is not supported by this checker')
        self.unicode = self.fmt.unicode
        self.page_data = 496 if self.unicode else 500  # bytes before the PAGETRAILER
        if self.unicode:
            self.bidNextP = struct.unpack_from('<Q', d, 32)[0]
            self.dwUnique = struct.unpack_from('<I', d, 40)[0]
            self.rgnid = struct.unpack_from('<32I', d, 44)
            root = 180
            (self.ibFileEof, self.ibAMapLast, self.cbAMapFree, self.cbPMapFree, nbt_bid, nbt_ib, bbt_bid,
             bbt_ib) = struct.unpack_from('<8Q', d, root + 4)
            self.fAMapValid = d[root + 68]
            self.bCryptMethod = d[513]
            self.bidNextB = struct.unpack_from('<Q', d, 516)[0]
        else:
            # ANSI HEADER: 32-bit BIDs, ROOT at 164 ([MS-PST] 2.2.2.6, 2.2.2.5).
            self.bidNextB, self.bidNextP, self.dwUnique = struct.unpack_from('<III', d, 24)
            self.rgnid = struct.unpack_from('<32I', d, 36)
            (self.ibFileEof, self.ibAMapLast, self.cbAMapFree, self.cbPMapFree, nbt_bid, nbt_ib, bbt_bid,
             bbt_ib) = struct.unpack_from('<8I', d, 168)
            self.fAMapValid = d[200]
            self.bCryptMethod = d[461]
        self.nbt_root = (nbt_bid, nbt_ib)
        self.bbt_root = (bbt_bid, bbt_ib)
        self.pages = []    # (ib, ptype, bid, level, parent bid) of every B-tree page reached
        self.blocks = {}   # bid (bit 0 cleared) -> Block
        self.nodes = {}    # nid -> Node
        self.problems = []
        self._walk(self.bbt_root, PT_BBT, None, None, None)
        self._walk(self.nbt_root, PT_NBT, None, None, None)

    # ---- NDB ----------------------------------------------------------------------------
    def problem(self, rule, text):
        self.problems.append((rule, text))

    def _walk(self, bref, ptype, level, first_key, parent_bid):
        bid, ib = bref
        f = self.fmt
        if ib + PAGE > len(self.data) or ib % PAGE:
            raise FormatError('%s page at 0x%x outside the file or unaligned' % ('BBT' if ptype == PT_BBT else 'NBT', ib))
        p = self.data[ib:ib + PAGE]
        t_type, t_repeat, t_sig, t_crc, t_bid, crc_ok = self.page_trailer(ib)
        name = 'BBT' if ptype == PT_BBT else 'NBT'
        if t_type != ptype or t_repeat != ptype:
            self.problem('page-type', '%s page at 0x%x has ptype 0x%x/0x%x' % (name, ib, t_type, t_repeat))
        if not crc_ok:
            self.problem('page-crc', '%s page at 0x%x: dwCRC mismatch' % (name, ib))
        if t_sig != sig(ib, t_bid):
            self.problem('page-sig', '%s page at 0x%x: wSig 0x%x, expected 0x%x' % (name, ib, t_sig, sig(ib, t_bid)))
        if t_bid != bid:
            self.problem('page-bid', '%s page at 0x%x: trailer bid 0x%x != parent BREF bid 0x%x' % (name, ib, t_bid, bid))
        cEnt, cEntMax, cbEnt, cLevel = p[f.bt_area], p[f.bt_area + 1], p[f.bt_area + 2], p[f.bt_area + 3]
        self.pages.append((ib, ptype, bid, cLevel, parent_bid))
        if level is not None and cLevel != level:
            self.problem('bt-level', '%s page at 0x%x has cLevel %d, expected %d' % (name, ib, cLevel, level))
        leaf_size = f.bbt_entry if ptype == PT_BBT else f.nbt_entry
        want = f.bt_entry if cLevel > 0 else leaf_size
        if cbEnt != want or cEntMax != f.bt_area // want:
            self.problem('bt-geometry', '%s page at 0x%x: cbEnt %d cEntMax %d' % (name, ib, cbEnt, cEntMax))
            return
        if cEnt > cEntMax or (cEnt == 0 and level is not None):
            self.problem('bt-count', '%s page at 0x%x: cEnt %d' % (name, ib, cEnt))
            return
        keys = [f.u(p, i * cbEnt) for i in range(cEnt)]
        if any(b <= a for a, b in zip(keys, keys[1:])):
            self.problem('bt-order', '%s page at 0x%x: keys not strictly ascending' % (name, ib))
        if first_key is not None and keys and keys[0] != first_key:
            self.problem('bt-key', '%s page at 0x%x: first key 0x%x != parent key 0x%x' % (name, ib, keys[0], first_key))
        for i in range(cEnt):
            o = i * cbEnt
            if cLevel > 0:
                child = (f.u(p, o + f.id), f.u(p, o + 2 * f.id))
                self._walk(child, ptype, cLevel - 1, keys[i], bid)
            elif ptype == PT_BBT:
                bbid, bib = f.u(p, o), f.u(p, o + f.id)
                cb, cref = struct.unpack_from('<HH', p, o + 2 * f.id)
                key = bbid & ~1
                if key in self.blocks:
                    self.problem('bbt-duplicate', 'BID 0x%x twice in the BBT' % bbid)
                self.blocks[key] = Block(bbid, bib, cb, cref)
            else:
                nid = f.u(p, o) & 0xFFFFFFFF
                if self.unicode:
                    bd, bs, parent = struct.unpack_from('<QQI', p, o + 8)
                else:
                    bd, bs, parent = struct.unpack_from('<III', p, o + 4)
                if nid in self.nodes:
                    self.problem('nbt-duplicate', 'NID 0x%x twice in the NBT' % nid)
                self.nodes[nid] = Node(nid, bd, bs, parent)

    def page_trailer(self, ib):
        """(ptype, ptypeRepeat, wSig, dwCRC, bid, CRC matches) of the page at `ib`."""
        p = self.data[ib:ib + PAGE]
        if self.unicode:
            t_type, t_repeat, t_sig, t_crc, t_bid = struct.unpack_from('<BBHIQ', p, 496)
        else:
            t_type, t_repeat, t_sig, t_bid, t_crc = struct.unpack_from('<BBHII', p, 500)
        return t_type, t_repeat, t_sig, t_crc, t_bid, crc(p[:self.page_data]) == t_crc

    def map_bits(self, ib):
        """The 496 bytes of an AMap/PMap/FMap/FPMap page (ANSI pages start with 4 padding bytes)."""
        start = ib if self.unicode else ib + 4
        return self.data[start:start + 496]

    def block_size_on_disk(self, cb):
        return (cb + self.fmt.block_trailer + 63) // 64 * 64

    def raw_block(self, bid):
        """The block's stored bytes (still encoded), checked by check_block()."""
        b = self.blocks.get(bid & ~1)
        if b is None:
            raise FormatError('BID 0x%x is not in the BBT' % bid)
        return self.data[b.ib:b.ib + b.cb]

    def check_block(self, b):
        f = self.fmt
        size = self.block_size_on_disk(b.cb)
        if b.ib + size > len(self.data):
            self.problem('block-bounds', 'block 0x%x at 0x%x runs past the end of the file' % (b.bid, b.ib))
            return
        t = self.data[b.ib + size - f.block_trailer:b.ib + size]
        if self.unicode:
            cb, wsig, dwcrc, tbid = struct.unpack('<HHIQ', t)
        else:
            cb, wsig, tbid, dwcrc = struct.unpack('<HHII', t)
        if cb != b.cb:
            self.problem('block-cb', 'block 0x%x: trailer cb %d != BBT cb %d' % (b.bid, cb, b.cb))
        if tbid != b.bid:
            self.problem('block-bid', 'block at 0x%x: trailer bid 0x%x != BBT bid 0x%x' % (b.ib, tbid, b.bid))
        if wsig != sig(b.ib, b.bid):
            self.problem('block-sig', 'block 0x%x: wSig 0x%x, expected 0x%x' % (b.bid, wsig, sig(b.ib, b.bid)))
        if dwcrc != crc(self.data[b.ib:b.ib + b.cb]):
            self.problem('block-crc', 'block 0x%x: dwCRC mismatch' % b.bid)
        if b.cb > f.max_block:
            self.problem('block-cb', 'block 0x%x: cb %d above %d' % (b.bid, b.cb, f.max_block))

    def decoded(self, bid):
        """A data block's bytes, decoded. Internal blocks (bit 1) are never encoded."""
        raw = self.raw_block(bid)
        if bid & 2 or self.bCryptMethod == 0:
            return raw
        if self.bCryptMethod == 1:
            return raw.translate(_UNPERMUTE)
        raise FormatError('NDB_CRYPT_CYCLIC data is not decoded by this checker')

    def leaf_bids(self, bid):
        """The data blocks of a stream: the block itself, or the leaves under an XBLOCK/XXBLOCK."""
        if not bid & 2:
            return [bid]
        d = self.raw_block(bid)
        btype, level, count, total = struct.unpack_from('<BBHI', d, 0)
        if btype != 1 or level not in (1, 2):
            raise FormatError('block 0x%x: not an XBLOCK/XXBLOCK' % bid)
        ids = [self.fmt.u(d, 8 + i * self.fmt.id) for i in range(count)]
        if level == 1:
            return ids
        return [leaf for x in ids for leaf in self.leaf_bids(x)]

    def stream(self, bid):
        if bid == 0:
            return b''
        return b''.join(self.decoded(b) for b in self.leaf_bids(bid))

    def stream_blocks(self, bid):
        """A node's data as a list of blocks (heaps need block boundaries)."""
        if bid == 0:
            return []
        return [self.decoded(b) for b in self.leaf_bids(bid)]

    def subnodes(self, bid):
        """{nid: (bid_data, bid_sub)} of a subnode tree (SLBLOCK, or SIBLOCK over SLBLOCKs)."""
        out = {}
        if bid == 0:
            return out
        d = self.raw_block(bid)
        btype, level, count = struct.unpack_from('<BBH', d, 0)
        if btype != 2:
            raise FormatError('block 0x%x: not an SLBLOCK/SIBLOCK' % bid)
        f = self.fmt
        start = 8 if self.unicode else 4
        if level == 0:
            for i in range(count):
                o = start + i * f.sl_entry
                nid = f.u(d, o) & 0xFFFFFFFF
                out[nid] = (f.u(d, o + f.id), f.u(d, o + 2 * f.id))
        else:
            for i in range(count):
                o = start + i * f.si_entry
                out.update(self.subnodes(f.u(d, o + f.id)))
        return out

    def references(self):
        """Every structural reference to a block: (referrer, bid). Used for cRef."""
        refs = []

        def stream_refs(bid, who):
            if bid == 0:
                return
            refs.append((who, bid))
            if bid & 2:
                d = self.raw_block(bid)
                btype, level, count = struct.unpack_from('<BBH', d, 0)
                f = self.fmt
                if btype == 1:
                    for i in range(count):
                        stream_refs(f.u(d, 8 + i * f.id), 'XBLOCK 0x%x' % bid)

        def sub_refs(bid, who):
            if bid == 0:
                return
            refs.append((who, bid))
            d = self.raw_block(bid)
            btype, level, count = struct.unpack_from('<BBH', d, 0)
            f = self.fmt
            start = 8 if self.unicode else 4
            for i in range(count):
                if level == 0:
                    o = start + i * f.sl_entry
                    stream_refs(f.u(d, o + f.id), 'SLBLOCK 0x%x' % bid)
                    sub_refs(f.u(d, o + 2 * f.id), 'SLBLOCK 0x%x' % bid)
                else:
                    sub_refs(f.u(d, start + i * f.si_entry + f.id), 'SIBLOCK 0x%x' % bid)

        for n in self.nodes.values():
            stream_refs(n.bid_data, 'node 0x%x' % n.nid)
            sub_refs(n.bid_sub, 'node 0x%x' % n.nid)
        return refs


# ---- LTP ([MS-PST] 2.3) ------------------------------------------------------------------

class Heap:
    def __init__(self, blocks):
        if not blocks or len(blocks[0]) < 12 or blocks[0][2] != 0xEC:
            raise FormatError('not a heap-on-node (bSig != 0xEC)')
        self.blocks = blocks
        self.client_sig = blocks[0][3]
        self.user_root = struct.unpack_from('<I', blocks[0], 4)[0]

    def get(self, hid):
        if hid & 0x1F:
            raise FormatError('HID 0x%x has a non-zero hidType' % hid)
        bi, idx = hid >> 16, (hid >> 5) & 0x7FF
        if bi >= len(self.blocks) or idx == 0:
            raise FormatError('HID 0x%x outside the heap' % hid)
        b = self.blocks[bi]
        ibHnpm = struct.unpack_from('<H', b, 0)[0]
        cAlloc = struct.unpack_from('<H', b, ibHnpm)[0]
        if idx > cAlloc:
            raise FormatError('HID 0x%x beyond cAlloc %d' % (hid, cAlloc))
        start, end = struct.unpack_from('<HH', b, ibHnpm + 4 + 2 * (idx - 1))
        return b[start:end]

    def bth(self, hid):
        """Leaf records of a BTH: [(key bytes, data bytes)]."""
        h = self.get(hid)
        if len(h) != 8 or h[0] != 0xB5:
            raise FormatError('not a BTHHEADER')
        cb_key, cb_ent, levels, root = h[1], h[2], h[3], struct.unpack_from('<I', h, 4)[0]
        out = []

        def walk(hid, level):
            if hid == 0:
                return
            d = self.get(hid)
            size = cb_key + (cb_ent if level == 0 else 4)
            for o in range(0, len(d) - size + 1, size):
                if level == 0:
                    out.append((d[o:o + cb_key], d[o + cb_key:o + size]))
                else:
                    walk(struct.unpack_from('<I', d, o + cb_key)[0], level - 1)

        walk(root, levels)
        return out


FIXED = {0x0002: 2, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000A: 4, 0x000B: 1, 0x0014: 8,
         0x0040: 8, 0x0048: 0}


def fixed_size(ptype):
    return FIXED.get(ptype, 0)


class PropertyContext:
    """{prop id: (type, value bytes)}; values in subnodes are read through `subnodes`."""

    def __init__(self, pst, blocks, subnodes):
        heap = Heap(blocks)
        if heap.client_sig != 0xBC:
            raise FormatError('PC heap with bClientSig 0x%x' % heap.client_sig)
        self.props = {}
        self.subnode_values = set()
        for key, data in heap.bth(heap.user_root):
            pid = struct.unpack('<H', key)[0]
            ptype, hnid = struct.unpack('<HI', data)
            size = fixed_size(ptype)
            if ptype == 0x000B:
                value = bytes([hnid & 0xFF])
            elif 0 < size <= 4:
                value = struct.pack('<I', hnid)[:size]
            elif hnid == 0:
                value = b''
            elif hnid & 0x1F:
                value = pst.stream(subnodes[hnid][0]) if hnid in subnodes else None
                self.subnode_values.add(pid)
            else:
                value = heap.get(hnid)
            self.props[pid] = (ptype, value)


class TableContext:
    """Columns {tag: (ib, cb, iBit)} and rows [(row id, {tag: value bytes})]."""

    def __init__(self, pst, blocks, subnodes):
        heap = Heap(blocks)
        if heap.client_sig != 0x7C:
            raise FormatError('TC heap with bClientSig 0x%x' % heap.client_sig)
        info = heap.get(heap.user_root)
        if info[0] != 0x7C:
            raise FormatError('TCINFO bType 0x%x' % info[0])
        ncols = info[1]
        self.rgib = struct.unpack_from('<4H', info, 2)
        hid_index, hnid_rows = struct.unpack_from('<II', info, 10)
        self.columns = {}
        for i in range(ncols):
            tag, ib, cb, ibit = struct.unpack_from('<IHBB', info, 22 + 8 * i)
            self.columns[tag] = (ib, cb, ibit)
        # TCROWID: dwRowIndex is 4 bytes in Unicode files, 2 in ANSI ([MS-PST] 2.3.4.3.1).
        index = [(int.from_bytes(k, 'little'), int.from_bytes(v, 'little')) for k, v in heap.bth(hid_index)]
        row_size = self.rgib[3]
        if hnid_rows == 0:
            blocks_rows = []
        elif hnid_rows & 0x1F:
            blocks_rows = pst.stream_blocks(subnodes[hnid_rows][0])
        else:
            blocks_rows = [heap.get(hnid_rows)]
        per_block = (len(blocks_rows[0]) // row_size if len(blocks_rows) == 1 else
                     pst.fmt.max_block // row_size) if blocks_rows and row_size else 0
        self.rows = []
        self.row_index = index
        for row_id, number in index:
            if per_block == 0:
                raise FormatError('row index names row %d of an empty row matrix' % number)
            blk, pos = divmod(number, per_block)
            if blk >= len(blocks_rows) or (pos + 1) * row_size > len(blocks_rows[blk]):
                raise FormatError('row %d beyond the row matrix' % number)
            row = blocks_rows[blk][pos * row_size:(pos + 1) * row_size]
            cells = {}
            for tag, (ib, cb, ibit) in self.columns.items():
                if not row[self.rgib[2] + ibit // 8] & (0x80 >> (ibit % 8)):
                    continue
                ptype = tag & 0xFFFF
                raw = row[ib:ib + cb]
                size = fixed_size(ptype)
                if size:
                    cells[tag] = raw[:size]
                else:
                    hnid = struct.unpack('<I', raw)[0]
                    if hnid == 0:
                        cells[tag] = b''
                    elif hnid & 0x1F:
                        cells[tag] = pst.stream(subnodes[hnid][0]) if hnid in subnodes else None
                    else:
                        cells[tag] = heap.get(hnid)
            self.rows.append((row_id, cells))


def node_contents(pst, bid_data, bid_sub):
    """(heap blocks, subnodes) of a node."""
    return pst.stream_blocks(bid_data), pst.subnodes(bid_sub)


def read_pc(pst, bid_data, bid_sub):
    blocks, subs = node_contents(pst, bid_data, bid_sub)
    return PropertyContext(pst, blocks, subs), subs


def read_tc(pst, bid_data, bid_sub):
    blocks, subs = node_contents(pst, bid_data, bid_sub)
    return TableContext(pst, blocks, subs)
