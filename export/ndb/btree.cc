#include "export/ndb/btree.h"

#include <stdexcept>
#include <vector>

#include "export/ndb/block.h"
#include "export/ndb/bytes.h"

namespace ostfs::pstw {
namespace {

constexpr size_t kBtEntryArea = 488;
constexpr size_t kBtEntrySize = 24;  // BTENTRY: btkey 8 + BREF 16
constexpr uint8_t kBtEntryMax = 20;

struct LevelEntry {
  uint64_t key;
  Bref bref;
};

// One leaf or intermediate page: entries are pre-encoded records of cbEnt bytes each.
Bref write_btpage(PageSink& sink, uint8_t type, uint8_t cLevel, uint8_t cbEnt, uint8_t cEntMax,
                  const uint8_t* records, size_t count) {
  Page page{};
  std::copy(records, records + count * cbEnt, page.begin());
  page[kBtEntryArea] = static_cast<uint8_t>(count);
  page[kBtEntryArea + 1] = cEntMax;
  page[kBtEntryArea + 2] = cbEnt;
  page[kBtEntryArea + 3] = cLevel;
  Bref where = sink.place_page();
  seal_page(page, type, compute_sig(where.ib, where.bid), where.bid);
  sink.write_page(where.ib, page);
  return where;
}

// Builds the leaf level from `records` (cbEnt bytes each, key in the first 8 bytes), then
// intermediate levels until one page remains.
Bref build_tree(PageSink& sink, uint8_t type, uint8_t cbEnt, uint8_t cEntMax, const Bytes& records,
                size_t count) {
  std::vector<LevelEntry> level;
  if (count == 0) return write_btpage(sink, type, 0, cbEnt, cEntMax, records.data(), 0);
  for (size_t i = 0; i < count; i += cEntMax) {
    size_t n = std::min<size_t>(cEntMax, count - i);
    const uint8_t* first = records.data() + i * cbEnt;
    level.push_back({load_u64(first), write_btpage(sink, type, 0, cbEnt, cEntMax, first, n)});
  }
  uint8_t cLevel = 0;
  while (level.size() > 1) {
    ++cLevel;
    if (cLevel > 8) throw std::length_error("B-tree deeper than 8 levels");
    std::vector<LevelEntry> up;
    for (size_t i = 0; i < level.size(); i += kBtEntryMax) {
      size_t n = std::min<size_t>(kBtEntryMax, level.size() - i);
      Bytes recs;
      for (size_t k = 0; k < n; ++k) {
        append_u64(recs, level[i + k].key);
        append_u64(recs, level[i + k].bref.bid);
        append_u64(recs, level[i + k].bref.ib);
      }
      up.push_back({level[i].key, write_btpage(sink, type, cLevel, kBtEntrySize, kBtEntryMax, recs.data(), n)});
    }
    level = std::move(up);
  }
  return level.front().bref;
}

}  // namespace

Bref build_nbt(std::span<const NbtEntry> entries, PageSink& sink) {
  Bytes recs;
  recs.reserve(entries.size() * 32);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && entries[i].nid <= entries[i - 1].nid)
      throw std::invalid_argument("NBT entries not strictly ascending at NID " + std::to_string(entries[i].nid));
    append_u64(recs, entries[i].nid);
    append_u64(recs, entries[i].bidData);
    append_u64(recs, entries[i].bidSub);
    append_u32(recs, entries[i].nidParent);
    append_u32(recs, 0);
  }
  return build_tree(sink, ptype::NBT, 32, 15, recs, entries.size());
}

Bref build_bbt(std::span<const BbtEntry> entries, PageSink& sink) {
  Bytes recs;
  recs.reserve(entries.size() * 24);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && entries[i].bid <= entries[i - 1].bid)
      throw std::invalid_argument("BBT entries not strictly ascending at BID " + std::to_string(entries[i].bid));
    append_u64(recs, entries[i].bid);
    append_u64(recs, entries[i].ib);
    append_u16(recs, entries[i].cb);
    append_u16(recs, entries[i].cRef);
    append_u32(recs, 0);
  }
  return build_tree(sink, ptype::BBT, 24, 20, recs, entries.size());
}

}  // namespace ostfs::pstw
