#include "export/ndb/btree.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "export/ndb/block.h"
#include "export/ndb/bytes.h"

namespace ostfs::pstw {
namespace {

struct LevelEntry {
  uint64_t key;
  Bref bref;
};

size_t entries_per_page(const NdbLayout& layout, size_t cbEnt) { return layout.bt_entries_size() / cbEnt; }

// One leaf or intermediate page: entries are pre-encoded records of cbEnt bytes each. The
// counts follow rgentries: one byte each for cEnt and cEntMax in a PST, two in 4 KiB pages.
Bref write_btpage(const NdbLayout& layout, PageSink& sink, uint8_t type, uint8_t cLevel, size_t cbEnt,
                  const uint8_t* records, size_t count) {
  Bytes page(layout.page_size(), 0);
  std::copy(records, records + count * cbEnt, page.begin());
  const size_t cEntMax = entries_per_page(layout, cbEnt);
  uint8_t* c = page.data() + layout.bt_entries_size();
  if (layout.ndb.bt_wide_counts) {
    store_u16(c, static_cast<uint16_t>(count));
    store_u16(c + 2, static_cast<uint16_t>(cEntMax));
    c += 4;
  } else {
    c[0] = static_cast<uint8_t>(count);
    c[1] = static_cast<uint8_t>(cEntMax);
    c += 2;
  }
  c[0] = static_cast<uint8_t>(cbEnt);
  c[1] = cLevel;
  Bref where = sink.place_page();
  seal_page(layout, page, type, compute_sig(where.ib, where.bid), where.bid);
  sink.write_page(where.ib, page);
  return where;
}

// Builds the leaf level from `records` (cbEnt bytes each, key in the first 8 bytes), then
// intermediate levels until one page remains.
Bref build_tree(const NdbLayout& layout, PageSink& sink, uint8_t type, size_t cbEnt, const Bytes& records,
                size_t count) {
  if (records.size() != count * cbEnt) throw std::logic_error("B-tree records do not match the layout's entry size");
  std::vector<LevelEntry> level;
  if (count == 0) return write_btpage(layout, sink, type, 0, cbEnt, records.data(), 0);
  const size_t per_leaf = entries_per_page(layout, cbEnt);
  for (size_t i = 0; i < count; i += per_leaf) {
    size_t n = std::min(per_leaf, count - i);
    const uint8_t* first = records.data() + i * cbEnt;
    level.push_back({load_u64(first), write_btpage(layout, sink, type, 0, cbEnt, first, n)});
  }
  const size_t per_index = entries_per_page(layout, layout.ndb.btentry_size);
  uint8_t cLevel = 0;
  while (level.size() > 1) {
    ++cLevel;
    if (cLevel > 8) throw std::length_error("B-tree deeper than 8 levels");
    std::vector<LevelEntry> up;
    for (size_t i = 0; i < level.size(); i += per_index) {
      size_t n = std::min(per_index, level.size() - i);
      Bytes recs;
      for (size_t k = 0; k < n; ++k) {
        append_u64(recs, level[i + k].key);
        append_u64(recs, level[i + k].bref.bid);
        append_u64(recs, level[i + k].bref.ib);
      }
      up.push_back({level[i].key, write_btpage(layout, sink, type, cLevel, layout.ndb.btentry_size, recs.data(), n)});
    }
    level = std::move(up);
  }
  return level.front().bref;
}

}  // namespace

Bref build_nbt(const NdbLayout& layout, std::span<const NbtEntry> entries, PageSink& sink) {
  Bytes recs;
  recs.reserve(entries.size() * layout.ndb.nbtentry_size);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && entries[i].nid <= entries[i - 1].nid)
      throw std::invalid_argument("NBT entries not strictly ascending at NID " + std::to_string(entries[i].nid));
    append_u64(recs, entries[i].nid);
    append_u64(recs, entries[i].bidData);
    append_u64(recs, entries[i].bidSub);
    append_u32(recs, entries[i].nidParent);
    append_u32(recs, 0);
  }
  return build_tree(layout, sink, ptype::NBT, layout.ndb.nbtentry_size, recs, entries.size());
}

Bref build_bbt(const NdbLayout& layout, std::span<const BbtEntry> entries, PageSink& sink) {
  Bytes recs;
  recs.reserve(entries.size() * layout.ndb.bbtentry_size);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && entries[i].bid <= entries[i - 1].bid)
      throw std::invalid_argument("BBT entries not strictly ascending at BID " + std::to_string(entries[i].bid));
    append_u64(recs, entries[i].bid);
    append_u64(recs, entries[i].ib);
    append_u16(recs, entries[i].cb);
    if (layout.ndb.compressed_blocks) {
      append_u16(recs, entries[i].cbInflated);
      append_u16(recs, entries[i].cRef);
      append_u16(recs, 0);
    } else {
      append_u16(recs, entries[i].cRef);
      append_u32(recs, 0);
    }
  }
  return build_tree(layout, sink, ptype::BBT, layout.ndb.bbtentry_size, recs, entries.size());
}

}  // namespace ostfs::pstw
