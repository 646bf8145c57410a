// Little-endian loads from byte buffers. Callers check bounds first; these never do.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ostfs::ndb {

using Bytes = std::vector<uint8_t>;

inline uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t load_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
inline uint64_t load_u64(const uint8_t* p) {
  return static_cast<uint64_t>(load_u32(p)) | (static_cast<uint64_t>(load_u32(p + 4)) << 32);
}
// A 4- or 8-byte field: BIDs, offsets and NIDs are 32-bit in ANSI files, 64-bit otherwise.
inline uint64_t load_uint(const uint8_t* p, size_t width) { return width == 4 ? load_u32(p) : load_u64(p); }

}  // namespace ostfs::ndb
