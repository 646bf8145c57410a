// The PST CRC ([MS-PST] 5.3): reflected CRC-32, polynomial 0xEDB88320, initial value 0,
// no final XOR. It guards the header, every page and every block.
#pragma once

#include <cstdint>
#include <span>

namespace ostfs::ndb {

uint32_t compute_crc(std::span<const uint8_t> data, uint32_t crc = 0);

}  // namespace ostfs::ndb
