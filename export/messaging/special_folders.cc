#include "export/messaging/special_folders.h"

#include <algorithm>
#include <set>

#include "parser/props.h"

namespace ostfs::pstw {
namespace {
using namespace props;

// PidTagValidFolderMask bits ([MS-OXPROPS] 2.1054).
constexpr int32_t FOLDER_IPM_INBOX_VALID = 0x02;
constexpr int32_t FOLDER_IPM_OUTBOX_VALID = 0x04;
constexpr int32_t FOLDER_IPM_SENTMAIL_VALID = 0x10;

// PidTagAdditionalRenEntryIdsEx ([MS-OXOSFLD] 2.2.5): PersistData blocks of PersistElements.
constexpr uint16_t PERSIST_SENTINEL = 0x0000;
constexpr uint16_t RSF_ELID_ENTRYID = 0x0001;

struct RootId {
  uint16_t id;
  FolderRole role;
};
constexpr RootId kRootIds[] = {
    {PidTagIpmAppointmentEntryId, FolderRole::Calendar}, {PidTagIpmContactEntryId, FolderRole::Contacts},
    {PidTagIpmJournalEntryId, FolderRole::Journal},      {PidTagIpmNoteEntryId, FolderRole::Notes},
    {PidTagIpmTaskEntryId, FolderRole::Tasks},           {PidTagIpmDraftsEntryId, FolderRole::Drafts},
};
// PidTagAdditionalRenEntryIds by index ([MS-OXOSFLD] 2.2.4).
constexpr FolderRole kAdditionalRen[] = {FolderRole::Conflicts, FolderRole::SyncIssues, FolderRole::LocalFailures,
                                         FolderRole::ServerFailures, FolderRole::JunkEmail};

bool is_special_id(uint16_t id) {
  for (const RootId& r : kRootIds)
    if (r.id == id) return true;
  return id == PidTagAdditionalRenEntryIds || id == PidTagAdditionalRenEntryIdsEx;
}

const model::Property* find_in(const std::vector<model::Property>& props, uint16_t id) {
  for (const model::Property& p : props)
    if (p.id == id) return &p;
  return nullptr;
}
}  // namespace

std::vector<Bytes> split_multi_binary(std::span<const uint8_t> v) {
  std::vector<Bytes> out;
  if (v.size() < 4) return out;
  const uint32_t count = load_u32(v.data());
  if (count > (v.size() - 4) / 4) return out;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t start = load_u32(v.data() + 4 + 4 * i);
    const uint32_t end = i + 1 < count ? load_u32(v.data() + 8 + 4 * i) : static_cast<uint32_t>(v.size());
    if (start > end || end > v.size()) return {};
    out.emplace_back(v.begin() + start, v.begin() + end);
  }
  return out;
}

Bytes join_multi_binary(const std::vector<Bytes>& values) {
  Bytes out;
  append_u32(out, static_cast<uint32_t>(values.size()));
  uint32_t offset = static_cast<uint32_t>(4 + 4 * values.size());
  for (const Bytes& v : values) {
    append_u32(out, offset);
    offset += static_cast<uint32_t>(v.size());
  }
  for (const Bytes& v : values) append_bytes(out, v);
  return out;
}

void SpecialFolders::add_source_folder(uint32_t source_nid, const model::PropertyBag& props, Nid target) {
  index_.add(source_nid, props, target);
  Carrier c{target, {}};
  for (const model::Property& p : props.props)
    if (is_special_id(p.id)) c.ids.push_back(p);
  if (!c.ids.empty()) carriers_.push_back(std::move(c));
}

void SpecialFolders::set_source_store(const model::PropertyBag& store, const model::PropertyBag& root_folder) {
  if (const auto* key = store.binary(PidTagRecordKey)) {
    index_.set_store_record_key(*key);
    source_record_key_ = Bytes(key->begin(), key->end());
  }
  store_ids_.clear();
  for (const model::Property& p : store.props)
    if (p.id == PidTagIpmOutboxEntryId || p.id == PidTagIpmSentMailEntryId) store_ids_.push_back(p);
  Carrier root{std::nullopt, {}};
  for (const model::Property& p : root_folder.props)
    if (is_special_id(p.id)) root.ids.push_back(p);
  std::erase_if(carriers_, [](const Carrier& c) { return !c.folder; });
  carriers_.insert(carriers_.begin(), std::move(root));
}

void SpecialFolders::set_role(Nid folder, FolderRole role) {
  std::erase_if(explicit_, [&](const auto& e) { return e.second == role; });
  explicit_.emplace_back(folder, role);
}

std::map<FolderRole, Nid> SpecialFolders::roles() const {
  std::map<FolderRole, Nid> out;
  std::set<Nid> taken;
  for (const auto& [nid, role] : explicit_) {
    if (role == FolderRole::None) continue;
    out[role] = nid;
    taken.insert(nid);
  }
  auto infer = [&](FolderRole role, std::span<const uint8_t> entry_id) {
    if (out.count(role)) return;
    std::optional<Nid> nid = index_.resolve(entry_id);
    if (!nid || taken.count(*nid)) return;
    out[role] = *nid;
    taken.insert(*nid);
  };
  if (const model::Property* p = find_in(store_ids_, PidTagIpmOutboxEntryId)) infer(FolderRole::Outbox, p->value);
  if (const model::Property* p = find_in(store_ids_, PidTagIpmSentMailEntryId)) infer(FolderRole::SentItems, p->value);
  if (!out.count(FolderRole::Inbox)) {
    for (const Carrier& c : carriers_) {
      const bool names_folders = std::any_of(c.ids.begin(), c.ids.end(), [](const model::Property& p) {
        return p.id != PidTagAdditionalRenEntryIdsEx;
      });
      if (c.folder && names_folders && !taken.count(*c.folder)) {
        out[FolderRole::Inbox] = *c.folder;
        taken.insert(*c.folder);
        break;
      }
    }
  }
  for (const Carrier& c : carriers_) {
    for (const RootId& r : kRootIds)
      if (const model::Property* p = find_in(c.ids, r.id); p && p->type == type::Binary) infer(r.role, p->value);
    if (const model::Property* p = find_in(c.ids, PidTagAdditionalRenEntryIds); p && p->type == type::MvBinary) {
      const std::vector<Bytes> ids = split_multi_binary(p->value);
      for (size_t i = 0; i < ids.size() && i < std::size(kAdditionalRen); ++i) infer(kAdditionalRen[i], ids[i]);
    }
  }
  return out;
}

bool SpecialFolders::names_source_sent_items(std::span<const uint8_t> entry_id) const {
  const std::map<FolderRole, Nid> now = roles();
  const auto sent = now.find(FolderRole::SentItems);
  if (std::optional<Nid> nid = index_.resolve(entry_id))
    return sent != now.end() && sent->second == *nid;  // a written folder, but another one
  if (sent != now.end()) return false;  // Sent Items is written and this id does not name it
  const model::Property* store_sent = find_in(store_ids_, PidTagIpmSentMailEntryId);
  if (!store_sent || store_sent->type != type::Binary) return false;
  // Not written yet: the same folder as the store's own id says. rgbFlags (the first 4
  // bytes) may differ between two ids of one folder; the rest names the store and folder.
  const std::span<const uint8_t> want = store_sent->value;
  return entry_id.size() == want.size() && entry_id.size() > 4 &&
         std::equal(entry_id.begin() + 4, entry_id.end(), want.begin() + 4);
}

bool SpecialFolders::is_source_sent_items(uint32_t source_nid, const model::PropertyBag& props) const {
  const model::Property* store_sent = find_in(store_ids_, PidTagIpmSentMailEntryId);
  if (!store_sent || store_sent->type != type::Binary) return false;
  SourceFolderIndex one;
  if (source_record_key_) one.set_store_record_key(*source_record_key_);
  one.add(source_nid, props, source_nid);
  return one.resolve(store_sent->value).has_value();
}

std::vector<OwnedProperty> SpecialFolders::store_properties(const std::map<FolderRole, Nid>& roles,
                                                            const StoreGuid& record_key) const {
  std::vector<OwnedProperty> out;
  if (auto it = roles.find(FolderRole::Outbox); it != roles.end())
    set_property(out, PidTagIpmOutboxEntryId, type::Binary, make_entry_id(record_key, it->second));
  if (auto it = roles.find(FolderRole::SentItems); it != roles.end())
    set_property(out, PidTagIpmSentMailEntryId, type::Binary, make_entry_id(record_key, it->second));
  return out;
}

int32_t SpecialFolders::valid_folder_mask_bits(const std::map<FolderRole, Nid>& roles) const {
  int32_t bits = 0;
  if (roles.count(FolderRole::Inbox)) bits |= FOLDER_IPM_INBOX_VALID;
  if (roles.count(FolderRole::Outbox)) bits |= FOLDER_IPM_OUTBOX_VALID;
  if (roles.count(FolderRole::SentItems)) bits |= FOLDER_IPM_SENTMAIL_VALID;
  return bits;
}

Bytes SpecialFolders::remap_additional_ren_ex(std::span<const uint8_t> v, const StoreGuid& record_key) const {
  Bytes out;
  size_t off = 0;
  while (off + 4 <= v.size()) {
    const uint16_t persist_id = load_u16(v.data() + off);
    const uint16_t size = load_u16(v.data() + off + 2);
    if (persist_id == PERSIST_SENTINEL || off + 4 + size > v.size()) break;
    Bytes elements;
    bool keep = true;
    for (size_t e = off + 4; e + 4 <= off + 4 + size;) {
      const uint16_t element_id = load_u16(v.data() + e);
      const uint16_t element_size = load_u16(v.data() + e + 2);
      if (e + 4 + element_size > off + 4 + size) {
        keep = false;
        break;
      }
      std::span<const uint8_t> data = v.subspan(e + 4, element_size);
      Bytes replaced(data.begin(), data.end());
      if (element_id == RSF_ELID_ENTRYID) {
        std::optional<Nid> nid = index_.resolve(data);
        if (!nid) {
          keep = false;  // names a folder not written (a search folder, an unread part of the tree)
          break;
        }
        replaced = make_entry_id(record_key, *nid);
      }
      append_u16(elements, element_id);
      append_u16(elements, static_cast<uint16_t>(replaced.size()));
      append_bytes(elements, replaced);
      e += 4 + element_size;
    }
    if (keep) {
      append_u16(out, persist_id);
      append_u16(out, static_cast<uint16_t>(elements.size()));
      append_bytes(out, elements);
    }
    off += 4 + size;
  }
  if (out.empty()) return out;
  append_u32(out, 0);  // PERSIST_SENTINEL with DataElementsSize 0
  return out;
}

std::vector<OwnedProperty> SpecialFolders::root_properties(const std::map<FolderRole, Nid>& roles,
                                                           const StoreGuid& record_key) const {
  std::vector<OwnedProperty> out;
  for (const RootId& r : kRootIds)
    if (auto it = roles.find(r.role); it != roles.end())
      set_property(out, r.id, type::Binary, make_entry_id(record_key, it->second));
  std::vector<Bytes> ren;
  bool any = false;
  for (FolderRole role : kAdditionalRen) {
    auto it = roles.find(role);
    any = any || it != roles.end();
    ren.push_back(it != roles.end() ? make_entry_id(record_key, it->second) : Bytes{});
  }
  if (any) set_property(out, PidTagAdditionalRenEntryIds, type::MvBinary, join_multi_binary(ren));
  for (const Carrier& c : carriers_) {
    const model::Property* p = find_in(c.ids, PidTagAdditionalRenEntryIdsEx);
    if (!p || p->type != type::Binary) continue;
    Bytes remapped = remap_additional_ren_ex(p->value, record_key);
    if (!remapped.empty()) set_property(out, PidTagAdditionalRenEntryIdsEx, type::Binary, std::move(remapped));
    break;
  }
  return out;
}

}  // namespace ostfs::pstw
