// The file HEADER and its ROOT ([MS-PST] 2.2.2.6, 2.2.2.5), ANSI and Unicode forms; OST 2013+
// files use the Unicode form with wVer 36/37.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "parser/ndb/crypt.h"
#include "parser/ndb/format.h"

namespace ostfs::ndb {

// A block or page reference ([MS-PST] 2.2.2.4 BREF).
struct Bref {
  uint64_t bid = 0;
  uint64_t ib = 0;
};

inline constexpr uint16_t kClientPst = 0x4D53;  // wMagicClient "SM"
inline constexpr uint16_t kClientOst = 0x4F53;  // "SO"
inline constexpr uint16_t kClientPab = 0x4241;  // "AB"

struct Header {
  Format format = Format::Unicode;
  uint16_t wMagicClient = 0;
  uint16_t wVer = 0;
  uint16_t wVerClient = 0;
  CryptMethod bCryptMethod = CryptMethod::None;
  uint64_t bidNextB = 0;
  uint64_t bidNextP = 0;
  uint32_t dwUnique = 0;
  std::array<uint32_t, 32> rgnid{};
  uint64_t ibFileEof = 0;
  Bref BREFNBT;
  Bref BREFBBT;
  uint8_t fAMapValid = 0;
};

// Bytes to read from offset 0 to parse either form.
inline constexpr size_t kHeaderSize = 564;

// Parses and checks the header: dwMagic "!BDN", a known wMagicClient and wVer, the CRCs
// (dwCRCPartial; dwCRCFull too in Unicode files) and bCryptMethod. Throws CorruptError,
// or CrcError when only a CRC is wrong.
Header parse_header(std::span<const uint8_t> bytes);

}  // namespace ostfs::ndb
