// Writes a new Unicode PST (wVer 23, permute encoding, 512-byte pages) from model objects, or
// the same store in the OST layout of Outlook 2013+ (wVer 36, 4 KiB pages, zlib blocks) to
// make test and benchmark files. Messages stream to disk as they are added; folders, tables,
// B-trees, maps and the header are written by finish(). Layout and values:
// ../shared/docs/pst-writer-notes.md (§6b for the OST layout).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "export/folder_role.h"
#include "export/messaging/attachment_data_source.h"
#include "export/ndb/layout.h"
#include "export/ndb/nid_set.h"
#include "parser/model.h"

namespace ostfs::pstw {

struct WriterOptions {
  std::string store_display_name = "ostfs export";
  // Pst2003Unicode: what `ostfs export` writes and Outlook opens as a PST. Ost2013: an OST
  // ("SO", wVer 36) with every block zlib-compressed where that is shorter, internal blocks
  // included; Outlook does not open OSTs as data files, so this is for tests and benchmarks.
  Layout layout = Layout::Pst2003Unicode;
};

using FolderRef = uint32_t;  // NID of a folder in the new file

class FileWriter;
class NidAllocator;
class NameToIdMap;
class SpecialFolders;
class StoreLinks;
struct FolderState;

class PstWriter {
 public:
  // Creates `path` (truncating) and the mandatory skeleton: store, root 0x122, "Top of Personal
  // Folders" (0x8022), Search Root (0x8042), Deleted Items (0x8062), SPAM Search Folder 2
  // (0x2223), templates and the name-to-id map. Throws std::system_error when `path` cannot
  // be created.
  PstWriter(const std::filesystem::path& path, WriterOptions options);
  ~PstWriter();
  PstWriter(const PstWriter&) = delete;
  PstWriter& operator=(const PstWriter&) = delete;

  FolderRef ipm_subtree() const;
  FolderRef deleted_items() const;
  FolderRef search_root() const;

  // Adds a folder under `parent` with the folder's properties; counts, Subfolders and
  // store-computed properties are recomputed or dropped. Uses folder.name when the props
  // have no display name. `role` marks a special folder (see set_folder_role). folder.nid
  // and the folder's entry-id properties let the source's own special-folder entry ids find
  // their new folders. Throws std::invalid_argument for an unknown parent or for the role
  // DeletedItems (the skeleton has that folder: use map_source_folder).
  FolderRef add_folder(FolderRef parent, const model::Folder& folder, FolderRole role = FolderRole::None);

  // Gives a written folder a special role: the store, root-folder and Inbox entry ids and
  // the receive folder name it in finish(). An explicit role wins over what the source's
  // entry ids say; giving a role twice keeps the last folder. Throws std::invalid_argument
  // for an unknown folder, or for DeletedItems on another folder than deleted_items().
  void set_folder_role(FolderRef folder, FolderRole role);

  // Records that the source folder `source` was merged into `target` without add_folder
  // (the source's Deleted Items into deleted_items()), so source entry ids naming it resolve.
  // Deleted Items takes the source folder's name (localized stores). Throws
  // std::invalid_argument for an unknown target.
  void map_source_folder(const model::Folder& source, FolderRef target);

  // The source's message store properties and its root folder's properties. Their entry ids
  // (Outbox and Sent Items on the store; Calendar, Contacts, Journal, Notes, Tasks, Drafts,
  // Conflicts, Sync Issues, Local/Server Failures, Junk on the root) give roles to the
  // folders added from the source, when no explicit role says otherwise.
  void set_source_store(const model::PropertyBag& store, const model::PropertyBag& root_folder);

  // The folder that has `role` now (explicit or from the source's entry ids), if any.
  std::optional<FolderRef> folder_with_role(FolderRole role) const;

  // Reserves the source's message node ids: each message keeps its source NID in the new
  // store (add_message), so links between items ([MS-PST] entry ids in distribution-list
  // members, a contact's own entry ids) can be rewritten before the item they name is
  // written. Call before the first add_message with every message and associated message the
  // export will add; NIDs that are not of a message type are ignored.
  void reserve_source_messages(std::span<const uint32_t> source_nids);

  // Adds a message with its recipients, attachments (data must be loaded) and embedded
  // messages. Its blocks are written now. Messages flagged MSGFLAG_ASSOCIATED become FAI
  // messages. The message keeps message.nid when that is a free NID of its kind, else gets a
  // new one. Entry ids naming items of the source store (by its PidTagRecordKey, see
  // set_source_store) that were reserved, written or added as folders are rewritten to name
  // the new items. A PidTagSentMailEntryId naming the source's Sent Items is rewritten to name the
  // new store's Sent Items; one naming another folder, another store or nothing is dropped.
  // When the Sent Items folder is not written yet, its NID is promised now: add_folder gives
  // it to the source's Sent Items, and finish() creates an empty "Sent Items" if none came.
  // Throws std::invalid_argument for an unknown folder or unloaded attachment data,
  // std::length_error beyond a format limit, std::system_error on I/O errors; after a throw
  // the file is still consistent for the messages added before.
  // With `data`, attachments whose data is not loaded are read from it as they are written,
  // a block at a time (what it throws goes through).
  void add_message(FolderRef folder, const model::Message& message, const AttachmentDataSource& data = {});

  // No more messages will come for `folder`: its contents tables are written now and their
  // rows freed, so memory does not grow with the number of messages exported. add_message()
  // to it afterwards throws std::logic_error. Throws std::invalid_argument for an unknown folder.
  void finish_folder_contents(FolderRef folder);

  // Writes folders, tables, B-trees, allocation maps, DList and the header (last), fsyncs.
  // Throws on I/O error. Without finish() the file stays invalid (zero header).
  void finish();

  uint64_t message_count() const { return message_count_; }

 private:
  FolderState& folder(FolderRef ref);
  FolderRef create_folder(uint32_t nid, FolderRef parent, std::string_view name);
  // The new Sent Items' NID for a message's PidTagSentMailEntryId, or nullopt to drop it.
  std::optional<uint32_t> sent_items_for(std::span<const uint8_t> entry_id);
  // The new message's NID: its source NID when free and of its kind, else a fresh one.
  uint32_t message_nid(uint32_t source_nid, bool associated);

  WriterOptions options_;
  std::unique_ptr<FileWriter> file_;
  std::unique_ptr<NidAllocator> nids_;
  std::unique_ptr<NameToIdMap> names_;
  std::unique_ptr<SpecialFolders> special_;
  std::map<uint32_t, std::unique_ptr<FolderState>> folders_;
  // The new store's PidTagRecordKey: fixed up front, as entry ids in messages contain it.
  std::array<uint8_t, 16> record_key_;
  std::unique_ptr<StoreLinks> links_;
  NidSet message_nids_;  // every message NID written so far
  // A Sent Items NID handed to messages before the folder was written, and whether a folder
  // has taken it since.
  std::optional<uint32_t> promised_sent_items_;
  bool promise_kept_ = false;
  uint64_t message_count_ = 0;
  bool finished_ = false;
};

}  // namespace ostfs::pstw
