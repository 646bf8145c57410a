#include "export/ndb/header.h"

#include "export/ndb/crc.h"

namespace ostfs::pstw {

std::array<uint8_t, kHeaderSize> encode_header(const Header& h) {
  return encode_header(h, ndb_layout(Layout::Pst2003Unicode));
}

std::array<uint8_t, kHeaderSize> encode_header(const Header& h, const NdbLayout& layout) {
  std::array<uint8_t, kHeaderSize> b{};
  uint8_t* p = b.data();
  p[0] = '!';
  p[1] = 'B';
  p[2] = 'D';
  p[3] = 'N';
  store_u16(p + 8, layout.wMagicClient);  // "SM" for a PST, "SO" for an OST
  store_u16(p + 10, layout.wVer);
  store_u16(p + 12, layout.wVerClient);
  p[14] = 1;  // bPlatformCreate
  p[15] = 1;  // bPlatformAccess
  store_u64(p + 32, h.bidNextP);
  store_u32(p + 40, h.dwUnique);
  for (size_t i = 0; i < 32; ++i) store_u32(p + 44 + 4 * i, h.rgnid[i]);
  uint8_t* r = p + 180;
  store_u64(r + 4, h.root.ibFileEof);
  store_u64(r + 12, h.root.ibAMapLast);
  store_u64(r + 20, h.root.cbAMapFree);
  store_u64(r + 28, h.root.cbPMapFree);
  store_u64(r + 36, h.root.BREFNBT.bid);
  store_u64(r + 44, h.root.BREFNBT.ib);
  store_u64(r + 52, h.root.BREFBBT.bid);
  store_u64(r + 60, h.root.BREFBBT.ib);
  r[68] = h.root.fAMapValid;
  // rgbFM and rgbFP: all 0xFF in a PST, as the spec asks and Outlook writes (notes §1); zero
  // in Outlook's OSTs.
  for (size_t i = 256; i < 512; ++i) p[i] = layout.rgbFM_fill;
  p[512] = 0x80;  // bSentinel
  p[513] = h.bCryptMethod;
  store_u64(p + 516, h.bidNextB);
  store_u32(p + 4, compute_crc(std::span<const uint8_t>(p + 8, 471)));
  store_u32(p + 524, compute_crc(std::span<const uint8_t>(p + 8, 516)));
  return b;
}

}  // namespace ostfs::pstw
