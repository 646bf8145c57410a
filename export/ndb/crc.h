// The PST CRC ([MS-PST] 5.3 [PST:39c35207-130f-4d83-96f8-2b311a285a8f]): reflected CRC-32
// (polynomial 0xEDB88320) with initial value 0 and no final XOR. It protects the header,
// pages and blocks, and hashes string names in the name-to-id map. The writer computes it
// with the reader's function; the tests check both against CRCs in Outlook's own files.
#pragma once

#include "parser/ndb/crc.h"

namespace ostfs::pstw {

// Continues a CRC over `data`; pass the previous result as `crc` to checksum in pieces.
using ndb::compute_crc;

}  // namespace ostfs::pstw
