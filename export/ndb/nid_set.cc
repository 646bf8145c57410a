#include "export/ndb/nid_set.h"

#include <algorithm>

namespace ostfs::pstw {

bool NidSet::as_bit(Nid nid) {
  const uint8_t type = nid_type_of(nid);
  return type == nid_type::NORMAL_MESSAGE || type == nid_type::ASSOC_MESSAGE;
}

uint64_t NidSet::bit_of(Nid nid) {
  return (uint64_t{nid_index_of(nid)} << 1) | (nid_type_of(nid) == nid_type::ASSOC_MESSAGE ? 1 : 0);
}

bool NidSet::insert(Nid nid) {
  if (!as_bit(nid)) return others_.insert(nid).second;
  const uint64_t bit = bit_of(nid);
  const size_t word = bit / 64;
  // Grown by half at a time: NIDs come mostly in increasing order, one word at a time.
  if (word >= bits_.size()) bits_.resize(std::max<size_t>(word + 1, bits_.size() + bits_.size() / 2), 0);
  const uint64_t mask = uint64_t{1} << (bit % 64);
  if (bits_[word] & mask) return false;
  bits_[word] |= mask;
  return true;
}

bool NidSet::contains(Nid nid) const {
  if (!as_bit(nid)) return others_.count(nid) != 0;
  const uint64_t bit = bit_of(nid);
  return bit / 64 < bits_.size() && (bits_[bit / 64] >> (bit % 64) & 1) != 0;
}

void NidSet::erase(Nid nid) {
  if (!as_bit(nid)) {
    others_.erase(nid);
    return;
  }
  const uint64_t bit = bit_of(nid);
  if (bit / 64 < bits_.size()) bits_[bit / 64] &= ~(uint64_t{1} << (bit % 64));
}

}  // namespace ostfs::pstw
