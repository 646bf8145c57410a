// Allocation maps and the density list: AMap [PST:43d8f556-2c0e-4976-8ec7-84e57f8b1234],
// PMap [PST:7e64a91f-cbd1-4a11-90c9-df5789e7d9a1], FMap [PST:26273ead-797e-4ea6-9b3c-9b9a5c581115],
// FPMap [PST:913a72b0-83f6-4c29-8b0b-40967579a534], DList [PST:5d426b2d-ec10-4614-b768-46813652d5e3].
// The file after the first AMap is a sequence of regions (253,952 bytes in a PST, 16,678,912
// in the Ost2013 layout); each starts with its AMap, and in a PST some with a PMap, FMap or
// FPMap after it. Those pages are packed: an FPMap region has no FMap (8192 + 31,744k is never
// 128 + 496k), so its FPMap takes the third page, +1024, where scanpst looks for it. The
// spec gives no offset inside the region; pstsdk's AMap rebuild packs the map pages the same
// way, and two writers tested against scanpst moved their FPMap from +1536 to +1024 after it
// reported "FPMap page: PTYPE mismatch (expected 85)" (pst-writer-notes.md still says +1536).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "export/ndb/bytes.h"
#include "export/ndb/layout.h"
#include "export/ndb/page.h"

namespace ostfs::pstw {

inline constexpr uint64_t kFirstRegionOffset = 0x4400;
inline constexpr size_t kSlotSize = kPstGeometry.block_alignment;  // bytes per AMap bit
inline constexpr uint64_t kRegionSize = kPageDataSize * 8 * kSlotSize;  // 253,952
inline constexpr uint64_t kDListOffset = 0x4200;
inline constexpr size_t kSlotsPerRegion = kPageDataSize * 8;

constexpr uint64_t region_offset(uint64_t r) { return kFirstRegionOffset + r * kRegionSize; }
constexpr bool region_has_pmap(uint64_t r) { return r % 8 == 0; }
constexpr bool region_has_fmap(uint64_t r) { return r >= 128 && (r - 128) % 496 == 0; }
constexpr bool region_has_fpmap(uint64_t r) { return r >= 8192 && (r - 8192) % 31744 == 0; }
// One map page at the start of a region: its ptype and its offset from the region's start.
struct MapPage {
  uint8_t type = 0;
  uint64_t offset = 0;
};
// The map pages of region r in `layout`, in file order: the AMap, then the PMap, FMap and
// FPMap present in that region, one page after another (the Ost2013 layout has only AMaps).
std::vector<MapPage> region_map_pages(const NdbLayout& layout, uint64_t r);
// Offset from region r's start of its page of `type`, or nullopt when r has none.
std::optional<uint64_t> region_map_page_offset(const NdbLayout& layout, uint64_t r, uint8_t type);
// Bytes at the start of region r taken by map pages (AMap, then PMap/FMap/FPMap when present).
uint64_t region_map_bytes(uint64_t r);
// The same in any layout: the Ost2013 layout has only the AMap page.
uint64_t region_map_bytes(const NdbLayout& layout, uint64_t r);

using AMapBits = std::array<uint8_t, kPageDataSize>;

// Marks [offset, offset + size) of region r as allocated (64-byte slots, MSB first).
void amap_mark(AMapBits& bits, uint64_t offset_in_region, uint64_t size);
// The same for `slot_size`-byte slots; `bits` covers one region. Throws std::invalid_argument
// for a range off the slots or outside the region.
void amap_mark(std::span<uint8_t> bits, uint64_t offset_in_region, uint64_t size, uint64_t slot_size);
size_t amap_free_slots(std::span<const uint8_t> bits);
size_t amap_longest_free_run(std::span<const uint8_t> bits);

// A map page (AMap, PMap, FMap, FPMap): wSig 0 and the page's own offset as bid (observed in
// Outlook files, pst-writer-notes.md §1 "Pages"; fe01.ost does the same with 4 KiB pages).
Page encode_map_page(std::span<const uint8_t, kPageDataSize> bits, uint8_t type, uint64_t ib);
// The same in any layout; `bits` has the layout's page_data_size() bytes
// (std::invalid_argument otherwise).
Bytes encode_map_page(const NdbLayout& layout, std::span<const uint8_t> bits, uint8_t type, uint64_t ib);

struct DListEntry {
  uint32_t page_number = 0;  // AMap index
  uint16_t free_slots = 0;   // 12 bits
};
// DLISTPAGE: bFlags, cEnt, ulCurrentPage, up to 119 DLISTPAGEENTs; wSig computed, bid given.
Page encode_dlist(uint8_t bFlags, uint32_t ulCurrentPage, std::span<const DListEntry> entries, uint64_t bid);
// The same at the layout's DList offset and page size.
Bytes encode_dlist(const NdbLayout& layout, uint8_t bFlags, uint32_t ulCurrentPage,
                   std::span<const DListEntry> entries, uint64_t bid);

}  // namespace ostfs::pstw
