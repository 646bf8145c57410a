#include "parser/ltp/heap.h"

#include <stdexcept>
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

namespace {

std::string heap_name(uint32_t nid) { return "heap of node " + hex(nid); }

// The allocation offsets of one page (rgibAlloc), checked against the page.
std::vector<uint16_t> page_map(const Bytes& b, uint32_t nid, size_t page_index) {
  auto page = [&] { return heap_name(nid) + " page " + std::to_string(page_index); };
  if (b.size() < 2) throw CorruptError(page() + ": too short");
  const size_t ibHnpm = load_u16(b.data());
  if (ibHnpm + 4 > b.size()) throw CorruptError(page() + ": ibHnpm " + std::to_string(ibHnpm) + " out of range");
  const size_t cAlloc = load_u16(b.data() + ibHnpm);
  if (ibHnpm + 4 + 2 * (cAlloc + 1) > b.size())
    throw CorruptError(page() + ": " + std::to_string(cAlloc) + " allocations do not fit");
  std::vector<uint16_t> offsets(cAlloc + 1);
  for (size_t k = 0; k <= cAlloc; ++k) {
    offsets[k] = load_u16(b.data() + ibHnpm + 4 + 2 * k);
    if (offsets[k] > ibHnpm || (k > 0 && offsets[k] < offsets[k - 1]))
      throw CorruptError(page() + ": allocation offsets out of order");
  }
  return offsets;
}

// Allocation `index` (1-based) of a page: [offsets[index - 1], offsets[index]).
std::span<const uint8_t> allocation(const Bytes& block, const std::vector<uint16_t>& offsets, uint32_t index,
                                    Hid hid, uint32_t nid) {
  if (index == 0 || index >= offsets.size())
    throw ndb::NotFoundError(heap_name(nid) + ": no allocation " + hex(hid));
  return std::span<const uint8_t>(block.data() + offsets[index - 1], offsets[index] - offsets[index - 1]);
}

}  // namespace

Heap::Heap(std::vector<Bytes> blocks, uint32_t nid) : blocks_(std::move(blocks)), nid_(nid) {
  if (blocks_.empty()) throw CorruptError(heap_name(nid) + ": node has no data");
  read_header(blocks_[0]);
  pages_.resize(blocks_.size());
  for (size_t i = 0; i < blocks_.size(); ++i) pages_[i].offsets = page_map(blocks_[i], nid, i);
}

Heap::Heap(const ndb::Node& node, size_t cached_pages) : nid_(node.nid()) {
  on_demand_.emplace(node.data_tree(), cached_pages);
  if (on_demand_->tree().leaves().empty()) throw CorruptError(heap_name(nid_) + ": node has no data");
  const auto first = on_demand_->leaf(0);
  read_header(*first);
  page_map(*first, nid_, 0);
}

void Heap::read_header(const Bytes& first) {
  if (first.size() < 12) throw CorruptError(heap_name(nid_) + ": HNHDR too short");
  if (first[2] != kHeapSignature) throw CorruptError(heap_name(nid_) + ": bSig " + hex(first[2]) + ", expected 0xEC");
  bClientSig_ = first[3];
  hidUserRoot_ = load_u32(first.data() + 4);
}

std::span<const uint8_t> Heap::get(Hid hid) const {
  if (on_demand_) throw std::logic_error(heap_name(nid_) + ": read on demand, so get() cannot be used");
  const uint32_t block = hid >> 16;
  if (!is_hid(hid) || block >= pages_.size()) throw ndb::NotFoundError(heap_name(nid_) + ": no allocation " + hex(hid));
  return allocation(blocks_[block], pages_[block].offsets, (hid >> 5) & 0x7FF, hid, nid_);
}

Bytes Heap::read(Hid hid) const {
  if (!on_demand_) {
    const std::span<const uint8_t> a = get(hid);
    return Bytes(a.begin(), a.end());
  }
  const uint32_t block = hid >> 16;
  if (!is_hid(hid) || block >= on_demand_->tree().leaves().size())
    throw ndb::NotFoundError(heap_name(nid_) + ": no allocation " + hex(hid));
  const std::shared_ptr<const Bytes> page = on_demand_->leaf(block);
  const std::span<const uint8_t> a = allocation(*page, page_map(*page, nid_, block), (hid >> 5) & 0x7FF, hid, nid_);
  return Bytes(a.begin(), a.end());
}

}  // namespace ostfs::ltp
