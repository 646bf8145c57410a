#include "export/ndb/amap.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "export/ndb/block.h"

namespace ostfs::pstw {

uint64_t region_map_bytes(uint64_t r) { return region_map_bytes(ndb_layout(Layout::Pst2003Unicode), r); }

std::vector<MapPage> region_map_pages(const NdbLayout& layout, uint64_t r) {
  std::vector<MapPage> pages = {{ptype::AMap, 0}};
  if (!layout.pmap_fmap_fpmap) return pages;
  auto add = [&](uint8_t type) { pages.push_back({type, pages.size() * layout.page_size()}); };
  if (region_has_pmap(r)) add(ptype::PMap);
  if (region_has_fmap(r)) add(ptype::FMap);
  if (region_has_fpmap(r)) add(ptype::FPMap);
  return pages;
}

std::optional<uint64_t> region_map_page_offset(const NdbLayout& layout, uint64_t r, uint8_t type) {
  for (const MapPage& page : region_map_pages(layout, r))
    if (page.type == type) return page.offset;
  return std::nullopt;
}

uint64_t region_map_bytes(const NdbLayout& layout, uint64_t r) {
  return region_map_pages(layout, r).size() * layout.page_size();
}

void amap_mark(AMapBits& bits, uint64_t offset, uint64_t size) { amap_mark(bits, offset, size, kSlotSize); }

void amap_mark(std::span<uint8_t> bits, uint64_t offset, uint64_t size, uint64_t slot_size) {
  if (offset % slot_size != 0 || size % slot_size != 0 || offset + size > bits.size() * 8 * slot_size)
    throw std::invalid_argument("AMap allocation not on " + std::to_string(slot_size) +
                                "-byte slots inside one region");
  for (uint64_t s = offset / slot_size; s < (offset + size) / slot_size; ++s)
    bits[s / 8] |= static_cast<uint8_t>(0x80 >> (s % 8));
}

size_t amap_free_slots(std::span<const uint8_t> bits) {
  size_t n = 0;
  for (uint8_t b : bits)
    for (int k = 0; k < 8; ++k) n += ((b >> k) & 1) == 0;
  return n;
}

size_t amap_longest_free_run(std::span<const uint8_t> bits) {
  size_t best = 0;
  size_t run = 0;
  for (size_t s = 0; s < bits.size() * 8; ++s) {
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

Bytes encode_map_page(const NdbLayout& layout, std::span<const uint8_t> bits, uint8_t type, uint64_t ib) {
  if (bits.size() != layout.page_data_size()) throw std::invalid_argument("map page bits of the wrong size");
  Bytes page(layout.page_size(), 0);
  std::copy(bits.begin(), bits.end(), page.begin());
  seal_page(layout, page, type, 0, ib);
  return page;
}

Page encode_dlist(uint8_t bFlags, uint32_t ulCurrentPage, std::span<const DListEntry> entries, uint64_t bid) {
  Page page{};
  const Bytes b = encode_dlist(ndb_layout(Layout::Pst2003Unicode), bFlags, ulCurrentPage, entries, bid);
  std::copy(b.begin(), b.end(), page.begin());
  return page;
}

Bytes encode_dlist(const NdbLayout& layout, uint8_t bFlags, uint32_t ulCurrentPage,
                   std::span<const DListEntry> entries, uint64_t bid) {
  if (entries.size() > 119) throw std::length_error("DList with more than 119 entries");
  Bytes page(layout.page_size(), 0);
  page[0] = bFlags;
  page[1] = static_cast<uint8_t>(entries.size());
  store_u32(page.data() + 4, ulCurrentPage);
  for (size_t i = 0; i < entries.size(); ++i) {
    uint32_t v = (entries[i].page_number & 0xFFFFF) | (static_cast<uint32_t>(entries[i].free_slots & 0xFFF) << 20);
    store_u32(page.data() + 8 + 4 * i, v);
  }
  seal_page(layout, page, ptype::DL, compute_sig(layout.dlist_offset, bid), bid);
  return page;
}

}  // namespace ostfs::pstw
