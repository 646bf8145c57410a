#include "parser/ndb/format.h"

namespace ostfs::ndb {

const char* format_name(Format format) {
  switch (format) {
    case Format::Ansi: return "ANSI";
    case Format::Unicode: return "Unicode";
    case Format::Unicode4k: return "Unicode (4 KiB pages)";
  }
  return "unknown";
}

Layout layout_for(Format format) {
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
