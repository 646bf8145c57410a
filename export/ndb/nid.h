// Node IDs ([MS-PST] 2.2.2.1 NID [PST:18d7644e-cb33-4e11-95c0-34d8a84fbff6]): a 5-bit nidType
// and a 27-bit nidIndex, plus the header's rgnid[] counters that hand out new indexes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ostfs::pstw {

using Nid = uint32_t;

namespace nid_type {
inline constexpr uint8_t HID = 0x00;
inline constexpr uint8_t INTERNAL = 0x01;
inline constexpr uint8_t NORMAL_FOLDER = 0x02;
inline constexpr uint8_t SEARCH_FOLDER = 0x03;
inline constexpr uint8_t NORMAL_MESSAGE = 0x04;
inline constexpr uint8_t ATTACHMENT = 0x05;
inline constexpr uint8_t SEARCH_UPDATE_QUEUE = 0x06;
inline constexpr uint8_t SEARCH_CRITERIA_OBJECT = 0x07;
inline constexpr uint8_t ASSOC_MESSAGE = 0x08;
inline constexpr uint8_t CONTENTS_TABLE_INDEX = 0x0A;
inline constexpr uint8_t RECEIVE_FOLDER_TABLE = 0x0B;
inline constexpr uint8_t OUTGOING_QUEUE_TABLE = 0x0C;
inline constexpr uint8_t HIERARCHY_TABLE = 0x0D;
inline constexpr uint8_t CONTENTS_TABLE = 0x0E;
inline constexpr uint8_t ASSOC_CONTENTS_TABLE = 0x0F;
inline constexpr uint8_t SEARCH_CONTENTS_TABLE = 0x10;
inline constexpr uint8_t ATTACHMENT_TABLE = 0x11;
inline constexpr uint8_t RECIPIENT_TABLE = 0x12;
inline constexpr uint8_t SEARCH_TABLE_INDEX = 0x13;
inline constexpr uint8_t LTP = 0x1F;
}  // namespace nid_type

constexpr Nid make_nid(uint8_t type, uint32_t index) { return (index << 5) | type; }
constexpr uint8_t nid_type_of(Nid nid) { return nid & 0x1F; }
constexpr uint32_t nid_index_of(Nid nid) { return nid >> 5; }

// Special internal NIDs ([MS-PST] 2.4.1 [PST:0510ece4-6853-4bef-8cc8-9df3468e3ff1]).
inline constexpr Nid NID_MESSAGE_STORE = 0x21;
inline constexpr Nid NID_NAME_TO_ID_MAP = 0x61;
inline constexpr Nid NID_ROOT_FOLDER = 0x122;
inline constexpr Nid NID_SEARCH_MANAGEMENT_QUEUE = 0x1E1;
inline constexpr Nid NID_SEARCH_ACTIVITY_LIST = 0x201;
inline constexpr Nid NID_SEARCH_DOMAIN_OBJECT = 0x261;
inline constexpr Nid NID_HIERARCHY_TABLE_TEMPLATE = 0x60D;
inline constexpr Nid NID_CONTENTS_TABLE_TEMPLATE = 0x60E;
inline constexpr Nid NID_ASSOC_CONTENTS_TABLE_TEMPLATE = 0x60F;
inline constexpr Nid NID_SEARCH_CONTENTS_TABLE_TEMPLATE = 0x610;
inline constexpr Nid NID_RECEIVE_FOLDER_TABLE = 0x62B;
inline constexpr Nid NID_OUTGOING_QUEUE_TABLE = 0x64C;
inline constexpr Nid NID_ATTACHMENT_TABLE = 0x671;
inline constexpr Nid NID_RECIPIENT_TABLE = 0x692;
inline constexpr Nid NID_CHANGE_HISTORY_TABLE = 0x6B6;
inline constexpr Nid NID_TOMBSTONE_TABLE = 0x6D7;
inline constexpr Nid NID_TOMBSTONE_DATE_TABLE = 0x6F8;

// The header's rgnid[]: the last nidIndex used per nidType. Fresh values follow Outlook's
// new files (pst-writer-notes.md §1 "Counters").
class NidAllocator {
 public:
  NidAllocator();
  // Returns a new NID of `type`. Throws std::length_error when the 27-bit index space is used up.
  Nid next(uint8_t type);
  // Records that `nid` is in use, so later calls never return it.
  void reserve(Nid nid);
  const std::array<uint32_t, 32>& rgnid() const { return rgnid_; }

 private:
  std::array<uint32_t, 32> rgnid_{};
};

}  // namespace ostfs::pstw
