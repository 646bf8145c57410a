// Helpers shared by the RTF tests.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ostfs::rtf::test {

inline std::vector<uint8_t> bytes_of(std::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

inline std::vector<uint8_t> read_fixture(const std::string& name) {
  const std::string path = std::string(OSTFS_RTF_TEST_DATA) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// An independent UTF-8 check (not ostfs::text's): well-formed, shortest form, no
// surrogates, nothing above U+10FFFF.
inline bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += n;
  }
  return true;
}

// [MS-OXRTFCP] 2.1.3.2 CRC, computed bit by bit so that it does not share the table of
// the code under test.
inline uint32_t spec_crc(const std::vector<uint8_t>& bytes) {
  uint32_t crc = 0;
  for (uint8_t b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return crc;
}

inline void put_le32(std::vector<uint8_t>& out, uint32_t v) {
  for (int k = 0; k < 4; ++k) out.push_back(static_cast<uint8_t>(v >> (8 * k)));
}

constexpr uint32_t kLZFu = 0x75465A4C;
constexpr uint32_t kMELA = 0x414C454D;

// Builds a PR_RTF_COMPRESSED stream around `contents` with a correct COMPSIZE and, for
// LZFu, a correct CRC.
inline std::vector<uint8_t> make_stream(uint32_t comp_type, uint32_t raw_size,
                                        const std::vector<uint8_t>& contents) {
  std::vector<uint8_t> out;
  put_le32(out, static_cast<uint32_t>(contents.size() + 12));
  put_le32(out, raw_size);
  put_le32(out, comp_type);
  put_le32(out, comp_type == kLZFu ? spec_crc(contents) : 0);
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

}  // namespace ostfs::rtf::test
