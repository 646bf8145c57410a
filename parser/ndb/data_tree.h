// A node's data stream ([MS-PST] 2.2.2.8.3.2 XBLOCK, 2.2.2.8.3.3 XXBLOCK): one data block,
// or data blocks listed by an XBLOCK, or XBLOCKs listed by an XXBLOCK. In 4 KiB-page files
// the XBLOCKs themselves may be compressed (libpff 20180714 misreads those: its data then
// comes out empty). Leaf sizes come from the BBT, so the stream's layout is known without
// reading any data block.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "parser/ndb/database.h"

namespace ostfs::ndb {

// A stream is below 4 GiB (lcbTotal is 32-bit); this bounds what a damaged tree can claim.
inline constexpr uint64_t kMaxStreamSize = uint64_t{1} << 32;

struct DataLeaf {
  BbtEntry block;
  uint64_t offset = 0;  // of the block's first byte in the stream
  uint64_t size = 0;    // decoded bytes
};

class DataTree {
 public:
  // Resolves the tree under `bid` (0: an empty stream), reading only its internal blocks.
  // Throws NdbError subclasses naming the block.
  DataTree(const Database& db, uint64_t bid);

  uint64_t size() const { return size_; }
  const std::vector<DataLeaf>& leaves() const { return leaves_; }

  // The whole stream. Throws when it is larger than `max_size`.
  Bytes read_all(uint64_t max_size = kMaxStreamSize) const;
  // Each leaf block's data, in order (a heap-on-node's pages are its blocks).
  std::vector<Bytes> read_blocks() const;
  // Leaf `index`'s data. Throws NdbError subclasses (CorruptError for an index out of range).
  Bytes read_leaf(size_t index) const;
  // Fills `out` from `offset`, reading only the blocks that overlap. Throws CorruptError when
  // the range is not inside the stream.
  void read(uint64_t offset, std::span<uint8_t> out) const;

 private:
  void add_leaf(const BbtEntry& entry);

  const Database& db_;
  uint64_t bid_;
  std::vector<DataLeaf> leaves_;
  uint64_t size_ = 0;
};

// The leaves of one stream read when they are first needed, the last few kept: a large heap
// or table read in about the order it is stored, without holding all of it (a folder of
// 300,000 messages has a 95 MB contents table). Safe to use from several threads.
class LeafCache {
 public:
  LeafCache(DataTree tree, size_t capacity) : tree_(std::move(tree)), capacity_(capacity) {}
  const DataTree& tree() const { return tree_; }
  // Leaf `index`'s data; it stays valid while the pointer is held. Throws as read_leaf().
  std::shared_ptr<const Bytes> leaf(size_t index) const;

 private:
  DataTree tree_;
  size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::vector<std::pair<size_t, std::shared_ptr<const Bytes>>> recent_;  // most recent last
};

// The stream's size without reading its data blocks: a single block's size from the BBT,
// else the top XBLOCK/XXBLOCK's lcbTotal (that one internal block is read).
uint64_t data_tree_size(const Database& db, uint64_t bid);

}  // namespace ostfs::ndb
