// A set of NIDs that costs a bit per message rather than a hash node: an export of a
// million messages remembers every message NID it wrote (and every source NID it keeps).
#pragma once

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "export/ndb/nid.h"

namespace ostfs::pstw {

class NidSet {
 public:
  // Adds `nid`; false when it was there already.
  bool insert(Nid nid);
  bool contains(Nid nid) const;
  void erase(Nid nid);

 private:
  // Normal and associated message NIDs as bits, two per index; other types in a hash set.
  static bool as_bit(Nid nid);
  static uint64_t bit_of(Nid nid);

  std::vector<uint64_t> bits_;
  std::unordered_set<Nid> others_;
};

}  // namespace ostfs::pstw
