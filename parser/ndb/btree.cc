#include "parser/ndb/btree.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "parser/ndb/crc.h"
#include "parser/ndb/errors.h"

namespace ostfs::ndb {
namespace {

const char* tree_name(uint8_t type) { return type == ptype::NBT ? "NBT" : "BBT"; }

}  // namespace

PageReader::PageReader(const ByteSource& source, const Layout& layout, size_t cache_bytes)
    : source_(source), layout_(layout), cache_(cache_bytes) {}

namespace {

uint64_t trailer_bid(const Bytes& page, const Layout& layout) {
  const uint8_t* t = page.data() + layout.page_data_size;
  return layout.format == Format::Ansi ? load_u32(t + 4) : load_u64(t + 8);
}

}  // namespace

std::shared_ptr<const Bytes> PageReader::read(const Bref& ref, uint8_t type) const {
  auto where = [&] { return std::string(tree_name(type)) + " page at " + hex(ref.ib); };
  // Keyed by type too: a damaged file may point the other tree at a checked page.
  const uint64_t key = ref.ib ^ (uint64_t{type} << 56);
  if (auto cached = cache_.get(key)) {
    if (trailer_bid(*cached, layout_) != ref.bid)
      throw CorruptError(where() + ": trailer bid " + hex(trailer_bid(*cached, layout_)) + ", parent says " +
                         hex(ref.bid));
    return cached;
  }
  if (ref.ib % 512 != 0) throw CorruptError(where() + ": offset not aligned");
  auto page = std::make_shared<Bytes>(layout_.page_size);
  try {
    source_.read(ref.ib, *page);
  } catch (const IoError& e) {
    throw IoError(where() + ": " + e.what());
  }
  const uint8_t* t = page->data() + layout_.page_data_size;
  if (t[0] != type || t[1] != type)
    throw CorruptError(where() + ": ptype " + hex(t[0]) + "/" + hex(t[1]) + ", expected " + hex(type));
  uint32_t stored_crc = 0;
  uint64_t bid = 0;
  if (layout_.format == Format::Ansi) {
    bid = load_u32(t + 4);
    stored_crc = load_u32(t + 8);
  } else {
    stored_crc = load_u32(t + 4);
    bid = load_u64(t + 8);
  }
  const uint32_t crc = compute_crc(std::span<const uint8_t>(page->data(), layout_.page_data_size));
  if (crc != stored_crc) throw CrcError(where() + ": bad CRC (stored " + hex(stored_crc) + ", computed " + hex(crc) + ")");
  if (bid != ref.bid) throw CorruptError(where() + ": trailer bid " + hex(bid) + ", parent says " + hex(ref.bid));
  cache_.put(key, page, page->size() + 64);
  return page;
}

struct BTree::PageView {
  std::shared_ptr<const Bytes> page;
  size_t cEnt = 0;
  size_t cbEnt = 0;
  int cLevel = 0;
  const uint8_t* entry(size_t i) const { return page->data() + i * cbEnt; }
};

BTree::BTree(const PageReader& pages, const Layout& layout, Bref root, uint8_t type)
    : pages_(pages), layout_(layout), root_(root), type_(type) {}

BTree::PageView BTree::load(const Bref& ref, int expected_level) const {
  PageView v;
  v.page = pages_.read(ref, type_);
  const uint8_t* c = v.page->data() + layout_.bt_counts_offset;
  if (layout_.bt_wide_counts) {
    v.cEnt = load_u16(c);
    v.cbEnt = c[4];
    v.cLevel = c[5];
  } else {
    v.cEnt = c[0];
    v.cbEnt = c[2];
    v.cLevel = c[3];
  }
  auto where = [&] { return std::string(tree_name(type_)) + " page at " + hex(ref.ib); };
  if (v.cLevel > kMaxBTreeLevel) throw CorruptError(where() + ": cLevel " + std::to_string(v.cLevel) + " too deep");
  if (expected_level >= 0 && v.cLevel != expected_level)
    throw CorruptError(where() + ": cLevel " + std::to_string(v.cLevel) + ", expected " + std::to_string(expected_level));
  const size_t min_entry = v.cLevel > 0            ? layout_.btentry_size
                           : type_ == ptype::NBT ? layout_.nbtentry_size
                                                 : layout_.bbtentry_size;
  if (v.cbEnt < min_entry) throw CorruptError(where() + ": cbEnt " + std::to_string(v.cbEnt) + " too small");
  if (v.cEnt * v.cbEnt > layout_.bt_entries_size)
    throw CorruptError(where() + ": " + std::to_string(v.cEnt) + " entries do not fit");
  return v;
}

NbtEntry BTree::decode_nbt(const uint8_t* p) const {
  const size_t w = layout_.id_size;
  NbtEntry e;
  e.nid = static_cast<uint32_t>(load_uint(p, w));
  e.bidData = load_uint(p + w, w);
  e.bidSub = load_uint(p + 2 * w, w);
  e.nidParent = load_u32(p + 3 * w);
  return e;
}

BbtEntry BTree::decode_bbt(const uint8_t* p) const {
  const size_t w = layout_.id_size;
  BbtEntry e;
  e.bid = load_uint(p, w);
  e.ib = load_uint(p + w, w);
  e.cb = load_u16(p + 2 * w);
  if (layout_.compressed_blocks) {
    e.cbInflated = load_u16(p + 2 * w + 2);
    e.cRef = load_u16(p + 2 * w + 4);
  } else {
    e.cbInflated = e.cb;
    e.cRef = load_u16(p + 2 * w + 2);
  }
  return e;
}

std::optional<Bytes> BTree::find_leaf(uint64_t key, uint64_t mask) const {
  const size_t w = layout_.id_size;
  key &= mask;
  Bref ref = root_;
  int level = -1;
  for (;;) {
    const PageView v = load(ref, level);
    // Last entry whose key is <= the wanted key; the keys of a page ascend.
    size_t lo = 0, hi = v.cEnt;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if ((load_uint(v.entry(mid), w) & mask) <= key) lo = mid + 1;
      else hi = mid;
    }
    if (lo == 0) return std::nullopt;
    const uint8_t* e = v.entry(lo - 1);
    if (v.cLevel == 0) {
      if ((load_uint(e, w) & mask) != key) return std::nullopt;
      return Bytes(e, e + v.cbEnt);
    }
    ref = Bref{load_uint(e + w, w), load_uint(e + 2 * w, w)};
    level = v.cLevel - 1;
  }
}

std::optional<NbtEntry> BTree::find_node(uint32_t nid) const {
  // NIDs are 32-bit; Unicode NBT entries store them zero-extended to 64 bits.
  auto e = find_leaf(nid, 0xFFFFFFFFull);
  if (!e) return std::nullopt;
  return decode_nbt(e->data());
}

std::optional<BbtEntry> BTree::find_block(uint64_t bid) const {
  // Bit 0 of a BID is reserved and ignored in lookups ([MS-PST] 2.2.2.2).
  auto e = find_leaf(bid, ~uint64_t{1});
  if (!e) return std::nullopt;
  return decode_bbt(e->data());
}

void BTree::walk(const std::function<void(const uint8_t*)>& visit) const {
  std::unordered_set<uint64_t> seen;
  std::function<void(const Bref&, int)> go = [&](const Bref& ref, int level) {
    if (!seen.insert(ref.ib).second)
      throw CorruptError(std::string(tree_name(type_)) + " page at " + hex(ref.ib) + " is reached twice");
    const PageView v = load(ref, level);
    const size_t w = layout_.id_size;
    for (size_t i = 0; i < v.cEnt; ++i) {
      const uint8_t* e = v.entry(i);
      if (v.cLevel == 0) visit(e);
      else go(Bref{load_uint(e + w, w), load_uint(e + 2 * w, w)}, v.cLevel - 1);
    }
  };
  go(root_, -1);
}

void BTree::for_each_node(const std::function<void(const NbtEntry&)>& visit) const {
  walk([&](const uint8_t* e) { visit(decode_nbt(e)); });
}

void BTree::for_each_block(const std::function<void(const BbtEntry&)>& visit) const {
  walk([&](const uint8_t* e) { visit(decode_bbt(e)); });
}

}  // namespace ostfs::ndb
