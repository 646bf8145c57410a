#include "export/ndb/amap.h"

#include <algorithm>
#include <stdexcept>

#include "export/ndb/block.h"
#include "export/ndb/bytes.h"

namespace ostfs::pstw {

uint64_t region_map_bytes(uint64_t r) {
  if (region_has_fpmap(r)) return 4 * kPageSize;  // FPMap at +1536, +1024 left unused
  if (region_has_fmap(r)) return 3 * kPageSize;
  if (region_has_pmap(r)) return 2 * kPageSize;
  return kPageSize;
}

void amap_mark(AMapBits& bits, uint64_t offset, uint64_t size) {
  if (offset % kSlotSize != 0 || size % kSlotSize != 0 || offset + size > kRegionSize)
    throw std::invalid_argument("AMap allocation not on 64-byte slots inside one region");
  for (uint64_t s = offset / kSlotSize; s < (offset + size) / kSlotSize; ++s)
    bits[s / 8] |= static_cast<uint8_t>(0x80 >> (s % 8));
}

size_t amap_free_slots(const AMapBits& bits) {
  size_t n = 0;
  for (uint8_t b : bits)
    for (int k = 0; k < 8; ++k) n += ((b >> k) & 1) == 0;
  return n;
}

size_t amap_longest_free_run(const AMapBits& bits) {
  size_t best = 0;
  size_t run = 0;
  for (size_t s = 0; s < kSlotsPerRegion; ++s) {
    bool used = (bits[s / 8] & (0x80 >> (s % 8))) != 0;
    run = used ? 0 : run + 1;
    best = std::max(best, run);
  }
  return best;
}

Page encode_map_page(std::span<const uint8_t, kPageDataSize> bits, uint8_t type, uint64_t ib) {
  Page page{};
  std::copy(bits.begin(), bits.end(), page.begin());
  seal_page(page, type, 0, ib);
  return page;
}

Page encode_dlist(uint8_t bFlags, uint32_t ulCurrentPage, std::span<const DListEntry> entries, uint64_t bid) {
  if (entries.size() > 119) throw std::length_error("DList with more than 119 entries");
  Page page{};
  page[0] = bFlags;
  page[1] = static_cast<uint8_t>(entries.size());
  store_u32(page.data() + 4, ulCurrentPage);
  for (size_t i = 0; i < entries.size(); ++i) {
    uint32_t v = (entries[i].page_number & 0xFFFFF) | (static_cast<uint32_t>(entries[i].free_slots & 0xFFF) << 20);
    store_u32(page.data() + 8 + 4 * i, v);
  }
  seal_page(page, ptype::DL, compute_sig(kDListOffset, bid), bid);
  return page;
}

}  // namespace ostfs::pstw
