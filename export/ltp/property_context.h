// Property Context ([MS-PST] 2.3.3 [PST:294c83c6-ff92-42f5-b6b6-876c29fa9737]): a BTH of
// (wPropId → wPropType, dwValueHnid) in a heap with client signature 0xBC.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "export/ltp/ltp_node.h"

namespace ostfs::pstw {

struct PcProperty {
  uint16_t id = 0;
  uint16_t type = 0;
  std::span<const uint8_t> value;  // stays owned by the caller until the node is written
  // A variable-size value read as it is written instead (`value` empty): always a subnode.
  ValueSource source = nullptr;
  uint64_t source_size = 0;
};

// Encodes a PC. Values of at most 4 bytes go inline, others in a HID up to 3580 bytes and in
// a subnode (NID from `new_nid`) above; empty variable values get HNID 0. Throws
// std::invalid_argument for duplicate ids or a fixed-size value of the wrong size.
// `keep_empty` gives empty values a zero-length heap allocation instead of HNID 0, for
// readers (libpff's name-to-id map) that treat HNID 0 as a missing value.
LtpNode encode_pc(std::vector<PcProperty> props, const SubnodeNidSource& new_nid, bool keep_empty = false);

// A decoded PC property: `value` for inline and HID values, `subnode` for subnode values.
struct PcEntry {
  uint16_t id = 0;
  uint16_t type = 0;
  Bytes value;
  Nid subnode = 0;
};
// Reads a PC back from its heap blocks (for tests and self-checks).
std::vector<PcEntry> read_pc(const std::vector<Bytes>& heap_blocks);

}  // namespace ostfs::pstw
