#!/usr/bin/python3
"""Breaks one rule in a copy of a (Unicode, permute-encoded) PST, keeping every checksum
that the rule does not cover valid, so that check_structure.py must name exactly that rule.

Usage: mutate_pst.py MUTATION IN.pst OUT.pst
"""
import struct
import sys

import pst_reader as r

_ENCODE = bytes(r._UNPERMUTE.index(i) for i in range(256))


def reseal_block(data, pst, b):
    size = pst.block_size_on_disk(b.cb)
    struct.pack_into('<I', data, b.ib + size - 12, r.crc(bytes(data[b.ib:b.ib + b.cb])))


def reseal_page(data, ib):
    struct.pack_into('<I', data, ib + 500, r.crc(bytes(data[ib:ib + 496])))


def rewrite_pc_value(data, pst, nid, prop_id, new_value):
    """Replaces an inline (<= 4 byte) value in the PC of node `nid` and reseals its block."""
    node = pst.nodes[nid]
    b = pst.blocks[node.bid_data & ~1]
    plain = bytearray(pst.decoded(node.bid_data))
    heap = r.Heap([bytes(plain)])
    hdr = heap.get(heap.user_root)
    leaf_hid = struct.unpack_from('<I', hdr, 4)[0]
    ibHnpm = struct.unpack_from('<H', plain, 0)[0]
    start = struct.unpack_from('<H', plain, ibHnpm + 4 + 2 * (((leaf_hid >> 5) & 0x7FF) - 1))[0]
    leaf = heap.get(leaf_hid)
    for o in range(0, len(leaf), 8):
        if struct.unpack_from('<H', leaf, o)[0] == prop_id:
            struct.pack_into('<I', plain, start + o + 4, new_value)
            data[b.ib:b.ib + b.cb] = bytes(plain).translate(_ENCODE)
            reseal_block(data, pst, b)
            return
    raise SystemExit('property 0x%04x not in node 0x%x' % (prop_id, nid))


def main(mutation, src, dst):
    pst = r.PstFile(src)
    data = bytearray(pst.data)
    first_data_block = min((b for b in pst.blocks.values() if not b.bid & 2), key=lambda b: b.bid)
    amap = r.REGION_FIRST
    if mutation == 'block-crc':
        data[first_data_block.ib] ^= 0xFF
    elif mutation == 'header-crc':
        data[40] ^= 0x01  # dwUnique, covered by both header CRCs
    elif mutation == 'amap-missing':
        off = first_data_block.ib - amap
        data[amap + off // 64 // 8] &= ~(0x80 >> (off // 64 % 8)) & 0xFF
        reseal_page(data, amap)
    elif mutation == 'amap-exact':
        last = max(range(496), key=lambda i: i if data[amap + i] else -1)
        data[amap + last + 1] |= 0x01  # a free slot after the last allocation
        reseal_page(data, amap)
    elif mutation == 'cref':
        for ib, ptype, bid, level, parent in pst.pages:
            if ptype == r.PT_BBT and level == 0:
                struct.pack_into('<H', data, ib + 18, struct.unpack_from('<H', data, ib + 18)[0] + 1)
                reseal_page(data, ib)
                break
    elif mutation == 'content-count':
        folder = next(n for n in pst.nodes if n & 0x1F == 2 and n != 0x122 and n not in (0x8042,))
        rewrite_pc_value(data, pst, folder, 0x3602, 7)
    elif mutation == 'hasattach':
        message = next(n for n in pst.nodes if n & 0x1F == 4)
        pc = r.read_pc(pst, pst.nodes[message].bid_data, pst.nodes[message].bid_sub)[0]
        flags = int.from_bytes(pc.props[0x0E07][1], 'little')
        rewrite_pc_value(data, pst, message, 0x0E07, flags ^ 0x10)
    else:
        raise SystemExit('unknown mutation ' + mutation)
    with open(dst, 'wb') as f:
        f.write(data)


if __name__ == '__main__':
    main(*sys.argv[1:4])
