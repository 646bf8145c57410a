// The node and block B-trees ([MS-PST] 2.2.2.7.7 BTPAGE [PST:4f0cd8e7-c2d0-4975-90a4-d417cfca77f8]),
// built once, bottom-up, from sorted entry lists.
#pragma once

#include <cstdint>
#include <span>

#include "export/ndb/header.h"
#include "export/ndb/nid.h"
#include "export/ndb/page.h"

namespace ostfs::pstw {

// NBTENTRY ([MS-PST] 2.2.2.7.7.4): 32 bytes, 15 per leaf page.
struct NbtEntry {
  Nid nid = 0;
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
  Nid nidParent = 0;
};

// BBTENTRY [PST:53a4b926-8ac4-45c9-9c6d-8358d951dbcd]: 24 bytes, 20 per leaf page.
struct BbtEntry {
  uint64_t bid = 0;
  uint64_t ib = 0;
  uint16_t cb = 0;
  uint16_t cRef = 0;
};

// Where B-tree pages go: the file writer hands out a 512-aligned place and a page BID.
class PageSink {
 public:
  virtual ~PageSink() = default;
  virtual Bref place_page() = 0;
  virtual void write_page(uint64_t ib, const Page& page) = 0;
};

// Writes the tree's pages and returns the root page's BREF. Entries must be sorted by key
// with no duplicates (std::invalid_argument otherwise). An empty list gives one empty leaf.
Bref build_nbt(std::span<const NbtEntry> entries, PageSink& sink);
Bref build_bbt(std::span<const BbtEntry> entries, PageSink& sink);

}  // namespace ostfs::pstw
