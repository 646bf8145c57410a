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

// Builds the leaf level from `count` records of cbEnt bytes each (key in the first 8 bytes,
// strictly ascending), read a page's worth at a time, then intermediate levels until one page
// remains. Only the first key of each page is held: a tree of millions of entries costs little.
Bref build_tree(const NdbLayout& layout, PageSink& sink, uint8_t type, size_t cbEnt, size_t count,
                const RecordReader& read, const char* what) {
  Bytes records;
  if (count == 0) return write_btpage(layout, sink, type, 0, cbEnt, records.data(), 0);
  const size_t per_leaf = entries_per_page(layout, cbEnt);
  records.resize(per_leaf * cbEnt);
  std::vector<LevelEntry> level;
  level.reserve((count + per_leaf - 1) / per_leaf);
  uint64_t previous = 0;
  for (size_t i = 0; i < count; i += per_leaf) {
    const size_t n = std::min(per_leaf, count - i);
    read(i, n, records.data());
    for (size_t k = 0; k < n; ++k) {
      const uint64_t key = load_u64(records.data() + k * cbEnt);
      if ((i > 0 || k > 0) && key <= previous)
        throw std::invalid_argument(std::string(what) + " entries not strictly ascending at " + std::to_string(key));
      previous = key;
    }
    level.push_back({load_u64(records.data()), write_btpage(layout, sink, type, 0, cbEnt, records.data(), n)});
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

void encode_nbt_entry(const NdbLayout& layout, const NbtEntry& entry, uint8_t* out) {
  if (layout.ndb.nbtentry_size != 32) throw std::logic_error("NBT entry size does not match the layout");
  store_u64(out, entry.nid);
  store_u64(out + 8, entry.bidData);
  store_u64(out + 16, entry.bidSub);
  store_u32(out + 24, entry.nidParent);
  store_u32(out + 28, 0);
}

void encode_bbt_entry(const NdbLayout& layout, const BbtEntry& entry, uint8_t* out) {
  if (layout.ndb.bbtentry_size != 24) throw std::logic_error("BBT entry size does not match the layout");
  store_u64(out, entry.bid);
  store_u64(out + 8, entry.ib);
  store_u16(out + 16, entry.cb);
  if (layout.ndb.compressed_blocks) {
    store_u16(out + 18, entry.cbInflated);
    store_u16(out + 20, entry.cRef);
  } else {
    store_u16(out + 18, entry.cRef);
    store_u16(out + 20, 0);
  }
  store_u16(out + 22, 0);
}

Bref build_nbt(const NdbLayout& layout, std::span<const NbtEntry> entries, PageSink& sink) {
  const size_t cb = layout.ndb.nbtentry_size;
  return build_tree(layout, sink, ptype::NBT, cb, entries.size(), [&](size_t first, size_t count, uint8_t* out) {
    for (size_t k = 0; k < count; ++k) encode_nbt_entry(layout, entries[first + k], out + k * cb);
  }, "NBT");
}

Bref build_bbt(const NdbLayout& layout, std::span<const BbtEntry> entries, PageSink& sink) {
  const size_t cb = layout.ndb.bbtentry_size;
  return build_tree(layout, sink, ptype::BBT, cb, entries.size(), [&](size_t first, size_t count, uint8_t* out) {
    for (size_t k = 0; k < count; ++k) encode_bbt_entry(layout, entries[first + k], out + k * cb);
  }, "BBT");
}

Bref build_nbt(const NdbLayout& layout, size_t count, const RecordReader& read, PageSink& sink) {
  return build_tree(layout, sink, ptype::NBT, layout.ndb.nbtentry_size, count, read, "NBT");
}

Bref build_bbt(const NdbLayout& layout, size_t count, const RecordReader& read, PageSink& sink) {
  return build_tree(layout, sink, ptype::BBT, layout.ndb.bbtentry_size, count, read, "BBT");
}

}  // namespace ostfs::pstw
