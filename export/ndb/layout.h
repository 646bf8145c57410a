// The two NDB layouts the writer produces, and every size and constant that differs between
// them. Pst2003Unicode is the Unicode PST of [MS-PST] (wVer 23, 512-byte pages, 64-byte block
// units). Ost2013 is what Outlook 2013+ writes to OSTs: wVer 36, 4 KiB pages, 512-byte block
// units, blocks up to 64 KiB, zlib-compressed blocks. [MS-PST] does not describe Ost2013; its
// values come from Outlook's own fe01.ost (pst-writer-notes.md §6b).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ostfs::pstw {

enum class Layout { Pst2003Unicode, Ost2013 };

struct NdbLayout {
  Layout layout = Layout::Pst2003Unicode;

  // HEADER ([PST:c9876f5a-664b-46a3-9887-ba63f113abf5]).
  uint16_t wMagicClient = 0x4D53;  // "SM"; an OST says "SO"
  uint16_t wVer = 23;
  uint16_t wVerClient = 19;        // the only value outlook-pst-rs accepts in a PST
  uint8_t bCryptMethod = 1;        // NDB_CRYPT_PERMUTE
  uint8_t rgbFM_fill = 0xFF;       // rgbFM and rgbFP bytes

  // Pages ([PST:5774b4f2-cdc4-453e-996a-8c8230116930]).
  size_t page_size = 512;
  size_t page_trailer_size = 16;
  size_t bt_counts_size = 8;       // cEnt, cEntMax, cbEnt, cLevel and padding after rgentries
  bool bt_wide_counts = false;     // cEnt and cEntMax are 16-bit

  // Blocks ([PST:a9c1981d-d1ea-457c-b39e-dc7fb0eb95d4]).
  size_t block_trailer_size = 16;
  size_t block_unit = 64;          // blocks are multiples of this and aligned to it
  size_t max_block_size = 8192;    // data + padding + trailer
  bool compress_blocks = false;    // zlib, with the inflated size in trailer and BBT

  // Allocation maps ([PST:43d8f556-2c0e-4976-8ec7-84e57f8b1234]).
  uint64_t dlist_offset = 0x4200;
  uint64_t first_amap_offset = 0x4400;
  bool pmap_fmap_fpmap = true;     // regions also carry PMaps, FMaps and FPMaps

  size_t page_data_size() const { return page_size - page_trailer_size; }  // CRC range
  size_t bt_entries_size() const { return page_data_size() - bt_counts_size; }
  size_t max_block_data() const { return max_block_size - block_trailer_size; }
  // One AMap bit covers a block unit; the AMap's data bytes cover one region.
  uint64_t region_size() const { return page_data_size() * 8 * block_unit; }
  uint64_t region_offset(uint64_t r) const { return first_amap_offset + r * region_size(); }
  // Largest XBLOCK/XXBLOCK, SLBLOCK and SIBLOCK (8-byte header, then 8-, 24- or 16-byte entries).
  size_t xblock_max_entries() const { return (max_block_data() - 8) / 8; }
  size_t slblock_max_entries() const { return (max_block_data() - 8) / 24; }
  size_t siblock_max_entries() const { return (max_block_data() - 8) / 16; }
};

// The constants of `layout`. Throws nothing.
const NdbLayout& ndb_layout(Layout layout);

}  // namespace ostfs::pstw
