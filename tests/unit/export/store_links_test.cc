// Links between items of the source store (entry ids naming another item: distribution-list
// members, a contact's own entry id) name the same items in the export: every message keeps its
// source node id, and the source's record key becomes the new store's.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <vector>

#include "export/messaging/special_folders.h"
#include "export/messaging/store_links.h"
#include "export/ndb/bytes.h"
#include "export/ndb/nid.h"
#include "export/pst_writer.h"
#include "parser/native_store.h"
#include "parser/props.h"
#include "parser/text.h"
#include "test_support.h"

namespace ostfs::pstw {
namespace {
namespace fs = std::filesystem;

const StoreGuid kSourceKey = {0xA4, 0x1D, 0x63, 0xDB, 0xC5, 0x3B, 0x8E, 0x4A,
                              0xB8, 0x07, 0x1E, 0x15, 0xE5, 0x57, 0x50, 0xCE};
const StoreGuid kNewKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
// [MS-OXOCNTC] 2.2.2.2.1 WrappedEntryId: the provider UID that marks a wrapped id.
const std::array<uint8_t, 16> kWrappedProvider = {0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11,
                                                  0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4};
constexpr uint32_t kListNid = 0x200044;
constexpr uint32_t kContactNid = 0x200064;

Bytes entry_id(const StoreGuid& store, uint32_t nid) {
  Bytes b(4, 0);
  append_bytes(b, store);
  append_u32(b, nid);
  return b;
}

// A distribution-list member pointing at a contact's first e-mail address (type 0xC3).
Bytes wrapped(const StoreGuid& store, uint32_t nid) {
  Bytes b(4, 0);
  append_bytes(b, kWrappedProvider);
  append_u8(b, 0xC3);
  append_bytes(b, entry_id(store, nid));
  return b;
}

std::optional<uint32_t> nid_after(std::span<const uint8_t> value, const StoreGuid& key) {
  auto hit = std::search(value.begin(), value.end(), key.begin(), key.end());
  if (hit == value.end() || value.end() - hit < 20) return std::nullopt;
  return load_u32(&*(hit + 16));
}

bool contains(std::span<const uint8_t> value, const StoreGuid& key) {
  return std::search(value.begin(), value.end(), key.begin(), key.end()) != value.end();
}

// A message that keeps its source NID is held as a bit; one that moves later (its NID went to
// another item) must be found at its new place, and a kept one again after that.
TEST(StoreLinks, AKeptNidThatMovesIsFoundAtItsNewTarget) {
  StoreLinks links(kNewKey);
  const Nid moved = make_nid(nid_type::NORMAL_MESSAGE, 0x5000);
  links.map(kListNid, kListNid);
  links.map(moved, moved);
  EXPECT_EQ(links.target_of(moved), moved);
  links.map(moved, make_nid(nid_type::NORMAL_MESSAGE, 0x9000));
  EXPECT_EQ(links.target_of(moved), make_nid(nid_type::NORMAL_MESSAGE, 0x9000));
  EXPECT_EQ(links.target_of(kListNid), kListNid);
  EXPECT_EQ(links.target_of(make_nid(nid_type::ASSOC_MESSAGE, 0x5000)), std::nullopt);
  links.map(moved, moved);
  EXPECT_EQ(links.target_of(moved), moved);
  const Nid folder = make_nid(nid_type::NORMAL_FOLDER, 0x5000);
  links.map(folder, folder);
  EXPECT_EQ(links.target_of(folder), folder);
}

TEST(StoreLinks, RewritesAnEntryIdOfAMappedItemInPlace) {
  StoreLinks links(kNewKey);
  links.set_source_record_key(kSourceKey);
  links.map(kContactNid, 0x200084);
  Bytes value = entry_id(kSourceKey, kContactNid);
  EXPECT_EQ(links.rewrite(std::span<uint8_t>(value)), 1u);
  EXPECT_EQ(value, entry_id(kNewKey, 0x200084));
}

TEST(StoreLinks, RewritesEveryWrappedMemberOfAMultiValuedBinaryAndKeepsItsLayout) {
  StoreLinks links(kNewKey);
  links.set_source_record_key(kSourceKey);
  links.map(kContactNid, kContactNid);
  links.map(0x2000A4, 0x2000A4);
  const Bytes source = join_multi_binary({wrapped(kSourceKey, kContactNid), wrapped(kSourceKey, 0x2000C4),
                                          wrapped(kSourceKey, 0x2000A4)});
  Bytes value = source;
  EXPECT_EQ(links.rewrite(std::span<uint8_t>(value)), 2u);
  ASSERT_EQ(value.size(), source.size());
  const std::vector<Bytes> members = split_multi_binary(value);
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0], wrapped(kNewKey, kContactNid));
  EXPECT_EQ(members[1], wrapped(kSourceKey, 0x2000C4)) << "a member whose item was not exported stays";
  EXPECT_EQ(members[2], wrapped(kNewKey, 0x2000A4));
}

TEST(StoreLinks, LeavesOtherStoresAndValuesWithoutAFlagsFieldAlone) {
  StoreLinks links(kNewKey);
  links.map(kContactNid, kContactNid);
  Bytes value = entry_id(kSourceKey, kContactNid);
  EXPECT_EQ(links.rewrite(std::span<uint8_t>(value)), 0u) << "the source's record key is not known yet";
  links.set_source_record_key(kSourceKey);
  StoreGuid other = kSourceKey;
  other[15] ^= 0xFF;
  Bytes foreign = entry_id(other, kContactNid);
  EXPECT_EQ(links.rewrite(std::span<uint8_t>(foreign)), 0u);
  EXPECT_EQ(foreign, entry_id(other, kContactNid));
  // The record key at the very start has no flags before it: not an entry id.
  Bytes bare(kSourceKey.begin(), kSourceKey.end());
  append_u32(bare, kContactNid);
  EXPECT_EQ(links.rewrite(std::span<uint8_t>(bare)), 0u);
  links.set_source_record_key(std::vector<uint8_t>(15, 0));
  Bytes again = entry_id(kSourceKey, kContactNid);
  EXPECT_EQ(links.rewrite(std::span<uint8_t>(again)), 0u) << "a record key of the wrong length unsets it";
}

model::Property named(uint32_t lid, uint16_t type, Bytes value) {
  model::Property p{static_cast<uint16_t>(0x8000 + (lid & 0xFF)), type, std::move(value), std::nullopt};
  p.named = model::NamedId{props::PSETID_Address, lid, {}};
  return p;
}

model::Property text(uint16_t id, std::string_view utf8) {
  const std::string v = text::utf8_to_utf16le(utf8);
  return {id, props::type::Unicode, {v.begin(), v.end()}, std::nullopt};
}

model::Message message(uint32_t nid, std::string_view subject, std::string_view message_class) {
  model::Message m;
  m.nid = nid;
  m.props.props.push_back(text(props::PidTagSubject, subject));
  m.props.props.push_back(text(props::PidTagMessageClass, message_class));
  return m;
}

class WriterLinks : public ::testing::Test {
 protected:
  fs::path dir_ = testing::fresh_test_dir("store-links");
};

TEST_F(WriterLinks, MessagesKeepSourceNidsAndListMembersNameTheNewStoreBeforeTheContactIsWritten) {
  const fs::path out = dir_ / "links.pst";
  constexpr uint32_t kEmail1OriginalEntryId = 0x8085;
  {
    PstWriter writer(out, {});
    model::PropertyBag store;
    store.props.push_back({props::PidTagRecordKey, props::type::Binary, Bytes(kSourceKey.begin(), kSourceKey.end()), {}});
    writer.set_source_store(store, {});
    model::Folder contacts;
    contacts.nid = 0x8082;
    contacts.name = "Contacts";
    const FolderRef folder = writer.add_folder(writer.ipm_subtree(), contacts);
    const std::vector<uint32_t> planned = {kListNid, kContactNid, 0x2000A4};
    writer.reserve_source_messages(planned);

    // The list comes first, as in Outlook's files: its member's contact is not written yet.
    model::Message list = message(kListNid, "Team", "IPM.DistList");
    list.props.props.push_back(named(props::PidLidDistributionListMembers, props::type::MvBinary,
                                     join_multi_binary({wrapped(kSourceKey, kContactNid)})));
    writer.add_message(folder, list);
    model::Message contact = message(kContactNid, "Ann", "IPM.Contact");
    contact.props.props.push_back(named(kEmail1OriginalEntryId, props::type::Binary, entry_id(kSourceKey, kContactNid)));
    writer.add_message(folder, contact);
    // A second item with the same source NID (a recovered copy) cannot keep it.
    writer.add_message(folder, message(kContactNid, "Ann (recovered)", "IPM.Contact"));
    writer.finish();
  }

  auto store = parser::NativeStore::open(out);
  const model::PropertyBag store_props = store->read_properties(NID_MESSAGE_STORE);
  const std::vector<uint8_t>* new_key = store_props.binary(props::PidTagRecordKey);
  ASSERT_NE(new_key, nullptr);
  ASSERT_EQ(new_key->size(), 16u);
  StoreGuid key;
  std::copy(new_key->begin(), new_key->end(), key.begin());
  ASSERT_NE(key, kSourceKey);

  uint32_t folder_nid = 0;
  for (uint32_t f : store->subfolders(NID_IPM_SUBTREE))
    if (store->read_properties(f).string(props::PidTagDisplayName, 1252) == "Contacts") folder_nid = f;
  ASSERT_NE(folder_nid, 0u);
  std::vector<uint32_t> rows;
  for (const auto& row : store->contents(folder_nid)) rows.push_back(row.nid);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], kListNid);
  EXPECT_EQ(rows[1], kContactNid);
  EXPECT_NE(rows[2], kContactNid);
  EXPECT_EQ(nid_type_of(rows[2]), nid_type::NORMAL_MESSAGE);
  EXPECT_GT(nid_index_of(rows[2]), nid_index_of(0x2000A4)) << "fresh NIDs never take a reserved one";

  const model::Message list = store->read_message(kListNid, false);
  const model::Property* members = nullptr;
  for (const model::Property& p : list.props.props)
    if (p.named && p.named->lid == props::PidLidDistributionListMembers) members = &p;
  ASSERT_NE(members, nullptr);
  EXPECT_FALSE(contains(members->value, kSourceKey));
  EXPECT_EQ(nid_after(members->value, key), std::optional<uint32_t>(kContactNid));
  const model::Message contact = store->read_message(kContactNid, false);
  EXPECT_EQ(contact.props.string(props::PidTagSubject, 1252), "Ann");
  const model::Property* own = nullptr;
  for (const model::Property& p : contact.props.props)
    if (p.named && p.named->lid == kEmail1OriginalEntryId) own = &p;
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->value, entry_id(key, kContactNid));
}

}  // namespace
}  // namespace ostfs::pstw
