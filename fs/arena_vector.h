// A growable array in the mount's paged arena (fs/paged_arena.h), for lists as long as a
// folder (its children, in the order listed): a folder of a million items would otherwise
// hold 16 MB of heap while it is listed, and a copy of it once listed. Space outgrown is
// handed back to the system (PagedArena::discard). Items must be trivially copyable: they are
// moved with memcpy and never destroyed. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>

#include "fs/paged_arena.h"

namespace ostfs::fs {

template <class T>
class ArenaVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  explicit ArenaVector(PagedArena& pages) : pages_(&pages) {}

  // Room for `count` items in all: a list whose length is known is allocated once.
  void reserve(size_t count) {
    if (count <= items_.size()) return;
    const std::span<T> old = items_;
    items_ = pages_->make_zeroed_array<T>(count);
    if (size_ > 0) std::memcpy(items_.data(), old.data(), size_ * sizeof(T));
    if (!old.empty()) pages_->discard(old.data(), old.size_bytes());
  }

  void push_back(const T& item) {
    if (size_ == items_.size()) reserve(std::max<size_t>(8, size_ * 2));
    items_[size_++] = item;
  }

  std::span<const T> span() const { return items_.first(size_); }
  const T& operator[](size_t i) const { return items_[i]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  PagedArena* pages_;
  std::span<T> items_;
  size_t size_ = 0;
};

}  // namespace ostfs::fs
