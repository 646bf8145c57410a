// The node and block B-trees ([MS-PST] 2.2.2.7.7 BTPAGE, 2.2.2.7.7.3 BBTENTRY, 2.2.2.7.7.4
// NBTENTRY; the 4 KiB-page forms per format.h). Lookups walk one page per level and
// binary-search each page: O(log n) per lookup, no scan. Pages are CRC-checked once and then
// kept in a bounded cache shared by all threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "parser/ndb/format.h"
#include "parser/ndb/header.h"
#include "parser/ndb/le.h"
#include "parser/ndb/lru_cache.h"
#include "parser/ndb/source.h"

namespace ostfs::ndb {

namespace ptype {
inline constexpr uint8_t BBT = 0x80;
inline constexpr uint8_t NBT = 0x81;
}  // namespace ptype

struct NbtEntry {
  uint32_t nid = 0;
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
  uint32_t nidParent = 0;
};

struct BbtEntry {
  uint64_t bid = 0;
  uint64_t ib = 0;
  uint32_t cb = 0;          // bytes stored in the file
  uint32_t cbInflated = 0;  // bytes after decompression (= cb outside 4 KiB-page files)
  uint16_t cRef = 0;
};

// B-trees never go deeper than this ([MS-PST] allows 8 levels below the root's; a deeper
// tree is damage).
inline constexpr int kMaxBTreeLevel = 8;

// Reads and checks pages: PAGETRAILER ptype/ptypeRepeat, dwCRC and the bid its parent named.
class PageReader {
 public:
  PageReader(const ByteSource& source, const Layout& layout, size_t cache_bytes);
  // Throws CorruptError, CrcError or IoError naming the page offset.
  std::shared_ptr<const Bytes> read(const Bref& ref, uint8_t type) const;

 private:
  const ByteSource& source_;
  Layout layout_;
  mutable LruCache<Bytes> cache_;
};

class BTree {
 public:
  // `type` is ptype::NBT or ptype::BBT.
  BTree(const PageReader& pages, const Layout& layout, Bref root, uint8_t type);

  // Throws on damaged pages; nullopt when the key is not in the tree.
  std::optional<NbtEntry> find_node(uint32_t nid) const;
  std::optional<BbtEntry> find_block(uint64_t bid) const;

  // Visits every leaf entry in key order. A page reached twice (a loop or shared subtree
  // in a damaged file) throws CorruptError instead of being walked again.
  void for_each_node(const std::function<void(const NbtEntry&)>& visit) const;
  void for_each_block(const std::function<void(const BbtEntry&)>& visit) const;

  NbtEntry decode_nbt(const uint8_t* p) const;
  BbtEntry decode_bbt(const uint8_t* p) const;

 private:
  struct PageView;
  PageView load(const Bref& ref, int expected_level) const;
  std::optional<Bytes> find_leaf(uint64_t key, uint64_t mask) const;
  void walk(const std::function<void(const uint8_t*)>& visit) const;

  const PageReader& pages_;
  Layout layout_;
  Bref root_;
  uint8_t type_;
};

}  // namespace ostfs::ndb
