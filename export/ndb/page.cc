#include "export/ndb/page.h"

#include <stdexcept>

#include "export/ndb/bytes.h"
#include "export/ndb/crc.h"

namespace ostfs::pstw {

void seal_page(Page& page, uint8_t type, uint16_t wSig, uint64_t bid) {
  seal_page(ndb_layout(Layout::Pst2003Unicode), page, type, wSig, bid);
}

void seal_page(const NdbLayout& layout, std::span<uint8_t> page, uint8_t type, uint16_t wSig, uint64_t bid) {
  if (page.size() != layout.page_size()) throw std::invalid_argument("page of the wrong size for its layout");
  uint8_t* t = page.data() + layout.page_data_size();
  t[0] = type;
  t[1] = type;
  store_u16(t + 2, wSig);
  store_u32(t + 4, compute_crc(page.first(layout.page_data_size())));
  store_u64(t + 8, bid);
  // Every 4 KiB page of fe01.ost (maps, DList, B-tree pages) has 1 in the byte after bid and
  // zeros after it; the field is undocumented, so write what Outlook writes.
  if (layout.page_trailer_size() > 16) t[16] = 1;
}

}  // namespace ostfs::pstw
