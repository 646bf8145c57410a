#include "parser/ndb/header.h"

#include <cstring>
#include <string>

#include "parser/ndb/crc.h"
#include "parser/ndb/errors.h"
#include "parser/ndb/le.h"

namespace ostfs::ndb {
namespace {

Format format_of(uint16_t wVer) {
  if (wVer == 14 || wVer == 15) return Format::Ansi;
  if (wVer == 21 || wVer == 23) return Format::Unicode;
  if (wVer == 36 || wVer == 37) return Format::Unicode4k;
  throw CorruptError("HEADER: unsupported wVer " + std::to_string(wVer));
}

void check_crc(std::span<const uint8_t> bytes, size_t crc_offset, size_t from, size_t to, const char* field) {
  const uint32_t stored = load_u32(bytes.data() + crc_offset);
  const uint32_t computed = compute_crc(bytes.subspan(from, to - from));
  if (stored != computed)
    throw CrcError(std::string("HEADER: bad ") + field + " (stored " + hex(stored) + ", computed " + hex(computed) +
                   ")");
}

}  // namespace

Header parse_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < 512) throw CorruptError("HEADER: file too small (" + std::to_string(bytes.size()) + " bytes)");
  if (std::memcmp(bytes.data(), "!BDN", 4) != 0) throw CorruptError("HEADER: bad dwMagic (not a PST or OST file)");
  Header h;
  const uint8_t* p = bytes.data();
  h.wMagicClient = load_u16(p + 8);
  if (h.wMagicClient != kClientPst && h.wMagicClient != kClientOst && h.wMagicClient != kClientPab)
    throw CorruptError("HEADER: unknown wMagicClient " + hex(h.wMagicClient));
  h.wVer = load_u16(p + 10);
  h.wVerClient = load_u16(p + 12);
  h.format = format_of(h.wVer);
  // dwCRCPartial covers [8, 479) in both forms.
  check_crc(bytes, 4, 8, 479, "dwCRCPartial");
  uint8_t crypt = 0;
  if (h.format == Format::Ansi) {
    h.bidNextB = load_u32(p + 24);
    h.bidNextP = load_u32(p + 28);
    h.dwUnique = load_u32(p + 32);
    for (size_t i = 0; i < 32; ++i) h.rgnid[i] = load_u32(p + 36 + 4 * i);
    const uint8_t* root = p + 164;
    h.ibFileEof = load_u32(root + 4);
    h.BREFNBT = {load_u32(root + 20), load_u32(root + 24)};
    h.BREFBBT = {load_u32(root + 28), load_u32(root + 32)};
    h.fAMapValid = root[36];
    crypt = p[461];
  } else {
    if (bytes.size() < kHeaderSize) throw CorruptError("HEADER: file too small for a Unicode header");
    check_crc(bytes, 524, 8, 524, "dwCRCFull");
    h.bidNextP = load_u64(p + 32);
    h.dwUnique = load_u32(p + 40);
    for (size_t i = 0; i < 32; ++i) h.rgnid[i] = load_u32(p + 44 + 4 * i);
    const uint8_t* root = p + 180;
    h.ibFileEof = load_u64(root + 4);
    h.BREFNBT = {load_u64(root + 36), load_u64(root + 44)};
    h.BREFBBT = {load_u64(root + 52), load_u64(root + 60)};
    h.fAMapValid = root[68];
    crypt = p[513];
    h.bidNextB = load_u64(p + 516);
  }
  if (crypt > 2) throw CorruptError("HEADER: unsupported bCryptMethod " + hex(crypt));
  h.bCryptMethod = static_cast<CryptMethod>(crypt);
  return h;
}

}  // namespace ostfs::ndb
