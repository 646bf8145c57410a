#include "export/ndb/block.h"

#include <stdexcept>
#include <string>

#include "export/ndb/crc.h"
#include "export/ndb/permute.h"

namespace ostfs::pstw {

uint16_t compute_sig(uint64_t ib, uint64_t bid) {
  uint32_t x = static_cast<uint32_t>((ib ^ bid) & 0xFFFFFFFFu);
  return static_cast<uint16_t>(((x >> 16) ^ x) & 0xFFFF);
}

Bytes encode_block(std::span<const uint8_t> data, uint64_t bid, uint64_t ib, bool encrypt) {
  if (data.size() > kMaxBlockData)
    throw std::length_error("block data of " + std::to_string(data.size()) + " bytes exceeds 8176");
  Bytes b(block_total_size(data.size()), 0);
  std::copy(data.begin(), data.end(), b.begin());
  if (encrypt) permute_encode(std::span<uint8_t>(b.data(), data.size()));
  uint8_t* t = b.data() + b.size() - kBlockTrailerSize;
  store_u16(t, static_cast<uint16_t>(data.size()));
  store_u16(t + 2, compute_sig(ib, bid));
  store_u32(t + 4, compute_crc(std::span<const uint8_t>(b.data(), data.size())));
  store_u64(t + 8, bid);
  return b;
}

Bytes encode_xblock(uint8_t cLevel, uint32_t lcbTotal, std::span<const uint64_t> bids) {
  if (bids.size() > kXBlockMaxEntries) throw std::length_error("XBLOCK with more than 1021 entries");
  Bytes b;
  append_u8(b, 0x01);  // btype
  append_u8(b, cLevel);
  append_u16(b, static_cast<uint16_t>(bids.size()));
  append_u32(b, lcbTotal);
  for (uint64_t bid : bids) append_u64(b, bid);
  return b;
}

Bytes encode_slblock(std::span<const SlEntry> entries) {
  if (entries.size() > kSlBlockMaxEntries) throw std::length_error("SLBLOCK with more than 340 entries");
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

Bytes encode_siblock(std::span<const SiEntry> entries) {
  if (entries.size() > kSiBlockMaxEntries) throw std::length_error("SIBLOCK with more than 510 entries");
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
