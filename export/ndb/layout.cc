#include "export/ndb/layout.h"

namespace ostfs::pstw {
namespace {

NdbLayout make_ost2013() {
  NdbLayout l;
  l.layout = Layout::Ost2013;
  // Header values as Outlook 2013+ writes them in fe01.ost: no encryption (its blocks are
  // compressed instead), wVerClient 12, rgbFM/rgbFP zero.
  l.wMagicClient = 0x4F53;  // "SO"
  l.wVer = 36;
  l.wVerClient = 12;
  l.bCryptMethod = 0;
  l.rgbFM_fill = 0x00;
  // 4 KiB pages with 16-bit entry counts, 24-byte trailers, 64 KiB zlib blocks.
  l.ndb = ndb::layout_for(ndb::Format::Unicode4k);
  // The header area is zero up to the DList page at 0x21000; the first AMap follows it.
  l.dlist_offset = 0x21000;
  l.first_amap_offset = 0x22000;
  // fe01.ost has only AMaps; the PMap, FMap and FPMap of [MS-PST] are deprecated anyway.
  l.pmap_fmap_fpmap = false;
  return l;
}

}  // namespace

const NdbLayout& ndb_layout(Layout layout) {
  static const NdbLayout pst{};
  static const NdbLayout ost = make_ost2013();
  return layout == Layout::Ost2013 ? ost : pst;
}

}  // namespace ostfs::pstw
