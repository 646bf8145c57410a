// A directory's children by name: which position in its listing has a name. An open
// addressing table of 8-byte slots (the upper half of the name's hash and the position), at
// most half full. Probing compares names only on a full 32-bit tag match, so adding a new
// name reads no other name, and a lookup reads the name asked for (and rare tag collisions).
//
// It replaces a name set kept while a folder was listed (~56 bytes of heap an item) and a
// sorted index built after, whose sort read every node and name of the folder at once: the
// daemon peaked at 265 MB listing a folder of a million items, now 95 (bench/RESULTS.md,
// session 8). While it is built the table is on the heap: it is written at random, and in the
// paged arena every write after a release is a page fault into the file (the listing took
// 13 % longer). finish() moves it into the arena, where it need not stay resident.
//
// The caller gives the names: name_at(position) is the name added at that position. Not
// thread-safe while names are added; lookups may run in parallel once it is finished.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "fs/paged_arena.h"

namespace ostfs::fs {

class NameIndex {
 public:
  explicit NameIndex(PagedArena& pages) : pages_(&pages) {}

  // Room for `names` names in all, so that a folder whose size is known is indexed without
  // growing. `name_at` as for add().
  template <class NameAt>
  void reserve(size_t names, NameAt&& name_at) {
    const size_t wanted = std::bit_ceil(std::max<size_t>(16, names * 2));
    if (wanted > slots().size()) rebuild(wanted, name_at);
  }

  // No more names come: the table moves into the arena (lookups go on as before). Adding
  // another afterwards brings it back to the heap.
  void finish() {
    if (building_.empty()) return;
    finished_ = pages_->copy_of(std::span<const uint64_t>(building_));
    std::vector<uint64_t>().swap(building_);
  }

  // The position holding `name`, if any.
  template <class NameAt>
  std::optional<uint32_t> find(std::string_view name, NameAt&& name_at) const {
    const std::span<const uint64_t> table = slots();
    if (table.empty()) return std::nullopt;
    const uint64_t h = hash(name);
    const size_t mask = table.size() - 1;
    for (size_t s = h & mask;; s = (s + 1) & mask) {
      const uint64_t slot = table[s];
      if (slot == 0) return std::nullopt;
      if ((slot >> 32) == (h >> 32)) {
        const auto position = static_cast<uint32_t>(slot) - 1;
        if (name_at(position) == name) return position;
      }
    }
  }

  // Adds `position` under `name`, which no position has yet (the caller checked with find()).
  // name_at(p) must give the name of every position added so far (read again when it grows).
  template <class NameAt>
  void add(std::string_view name, uint32_t position, NameAt&& name_at) {
    if (position == UINT32_MAX) throw std::length_error("a directory of more than 2^32 - 1 entries");
    const size_t capacity = slots().size();
    if ((size_ + 1) * 2 > capacity) rebuild(std::max<size_t>(16, capacity * 2), name_at);
    else if (building_.empty()) rebuild(capacity, name_at);  // finished: back to the heap
    place(building_, hash(name), position);
    ++size_;
  }

  size_t size() const { return size_; }

 private:
  static uint64_t hash(std::string_view name) { return std::hash<std::string_view>{}(name); }

  std::span<const uint64_t> slots() const {
    return building_.empty() ? finished_ : std::span<const uint64_t>(building_);
  }

  static void place(std::vector<uint64_t>& table, uint64_t h, uint32_t position) {
    const size_t mask = table.size() - 1;
    size_t s = h & mask;
    while (table[s] != 0) s = (s + 1) & mask;
    table[s] = (h & 0xFFFFFFFF00000000ull) | (uint64_t{position} + 1);
  }

  // Into a heap table of `capacity` slots. The slots keep only half of each hash, so a bigger
  // table hashes every name again; one of the same size is copied.
  template <class NameAt>
  void rebuild(size_t capacity, NameAt& name_at) {
    const std::span<const uint64_t> old = slots();
    std::vector<uint64_t> table(capacity);
    if (capacity == old.size()) {
      std::copy(old.begin(), old.end(), table.begin());
    } else {
      for (uint64_t slot : old)
        if (slot != 0) {
          const auto position = static_cast<uint32_t>(slot) - 1;
          place(table, hash(name_at(position)), position);
        }
    }
    building_ = std::move(table);
    if (!finished_.empty()) {
      pages_->discard(finished_.data(), finished_.size_bytes());
      finished_ = {};
    }
  }

  PagedArena* pages_;
  // The slots (0: free): on the heap while names are added, then in the arena.
  std::vector<uint64_t> building_;
  std::span<uint64_t> finished_;
  size_t size_ = 0;
};

}  // namespace ostfs::fs
