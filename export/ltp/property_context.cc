#include "export/ltp/property_context.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "export/ltp/bth.h"
#include "export/ltp/heap.h"
#include "export/ltp/prop_types.h"

namespace ostfs::pstw {

LtpNode encode_pc(std::vector<PcProperty> props, const SubnodeNidSource& new_nid, bool keep_empty) {
  std::sort(props.begin(), props.end(), [](const PcProperty& a, const PcProperty& b) { return a.id < b.id; });
  HeapBuilder heap(client_sig::PC);
  const Hid header = allocate_bth_header(heap);  // at 0x20, where Outlook and pst-extractor have it
  LtpNode node;
  std::vector<BthRecord> records;
  for (size_t i = 0; i < props.size(); ++i) {
    const PcProperty& p = props[i];
    if (i > 0 && p.id == props[i - 1].id)
      throw std::invalid_argument("duplicate property id " + std::to_string(p.id) + " in a PC");
    const size_t fixed = fixed_size(p.type);
    if (fixed != 0 && p.value.size() != fixed)
      throw std::invalid_argument("property " + std::to_string(p.id) + " has " + std::to_string(p.value.size()) +
                                  " bytes for a fixed size of " + std::to_string(fixed));
    uint32_t hnid = 0;
    if (pc_inline(p.type)) {
      for (size_t k = 0; k < p.value.size(); ++k) hnid |= static_cast<uint32_t>(p.value[k]) << (8 * k);
    } else if (p.source) {
      const Nid nid = new_nid();
      node.subnodes.push_back({nid, {}, nullptr, p.source, p.source_size});
      hnid = nid;
    } else if (p.value.empty() && !keep_empty) {
      hnid = 0;
    } else if (p.value.size() <= kMaxHeapAllocation) {
      hnid = heap.allocate(p.value);
    } else {
      Nid nid = new_nid();
      node.subnodes.push_back({nid, p.value, nullptr, {}, 0});
      hnid = nid;
    }
    BthRecord r;
    append_u16(r.key, p.id);
    append_u16(r.data, p.type);
    append_u32(r.data, hnid);
    records.push_back(std::move(r));
  }
  heap.set_user_root(build_bth(heap, 2, 6, records, header));
  node.heap = std::move(heap).serialize();
  return node;
}

std::vector<PcEntry> read_pc(const std::vector<Bytes>& blocks) {
  if (blocks.empty() || blocks[0].size() < 12 || blocks[0][2] != kHeapSignature || blocks[0][3] != client_sig::PC)
    throw std::runtime_error("not a property context heap");
  BthContents bth = read_bth(blocks, load_u32(blocks[0].data() + 4));
  std::vector<PcEntry> out;
  for (const BthRecord& r : bth.records) {
    PcEntry e;
    e.id = load_u16(r.key.data());
    e.type = load_u16(r.data.data());
    const uint32_t hnid = load_u32(r.data.data() + 2);
    if (pc_inline(e.type)) {
      for (size_t k = 0; k < fixed_size(e.type); ++k) e.value.push_back(static_cast<uint8_t>(hnid >> (8 * k)));
    } else if ((hnid & 0x1F) != 0) {
      e.subnode = hnid;
    } else if (hnid != 0) {
      auto v = heap_lookup(blocks, hnid);
      e.value.assign(v.begin(), v.end());
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace ostfs::pstw
