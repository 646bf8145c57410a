#include "parser/ndb/data_tree.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "parser/ndb/block.h"
#include "parser/ndb/errors.h"

namespace ostfs::ndb {
namespace {

constexpr uint8_t kBtypeXBlock = 0x01;

struct XBlock {
  uint8_t cLevel = 0;
  uint32_t lcbTotal = 0;
  std::vector<uint64_t> bids;
};

XBlock parse_xblock(const Bytes& data, uint64_t bid, const Layout& layout) {
  auto where = [&] { return "XBLOCK " + hex(bid); };
  if (data.size() < 8) throw CorruptError(where() + ": " + std::to_string(data.size()) + " bytes, too short");
  if (data[0] != kBtypeXBlock) throw CorruptError(where() + ": btype " + hex(data[0]) + ", expected 0x1");
  XBlock x;
  x.cLevel = data[1];
  if (x.cLevel != 1 && x.cLevel != 2) throw CorruptError(where() + ": cLevel " + std::to_string(x.cLevel));
  const size_t cEnt = load_u16(data.data() + 2);
  x.lcbTotal = load_u32(data.data() + 4);
  if (8 + cEnt * layout.id_size > data.size())
    throw CorruptError(where() + ": " + std::to_string(cEnt) + " entries do not fit in " + std::to_string(data.size()) +
                       " bytes");
  x.bids.reserve(cEnt);
  for (size_t i = 0; i < cEnt; ++i) x.bids.push_back(load_uint(data.data() + 8 + i * layout.id_size, layout.id_size));
  return x;
}

// A 4 GiB stream in Outlook's 8,176-byte leaves has 525,000 of them; more than this is damage
// (and would only cost memory and BBT lookups).
constexpr size_t kMaxLeaves = size_t{1} << 20;

Bytes read_checked_leaf(const Database& db, const DataLeaf& leaf) {
  Bytes data = db.read_block(leaf.block);
  if (data.size() != leaf.size)
    throw CorruptError("block " + hex(leaf.block.bid) + ": " + std::to_string(data.size()) + " bytes, BBT says " +
                       std::to_string(leaf.size));
  return data;
}

}  // namespace

DataTree::DataTree(const Database& db, uint64_t bid) : db_(db), bid_(bid) {
  if (bid == 0) return;
  if (!is_internal(bid)) {
    add_leaf(db.block(bid));
    return;
  }
  const XBlock top = parse_xblock(db.read_block(bid), bid, db.layout());
  for (uint64_t child : top.bids) {
    if (top.cLevel == 1) {
      if (is_internal(child)) throw CorruptError("XBLOCK " + hex(bid) + ": entry " + hex(child) + " is not a data block");
      add_leaf(db.block(child));
      continue;
    }
    if (!is_internal(child)) throw CorruptError("XXBLOCK " + hex(bid) + ": entry " + hex(child) + " is not an XBLOCK");
    const XBlock x = parse_xblock(db.read_block(child), child, db.layout());
    if (x.cLevel != 1) throw CorruptError("XXBLOCK " + hex(bid) + ": entry " + hex(child) + " is not an XBLOCK");
    for (uint64_t leaf : x.bids) {
      if (is_internal(leaf)) throw CorruptError("XBLOCK " + hex(child) + ": entry " + hex(leaf) + " is not a data block");
      add_leaf(db.block(leaf));
    }
  }
  if (size_ != top.lcbTotal)
    throw CorruptError("XBLOCK " + hex(bid) + ": lcbTotal " + std::to_string(top.lcbTotal) + ", blocks hold " +
                       std::to_string(size_));
}

void DataTree::add_leaf(const BbtEntry& entry) {
  if (leaves_.size() >= kMaxLeaves) throw CorruptError("data tree " + hex(bid_) + ": too many blocks");
  DataLeaf leaf;
  leaf.block = entry;
  leaf.offset = size_;
  leaf.size = entry.cbInflated;
  size_ += leaf.size;
  if (size_ > kMaxStreamSize) throw CorruptError("data tree " + hex(bid_) + ": larger than 4 GiB");
  leaves_.push_back(leaf);
}

Bytes DataTree::read_all(uint64_t max_size) const {
  if (size_ > max_size)
    throw CorruptError("data tree " + hex(bid_) + ": " + std::to_string(size_) + " bytes, more than the " +
                       std::to_string(max_size) + " allowed");
  Bytes out(static_cast<size_t>(size_));
  for (const DataLeaf& leaf : leaves_)
    db_.read_block_into(leaf.block, std::span<uint8_t>(out).subspan(static_cast<size_t>(leaf.offset),
                                                                    static_cast<size_t>(leaf.size)));
  return out;
}

std::vector<Bytes> DataTree::read_blocks() const {
  std::vector<Bytes> blocks;
  blocks.reserve(leaves_.size());
  for (const DataLeaf& leaf : leaves_) blocks.push_back(read_checked_leaf(db_, leaf));
  return blocks;
}

Bytes DataTree::read_leaf(size_t index) const {
  if (index >= leaves_.size())
    throw CorruptError("data tree " + hex(bid_) + ": no block " + std::to_string(index) + " of " +
                       std::to_string(leaves_.size()));
  return read_checked_leaf(db_, leaves_[index]);
}

std::shared_ptr<const Bytes> LeafCache::leaf(size_t index) const {
  {
    std::lock_guard lock(mutex_);
    for (auto it = recent_.begin(); it != recent_.end(); ++it) {
      if (it->first != index) continue;
      auto found = *it;
      recent_.erase(it);
      recent_.push_back(found);
      return found.second;
    }
  }
  auto data = std::make_shared<const Bytes>(tree_.read_leaf(index));
  std::lock_guard lock(mutex_);
  if (recent_.size() >= capacity_) recent_.erase(recent_.begin());
  recent_.emplace_back(index, data);
  return data;
}

void DataTree::read(uint64_t offset, std::span<uint8_t> out) const {
  if (offset > size_ || out.size() > size_ - offset)
    throw CorruptError("data tree " + hex(bid_) + ": read of " + std::to_string(out.size()) + " bytes at " +
                       std::to_string(offset) + " is outside its " + std::to_string(size_) + " bytes");
  // First leaf that ends after `offset`.
  auto it = std::upper_bound(leaves_.begin(), leaves_.end(), offset,
                             [](uint64_t o, const DataLeaf& leaf) { return o < leaf.offset + leaf.size; });
  size_t done = 0;
  for (; done < out.size() && it != leaves_.end(); ++it) {
    const Bytes data = read_checked_leaf(db_, *it);
    const uint64_t from = offset + done - it->offset;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(data.size() - from, out.size() - done));
    std::memcpy(out.data() + done, data.data() + from, n);
    done += n;
  }
}

uint64_t data_tree_size(const Database& db, uint64_t bid) {
  if (bid == 0) return 0;
  if (!is_internal(bid)) return db.block(bid).cbInflated;
  return parse_xblock(db.read_block(bid), bid, db.layout()).lcbTotal;
}

}  // namespace ostfs::ndb
