#include "parser/ltp/name_to_id.h"

#include "parser/ltp/property_context.h"
#include "parser/ndb/nid.h"
#include "parser/ndb/node.h"
#include "parser/props.h"

namespace ostfs::ltp {

using ndb::load_u16;
using ndb::load_u32;

NameToIdMap::NameToIdMap(const ndb::Database& db) {
  const std::optional<ndb::NbtEntry> entry = db.find_node(ndb::NID_NAME_TO_ID_MAP);
  if (!entry) return;
  const PropertyContext pc(ndb::Node(db, entry->nid, entry->bidData, entry->bidSub));
  auto stream = [&](uint16_t id) {
    const PcRecord* r = pc.find(id);
    return r ? pc.value(*r) : Bytes{};
  };
  build(stream(props::PidTagNameidStreamGuid), stream(props::PidTagNameidStreamEntry),
        stream(props::PidTagNameidStreamString));
}

NameToIdMap::NameToIdMap(const Bytes& guids, const Bytes& entries, const Bytes& strings) {
  build(guids, entries, strings);
}

void NameToIdMap::build(const Bytes& guids, const Bytes& entries, const Bytes& strings) {
  // NAMEID ([MS-PST] 2.4.7.1): dwPropertyID, then wGuid << 1 | N, then wPropIdx.
  for (size_t off = 0; off + 8 <= entries.size(); off += 8) {
    const uint8_t* e = entries.data() + off;
    const uint32_t dwPropertyID = load_u32(e);
    const uint16_t guid_and_kind = load_u16(e + 4);
    const uint16_t wPropIdx = load_u16(e + 6);
    if (wPropIdx >= 0x8000) continue;  // NPIDs stop at 0xFFFF
    const uint16_t wGuid = guid_and_kind >> 1;
    model::NamedId id;
    if (wGuid == 1) {
      id.guid = props::PS_MAPI;
    } else if (wGuid == 2) {
      id.guid = props::PS_PUBLIC_STRINGS;
    } else if (wGuid >= 3) {
      const size_t g = (wGuid - 3) * size_t{16};
      if (g + 16 > guids.size()) continue;
      std::copy(guids.begin() + g, guids.begin() + g + 16, id.guid.begin());
    }
    if ((guid_and_kind & 1) == 0) {
      id.lid = dwPropertyID;
    } else {
      // A string name: dwPropertyID is the offset of a 4-byte length and UTF-16LE text.
      if (dwPropertyID + uint64_t{4} > strings.size()) continue;
      const uint32_t length = load_u32(strings.data() + dwPropertyID);
      if (dwPropertyID + uint64_t{4} + length > strings.size()) continue;
      const uint8_t* s = strings.data() + dwPropertyID + 4;
      for (uint32_t k = 0; k + 1 < length; k += 2) {
        const char16_t c = static_cast<char16_t>(s[k] | (s[k + 1] << 8));
        if (c == 0) break;
        id.name.push_back(c);
      }
    }
    if (wPropIdx >= names_.size()) names_.resize(wPropIdx + 1);
    if (!names_[wPropIdx]) ++count_;
    names_[wPropIdx] = std::move(id);
  }
}

const model::NamedId* NameToIdMap::find(uint16_t npid) const {
  if (npid < 0x8000) return nullptr;
  const size_t i = npid - 0x8000;
  return i < names_.size() && names_[i] ? &*names_[i] : nullptr;
}

}  // namespace ostfs::ltp
