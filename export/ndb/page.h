// Pages ([MS-PST] 2.2.2.7 [PST:5774b4f2-cdc4-453e-996a-8c8230116930]): 512 bytes, 512-aligned,
// ending in a PAGETRAILER [PST:f4ccb38a-930a-4db4-98df-a69c195926ba]; 4 KiB with a 24-byte
// trailer in the Ost2013 layout.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "export/ndb/layout.h"

namespace ostfs::pstw {

inline constexpr size_t kPageSize = kPstGeometry.page_size;            // 512
inline constexpr size_t kPageDataSize = kPstGeometry.page_data_size;  // 496, bytes before the trailer
using Page = std::array<uint8_t, kPageSize>;

namespace ptype {
inline constexpr uint8_t BBT = 0x80;
inline constexpr uint8_t NBT = 0x81;
inline constexpr uint8_t FMap = 0x82;
inline constexpr uint8_t PMap = 0x83;
inline constexpr uint8_t AMap = 0x84;
inline constexpr uint8_t FPMap = 0x85;
inline constexpr uint8_t DL = 0x86;
}  // namespace ptype

// Fills the trailer: ptype, ptypeRepeat, wSig, dwCRC over bytes [0, 496), bid.
void seal_page(Page& page, uint8_t type, uint16_t wSig, uint64_t bid);
// The same for a page of `layout.page_size()` bytes, the CRC over its page_data_size() bytes.
// Throws std::invalid_argument when `page` has another size.
void seal_page(const NdbLayout& layout, std::span<uint8_t> page, uint8_t type, uint16_t wSig, uint64_t bid);

}  // namespace ostfs::pstw
