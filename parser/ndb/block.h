// Blocks ([MS-PST] 2.2.2.8): data, padding and a BLOCKTRAILER (cb, wSig, dwCRC, bid; in 4 KiB-
// page files also the inflated size). External blocks are encoded with the file's cipher;
// in 4 KiB-page files any block may be zlib-compressed, internal ones included.
#pragma once

#include <cstdint>
#include <span>

#include "parser/ndb/btree.h"
#include "parser/ndb/crypt.h"
#include "parser/ndb/format.h"
#include "parser/ndb/le.h"

namespace ostfs::ndb {

inline constexpr uint64_t kBidInternal = 0x2;

constexpr bool is_internal(uint64_t bid) { return (bid & kBidInternal) != 0; }

// Bytes the block described by `entry` occupies on disk (data, padding, trailer).
size_t block_disk_size(const BbtEntry& entry, const Layout& layout);

// Checks the trailer of an on-disk block (`raw`, block_disk_size bytes) against its BBT
// entry and CRC, then inflates and decodes its data (in `raw`'s own buffer when it is not
// compressed). Throws CorruptError or CrcError.
Bytes decode_block(Bytes raw, const BbtEntry& entry, const Layout& layout, CryptMethod crypt);

// The same checks, with the decoded data written to `out`, which must be the block's decoded
// size (cbInflated when compressed, else cb). Throws CorruptError or CrcError.
void decode_block_into(std::span<const uint8_t> raw, const BbtEntry& entry, const Layout& layout, CryptMethod crypt,
                       std::span<uint8_t> out);

// Inflates the zlib stream `data` to exactly `size` bytes (its Adler-32 checked). Throws
// CorruptError.
Bytes inflate_exact(std::span<const uint8_t> data, size_t size);

}  // namespace ostfs::ndb
