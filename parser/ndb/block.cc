#include "parser/ndb/block.h"

#include <zlib.h>

#include <string>

#include "parser/ndb/crc.h"
#include "parser/ndb/errors.h"

namespace ostfs::ndb {

size_t block_disk_size(const BbtEntry& entry, const Layout& layout) {
  const size_t raw = entry.cb + layout.block_trailer_size;
  return (raw + layout.block_alignment - 1) / layout.block_alignment * layout.block_alignment;
}

Bytes inflate_exact(std::span<const uint8_t> data, size_t size) {
  Bytes out(size);
  uLongf out_size = static_cast<uLongf>(size);
  uLong in_size = static_cast<uLong>(data.size());
  const int rc = ::uncompress2(out.data(), &out_size, data.data(), &in_size);
  if (rc != Z_OK)
    throw CorruptError("zlib stream does not inflate to " + std::to_string(size) + " bytes (zlib error " +
                       std::to_string(rc) + ")");
  if (out_size != size)
    throw CorruptError("zlib stream inflates to " + std::to_string(out_size) + " bytes, not " + std::to_string(size));
  return out;
}

Bytes decode_block(std::span<const uint8_t> raw, const BbtEntry& entry, const Layout& layout, CryptMethod crypt) {
  const std::string where = "block " + hex(entry.bid) + " at " + hex(entry.ib);
  if (raw.size() != block_disk_size(entry, layout) || raw.size() > layout.max_block_size)
    throw CorruptError(where + ": cb " + std::to_string(entry.cb) + " too large");
  const uint8_t* t = raw.data() + raw.size() - layout.block_trailer_size;
  const uint16_t cb = load_u16(t);
  uint32_t stored_crc = 0;
  uint64_t bid = 0;
  if (layout.format == Format::Ansi) {
    bid = load_u32(t + 4);
    stored_crc = load_u32(t + 8);
  } else {
    stored_crc = load_u32(t + 4);
    bid = load_u64(t + 8);
  }
  if (cb != entry.cb)
    throw CorruptError(where + ": trailer cb " + std::to_string(cb) + ", BBT says " + std::to_string(entry.cb));
  if ((bid & ~uint64_t{1}) != (entry.bid & ~uint64_t{1}))
    throw CorruptError(where + ": trailer bid " + hex(bid) + " does not match");
  const std::span<const uint8_t> stored = raw.first(cb);
  // Some writers leave dwCRC zero; Outlook always sets it.
  if (stored_crc != 0) {
    const uint32_t crc = compute_crc(stored);
    if (crc != stored_crc) throw CrcError(where + ": bad CRC (stored " + hex(stored_crc) + ", computed " + hex(crc) + ")");
  }
  Bytes data;
  if (layout.compressed_blocks && entry.cb != 0 && entry.cbInflated != 0 && entry.cb != entry.cbInflated) {
    const uint16_t trailer_inflated = load_u16(t + 18);
    if (trailer_inflated != entry.cbInflated)
      throw CorruptError(where + ": trailer inflated size " + std::to_string(trailer_inflated) + ", BBT says " +
                         std::to_string(entry.cbInflated));
    try {
      data = inflate_exact(stored, entry.cbInflated);
    } catch (const CorruptError& e) {
      throw CorruptError(where + ": " + e.what());
    }
  } else {
    data.assign(stored.begin(), stored.end());
  }
  if (!is_internal(entry.bid)) {
    if (crypt == CryptMethod::Permute) permute_decode(data);
    else if (crypt == CryptMethod::Cyclic) cyclic_crypt(data, static_cast<uint32_t>(entry.bid));
  }
  return data;
}

}  // namespace ostfs::ndb
