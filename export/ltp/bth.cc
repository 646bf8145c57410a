#include "export/ltp/bth.h"

#include <algorithm>
#include <stdexcept>

namespace ostfs::pstw {
namespace {

uint64_t key_value(std::span<const uint8_t> k) {
  uint64_t v = 0;
  for (size_t i = k.size(); i-- > 0;) v = (v << 8) | k[i];
  return v;
}

}  // namespace

Hid allocate_bth_header(HeapBuilder& heap) { return heap.allocate(Bytes(8, 0)); }

Hid build_bth(HeapBuilder& heap, uint8_t cbKey, uint8_t cbEnt, const std::vector<BthRecord>& records, Hid header_hid) {
  Bytes packed;
  packed.reserve(records.size() * (cbKey + cbEnt));
  for (const BthRecord& r : records) {
    if (r.key.size() != cbKey || r.data.size() != cbEnt) throw std::invalid_argument("BTH record of the wrong size");
    append_bytes(packed, r.key);
    append_bytes(packed, r.data);
  }
  return build_bth(heap, cbKey, cbEnt, packed, header_hid);
}

Hid build_bth(HeapBuilder& heap, uint8_t cbKey, uint8_t cbEnt, std::span<const uint8_t> packed, Hid header_hid) {
  const size_t record_size = cbKey + cbEnt;
  if (record_size == 0 || packed.size() % record_size != 0) throw std::invalid_argument("BTH record of the wrong size");
  const size_t count = packed.size() / record_size;
  const auto key = [&](size_t i) { return packed.subspan(i * record_size, cbKey); };
  for (size_t i = 1; i < count; ++i)
    if (key_value(key(i)) <= key_value(key(i - 1))) throw std::invalid_argument("BTH records not strictly ascending");
  if (header_hid == 0) header_hid = allocate_bth_header(heap);
  struct Node {
    std::span<const uint8_t> first_key;
    Hid hid;
  };
  std::vector<Node> level;
  uint8_t levels = 0;
  if (count > 0) {
    const size_t per_leaf = kMaxHeapAllocation / record_size;
    for (size_t i = 0; i < count; i += per_leaf) {
      const size_t n = std::min(count - i, per_leaf);
      level.push_back({key(i), heap.allocate(packed.subspan(i * record_size, n * record_size))});
    }
    const size_t per_index = kMaxHeapAllocation / (cbKey + 4);
    while (level.size() > 1) {
      ++levels;
      std::vector<Node> up;
      for (size_t i = 0; i < level.size(); i += per_index) {
        Bytes idx;
        for (size_t k = i; k < std::min(level.size(), i + per_index); ++k) {
          append_bytes(idx, level[k].first_key);
          append_u32(idx, level[k].hid);
        }
        up.push_back({level[i].first_key, heap.allocate(idx)});
      }
      level = std::move(up);
    }
  }
  Bytes header;
  append_u8(header, client_sig::BTH);
  append_u8(header, cbKey);
  append_u8(header, cbEnt);
  append_u8(header, levels);
  append_u32(header, level.empty() ? 0 : level.front().hid);
  heap.update(header_hid, header);
  return header_hid;
}

BthContents read_bth(const std::vector<Bytes>& blocks, Hid header) {
  auto h = heap_lookup(blocks, header);
  if (h.size() != 8 || h[0] != client_sig::BTH) throw std::runtime_error("not a BTHHEADER");
  BthContents out{h[1], h[2], h[3], {}};
  struct Walker {
    const std::vector<Bytes>& blocks;
    BthContents& out;
    void walk(Hid hid, int level) {
      if (hid == 0) return;
      auto d = heap_lookup(blocks, hid);
      const size_t rec = out.cbKey + (level == 0 ? out.cbEnt : 4);
      for (size_t o = 0; o + rec <= d.size(); o += rec) {
        if (level == 0) {
          out.records.push_back({Bytes(d.begin() + o, d.begin() + o + out.cbKey),
                                 Bytes(d.begin() + o + out.cbKey, d.begin() + o + rec)});
        } else {
          walk(load_u32(d.data() + o + out.cbKey), level - 1);
        }
      }
    }
  } walker{blocks, out};
  walker.walk(load_u32(h.data() + 4), out.bIdxLevels);
  return out;
}

}  // namespace ostfs::pstw
