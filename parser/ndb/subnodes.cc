#include "parser/ndb/subnodes.h"

#include <algorithm>
#include <string>

#include "parser/ndb/block.h"
#include "parser/ndb/errors.h"

namespace ostfs::ndb {
namespace {

constexpr uint8_t kBtypeSubnodes = 0x02;
// One node's subnodes: its attachments, tables and large values. Far more than any message
// has; beyond it the tree is damage (an SIBLOCK naming one SLBLOCK thousands of times).
constexpr size_t kMaxSubnodes = size_t{1} << 20;

// Checks btype, cLevel and that cEnt entries of `entry_size` fit; returns cEnt.
size_t check_header(const Bytes& data, uint64_t bid, uint8_t level, size_t entry_size, const Layout& layout) {
  auto where = [&] { return std::string(level == 0 ? "SLBLOCK " : "SIBLOCK ") + hex(bid); };
  if (data.size() < layout.sl_header_size) throw CorruptError(where() + ": too short");
  if (data[0] != kBtypeSubnodes) throw CorruptError(where() + ": btype " + hex(data[0]) + ", expected 0x2");
  if (data[1] != level) throw CorruptError(where() + ": cLevel " + std::to_string(data[1]));
  const size_t cEnt = load_u16(data.data() + 2);
  if (layout.sl_header_size + cEnt * entry_size > data.size())
    throw CorruptError(where() + ": " + std::to_string(cEnt) + " entries do not fit in " + std::to_string(data.size()) +
                       " bytes");
  return cEnt;
}

}  // namespace

SubnodeTree::SubnodeTree(const Database& db, uint64_t bid) {
  if (bid == 0) return;
  const Layout& layout = db.layout();
  if (!is_internal(bid)) throw CorruptError("subnode block " + hex(bid) + " is not an internal block");
  const Bytes top = db.read_block(bid);
  if (top.size() >= 2 && top[1] == 1) {
    const size_t cEnt = check_header(top, bid, 1, layout.sientry_size, layout);
    for (size_t i = 0; i < cEnt; ++i) {
      const uint8_t* e = top.data() + layout.sl_header_size + i * layout.sientry_size;
      const uint64_t child = load_uint(e + layout.id_size, layout.id_size);
      if (!is_internal(child)) throw CorruptError("SIBLOCK " + hex(bid) + ": entry " + hex(child) + " is not an SLBLOCK");
      read_slblock(db, child, db.read_block(child));
    }
  } else {
    read_slblock(db, bid, top);
  }
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const SubnodeEntry& a, const SubnodeEntry& b) { return a.nid < b.nid; });
}

void SubnodeTree::read_slblock(const Database& db, uint64_t bid, const Bytes& data) {
  const Layout& layout = db.layout();
  const size_t cEnt = check_header(data, bid, 0, layout.slentry_size, layout);
  const size_t w = layout.id_size;
  if (entries_.size() + cEnt > kMaxSubnodes) throw CorruptError("SLBLOCK " + hex(bid) + ": too many subnodes");
  for (size_t i = 0; i < cEnt; ++i) {
    const uint8_t* e = data.data() + layout.sl_header_size + i * layout.slentry_size;
    // SLENTRY nid is 64-bit in Unicode files with only the low 32 bits used.
    entries_.push_back({static_cast<uint32_t>(load_uint(e, w)), load_uint(e + w, w), load_uint(e + 2 * w, w)});
  }
}

const SubnodeEntry* SubnodeTree::find(uint32_t nid) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), nid,
                             [](const SubnodeEntry& e, uint32_t n) { return e.nid < n; });
  return it != entries_.end() && it->nid == nid ? &*it : nullptr;
}

}  // namespace ostfs::ndb
