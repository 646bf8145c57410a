// The two NDB layouts the writer produces. Pst2003Unicode is the Unicode PST of [MS-PST]
// (wVer 23, 512-byte pages, 64-byte block units). Ost2013 is what Outlook 2013+ writes to
// OSTs: wVer 36, 4 KiB pages, 512-byte block units, blocks up to 64 KiB, zlib-compressed
// blocks; [MS-PST] does not describe it, its values come from Outlook's own fe01.ost
// (pst-writer-notes.md §6b). Page, block and entry sizes are the reader's (parser/ndb/format.h):
// one definition of the format for what is written and what is read back. What only a
// writer needs (header values, where the maps go) is here.
#pragma once

#include <cstddef>
#include <cstdint>

#include "parser/ndb/format.h"

namespace ostfs::pstw {

enum class Layout { Pst2003Unicode, Ost2013 };

// The Unicode PST's page, block and entry sizes, for the compile-time constants of page.h,
// block.h and amap.h.
inline constexpr ndb::Layout kPstGeometry = ndb::layout_for(ndb::Format::Unicode);

struct NdbLayout {
  Layout layout = Layout::Pst2003Unicode;
  // Pages ([PST:5774b4f2-cdc4-453e-996a-8c8230116930]), blocks ([PST:a9c1981d-d1ea-457c-b39e-dc7fb0eb95d4])
  // and B-tree, SLBLOCK and SIBLOCK entries.
  ndb::Layout ndb = kPstGeometry;

  // HEADER ([PST:c9876f5a-664b-46a3-9887-ba63f113abf5]).
  uint16_t wMagicClient = 0x4D53;  // "SM"; an OST says "SO"
  uint16_t wVer = 23;
  uint16_t wVerClient = 19;        // the only value outlook-pst-rs accepts in a PST
  uint8_t bCryptMethod = 1;        // NDB_CRYPT_PERMUTE
  uint8_t rgbFM_fill = 0xFF;       // rgbFM and rgbFP bytes

  // Allocation maps ([PST:43d8f556-2c0e-4976-8ec7-84e57f8b1234]).
  uint64_t dlist_offset = 0x4200;
  uint64_t first_amap_offset = 0x4400;
  bool pmap_fmap_fpmap = true;     // regions also carry PMaps, FMaps and FPMaps

  size_t page_size() const { return ndb.page_size; }
  size_t page_data_size() const { return ndb.page_data_size; }  // CRC range
  size_t page_trailer_size() const { return ndb.page_size - ndb.page_data_size; }
  size_t bt_entries_size() const { return ndb.bt_entries_size; }
  size_t block_unit() const { return ndb.block_alignment; }  // blocks are multiples of this and aligned to it
  size_t max_block_data() const { return ndb.max_block_data(); }
  // One AMap bit covers a block unit; the AMap's data bytes cover one region.
  uint64_t region_size() const { return page_data_size() * 8 * block_unit(); }
  uint64_t region_offset(uint64_t r) const { return first_amap_offset + r * region_size(); }
  // Largest XBLOCK/XXBLOCK (8-byte header, then BIDs), SLBLOCK and SIBLOCK.
  size_t xblock_max_entries() const { return (max_block_data() - 8) / ndb.id_size; }
  size_t slblock_max_entries() const { return (max_block_data() - ndb.sl_header_size) / ndb.slentry_size; }
  size_t siblock_max_entries() const { return (max_block_data() - ndb.sl_header_size) / ndb.sientry_size; }
};

// The constants of `layout`. Throws nothing.
const NdbLayout& ndb_layout(Layout layout);

}  // namespace ostfs::pstw
