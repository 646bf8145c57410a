// Special-folder roles: source entry ids resolve to the new folders, explicit roles win, and
// the new store names its special folders where Outlook looks for them.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "export/messaging/entry_ids.h"
#include "export/messaging/special_folders.h"
#include "export/pst_writer.h"
#include "parser/props.h"
#include "parser/text.h"
#include "tests/unit/export/test_support.h"

namespace ostfs::pstw {
namespace {
namespace fs = std::filesystem;
using namespace ostfs::pstw::testing;

const std::array<uint8_t, 16> kSourceKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const std::array<uint8_t, 16> kDatabase = {0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
                                           0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF};

Bytes pst_entry_id(const std::array<uint8_t, 16>& store, uint32_t nid) {
  Bytes b(4, 0);
  append_bytes(b, store);
  append_u32(b, nid);
  return b;
}

// [MS-OXCDATA] 2.2.4.1 Folder EntryID: flags, provider UID, type 1, database GUID, GLOBCNT, pad.
Bytes long_term_id(uint64_t globcnt) {
  Bytes b(4, 0);
  append_bytes(b, std::array<uint8_t, 16>{0x55});
  append_u16(b, 1);
  append_bytes(b, kDatabase);
  for (int i = 5; i >= 0; --i) append_u8(b, static_cast<uint8_t>(globcnt >> (8 * i)));
  append_u16(b, 0);
  return b;
}

model::Property binary(uint16_t id, Bytes value, uint16_t type = props::type::Binary) {
  return {id, type, std::move(value), std::nullopt};
}

// An OST folder's FID: REPLID 1, then the GLOBCNT big-endian.
model::Property fid(uint64_t globcnt) {
  Bytes b;
  append_u16(b, 1);
  for (int i = 5; i >= 0; --i) append_u8(b, static_cast<uint8_t>(globcnt >> (8 * i)));
  return {props::PidTagOstFolderFid, props::type::Int64, b, std::nullopt};
}

TEST(SourceFolderIndex, ResolvesPstEntryIdsByNid) {
  SourceFolderIndex index;
  index.add(0x8062, {}, 0x8222);
  EXPECT_EQ(index.resolve(pst_entry_id(kSourceKey, 0x8062)), std::optional<Nid>(0x8222));
  EXPECT_EQ(index.resolve(pst_entry_id(kSourceKey, 0x8082)), std::nullopt);
  index.set_store_record_key(kSourceKey);
  EXPECT_EQ(index.resolve(pst_entry_id(kSourceKey, 0x8062)), std::optional<Nid>(0x8222));
  std::array<uint8_t, 16> other = kSourceKey;
  other[0] ^= 1;
  EXPECT_EQ(index.resolve(pst_entry_id(other, 0x8062)), std::nullopt) << "an id of another store";
}

TEST(SourceFolderIndex, ResolvesLongTermIdsBySourceKeyAndFid) {
  SourceFolderIndex index;
  model::PropertyBag with_key;
  Bytes key(kDatabase.begin(), kDatabase.end());
  for (uint8_t b : {0, 0, 0, 0, 0, 0x1D}) key.push_back(b);
  with_key.props.push_back(binary(props::PidTagSourceKey, key));
  index.add(0x10, with_key, 0x8122);
  model::PropertyBag with_fid;
  with_fid.props.push_back(fid(0x1E));
  index.add(0x11, with_fid, 0x8142);
  EXPECT_EQ(index.resolve(long_term_id(0x1D)), std::optional<Nid>(0x8122));
  EXPECT_EQ(index.resolve(long_term_id(0x1E)), std::optional<Nid>(0x8142));
  EXPECT_EQ(index.resolve(long_term_id(0x1F)), std::nullopt);
  Bytes truncated = long_term_id(0x1E);
  truncated.pop_back();
  EXPECT_EQ(index.resolve(truncated), std::nullopt);
}

TEST(SourceFolderIndex, GlobcntOfTwoFoldersIsAmbiguous) {
  SourceFolderIndex index;
  model::PropertyBag a, b;
  a.props.push_back(fid(0x40));
  b.props.push_back(fid(0x40));
  index.add(0x10, a, 0x8122);
  index.add(0x11, b, 0x8142);
  EXPECT_EQ(index.resolve(long_term_id(0x40)), std::nullopt);
}

TEST(MultiBinary, RoundTripsAndRejectsBadOffsets) {
  const std::vector<Bytes> values = {{1, 2, 3}, {}, {4}};
  const Bytes joined = join_multi_binary(values);
  EXPECT_EQ(load_u32(joined.data()), 3u);
  EXPECT_EQ(load_u32(joined.data() + 4), 16u);
  EXPECT_EQ(split_multi_binary(joined), values);
  Bytes bad = joined;
  store_u32(bad.data() + 8, 100);  // second offset past the end
  EXPECT_TRUE(split_multi_binary(bad).empty());
}

TEST(SpecialFolders, ExplicitRoleWinsAndCarrierIsInbox) {
  SpecialFolders special;
  model::PropertyBag inbox;
  inbox.props.push_back(binary(props::PidTagIpmAppointmentEntryId, pst_entry_id(kSourceKey, 0x20)));
  inbox.props.push_back(binary(props::PidTagIpmDraftsEntryId, pst_entry_id(kSourceKey, 0x21)));
  special.add_source_folder(0x1F, inbox, 0x8102);
  special.add_source_folder(0x20, {}, 0x8122);
  special.add_source_folder(0x21, {}, 0x8142);
  special.add_source_folder(0x22, {}, 0x8162);
  special.set_role(0x8162, FolderRole::Drafts);
  const auto roles = special.roles();
  EXPECT_EQ(roles.at(FolderRole::Inbox), 0x8102u);
  EXPECT_EQ(roles.at(FolderRole::Calendar), 0x8122u);
  EXPECT_EQ(roles.at(FolderRole::Drafts), 0x8162u) << "explicit beats the source's 0x36D7";
  EXPECT_EQ(roles.count(FolderRole::Outbox), 0u);
}

TEST(SpecialFolders, AdditionalRenExKeepsOnlyBlocksOfWrittenFolders) {
  SpecialFolders special;
  Bytes ex;
  for (auto [persist, nid] : {std::pair<uint16_t, uint32_t>{0x8006, 0x30}, {0x8004, 0x31}}) {
    append_u16(ex, persist);
    append_u16(ex, 4 + kPstEntryIdSize);
    append_u16(ex, 0x0001);  // RSF_ELID_ENTRYID
    append_u16(ex, kPstEntryIdSize);
    append_bytes(ex, pst_entry_id(kSourceKey, nid));
  }
  append_u32(ex, 0);
  model::PropertyBag root;
  root.props.push_back(binary(props::PidTagAdditionalRenEntryIdsEx, ex));
  special.set_source_store({}, root);
  special.add_source_folder(0x30, {}, 0x8182);  // 0x31 (a search folder) is never written
  const StoreGuid key{9};
  const auto props = special.root_properties(special.roles(), key);
  const OwnedProperty* p = find_property(props, props::PidTagAdditionalRenEntryIdsEx);
  ASSERT_NE(p, nullptr);
  Bytes want;
  append_u16(want, 0x8006);
  append_u16(want, 4 + kPstEntryIdSize);
  append_u16(want, 0x0001);
  append_u16(want, kPstEntryIdSize);
  append_bytes(want, make_entry_id(key, 0x8182));
  append_u32(want, 0);
  EXPECT_EQ(p->value, want);
}

model::Folder source_folder(uint32_t nid, const std::string& name) {
  model::Folder f;
  f.nid = nid;
  f.name = name;
  std::string u = text::utf8_to_utf16le(name);
  f.props.props.push_back({props::PidTagDisplayName, props::type::Unicode, Bytes(u.begin(), u.end()), std::nullopt});
  return f;
}

std::set<std::string> dump(const fs::path& pst) {
  CommandResult r = run_command(python_tool("dump_special.py") + " " + shell_quote(pst));
  EXPECT_EQ(r.status, 0) << r.out;
  return lines_of(r.out);
}

TEST(SpecialFoldersEndToEnd, SourceEntryIdsAndExplicitRolesReachStoreRootAndInbox) {
  const fs::path dir = fresh_test_dir("special_folders");
  const fs::path pst = dir / "roles.pst";
  std::string inbox_hex, outbox_hex, sent_hex, calendar_hex, junk_hex, tasks_hex;
  auto hexnid = [](FolderRef r) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", r);
    return std::string(buf);
  };
  {
    PstWriter w(pst, {"Roles"});
    model::PropertyBag store, root;
    store.props.push_back(binary(props::PidTagRecordKey, Bytes(kSourceKey.begin(), kSourceKey.end())));
    store.props.push_back(binary(props::PidTagIpmOutboxEntryId, pst_entry_id(kSourceKey, 0x10A2)));
    store.props.push_back(binary(props::PidTagIpmSentMailEntryId, pst_entry_id(kSourceKey, 0x10C2)));
    root.props.push_back(binary(props::PidTagIpmTaskEntryId, pst_entry_id(kSourceKey, 0x1122)));
    w.set_source_store(store, root);
    model::Folder inbox = source_folder(0x1082, "Posteingang");
    inbox.props.props.push_back(binary(props::PidTagIpmAppointmentEntryId, pst_entry_id(kSourceKey, 0x10E2)));
    std::vector<Bytes> ren = {{}, {}, {}, {}, pst_entry_id(kSourceKey, 0x1102)};
    inbox.props.props.push_back(binary(props::PidTagAdditionalRenEntryIds, join_multi_binary(ren), props::type::MvBinary));
    const FolderRef in = w.add_folder(w.ipm_subtree(), inbox);
    const FolderRef out = w.add_folder(w.ipm_subtree(), source_folder(0x10A2, "Postausgang"));
    const FolderRef sent = w.add_folder(w.ipm_subtree(), source_folder(0x10C2, "Gesendete Elemente"));
    const FolderRef cal = w.add_folder(w.ipm_subtree(), source_folder(0x10E2, "Kalender"));
    w.add_folder(w.ipm_subtree(), source_folder(0x1102, "Junk-E-Mail (alt)"));
    const FolderRef junk = w.add_folder(w.ipm_subtree(), source_folder(0x1142, "Junk-E-Mail"), FolderRole::JunkEmail);
    const FolderRef tasks = w.add_folder(w.ipm_subtree(), source_folder(0x1122, "Aufgaben"));
    w.map_source_folder(source_folder(0x1062, "Gelöschte Elemente"), w.deleted_items());
    EXPECT_THROW(w.set_folder_role(cal, FolderRole::DeletedItems), std::invalid_argument);
    EXPECT_THROW(w.add_folder(w.ipm_subtree(), source_folder(0x1200, "X"), FolderRole::DeletedItems),
                 std::invalid_argument);
    EXPECT_EQ(w.folder_with_role(FolderRole::Inbox), std::optional<FolderRef>(in));
    EXPECT_EQ(w.folder_with_role(FolderRole::JunkEmail), std::optional<FolderRef>(junk));
    EXPECT_EQ(w.folder_with_role(FolderRole::DeletedItems), std::optional<FolderRef>(w.deleted_items()));
    inbox_hex = hexnid(in), outbox_hex = hexnid(out), sent_hex = hexnid(sent), calendar_hex = hexnid(cal);
    junk_hex = hexnid(junk), tasks_hex = hexnid(tasks);
    w.finish();
  }
  const auto lines = dump(pst);
  for (const std::string& want : std::vector<std::string>{"STORE MASK 0x9f", "STORE 0x35e2 " + outbox_hex, "STORE 0x35e4 " + sent_hex,
        "FOLDER 0x122 0x36d0 " + calendar_hex, "FOLDER " + inbox_hex + " 0x36d0 " + calendar_hex,
        "FOLDER 0x122 0x36d4 " + tasks_hex, "REN 0x122 4 " + junk_hex, "REN 0x122 0 -",
        "RECEIVE \"\" " + inbox_hex, "RECEIVE \"IPM\" " + inbox_hex, "RECEIVE \"REPORT.IPM\" " + inbox_hex})
    EXPECT_TRUE(lines.count(want)) << "missing: " << want;
  CommandResult info = run_command("pffinfo " + shell_quote(pst));
  EXPECT_EQ(info.status, 0) << info.out;
  // The merged Deleted Items keeps the source's (German) name.
  CommandResult tree = run_command(python_tool("check_structure.py") + " " + shell_quote(pst));
  EXPECT_EQ(tree.status, 0) << tree.out;
  CommandResult names = run_command("pffexport -q -m items -t " + shell_quote(dir / "x") + " " + shell_quote(pst) +
                                    " && ls " + shell_quote(dir / "x.export" / "Top of Personal Folders"));
  EXPECT_NE(names.out.find("Gelöschte Elemente"), std::string::npos) << names.out;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

TEST(SpecialFoldersEndToEnd, WithoutRolesTheRootReceivesAsInEmptyPst) {
  const fs::path dir = fresh_test_dir("no_roles");
  const fs::path pst = dir / "plain.pst";
  {
    PstWriter w(pst, {"Plain"});
    w.add_folder(w.ipm_subtree(), source_folder(0x1082, "Inbox"));
    w.finish();
  }
  const auto lines = dump(pst);
  EXPECT_TRUE(lines.count("STORE MASK 0x89"));
  EXPECT_TRUE(lines.count("RECEIVE \"\" 0x122"));
  EXPECT_EQ(lines.count("RECEIVE \"IPM\" 0x122"), 0u);
  for (const std::string& l : lines) EXPECT_EQ(l.rfind("FOLDER", 0), std::string::npos) << l;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

TEST(SpecialFolders, SentMailEntryIdNamesTheSourceSentItemsOnly) {
  SpecialFolders special;
  model::PropertyBag store;
  store.props.push_back(binary(props::PidTagRecordKey, Bytes(kSourceKey.begin(), kSourceKey.end())));
  store.props.push_back(binary(props::PidTagIpmSentMailEntryId, pst_entry_id(kSourceKey, 0x10C2)));
  special.set_source_store(store, {});
  Bytes flagged = pst_entry_id(kSourceKey, 0x10C2);
  flagged[0] = 0x80;  // rgbFlags differ; the store and folder are the same
  std::array<uint8_t, 16> other_store = kSourceKey;
  other_store[15] ^= 0xFF;
  // Before Sent Items is written: compared with the store's own id.
  EXPECT_TRUE(special.names_source_sent_items(pst_entry_id(kSourceKey, 0x10C2)));
  EXPECT_TRUE(special.names_source_sent_items(flagged));
  EXPECT_FALSE(special.names_source_sent_items(pst_entry_id(kSourceKey, 0x10A2)));
  EXPECT_FALSE(special.names_source_sent_items(pst_entry_id(other_store, 0x10C2)));
  EXPECT_FALSE(special.names_source_sent_items(Bytes{1, 2, 3}));
  EXPECT_TRUE(special.is_source_sent_items(0x10C2, {}));
  EXPECT_FALSE(special.is_source_sent_items(0x10A2, {}));
  // Once written, ids resolve through the folders: only the one with the role counts.
  special.add_source_folder(0x10A2, {}, 0x8102);
  EXPECT_FALSE(special.names_source_sent_items(pst_entry_id(kSourceKey, 0x10A2))) << "the Outbox";
  special.add_source_folder(0x10C2, {}, 0x8122);
  EXPECT_TRUE(special.names_source_sent_items(pst_entry_id(kSourceKey, 0x10C2)));
  EXPECT_FALSE(special.names_source_sent_items(pst_entry_id(kSourceKey, 0x9982))) << "a folder not written";
  EXPECT_FALSE(special.names_source_sent_items(pst_entry_id(other_store, 0x10C2)));
  // Without the store's id, an unwritten folder cannot be recognised.
  SpecialFolders bare;
  EXPECT_FALSE(bare.names_source_sent_items(pst_entry_id(kSourceKey, 0x10C2)));
  EXPECT_FALSE(bare.is_source_sent_items(0x10C2, {}));
}

model::Message message_with_sent_mail(const std::string& subject, std::optional<Bytes> sent_mail) {
  model::Message m;
  std::string u = text::utf8_to_utf16le(subject);
  m.props.props.push_back({props::PidTagSubject, props::type::Unicode, Bytes(u.begin(), u.end()), std::nullopt});
  if (sent_mail) m.props.props.push_back(binary(props::PidTagSentMailEntryId, *sent_mail));
  return m;
}

std::string hex_nid(FolderRef r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", r);
  return buf;
}

TEST(SpecialFoldersEndToEnd, SentMailEntryIdsFollowTheNewSentItems) {
  const fs::path dir = fresh_test_dir("sent_mail");
  const fs::path pst = dir / "sent.pst";
  std::array<uint8_t, 16> other_store = kSourceKey;
  other_store[0] ^= 0xFF;
  FolderRef sent = 0;
  {
    PstWriter w(pst, {"Sent"});
    model::PropertyBag store;
    store.props.push_back(binary(props::PidTagRecordKey, Bytes(kSourceKey.begin(), kSourceKey.end())));
    store.props.push_back(binary(props::PidTagIpmSentMailEntryId, pst_entry_id(kSourceKey, 0x10C2)));
    w.set_source_store(store, {});
    // The Outbox comes first: its message names a Sent Items that is not written yet.
    const FolderRef outbox = w.add_folder(w.ipm_subtree(), source_folder(0x10A2, "Outbox"));
    w.add_message(outbox, message_with_sent_mail("before", pst_entry_id(kSourceKey, 0x10C2)));
    w.add_message(outbox, message_with_sent_mail("to outbox", pst_entry_id(kSourceKey, 0x10A2)));
    sent = w.add_folder(w.ipm_subtree(), source_folder(0x10C2, "Sent Items"));
    EXPECT_EQ(w.folder_with_role(FolderRole::SentItems), std::optional<FolderRef>(sent));
    const FolderRef drafts = w.add_folder(w.ipm_subtree(), source_folder(0x10E2, "Drafts"));
    w.add_message(drafts, message_with_sent_mail("after", pst_entry_id(kSourceKey, 0x10C2)));
    w.add_message(drafts, message_with_sent_mail("other store", pst_entry_id(other_store, 0x10C2)));
    w.add_message(drafts, message_with_sent_mail("nowhere", pst_entry_id(kSourceKey, 0x7777)));
    w.add_message(drafts, message_with_sent_mail("garbage", Bytes{1, 2, 3}));
    w.add_message(drafts, message_with_sent_mail("none", std::nullopt));
    w.finish();
  }
  const auto lines = dump(pst);
  for (const std::string& want : {"STORE 0x35e4 " + hex_nid(sent), "SENTMAIL before " + hex_nid(sent),
                                  "SENTMAIL after " + hex_nid(sent)})
    EXPECT_TRUE(lines.count(want)) << "missing: " << want;
  size_t sent_mail_lines = 0;
  for (const std::string& l : lines) sent_mail_lines += l.rfind("SENTMAIL ", 0) == 0;
  EXPECT_EQ(sent_mail_lines, 2u) << "the ids naming another folder, store or nothing are dropped";
  CommandResult tree = run_command(python_tool("check_structure.py") + " " + shell_quote(pst));
  EXPECT_EQ(tree.status, 0) << tree.out;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

TEST(SpecialFoldersEndToEnd, PromisedSentItemsIsCreatedWhenTheSourceNeverHadIt) {
  const fs::path dir = fresh_test_dir("sent_mail_missing");
  const fs::path pst = dir / "missing.pst";
  {
    PstWriter w(pst, {"Missing"});
    model::PropertyBag store;
    store.props.push_back(binary(props::PidTagIpmSentMailEntryId, pst_entry_id(kSourceKey, 0x10C2)));
    w.set_source_store(store, {});
    const FolderRef drafts = w.add_folder(w.ipm_subtree(), source_folder(0x10E2, "Drafts"));
    w.add_message(drafts, message_with_sent_mail("draft", pst_entry_id(kSourceKey, 0x10C2)));
    w.finish();
  }
  const auto lines = dump(pst);
  std::string store_sent, message_sent;
  for (const std::string& l : lines) {
    if (l.rfind("STORE 0x35e4 ", 0) == 0) store_sent = l.substr(13);
    if (l.rfind("SENTMAIL draft ", 0) == 0) message_sent = l.substr(15);
  }
  EXPECT_FALSE(message_sent.empty());
  EXPECT_EQ(message_sent, store_sent) << "the empty Sent Items made at finish() has the role";
  CommandResult tree = run_command(python_tool("check_structure.py") + " " + shell_quote(pst));
  EXPECT_EQ(tree.status, 0) << tree.out;
  CommandResult names = run_command("pffexport -q -m items -t " + shell_quote(dir / "x") + " " + shell_quote(pst) +
                                    " && ls " + shell_quote(dir / "x.export" / "Top of Personal Folders"));
  EXPECT_NE(names.out.find("Sent Items"), std::string::npos) << names.out;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace ostfs::pstw
