// The name-to-id map ([MS-PST] 2.4.7 [PST:e17e195d-0454-4b9b-b398-c9127a26a678]): assigns
// NPIDs from 0x8000 to named properties and encodes node 0x61's PC streams and hash buckets.
#pragma once

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "export/ndb/bytes.h"
#include "parser/model.h"

namespace ostfs::pstw {

inline constexpr uint32_t kNameMapBuckets = 251;

class NameToIdMap {
 public:
  // The NPID for `name`, assigned on first use. Throws std::length_error past 32,767 names.
  uint16_t npid(const model::NamedId& name);
  size_t size() const { return entries_.size(); }

  struct Encoded {
    Bytes guids;    // PidTagNameidStreamGuid (0x0002)
    Bytes entries;  // PidTagNameidStreamEntry (0x0003)
    Bytes strings;  // PidTagNameidStreamString (0x0004)
    std::map<uint16_t, Bytes> buckets;  // property id 0x1000 + bucket → NAMEID records
  };
  Encoded encode() const;

 private:
  struct Entry {
    uint32_t property_id;  // numeric id, or string-stream offset
    uint16_t guid_index;   // wGuid: 1 PS_MAPI, 2 PS_PUBLIC_STRINGS, 3+ GUID stream
    bool is_string;
    uint32_t hash_key;     // numeric id, or CRC of the UTF-16LE name
  };
  uint16_t guid_index(const std::array<uint8_t, 16>& guid);

  std::map<std::tuple<std::array<uint8_t, 16>, bool, uint32_t, std::u16string>, uint16_t> lookup_;
  std::vector<Entry> entries_;
  Bytes guids_;
  Bytes strings_;
};

}  // namespace ostfs::pstw
