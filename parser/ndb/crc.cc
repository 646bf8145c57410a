#include "parser/ndb/crc.h"

#include <zlib.h>

namespace ostfs::ndb {

// The CRC runs over every byte read, attachments included, so it uses zlib's CRC-32 (the
// same polynomial, computed several bytes at a time). zlib inverts the register on entry and
// on exit; the PST CRC does neither, so both inversions are undone around the call.
uint32_t compute_crc(std::span<const uint8_t> data, uint32_t crc) {
  if (data.empty()) return crc;  // zlib answers 0 for a null buffer, whatever the CRC so far
  return ~static_cast<uint32_t>(crc32_z(~crc & 0xFFFFFFFFu, data.data(), data.size()));
}

}  // namespace ostfs::ndb
