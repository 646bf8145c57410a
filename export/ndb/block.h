// Blocks ([MS-PST] 2.2.2.8 [PST:a9c1981d-d1ea-457c-b39e-dc7fb0eb95d4]): data, padding to a
// multiple of 64 bytes and a BLOCKTRAILER. Internal blocks (XBLOCK, XXBLOCK, SLBLOCK,
// SIBLOCK) carry BIDs; only external data blocks are permute-encoded.
#pragma once

#include <cstdint>
#include <span>

#include "export/ndb/bytes.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {

inline constexpr size_t kMaxBlockData = 8176;    // 8192 minus the 16-byte trailer
inline constexpr size_t kBlockTrailerSize = 16;
inline constexpr size_t kXBlockMaxEntries = 1021;  // (8176 - 8) / 8
inline constexpr size_t kSlBlockMaxEntries = 340;  // (8176 - 8) / 24
inline constexpr size_t kSiBlockMaxEntries = 510;  // (8176 - 8) / 16
inline constexpr uint64_t kBidInternal = 0x2;     // BID bit marking internal blocks

// wSig of a block or page ([MS-PST] 5.5 [PST:e700a913-9db5-46a4-ac76-37cabea823e1]).
uint16_t compute_sig(uint64_t ib, uint64_t bid);

// Bytes a block with `cb` data bytes occupies on disk: align64(cb + 16).
constexpr size_t block_total_size(size_t cb) { return static_cast<size_t>(align_up(cb + kBlockTrailerSize, 64)); }

// Encodes a whole on-disk block: `data` (permute-encoded when `encrypt`), zero padding and
// the trailer. Throws std::length_error when data exceeds 8176 bytes.
Bytes encode_block(std::span<const uint8_t> data, uint64_t bid, uint64_t ib, bool encrypt);

// XBLOCK (cLevel 1) or XXBLOCK (cLevel 2) data: btype 1, cLevel, cEnt, lcbTotal, rgbid
// ([PST:5b7a6935-e83d-4917-9f62-6ce3707f09e0], [PST:061b6ac4-d1da-468c-b75d-0303a0a8f468]).
Bytes encode_xblock(uint8_t cLevel, uint32_t lcbTotal, std::span<const uint64_t> bids);

struct SlEntry {
  Nid nid = 0;
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
};
struct SiEntry {
  Nid nid = 0;  // first NID of the SLBLOCK
  uint64_t bid = 0;
};

// SLBLOCK data ([PST:5182eb24-4b0b-4816-aa3f-719cc6e6b018]); entries sorted by NID, at most 340.
Bytes encode_slblock(std::span<const SlEntry> entries);
// SIBLOCK data ([PST:729fb9bd-060a-4bbc-9b3b-8f014b487dad]); at most 510 entries.
Bytes encode_siblock(std::span<const SiEntry> entries);

}  // namespace ostfs::pstw
