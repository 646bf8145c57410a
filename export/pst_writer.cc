#include "export/pst_writer.h"

#include <stdexcept>

#include "export/messaging/columns.h"
#include "export/messaging/folder.h"
#include "export/messaging/message.h"
#include "export/messaging/named_props.h"
#include "export/messaging/special_folders.h"
#include "export/messaging/store.h"
#include "export/messaging/store_links.h"
#include "export/messaging/table_row.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"
#include "parser/props.h"

namespace ostfs::pstw {

PstWriter::PstWriter(const std::filesystem::path& path, WriterOptions options)
    : options_(std::move(options)),
      file_(std::make_unique<FileWriter>(path, options_.layout)),
      nids_(std::make_unique<NidAllocator>()),
      names_(std::make_unique<NameToIdMap>()),
      special_(std::make_unique<SpecialFolders>()),
      record_key_(random_guid()),
      links_(std::make_unique<StoreLinks>(record_key_)) {
  create_folder(NID_ROOT_FOLDER, NID_ROOT_FOLDER, "");
  create_folder(NID_IPM_SUBTREE, NID_ROOT_FOLDER, "Top of Personal Folders");
  create_folder(NID_SEARCH_ROOT, NID_ROOT_FOLDER, "Search Root");
  FolderState& deleted = folder(create_folder(NID_DELETED_ITEMS, NID_IPM_SUBTREE, "Deleted Items"));
  set_property(deleted.props, props::PidTagComment, props::type::Unicode, utf16_bytes("Deleted Items folder"));
  special_->set_role(NID_DELETED_ITEMS, FolderRole::DeletedItems);
  // The SPAM search folder is a search folder written by store.cc; the root lists it.
  folder(NID_ROOT_FOLDER).children.push_back(NID_SPAM_SEARCH_FOLDER);
  nids_->reserve(NID_SPAM_SEARCH_FOLDER);
  // libpff refuses a name-to-id map with an empty entry stream and pst-extractor one with an
  // empty string stream; Outlook's new stores are never empty either. Seed one numeric and
  // one string name that Outlook itself registers in every new store (Empty.pst).
  constexpr uint32_t kPidLidSideEffects = 0x8510;
  names_->npid(model::NamedId{props::PSETID_Common, kPidLidSideEffects, {}});
  names_->npid(model::NamedId{props::PS_INTERNET_HEADERS, std::nullopt, u"content-class"});
}

PstWriter::~PstWriter() = default;

FolderRef PstWriter::ipm_subtree() const { return NID_IPM_SUBTREE; }
FolderRef PstWriter::deleted_items() const { return NID_DELETED_ITEMS; }
FolderRef PstWriter::search_root() const { return NID_SEARCH_ROOT; }

FolderState& PstWriter::folder(FolderRef ref) {
  auto it = folders_.find(ref);
  if (it == folders_.end()) throw std::invalid_argument("unknown folder NID " + std::to_string(ref));
  return *it->second;
}

FolderRef PstWriter::create_folder(Nid nid, FolderRef parent, std::string_view name) {
  auto state = std::make_unique<FolderState>();
  state->nid = nid;
  state->parent = parent;
  set_property(state->props, props::PidTagDisplayName, props::type::Unicode, utf16_bytes(name));
  for (uint8_t t : {nid_type::NORMAL_FOLDER, nid_type::HIERARCHY_TABLE, nid_type::CONTENTS_TABLE,
                    nid_type::ASSOC_CONTENTS_TABLE})
    nids_->reserve(make_nid(t, nid_index_of(nid)));
  if (nid != parent) folder(parent).children.push_back(nid);
  folders_.emplace(nid, std::move(state));
  return nid;
}

FolderRef PstWriter::add_folder(FolderRef parent, const model::Folder& source, FolderRole role) {
  if (finished_) throw std::logic_error("PstWriter::add_folder after finish()");
  folder(parent);  // validates before allocating
  if (role == FolderRole::DeletedItems)
    throw std::invalid_argument("the Deleted Items role belongs to deleted_items(); use map_source_folder");
  // Messages written earlier already name the source's Sent Items by a promised NID.
  const bool promised = promised_sent_items_ && !promise_kept_ &&
                        (role == FolderRole::SentItems || special_->is_source_sent_items(source.nid, source.props));
  const Nid nid = promised ? *promised_sent_items_ : nids_->next(nid_type::NORMAL_FOLDER);
  promise_kept_ = promise_kept_ || promised;
  create_folder(nid, parent, source.name);
  FolderState& state = folder(nid);
  auto props = prepare_properties(source.props, 1252, *names_, ObjectKind::Folder);
  if (find_property(props, props::PidTagDisplayName) == nullptr)
    props.push_back(*find_property(state.props, props::PidTagDisplayName));
  state.props = std::move(props);
  special_->add_source_folder(source.nid, source.props, nid);
  if (source.nid != 0) links_->map(source.nid, nid);
  if (role != FolderRole::None) special_->set_role(nid, role);
  return nid;
}

void PstWriter::set_folder_role(FolderRef ref, FolderRole role) {
  folder(ref);
  if (role == FolderRole::DeletedItems && ref != NID_DELETED_ITEMS)
    throw std::invalid_argument("only deleted_items() can have the Deleted Items role");
  if (role != FolderRole::None) special_->set_role(ref, role);
}

void PstWriter::map_source_folder(const model::Folder& source, FolderRef target) {
  FolderState& state = folder(target);
  special_->add_source_folder(source.nid, source.props, target);
  if (source.nid != 0) links_->map(source.nid, target);
  // The skeleton's Deleted Items is named in English; a merged source folder keeps the
  // user's name for it ("Éléments supprimés").
  if (target == NID_DELETED_ITEMS && !source.name.empty())
    set_property(state.props, props::PidTagDisplayName, props::type::Unicode, utf16_bytes(source.name));
}

void PstWriter::set_source_store(const model::PropertyBag& store, const model::PropertyBag& root_folder) {
  special_->set_source_store(store, root_folder);
  if (const std::vector<uint8_t>* key = store.binary(props::PidTagRecordKey)) links_->set_source_record_key(*key);
}

namespace {
// A damaged source can hold any index; keeping one near the end of the 27-bit space would
// leave no fresh NIDs for the rest of the export (and none for Outlook afterwards).
constexpr uint32_t kLargestKeptIndex = 1u << 26;

bool is_message_nid(uint32_t nid, uint8_t type) {
  return nid_type_of(nid) == type && nid_index_of(nid) != 0 && nid_index_of(nid) <= kLargestKeptIndex;
}
}  // namespace

void PstWriter::reserve_source_messages(std::span<const uint32_t> source_nids) {
  for (uint32_t nid : source_nids) {
    if (!is_message_nid(nid, nid_type::NORMAL_MESSAGE) && !is_message_nid(nid, nid_type::ASSOC_MESSAGE)) continue;
    // The counter moves past every reserved NID, so fresh NIDs never take one.
    nids_->reserve(nid);
    if (!links_->target_of(nid)) links_->map(nid, nid);
  }
}

uint32_t PstWriter::message_nid(uint32_t source_nid, bool associated) {
  const uint8_t type = associated ? nid_type::ASSOC_MESSAGE : nid_type::NORMAL_MESSAGE;
  if (is_message_nid(source_nid, type) && message_nids_.insert(source_nid)) {
    nids_->reserve(source_nid);
    links_->map(source_nid, source_nid);
    return source_nid;
  }
  const Nid nid = nids_->next(type);
  message_nids_.insert(nid);
  // Links go to the first item written with a source NID (a recovered copy of a live item
  // comes later); a reserved NID nobody could take (the item is of the other kind) moves.
  const bool taken = message_nids_.contains(source_nid);
  if (source_nid != 0 && !taken) links_->map(source_nid, nid);
  return nid;
}

std::optional<FolderRef> PstWriter::folder_with_role(FolderRole role) const {
  const auto roles = special_->roles();
  auto it = roles.find(role);
  if (it == roles.end()) return std::nullopt;
  return it->second;
}

std::optional<Nid> PstWriter::sent_items_for(std::span<const uint8_t> entry_id) {
  if (!special_->names_source_sent_items(entry_id)) return std::nullopt;
  if (std::optional<FolderRef> sent = folder_with_role(FolderRole::SentItems)) return *sent;
  if (!promised_sent_items_) promised_sent_items_ = nids_->next(nid_type::NORMAL_FOLDER);
  return promised_sent_items_;
}

void PstWriter::add_message(FolderRef folder_ref, const model::Message& message, const AttachmentDataSource& data) {
  if (finished_) throw std::logic_error("PstWriter::add_message after finish()");
  FolderState& target = folder(folder_ref);
  if (target.contents_table_written || target.assoc_table_written)
    throw std::logic_error("PstWriter::add_message to folder " + std::to_string(folder_ref) +
                           " after finish_folder_contents()");
  int32_t flags = message.props.int32(props::PidTagMessageFlags).value_or(0);
  const bool associated = (flags & MSGFLAG_ASSOCIATED) != 0;
  std::vector<OwnedProperty> store_ids;
  if (const std::vector<uint8_t>* sent = message.props.binary(props::PidTagSentMailEntryId))
    if (std::optional<Nid> sent_items = sent_items_for(*sent))
      store_ids.push_back({props::PidTagSentMailEntryId, props::type::Binary, make_entry_id(record_key_, *sent_items)});
  const Nid nid = message_nid(message.nid, associated);
  MessageContext ctx{*file_, *nids_, *names_, links_.get(), data ? &data : nullptr, {}};
  WrittenMessage written = write_message(ctx, message, store_ids);
  file_->add_node({nid, written.node.bidData, written.node.bidSub, folder_ref});
  const OwnedProperty* f = find_property(written.props, props::PidTagMessageFlags);
  flags = static_cast<int32_t>(load_u32(f->value.data()));
  static const TcLayout kContents = layout_columns(contents_columns());
  static const TcLayout kAssociated = layout_columns(assoc_contents_columns());
  const TcRow row = make_row(associated ? kAssociated : kContents, nid, file_->next_unique(), written.props);
  add_table_row(*file_, *nids_, target, associated, row);
  if (!associated) {
    ++target.content_count;
    if ((flags & MSGFLAG_READ) == 0) ++target.unread;
  }
  ++message_count_;
}

void PstWriter::finish_folder_contents(FolderRef folder_ref) {
  if (finished_) throw std::logic_error("PstWriter::finish_folder_contents after finish()");
  write_contents_tables(*file_, *nids_, folder(folder_ref));
}

void PstWriter::finish() {
  if (finished_) throw std::logic_error("PstWriter::finish called twice");
  finished_ = true;
  if (promised_sent_items_ && !promise_kept_) {
    // Messages name a Sent Items the source has but the export never wrote (unreadable, or
    // the caller skipped it): an empty one keeps their entry ids pointing at a folder.
    create_folder(*promised_sent_items_, NID_IPM_SUBTREE, "Sent Items");
    if (!special_->roles().count(FolderRole::SentItems))
      special_->set_role(*promised_sent_items_, FolderRole::SentItems);
  }
  const StoreGuid& record_key = record_key_;
  const std::map<FolderRole, Nid> roles = special_->roles();
  // Outlook reads these ids from the root folder and from the Inbox ([MS-OXOSFLD] 2.2.2).
  const std::vector<OwnedProperty> root_ids = special_->root_properties(roles, record_key);
  const auto inbox = roles.find(FolderRole::Inbox);
  for (Nid carrier : {NID_ROOT_FOLDER, inbox != roles.end() ? inbox->second : NID_ROOT_FOLDER})
    for (const OwnedProperty& p : root_ids) set_property(folder(carrier).props, p.id, p.type, p.value);
  write_store_pc(*file_, *nids_, options_.store_display_name, record_key, special_->store_properties(roles, record_key),
                 special_->valid_folder_mask_bits(roles));
  for (const auto& [nid, state] : folders_) {
    std::vector<std::vector<OwnedProperty>> children;
    for (Nid child : state->children)
      children.push_back(child == NID_SPAM_SEARCH_FOLDER ? spam_search_folder_props()
                                                         : final_folder_props(*folders_.at(child)));
    write_folder(*file_, *nids_, *state, children);
  }
  write_spam_search_folder(*file_, *nids_);
  write_internal_nodes(*file_, *nids_, inbox != roles.end() ? std::optional<Nid>(inbox->second) : std::nullopt);
  write_name_to_id_map(*file_, *nids_, *names_);
  file_->finish(nids_->rgnid());
}

}  // namespace ostfs::pstw
