// BTree-on-Heap ([MS-PST] 2.3.2 [PST:2dd1a95a-c8b1-4ac5-87d1-10cb8de64053]): a BTHHEADER and
// sorted records in heap allocations, with intermediate levels when one allocation is not enough.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "export/ltp/heap.h"

namespace ostfs::pstw {

struct BthRecord {
  Bytes key;   // cbKey bytes, little-endian
  Bytes data;  // cbEnt bytes
};

// Reserves a BTHHEADER allocation, so that it can come first in the heap: pst-extractor
// expects a table's BTHHEADER at HID 0x20, where Outlook puts it.
Hid allocate_bth_header(HeapBuilder& heap);

// Allocates the records (sorted by key, compared as little-endian integers, no duplicates)
// and fills the header (`header_hid` from allocate_bth_header, or 0 to allocate it first);
// returns the header's HID. Throws std::invalid_argument on bad input.
Hid build_bth(HeapBuilder& heap, uint8_t cbKey, uint8_t cbEnt, const std::vector<BthRecord>& records,
              Hid header_hid = 0);
// The same with the records packed as they are stored, cbKey + cbEnt bytes each (a table's
// row index has a record per row: two vectors each cost more than the records).
Hid build_bth(HeapBuilder& heap, uint8_t cbKey, uint8_t cbEnt, std::span<const uint8_t> packed_records,
              Hid header_hid = 0);

// Reads a BTH back into its leaf records (for tests and self-checks).
struct BthContents {
  uint8_t cbKey = 0;
  uint8_t cbEnt = 0;
  uint8_t bIdxLevels = 0;
  std::vector<BthRecord> records;
};
BthContents read_bth(const std::vector<Bytes>& heap_blocks, Hid header);

}  // namespace ostfs::pstw
