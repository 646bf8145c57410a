// The name-to-id map ([MS-PST] 2.4.7): NID_NAME_TO_ID_MAP's PC holds a GUID stream, an entry
// stream and a string stream; entry i names NPID 0x8000 + wPropIdx. Read once when the store
// opens, then every lookup is an array index.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "parser/model.h"
#include "parser/ndb/database.h"

namespace ostfs::ltp {

using ndb::Bytes;

class NameToIdMap {
 public:
  NameToIdMap() = default;
  // Reads the map node. A file without one gives an empty map. Throws ndb::NdbError
  // subclasses when the node is damaged.
  explicit NameToIdMap(const ndb::Database& db);
  // Builds the map from the three streams (for tests). Entries that point outside the
  // streams are skipped.
  NameToIdMap(const Bytes& guids, const Bytes& entries, const Bytes& strings);

  // The name of property id `npid` (>= 0x8000), or nullptr.
  const model::NamedId* find(uint16_t npid) const;
  size_t size() const { return count_; }

 private:
  void build(const Bytes& guids, const Bytes& entries, const Bytes& strings);

  std::vector<std::optional<model::NamedId>> names_;  // indexed by wPropIdx
  size_t count_ = 0;
};

}  // namespace ostfs::ltp
