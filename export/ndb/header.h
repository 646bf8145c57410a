// The Unicode HEADER and its ROOT ([MS-PST] 2.2.2.6 [PST:c9876f5a-664b-46a3-9887-ba63f113abf5],
// 2.2.2.5 [PST:32ce8c94-4757-46c8-a169-3fd21abee584]), the first 564 bytes of the file.
#pragma once

#include <array>
#include <cstdint>

#include "export/ndb/bytes.h"
#include "export/ndb/layout.h"

namespace ostfs::pstw {

struct Bref {
  uint64_t bid = 0;
  uint64_t ib = 0;
};

struct Root {
  uint64_t ibFileEof = 0;
  uint64_t ibAMapLast = 0;
  uint64_t cbAMapFree = 0;
  uint64_t cbPMapFree = 0;
  Bref BREFNBT;
  Bref BREFBBT;
  uint8_t fAMapValid = 0;
};

struct Header {
  uint64_t bidNextP = 0;
  uint64_t bidNextB = 0;
  uint32_t dwUnique = 0;
  std::array<uint32_t, 32> rgnid{};
  Root root;
  uint8_t bCryptMethod = 1;
};

inline constexpr size_t kHeaderSize = 564;
inline constexpr uint8_t VALID_AMAP2 = 0x02;

// Encodes the PST header with both CRCs (dwCRCPartial over [8, 479), dwCRCFull over [8, 524)).
std::array<uint8_t, kHeaderSize> encode_header(const Header& header);
// The same with the layout's wMagicClient, wVer, wVerClient and rgbFM/rgbFP; the crypt method
// is header.bCryptMethod.
std::array<uint8_t, kHeaderSize> encode_header(const Header& header, const NdbLayout& layout);

}  // namespace ostfs::pstw
