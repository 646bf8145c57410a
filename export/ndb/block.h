// Blocks ([MS-PST] 2.2.2.8 [PST:a9c1981d-d1ea-457c-b39e-dc7fb0eb95d4]): data, padding to a
// multiple of the layout's block unit and a BLOCKTRAILER. Internal blocks (XBLOCK, XXBLOCK,
// SLBLOCK, SIBLOCK) carry BIDs; only external data blocks are permute-encoded. In the Ost2013
// layout any block, internal ones included, is stored zlib-compressed when that is shorter,
// and its trailer and BBT entry also carry the inflated size (pst-writer-notes.md §6b).
#pragma once

#include <cstdint>
#include <span>

#include "export/ndb/bytes.h"
#include "export/ndb/layout.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {

// The PST's block limits (kPstGeometry); an XBLOCK's header is 8 bytes in every layout.
inline constexpr size_t kMaxBlockData = kPstGeometry.max_block_data();  // 8192 minus the 16-byte trailer
inline constexpr size_t kBlockTrailerSize = kPstGeometry.block_trailer_size;
inline constexpr size_t kXBlockMaxEntries = (kMaxBlockData - 8) / kPstGeometry.id_size;  // 1021
inline constexpr size_t kSlBlockMaxEntries =
    (kMaxBlockData - kPstGeometry.sl_header_size) / kPstGeometry.slentry_size;  // 340
inline constexpr size_t kSiBlockMaxEntries =
    (kMaxBlockData - kPstGeometry.sl_header_size) / kPstGeometry.sientry_size;  // 510
inline constexpr uint64_t kBidInternal = 0x2;     // BID bit marking internal blocks

// wSig of a block or page ([MS-PST] 5.5 [PST:e700a913-9db5-46a4-ac76-37cabea823e1]).
uint16_t compute_sig(uint64_t ib, uint64_t bid);

// Bytes a block with `cb` data bytes occupies on disk: align64(cb + 16).
constexpr size_t block_total_size(size_t cb) {
  return static_cast<size_t>(align_up(cb + kBlockTrailerSize, kPstGeometry.block_alignment));
}
// The same in any layout: cb stored bytes plus the trailer, rounded up to the block unit.
size_t block_total_size(const NdbLayout& layout, size_t cb);

// A block's bytes as they go to disk, before the trailer: permute-encoded when `encrypt` and
// the layout encrypts, then zlib-compressed when the layout compresses and the stream is
// shorter than the data. `cbInflated` is the data size.
struct PackedBlock {
  Bytes stored;
  uint16_t cbInflated = 0;
};
// Throws std::length_error when `data` exceeds the layout's maximum block data.
PackedBlock pack_block(const NdbLayout& layout, std::span<const uint8_t> data, bool encrypt);
// The whole on-disk block: stored bytes, zero padding and the trailer (cb, wSig, dwCRC over
// the stored bytes, bid; in Ost2013 also cbInflated).
Bytes seal_block(const NdbLayout& layout, const PackedBlock& block, uint64_t bid, uint64_t ib);

// Encodes a whole on-disk PST block: `data` (permute-encoded when `encrypt`), zero padding and
// the trailer. Throws std::length_error when data exceeds 8176 bytes.
Bytes encode_block(std::span<const uint8_t> data, uint64_t bid, uint64_t ib, bool encrypt);

// XBLOCK (cLevel 1) or XXBLOCK (cLevel 2) data: btype 1, cLevel, cEnt, lcbTotal, rgbid
// ([PST:5b7a6935-e83d-4917-9f62-6ce3707f09e0], [PST:061b6ac4-d1da-468c-b75d-0303a0a8f468]).
// Throws std::length_error beyond the layout's maximum entries (1021 in a PST).
Bytes encode_xblock(uint8_t cLevel, uint32_t lcbTotal, std::span<const uint64_t> bids,
                    const NdbLayout& layout = ndb_layout(Layout::Pst2003Unicode));

struct SlEntry {
  Nid nid = 0;
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
};
struct SiEntry {
  Nid nid = 0;  // first NID of the SLBLOCK
  uint64_t bid = 0;
};

// SLBLOCK data ([PST:5182eb24-4b0b-4816-aa3f-719cc6e6b018]); entries sorted by NID, at most 340
// in a PST.
Bytes encode_slblock(std::span<const SlEntry> entries, const NdbLayout& layout = ndb_layout(Layout::Pst2003Unicode));
// SIBLOCK data ([PST:729fb9bd-060a-4bbc-9b3b-8f014b487dad]); at most 510 entries in a PST.
Bytes encode_siblock(std::span<const SiEntry> entries, const NdbLayout& layout = ndb_layout(Layout::Pst2003Unicode));

}  // namespace ostfs::pstw
