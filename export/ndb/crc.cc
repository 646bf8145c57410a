#include "export/ndb/crc.h"

#include <isa-l/crc.h>

namespace ostfs::pstw {

// Every block written is CRC'd: ISA-L's gzip CRC-32 (same polynomial) runs at memory speed
// where a byte-wise table took seconds per GB. It inverts the register on entry and exit; the
// PST CRC does neither, so both inversions are undone around the call.
uint32_t compute_crc(std::span<const uint8_t> data, uint32_t crc) {
  if (data.empty()) return crc;
  return ~crc32_gzip_refl(~crc, data.data(), data.size());
}

}  // namespace ostfs::pstw
