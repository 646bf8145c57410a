#include "parser/ndb/crc.h"

#include <isa-l/crc.h>

namespace ostfs::ndb {

// The CRC runs over every byte read, attachments included, so it uses ISA-L's CRC-32 of the
// same polynomial (gzip's), which folds 64 bytes at a time with carry-less multiplies (zlib's
// table-driven one was 8% of a full read). Like zlib's, it inverts the register on entry and
// on exit; the PST CRC does neither, so both inversions are undone around the call.
uint32_t compute_crc(std::span<const uint8_t> data, uint32_t crc) {
  if (data.empty()) return crc;
  return ~crc32_gzip_refl(~crc, data.data(), data.size());
}

}  // namespace ostfs::ndb
