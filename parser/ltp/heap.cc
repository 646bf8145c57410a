#include "parser/ltp/heap.h"

#include <string>

#include "parser/ndb/errors.h"

namespace ostfs::ltp {

using ndb::CorruptError;
using ndb::hex;
using ndb::load_u16;
using ndb::load_u32;

std::vector<Bytes> read_heap_blocks(const ndb::Node& node) {
  const ndb::DataTree tree = node.data_tree();
  if (tree.size() > kMaxHeapBytesInMemory)
    throw CorruptError("heap of node " + hex(node.nid()) + ": " + std::to_string(tree.size()) + " bytes, too large");
  return tree.read_blocks();
}

Heap::Heap(std::vector<Bytes> blocks, uint32_t nid) : blocks_(std::move(blocks)), nid_(nid) {
  auto where = [&] { return "heap of node " + hex(nid); };
  if (blocks_.empty()) throw CorruptError(where() + ": node has no data");
  const Bytes& first = blocks_[0];
  if (first.size() < 12) throw CorruptError(where() + ": HNHDR too short");
  if (first[2] != kHeapSignature) throw CorruptError(where() + ": bSig " + hex(first[2]) + ", expected 0xEC");
  bClientSig_ = first[3];
  hidUserRoot_ = load_u32(first.data() + 4);
  pages_.resize(blocks_.size());
  for (size_t i = 0; i < blocks_.size(); ++i) {
    const Bytes& b = blocks_[i];
    auto page = [&] { return where() + " page " + std::to_string(i); };
    if (b.size() < 2) throw CorruptError(page() + ": too short");
    const size_t ibHnpm = load_u16(b.data());
    if (ibHnpm + 4 > b.size()) throw CorruptError(page() + ": ibHnpm " + std::to_string(ibHnpm) + " out of range");
    const size_t cAlloc = load_u16(b.data() + ibHnpm);
    if (ibHnpm + 4 + 2 * (cAlloc + 1) > b.size())
      throw CorruptError(page() + ": " + std::to_string(cAlloc) + " allocations do not fit");
    std::vector<uint16_t>& offsets = pages_[i].offsets;
    offsets.resize(cAlloc + 1);
    for (size_t k = 0; k <= cAlloc; ++k) {
      offsets[k] = load_u16(b.data() + ibHnpm + 4 + 2 * k);
      if (offsets[k] > ibHnpm || (k > 0 && offsets[k] < offsets[k - 1]))
        throw CorruptError(page() + ": allocation offsets out of order");
    }
  }
}

std::span<const uint8_t> Heap::get(Hid hid) const {
  const uint32_t block = hid >> 16;
  const uint32_t index = (hid >> 5) & 0x7FF;
  if (!is_hid(hid) || index == 0 || block >= pages_.size() || index >= pages_[block].offsets.size())
    throw ndb::NotFoundError("heap of node " + hex(nid_) + ": no allocation " + hex(hid));
  const std::vector<uint16_t>& o = pages_[block].offsets;
  return std::span<const uint8_t>(blocks_[block].data() + o[index - 1], o[index] - o[index - 1]);
}

}  // namespace ostfs::ltp
