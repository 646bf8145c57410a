#include "export/ndb/block.h"

#include <zlib.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "export/ndb/crc.h"
#include "parser/ndb/crypt.h"

namespace ostfs::pstw {
namespace {

// fe01.ost has 2 in the 16-bit field after bid of every block trailer, compressed or not;
// [MS-PST] does not describe this trailer.
constexpr uint16_t kOstTrailerField16 = 2;

// A zlib stream (RFC 1950, "78 9C" as in Outlook's files) of `data`, or nothing when it would
// not be shorter.
std::optional<Bytes> deflate_if_shorter(std::span<const uint8_t> data) {
  uLongf size = ::compressBound(static_cast<uLong>(data.size()));
  Bytes z(size);
  const int rc = ::compress2(z.data(), &size, data.data(), static_cast<uLong>(data.size()), Z_DEFAULT_COMPRESSION);
  if (rc != Z_OK) throw std::runtime_error("zlib compress2 failed with error " + std::to_string(rc));
  if (size >= data.size()) return std::nullopt;
  z.resize(size);
  return z;
}

}  // namespace

uint16_t compute_sig(uint64_t ib, uint64_t bid) {
  uint32_t x = static_cast<uint32_t>((ib ^ bid) & 0xFFFFFFFFu);
  return static_cast<uint16_t>(((x >> 16) ^ x) & 0xFFFF);
}

size_t block_total_size(const NdbLayout& layout, size_t cb) {
  return static_cast<size_t>(align_up(cb + layout.ndb.block_trailer_size, layout.block_unit()));
}

PackedBlock pack_block(const NdbLayout& layout, std::span<const uint8_t> data, bool encrypt) {
  if (data.size() > layout.max_block_data())
    throw std::length_error("block data of " + std::to_string(data.size()) + " bytes exceeds " +
                            std::to_string(layout.max_block_data()));
  PackedBlock b;
  b.cbInflated = static_cast<uint16_t>(data.size());
  b.stored.assign(data.begin(), data.end());
  // Readers inflate, then decrypt: so encrypt first, then compress.
  if (encrypt && layout.bCryptMethod == 1) ndb::permute_encode(b.stored);
  if (layout.ndb.compressed_blocks && !b.stored.empty()) {
    if (std::optional<Bytes> z = deflate_if_shorter(b.stored)) b.stored = std::move(*z);
  }
  return b;
}

Bytes seal_block(const NdbLayout& layout, const PackedBlock& block, uint64_t bid, uint64_t ib) {
  const size_t cb = block.stored.size();
  Bytes b(block_total_size(layout, cb), 0);
  std::copy(block.stored.begin(), block.stored.end(), b.begin());
  uint8_t* t = b.data() + b.size() - layout.ndb.block_trailer_size;
  store_u16(t, static_cast<uint16_t>(cb));
  store_u16(t + 2, compute_sig(ib, bid));
  store_u32(t + 4, compute_crc(std::span<const uint8_t>(b.data(), cb)));
  store_u64(t + 8, bid);
  if (layout.ndb.block_trailer_size > 16) {
    store_u16(t + 16, kOstTrailerField16);
    store_u16(t + 18, block.cbInflated);
  }
  return b;
}

Bytes encode_block(std::span<const uint8_t> data, uint64_t bid, uint64_t ib, bool encrypt) {
  const NdbLayout& pst = ndb_layout(Layout::Pst2003Unicode);
  return seal_block(pst, pack_block(pst, data, encrypt), bid, ib);
}

Bytes encode_xblock(uint8_t cLevel, uint32_t lcbTotal, std::span<const uint64_t> bids, const NdbLayout& layout) {
  if (bids.size() > layout.xblock_max_entries())
    throw std::length_error("XBLOCK with more than " + std::to_string(layout.xblock_max_entries()) + " entries");
  Bytes b;
  append_u8(b, 0x01);  // btype
  append_u8(b, cLevel);
  append_u16(b, static_cast<uint16_t>(bids.size()));
  append_u32(b, lcbTotal);
  for (uint64_t bid : bids) append_u64(b, bid);
  return b;
}

Bytes encode_slblock(std::span<const SlEntry> entries, const NdbLayout& layout) {
  if (entries.size() > layout.slblock_max_entries())
    throw std::length_error("SLBLOCK with more than " + std::to_string(layout.slblock_max_entries()) + " entries");
  Bytes b;
  append_u8(b, 0x02);  // btype
  append_u8(b, 0);     // cLevel
  append_u16(b, static_cast<uint16_t>(entries.size()));
  append_u32(b, 0);  // dwPadding
  for (const SlEntry& e : entries) {
    append_u64(b, e.nid);  // high 32 bits zero
    append_u64(b, e.bidData);
    append_u64(b, e.bidSub);
  }
  return b;
}

Bytes encode_siblock(std::span<const SiEntry> entries, const NdbLayout& layout) {
  if (entries.size() > layout.siblock_max_entries())
    throw std::length_error("SIBLOCK with more than " + std::to_string(layout.siblock_max_entries()) + " entries");
  Bytes b;
  append_u8(b, 0x02);
  append_u8(b, 1);
  append_u16(b, static_cast<uint16_t>(entries.size()));
  append_u32(b, 0);
  for (const SiEntry& e : entries) {
    append_u64(b, e.nid);
    append_u64(b, e.bid);
  }
  return b;
}

}  // namespace ostfs::pstw
