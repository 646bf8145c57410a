// Special-folder roles ([MS-OXOSFLD] 2.2) in the new store: which folder is the Inbox, Sent
// Items, Calendar..., decided from the caller's explicit roles and from the source's own entry
// ids, and the properties that record them: the store's Outbox and Sent Items entry ids and
// PidTagValidFolderMask bits, the root folder's and the Inbox's entry ids of the other
// special folders, and the receive folder (pst-writer-notes.md §6).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <vector>

#include "export/folder_role.h"
#include "export/messaging/entry_ids.h"
#include "export/messaging/property_filter.h"
#include "export/messaging/store.h"
#include "parser/model.h"

namespace ostfs::pstw {

class SpecialFolders {
 public:
  // Records a source folder written as `target`; its entry-id properties (the source's Inbox
  // carries those of the other special folders) take part in resolving roles.
  void add_source_folder(uint32_t source_nid, const model::PropertyBag& props, Nid target);
  // The source's message store and root folder properties (entry ids of Outbox, Sent Items
  // and of the folders the root lists).
  void set_source_store(const model::PropertyBag& store, const model::PropertyBag& root_folder);
  // An explicit role: wins over what the source's entry ids say. A role given twice keeps
  // the last folder.
  void set_role(Nid folder, FolderRole role);

  // Every role with its folder. Explicit roles first; then, for roles and folders still
  // free, the source's entry ids; the Inbox is the source folder that carries the entry ids
  // of the other special folders, as Outlook's Inbox does.
  std::map<FolderRole, Nid> roles() const;

  // Whether a message's PidTagSentMailEntryId names the source's Sent Items: the folder it
  // resolves to has the Sent Items role now, or, before that folder is written, it names the
  // same folder as the source store's PidTagIpmSentMailEntryId.
  bool names_source_sent_items(std::span<const uint8_t> entry_id) const;
  // Whether the source folder `source_nid` with `props` is the one the source store's
  // PidTagIpmSentMailEntryId names.
  bool is_source_sent_items(uint32_t source_nid, const model::PropertyBag& props) const;

  // Outbox and Sent Items entry ids for the store PC, and the PidTagValidFolderMask bits
  // the roles add.
  std::vector<OwnedProperty> store_properties(const std::map<FolderRole, Nid>& roles, const StoreGuid& record_key) const;
  int32_t valid_folder_mask_bits(const std::map<FolderRole, Nid>& roles) const;
  // Entry ids for the root folder and the Inbox: PidTagIpm*EntryId, PidTagAdditionalRenEntryIds
  // and the source's PidTagAdditionalRenEntryIdsEx with every block that names a written folder.
  std::vector<OwnedProperty> root_properties(const std::map<FolderRole, Nid>& roles, const StoreGuid& record_key) const;

 private:
  struct Carrier {
    std::optional<Nid> folder;  // nullopt: the source root folder
    std::vector<model::Property> ids;
  };
  Bytes remap_additional_ren_ex(std::span<const uint8_t> value, const StoreGuid& record_key) const;

  SourceFolderIndex index_;
  std::optional<Bytes> source_record_key_;
  std::vector<std::pair<Nid, FolderRole>> explicit_;
  std::vector<Carrier> carriers_;
  std::vector<model::Property> store_ids_;
};

// PtypMultipleBinary as stored in a PC ([MS-PST] 2.3.3.4.2): ulCount, ulCount offsets from
// the value's start, then the values.
std::vector<Bytes> split_multi_binary(std::span<const uint8_t> value);
Bytes join_multi_binary(const std::vector<Bytes>& values);

}  // namespace ostfs::pstw
