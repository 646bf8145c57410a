// Node IDs ([MS-PST] 2.2.2.1): a 5-bit nidType and a 27-bit nidIndex, and the special NIDs
// of [MS-PST] 2.4.1 that a reader looks up.
#pragma once

#include <cstdint>

namespace ostfs::ndb {

namespace nid_type {
inline constexpr uint8_t NORMAL_FOLDER = 0x02;
inline constexpr uint8_t NORMAL_MESSAGE = 0x04;
inline constexpr uint8_t ATTACHMENT = 0x05;
inline constexpr uint8_t ASSOC_MESSAGE = 0x08;
inline constexpr uint8_t HIERARCHY_TABLE = 0x0D;
inline constexpr uint8_t CONTENTS_TABLE = 0x0E;
inline constexpr uint8_t ASSOC_CONTENTS_TABLE = 0x0F;
}  // namespace nid_type

constexpr uint8_t nid_type_of(uint32_t nid) { return nid & 0x1F; }
// The NID of the same index with another type: a folder's tables share its nidIndex.
constexpr uint32_t with_nid_type(uint32_t nid, uint8_t type) { return (nid & ~uint32_t{0x1F}) | type; }

inline constexpr uint32_t NID_MESSAGE_STORE = 0x21;
inline constexpr uint32_t NID_NAME_TO_ID_MAP = 0x61;
inline constexpr uint32_t NID_ROOT_FOLDER = 0x122;
// Subnodes of every message ([MS-PST] 2.4.5).
inline constexpr uint32_t NID_ATTACHMENT_TABLE = 0x671;
inline constexpr uint32_t NID_RECIPIENT_TABLE = 0x692;

}  // namespace ostfs::ndb
