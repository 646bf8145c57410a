// The three on-disk layouts of the NDB layer and the sizes that differ between them:
// ANSI (wVer 14/15, 32-bit ids, [MS-PST] 2.2.2.x "ANSI"), Unicode (wVer 21/23) and the
// Unicode layout with 4 KiB pages that Outlook 2013+ writes to OSTs (wVer 36/37; not in
// [MS-PST]: pst-writer-notes.md §6b, verified against fe01.ost).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ostfs::ndb {

enum class Format { Ansi, Unicode, Unicode4k };

const char* format_name(Format format);

struct Layout {
  Format format = Format::Unicode;
  size_t id_size = 8;  // BID, IB and BTKEY width in pages and blocks

  // Pages (BTPAGE and the allocation maps).
  size_t page_size = 512;
  size_t page_data_size = 496;   // bytes covered by the PAGETRAILER CRC
  size_t bt_entries_size = 488;  // rgentries
  size_t bt_counts_offset = 488;  // cEnt, cEntMax, cbEnt, cLevel
  bool bt_wide_counts = false;    // cEnt/cEntMax are 16-bit (4 KiB pages)
  size_t btentry_size = 24;       // intermediate entry: btkey + BREF
  size_t nbtentry_size = 32;
  size_t bbtentry_size = 24;

  // Blocks.
  size_t block_trailer_size = 16;
  size_t block_alignment = 64;
  size_t max_block_size = 8192;   // data + padding + trailer
  bool compressed_blocks = false;  // trailer and BBT carry an inflated size

  // Internal blocks.
  size_t sl_header_size = 8;  // SLBLOCK/SIBLOCK: btype, cLevel, cEnt and (Unicode) dwPadding
  size_t slentry_size = 24;
  size_t sientry_size = 16;

  constexpr size_t max_block_data() const { return max_block_size - block_trailer_size; }
};

// Throws nothing: every Format has a layout. constexpr so that the writer (export/ndb) can
// take its compile-time constants from this one definition of the format.
constexpr Layout layout_for(Format format) {
  Layout l;
  l.format = format;
  switch (format) {
    case Format::Ansi:
      l.id_size = 4;
      l.page_data_size = 500;
      l.bt_entries_size = 496;
      l.bt_counts_offset = 496;
      l.btentry_size = 12;
      l.nbtentry_size = 16;
      l.bbtentry_size = 12;
      l.block_trailer_size = 12;
      l.sl_header_size = 4;
      l.slentry_size = 12;
      l.sientry_size = 8;
      break;
    case Format::Unicode:
      break;
    case Format::Unicode4k:
      l.page_size = 4096;
      l.page_data_size = 4072;
      l.bt_entries_size = 4056;
      l.bt_counts_offset = 4056;
      l.bt_wide_counts = true;
      l.block_trailer_size = 24;
      l.block_alignment = 512;
      l.max_block_size = 65536;
      l.compressed_blocks = true;
      break;
  }
  return l;
}

}  // namespace ostfs::ndb
