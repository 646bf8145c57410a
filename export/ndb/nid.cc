#include "export/ndb/nid.h"

#include <stdexcept>

namespace ostfs::pstw {

NidAllocator::NidAllocator() {
  rgnid_.fill(0x400);
  rgnid_[nid_type::SEARCH_FOLDER] = 0x4000;
  rgnid_[nid_type::NORMAL_MESSAGE] = 0x10000;
  rgnid_[nid_type::ASSOC_MESSAGE] = 0x8000;
}

Nid NidAllocator::next(uint8_t type) {
  uint32_t& last = rgnid_.at(type);
  if (last >= (1u << 27) - 1) throw std::length_error("NID index space exhausted for nidType " + std::to_string(type));
  ++last;
  return make_nid(type, last);
}

void NidAllocator::reserve(Nid nid) {
  uint32_t& last = rgnid_.at(nid_type_of(nid));
  if (nid_index_of(nid) > last) last = nid_index_of(nid);
}

}  // namespace ostfs::pstw
