// NDB_CRYPT_PERMUTE ([MS-PST] 5.1 [PST:5faf4800-645d-49d1-9457-2ac40eb467bd]): the byte
// substitution Outlook applies to external data blocks when bCryptMethod is 1.
#pragma once

#include <cstdint>
#include <span>

namespace ostfs::pstw {

// Encodes data in place (the first 256 bytes of the spec's mpbbCrypt table).
void permute_encode(std::span<uint8_t> data);
// Decodes data in place (the inverse table, the spec's last 256 bytes of mpbbCrypt).
void permute_decode(std::span<uint8_t> data);

}  // namespace ostfs::pstw
