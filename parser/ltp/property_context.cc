#include "parser/ltp/property_context.h"

#include <algorithm>
#include <string>

#include "parser/ltp/prop_types.h"
#include "parser/ndb/errors.h"

namespace ostfs::ltp {

using ndb::CorruptError;
using ndb::hex;

PropertyContext::PropertyContext(const ndb::Node& node) : node_(node), heap_(read_heap_blocks(node), node.nid()) {
  auto where = [&] { return "PC of node " + hex(node.nid()); };
  if (heap_.client_sig() != client_sig::PC)
    throw CorruptError(where() + ": bClientSig " + hex(heap_.client_sig()) + ", expected 0xBC");
  const Bth bth(heap_, heap_.user_root());
  if (!bth.empty() && (bth.key_size() != 2 || bth.data_size() != 6))
    throw CorruptError(where() + ": BTH cbKey " + std::to_string(bth.key_size()) + " cbEnt " +
                       std::to_string(bth.data_size()) + ", expected 2 and 6");
  bth.for_each([&](uint64_t key, std::span<const uint8_t> data) {
    records_.push_back({static_cast<uint16_t>(key), ndb::load_u16(data.data()), ndb::load_u32(data.data() + 2)});
  });
}

const PcRecord* PropertyContext::find(uint16_t id) const {
  auto it = std::lower_bound(records_.begin(), records_.end(), id,
                             [](const PcRecord& r, uint16_t i) { return r.id < i; });
  return it != records_.end() && it->id == id ? &*it : nullptr;
}

std::optional<ndb::Node> PropertyContext::value_subnode(const PcRecord& record) const {
  if (pc_inline(record.type) || record.hnid == 0 || is_hid(record.hnid)) return std::nullopt;
  return node_.subnode(record.hnid);
}

Bytes PropertyContext::value(const PcRecord& record) const {
  if (pc_inline(record.type)) {
    Bytes v(fixed_size(record.type));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(record.hnid >> (8 * i));
    return v;
  }
  if (record.hnid == 0) return {};
  if (is_hid(record.hnid)) {
    const std::span<const uint8_t> a = heap_.get(record.hnid);
    return Bytes(a.begin(), a.end());
  }
  return node_.subnode(record.hnid).data(kMaxValueSize);
}

uint64_t PropertyContext::value_size(const PcRecord& record) const {
  if (pc_inline(record.type)) return fixed_size(record.type);
  if (record.hnid == 0) return 0;
  if (is_hid(record.hnid)) return heap_.get(record.hnid).size();
  return node_.subnode(record.hnid).data_size();
}

model::PropertyBag PropertyContext::read(uint16_t size_only_id, uint64_t* size_only_size) const {
  model::PropertyBag bag;
  bag.props.reserve(records_.size());
  for (const PcRecord& r : records_) {
    model::Property p;
    p.id = r.id;
    p.type = r.type;
    if (size_only_size && r.id == size_only_id) *size_only_size = value_size(r);
    else p.value = value(r);
    bag.props.push_back(std::move(p));
  }
  return bag;
}

}  // namespace ostfs::ltp
