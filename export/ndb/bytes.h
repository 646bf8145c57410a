// Little-endian encoding helpers shared by every on-disk structure of the writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ostfs::pstw {

using Bytes = std::vector<uint8_t>;

inline void store_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void store_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void store_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

inline void append_u8(Bytes& b, uint8_t v) { b.push_back(v); }
inline void append_u16(Bytes& b, uint16_t v) {
  b.resize(b.size() + 2);
  store_u16(b.data() + b.size() - 2, v);
}
inline void append_u32(Bytes& b, uint32_t v) {
  b.resize(b.size() + 4);
  store_u32(b.data() + b.size() - 4, v);
}
inline void append_u64(Bytes& b, uint64_t v) {
  b.resize(b.size() + 8);
  store_u64(b.data() + b.size() - 8, v);
}
inline void append_bytes(Bytes& b, std::span<const uint8_t> data) {
  b.insert(b.end(), data.begin(), data.end());
}

constexpr uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

}  // namespace ostfs::pstw
