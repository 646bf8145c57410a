#include "export/ndb/page.h"

#include <span>

#include "export/ndb/bytes.h"
#include "export/ndb/crc.h"

namespace ostfs::pstw {

void seal_page(Page& page, uint8_t type, uint16_t wSig, uint64_t bid) {
  uint8_t* t = page.data() + kPageDataSize;
  t[0] = type;
  t[1] = type;
  store_u16(t + 2, wSig);
  store_u32(t + 4, compute_crc(std::span<const uint8_t>(page.data(), kPageDataSize)));
  store_u64(t + 8, bid);
}

}  // namespace ostfs::pstw
