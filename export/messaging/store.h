// The store-level nodes ([MS-PST] 2.7.1 mandatory nodes, 2.4.3 message store; the set and
// values follow Outlook's new files, pst-writer-notes.md §3): message store PC, name-to-id
// map, search nodes, table templates, receive-folder and outgoing-queue tables, and the
// "SPAM Search Folder 2" search folder.
#pragma once

#include <array>
#include <optional>
#include <vector>
#include <string>

#include "export/messaging/named_props.h"
#include "export/messaging/property_filter.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {

using StoreGuid = std::array<uint8_t, 16>;

inline constexpr Nid NID_IPM_SUBTREE = 0x8022;
inline constexpr Nid NID_SEARCH_ROOT = 0x8042;
inline constexpr Nid NID_DELETED_ITEMS = 0x8062;
inline constexpr Nid NID_SPAM_SEARCH_FOLDER = 0x2223;

StoreGuid random_guid();

// Entry ID of an object in this store ([MS-PST] 2.4.3.2): rgbFlags 0, the store's
// PidTagRecordKey, then the NID.
Bytes make_entry_id(const StoreGuid& record_key, Nid nid);

// The message store PC. `extra` adds properties (the Outbox and Sent Items entry ids) and
// `extra_mask_bits` their PidTagValidFolderMask bits.
void write_store_pc(FileWriter& file, NidAllocator& nids, const std::string& display_name, const StoreGuid& record_key,
                    const std::vector<OwnedProperty>& extra = {}, int32_t extra_mask_bits = 0);
void write_name_to_id_map(FileWriter& file, NidAllocator& nids, const NameToIdMap& names);
// Search queue/activity/domain nodes, templates, receive-folder table, outgoing queue. With an
// `inbox`, messages of every class ("", "IPM", "REPORT.IPM") are received there, as in
// Outlook's stores; without one, the root folder receives them, as in Outlook's Empty.pst.
void write_internal_nodes(FileWriter& file, NidAllocator& nids, std::optional<Nid> inbox);

// The SPAM search folder's final properties (for its row in the root's hierarchy table).
std::vector<OwnedProperty> spam_search_folder_props();
// Writes the search folder PC, update queue, criteria and search contents table.
void write_spam_search_folder(FileWriter& file, NidAllocator& nids);

}  // namespace ostfs::pstw
