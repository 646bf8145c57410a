// Resolves the source store's folder entry ids to folders of the new store. Two forms occur:
// PST entry ids ([MS-PST] 2.4.3.2: rgbFlags, the store's record key, the NID), which name the
// folder by its source NID, and Exchange long-term ids in OSTs ([MS-OXCDATA] 2.2.4.1 Folder
// EntryID: flags, provider UID, folder type, database GUID, GLOBCNT, pad), which name it by
// its Exchange folder id (PidTagSourceKey, or the OST's PidTagOstFolderFid).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>

#include "export/ndb/nid.h"
#include "parser/model.h"

namespace ostfs::pstw {

inline constexpr size_t kPstEntryIdSize = 24;
inline constexpr size_t kLongTermFolderEntryIdSize = 46;

class SourceFolderIndex {
 public:
  // When known, PST entry ids must carry this record key to resolve: ids of other stores
  // (archives, shared mailboxes) hold NIDs that mean nothing here.
  void set_store_record_key(std::span<const uint8_t> record_key);
  // Records that the source folder `source_nid` with properties `props` became `target`.
  void add(uint32_t source_nid, const model::PropertyBag& props, Nid target);
  // The new folder an entry id names, or nullopt when it names no recorded folder.
  std::optional<Nid> resolve(std::span<const uint8_t> entry_id) const;

 private:
  using Globcnt = std::array<uint8_t, 6>;
  using SourceKey = std::array<uint8_t, 22>;  // database GUID + GLOBCNT
  std::optional<std::array<uint8_t, 16>> record_key_;
  std::map<uint32_t, Nid> by_nid_;
  std::map<SourceKey, Nid> by_source_key_;
  // A GLOBCNT alone is unique only within one replica; nullopt marks one seen twice.
  std::map<Globcnt, std::optional<Nid>> by_globcnt_;
};

}  // namespace ostfs::pstw
