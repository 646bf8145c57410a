// Nodes by inode number, for trees of millions of files: an open-addressing table of node
// pointers, the key being the node's own `ino`, at most three-quarters full: 11 to 21 bytes a
// node, where std::unordered_map<Ino, Node*> took about 38 (bench/RESULTS.md, session 6).
// Not thread-safe: the tree guards it with its nodes lock.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ostfs::fs {

template <class NodeT>
class InodeIndex {
 public:
  NodeT* find(uint64_t ino) const {
    if (slots_.empty()) return nullptr;
    for (size_t s = home(ino);; s = (s + 1) & mask()) {
      NodeT* node = slots_[s];
      if (!node) return nullptr;
      if (node->ino == ino) return node;
    }
  }
  bool contains(uint64_t ino) const { return find(ino) != nullptr; }

  // Adds `node` under node->ino. False, and nothing changes, when that number is taken.
  bool insert(NodeT* node) {
    if (contains(node->ino)) return false;
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    place(node);
    ++size_;
    return true;
  }

  size_t size() const { return size_; }

  // Calls visit(NodeT&) for every node, in no particular order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (NodeT* node : slots_)
      if (node) visit(*node);
  }

 private:
  size_t mask() const { return slots_.size() - 1; }
  // Fibonacci hashing: inode numbers are NIDs, whose low five bits are the node type.
  size_t home(uint64_t ino) const {
    return static_cast<size_t>((ino * 0x9E3779B97F4A7C15ull) >> (64 - std::countr_zero(slots_.size())));
  }
  void place(NodeT* node) {
    size_t s = home(node->ino);
    while (slots_[s]) s = (s + 1) & mask();
    slots_[s] = node;
  }
  void grow() {
    std::vector<NodeT*> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, nullptr);
    for (NodeT* node : old)
      if (node) place(node);
  }

  std::vector<NodeT*> slots_;
  size_t size_ = 0;
};

}  // namespace ostfs::fs
