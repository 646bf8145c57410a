// The PST CRC ([MS-PST] 5.3 [PST:39c35207-130f-4d83-96f8-2b311a285a8f]): reflected CRC-32
// (polynomial 0xEDB88320) with initial value 0 and no final XOR. It protects the header,
// pages and blocks, and hashes string names in the name-to-id map.
#pragma once

#include <cstdint>
#include <span>

namespace ostfs::pstw {

// Continues a CRC over `data`; pass the previous result as `crc` to checksum in pieces.
uint32_t compute_crc(std::span<const uint8_t> data, uint32_t crc = 0);

}  // namespace ostfs::pstw
