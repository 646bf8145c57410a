// A PageSink that keeps the pages a B-tree build writes, for tests of the B-tree builder.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "export/ndb/btree.h"
#include "export/ndb/bytes.h"
#include "export/ndb/layout.h"

namespace ostfs::pstw {

// Collects the pages a B-tree build writes.
class MemorySink : public PageSink {
 public:
  explicit MemorySink(const NdbLayout& layout) : layout_(layout) {}
  Bref place_page() override {
    const Bref b{next_bid_++, next_ib_};
    next_ib_ += layout_.page_size();
    return b;
  }
  void write_page(uint64_t ib, std::span<const uint8_t> page) override {
    pages.emplace_back(ib, Bytes(page.begin(), page.end()));
  }
  std::vector<std::pair<uint64_t, Bytes>> pages;

 private:
  const NdbLayout& layout_;
  uint64_t next_bid_ = 0x40;
  uint64_t next_ib_ = 0x22000 + 4096;
};

}  // namespace ostfs::pstw
