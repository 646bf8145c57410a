// The node and block B-trees ([MS-PST] 2.2.2.7.7 BTPAGE [PST:4f0cd8e7-c2d0-4975-90a4-d417cfca77f8]),
// built once, bottom-up, from sorted entry lists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "export/ndb/header.h"
#include "export/ndb/layout.h"
#include "export/ndb/nid.h"
#include "export/ndb/page.h"

namespace ostfs::pstw {

// NBTENTRY ([MS-PST] 2.2.2.7.7.4): 32 bytes, 15 per leaf page (126 per 4 KiB page).
struct NbtEntry {
  Nid nid = 0;
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
  Nid nidParent = 0;
};

// BBTENTRY [PST:53a4b926-8ac4-45c9-9c6d-8358d951dbcd]: 24 bytes, 20 per leaf page. In the
// Ost2013 layout also 24 bytes (169 per page): BREF, cb (stored), cbInflated, cRef, padding.
struct BbtEntry {
  uint64_t bid = 0;
  uint64_t ib = 0;
  uint16_t cb = 0;
  uint16_t cRef = 0;
  uint16_t cbInflated = 0;  // written in the Ost2013 layout only
};

// Where B-tree pages go: the file writer hands out a page-aligned place and a page BID.
class PageSink {
 public:
  virtual ~PageSink() = default;
  virtual Bref place_page() = 0;
  virtual void write_page(uint64_t ib, std::span<const uint8_t> page) = 0;
};

// Writes the tree's pages in `layout` and returns the root page's BREF. Entries must be sorted
// by key with no duplicates (std::invalid_argument otherwise). An empty list gives one empty leaf.
Bref build_nbt(const NdbLayout& layout, std::span<const NbtEntry> entries, PageSink& sink);
Bref build_bbt(const NdbLayout& layout, std::span<const BbtEntry> entries, PageSink& sink);

// Copies the encoded records [first, first + count) into `out` (count × the entry size).
using RecordReader = std::function<void(size_t first, size_t count, uint8_t* out)>;
// The NBTENTRY / BBTENTRY record of `entry` in `layout` (nbtentry_size / bbtentry_size bytes
// at `out`).
void encode_nbt_entry(const NdbLayout& layout, const NbtEntry& entry, uint8_t* out);
void encode_bbt_entry(const NdbLayout& layout, const BbtEntry& entry, uint8_t* out);
// The NBT / BBT from `count` records encoded as above, read a page's worth at a time in
// order (`first` grows from 0), so the entries need not be in memory. Same rules as above.
Bref build_nbt(const NdbLayout& layout, size_t count, const RecordReader& read, PageSink& sink);
Bref build_bbt(const NdbLayout& layout, size_t count, const RecordReader& read, PageSink& sink);

}  // namespace ostfs::pstw
