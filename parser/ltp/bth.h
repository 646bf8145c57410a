// BTree-on-Heap ([MS-PST] 2.3.2): sorted records (key, data) in heap allocations, with
// bIdxLevels levels of index records above them. Lookups binary-search one allocation per
// level.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "parser/ltp/heap.h"

namespace ostfs::ltp {

// Index levels beyond this are damage (Outlook's tables of millions of rows use 2 or 3).
inline constexpr int kMaxBthLevels = 8;

class Bth {
 public:
  // Reads the BTHHEADER at `header`. Throws ndb::CorruptError.
  Bth(const Heap& heap, Hid header);

  uint8_t key_size() const { return cbKey_; }
  uint8_t data_size() const { return cbEnt_; }
  bool empty() const { return hidRoot_ == 0; }

  // The data of the record whose key (little-endian) equals `key`, or nullopt.
  std::optional<std::span<const uint8_t>> find(uint64_t key) const;
  // Every leaf record in key order. Throws ndb::CorruptError on a damaged index (an
  // allocation reached twice included).
  void for_each(const std::function<void(uint64_t key, std::span<const uint8_t> data)>& visit) const;

 private:
  uint64_t key_at(const uint8_t* p) const;

  const Heap& heap_;
  uint8_t cbKey_ = 0;
  uint8_t cbEnt_ = 0;
  uint8_t bIdxLevels_ = 0;
  Hid hidRoot_ = 0;
};

}  // namespace ostfs::ltp
