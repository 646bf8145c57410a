// Nodes by inode number, for trees of millions of files: an open-addressing table of (inode,
// node) slots, at most three-quarters full: 21 to 43 bytes a node, in the tree's paged arena
// (fs/paged_arena.h), where it need not stay resident. The inode is in the slot so that probing
// and growing touch no node: with Fibonacci hashing a doubled table is written in nearly the
// order the old one is read, so a rehash of millions keeps few pages at once.
// Not thread-safe: the tree guards it with its nodes lock.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

#include "fs/paged_arena.h"

namespace ostfs::fs {

template <class NodeT>
class InodeIndex {
 public:
  explicit InodeIndex(PagedArena& pages) : pages_(pages) {}

  NodeT* find(uint64_t ino) const {
    if (slots_.empty()) return nullptr;
    for (size_t s = home(ino);; s = (s + 1) & mask()) {
      const Slot& slot = slots_[s];
      if (!slot.node) return nullptr;
      if (slot.ino == ino) return slot.node;
    }
  }
  bool contains(uint64_t ino) const { return find(ino) != nullptr; }

  // Adds `node` under node->ino. False, and nothing changes, when that number is taken.
  bool insert(NodeT* node) {
    if (contains(node->ino)) return false;
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    place({node->ino, node});
    ++size_;
    return true;
  }

  size_t size() const { return size_; }

  // Calls visit(NodeT&) for every node, in no particular order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const Slot& slot : slots_)
      if (slot.node) visit(*slot.node);
  }

 private:
  struct Slot {
    uint64_t ino = 0;
    NodeT* node = nullptr;  // null: free
  };

  size_t mask() const { return slots_.size() - 1; }
  // Fibonacci hashing: inode numbers are NIDs, whose low five bits are the node type.
  size_t home(uint64_t ino) const {
    return static_cast<size_t>((ino * 0x9E3779B97F4A7C15ull) >> (64 - std::countr_zero(slots_.size())));
  }
  void place(const Slot& slot) {
    size_t s = home(slot.ino);
    while (slots_[s].node) s = (s + 1) & mask();
    slots_[s] = slot;
  }
  void grow() {
    const std::span<Slot> old = slots_;
    slots_ = pages_.make_zeroed_array<Slot>(old.empty() ? 1024 : old.size() * 2);
    size_t placed = 0;
    for (const Slot& slot : old)
      if (slot.node && (place(slot), ++placed % kPlacedPerRelease == 0)) pages_.release_resident();
    pages_.discard(old.data(), old.size_bytes());
  }

  static constexpr size_t kPlacedPerRelease = size_t{1} << 16;
  PagedArena& pages_;
  std::span<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace ostfs::fs
