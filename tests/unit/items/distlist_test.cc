// Distribution-list members that live only in PidLidDistributionListStream or only point at
// a contact or list of the store (resolved through VcfOptions::resolve_member).
#include <gtest/gtest.h>

#include <map>

#include "fs/render/entry_id.h"
#include "fs/render/vcf.h"
#include "item_builder.h"
#include "python_check.h"

namespace ostfs::render {
namespace {

using props::PSETID_Address;
using testing::Blob;
using testing::ItemBuilder;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<uint8_t> one_off(std::string_view name, std::string_view type, std::string_view address) {
  Blob b;
  b.u32(0).raw({0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02});
  b.u16(0).u16(0x8001);  // version 0; flags: Unicode, no rich text
  for (auto s : {name, type, address}) b.raw(testing::utf16(s)).u16(0);
  return b.bytes;
}

// A WrappedEntryId around a PST message entry id: `type` is 0x80 | email index << 4 | kind.
std::vector<uint8_t> wrapped(uint8_t type, uint32_t nid) {
  Blob b;
  b.u32(0).raw({0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11, 0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4});
  b.u8(type);
  b.u32(0).raw(std::vector<uint8_t>(16, 0x44)).u32(nid);
  return b.bytes;
}

// PidLidDistributionListStream with one DistListMemberInfo per {entry id, one-off}.
std::vector<uint8_t> stream(const std::vector<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>>& members) {
  Blob b;
  size_t ids = 0, one_offs = 0;
  for (const auto& [id, oo] : members) {
    ids += id.size();
    one_offs += oo.size();
  }
  b.u16(0x0001).u16(0).u32(120000).u32(0).u32(static_cast<uint32_t>(members.size()));
  b.u32(static_cast<uint32_t>(ids)).u32(static_cast<uint32_t>(one_offs)).u32(0);
  for (const auto& [id, oo] : members)
    b.u32(static_cast<uint32_t>(id.size())).raw(id).u32(static_cast<uint32_t>(oo.size())).raw(oo).u32(0);
  b.u32(0).u32(0);
  return b.bytes;
}

model::Message contact(uint32_t nid) {
  ItemBuilder b("IPM.Contact", nid);
  b.unicode(props::PidTagDisplayName, "Carol Jones")
      .named_unicode(PSETID_Address, props::PidLidEmail1AddressType, "SMTP")
      .named_unicode(PSETID_Address, props::PidLidEmail1EmailAddress, "carol@example.com")
      .named_unicode(PSETID_Address, props::PidLidEmail2AddressType, "EX")
      .named_unicode(PSETID_Address, props::PidLidEmail2EmailAddress, "/o=Org/ou=Site/cn=Recipients/cn=carol")
      .named_unicode(PSETID_Address, props::PidLidEmail2OriginalDisplayName, "carol.jones@corp.example.com")
      .named_unicode(PSETID_Address, props::PidLidFax1AddressType, "FAX")
      .named_unicode(PSETID_Address, props::PidLidFax1EmailAddress, "Carol Jones@+1 555 0100");
  return b.build();
}

model::Message nested_list(uint32_t nid) {
  ItemBuilder b("IPM.DistList", nid);
  b.unicode(props::PidTagDisplayName, "Inner")
      .binary(props::PidTagSearchKey, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  return b.build();
}

// A store of two items, as the mount's resolver would read them; counts the look-ups.
struct FakeStore {
  std::map<uint32_t, model::Message> items;
  std::vector<MemberLink> asked;
  MemberResolver resolver() {
    return [this](const MemberLink& link) -> std::optional<DistListMember> {
      asked.push_back(link);
      auto it = items.find(link.nid);
      if (it == items.end()) return std::nullopt;
      return member_from_item(it->second, link);
    };
  }
};

FakeStore store() {
  FakeStore s;
  s.items.emplace(0x2000E4, contact(0x2000E4));
  s.items.emplace(0x200104, nested_list(0x200104));
  return s;
}

// Members 1-3: Email1, Email2 (Exchange) and Fax1 of the contact; 4: the nested list;
// 5: a node that is not in the store.
model::Message list_of_links() {
  ItemBuilder b("IPM.DistList");
  b.unicode(props::PidTagDisplayName, "Linked")
      .named(PSETID_Address, props::PidLidDistributionListMembers, props::type::MvBinary,
             ItemBuilder::mv_layout({wrapped(0x83, 0x2000E4), wrapped(0x93, 0x2000E4), wrapped(0xB3, 0x2000E4),
                                     wrapped(0xB4, 0x200104), wrapped(0x83, 0x2FFFE4)}));
  return b.build();
}

TEST(DistListResolver, WithoutResolverMembersThatPointAtItemsAreWarnings) {
  const std::string card = render_vcf(list_of_links(), {.version = 4});
  EXPECT_FALSE(contains(card, "\r\nMEMBER:")) << card;
  EXPECT_TRUE(contains(card, "X-OSTFS-WARNING:member 1 points at an item in the store (node 2097380)")) << card;
}

TEST(DistListResolver, ContactSlotsAndNestedListsResolve) {
  FakeStore s = store();
  const std::string card = render_vcf(list_of_links(), {.version = 4, .resolve_member = s.resolver()});
  const auto r = testing::python_check_one(".vcf", card);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("MEMBER=mailto:carol@example.com")) << r.output;
  EXPECT_TRUE(r.has("MEMBER=mailto:carol.jones@corp.example.com")) << r.output;  // the Exchange slot's SMTP form
  EXPECT_TRUE(r.has("X-OSTFS-MEMBER=Carol Jones <carol@example.com>")) << r.output;
  EXPECT_TRUE(r.has("X-OSTFS-MEMBER=Carol Jones <FAX:Carol Jones@+1 555 0100>")) << r.output;
  EXPECT_TRUE(r.has("MEMBER=urn:uuid:01020304-0506-0708-090A-0B0C0D0E0F10")) << r.output;
  EXPECT_TRUE(r.has("X-OSTFS-MEMBER=Inner (distribution list)")) << r.output;
  EXPECT_EQ(r.lines_starting("MEMBER=").size(), 3u) << r.output;
  EXPECT_TRUE(contains(card, "X-OSTFS-WARNING:member 5 points at node 3145700 that cannot be read")) << card;
  ASSERT_EQ(s.asked.size(), 5u);
  EXPECT_EQ(s.asked[0].nid, 0x2000E4u);
  EXPECT_EQ(s.asked[0].kind, 3);
  EXPECT_EQ(s.asked[1].email_index, 1);
  EXPECT_EQ(s.asked[2].email_index, 3);
  EXPECT_EQ(s.asked[3].kind, 4);
}

TEST(DistListResolver, OneOffBesideTheLinkIsUsedWithoutAskingTheStore) {
  FakeStore s = store();
  ItemBuilder b("IPM.DistList");
  b.named(PSETID_Address, props::PidLidDistributionListMembers, props::type::MvBinary,
          ItemBuilder::mv_layout({wrapped(0x83, 0x2000E4)}))
      .named(PSETID_Address, props::PidLidDistributionListOneOffMembers, props::type::MvBinary,
             ItemBuilder::mv_layout({one_off("Carol C", "SMTP", "cc@example.com")}));
  const std::string card = render_vcf(b.build(), {.version = 4, .resolve_member = s.resolver()});
  EXPECT_TRUE(contains(card, "MEMBER:mailto:cc@example.com\r\n")) << card;
  EXPECT_TRUE(s.asked.empty());
}

TEST(MemberFromItem, EmptySlotGivesNothing) {
  EXPECT_FALSE(member_from_item(contact(1), {1, 3, 2}));  // Email3 is not set
  EXPECT_FALSE(member_from_item(contact(1), {1, 3, 7}));  // no such slot
  const auto fax = member_from_item(contact(1), {1, 3, 3});
  ASSERT_TRUE(fax);
  EXPECT_EQ(fax->address_type, "FAX");
}

TEST(DistListStream, MembersOnlyInTheStreamAreRead) {
  FakeStore s = store();
  ItemBuilder b("IPM.DistList");
  b.unicode(props::PidTagDisplayName, "Big list")
      .named_binary(PSETID_Address, props::PidLidDistributionListStream,
                    stream({{one_off("Ann", "SMTP", "ann@example.com"), {}},
                            {wrapped(0x83, 0x2000E4), one_off("Carol", "SMTP", "carol@example.com")},
                            {wrapped(0x93, 0x2000E4), {}}}));
  const std::string card = render_vcf(b.build(), {.version = 4, .resolve_member = s.resolver()});
  const auto r = testing::python_check_one(".vcf", card);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("MEMBER=mailto:ann@example.com")) << r.output;
  EXPECT_TRUE(r.has("MEMBER=mailto:carol@example.com")) << r.output;
  EXPECT_TRUE(r.has("MEMBER=mailto:carol.jones@corp.example.com")) << r.output;
  EXPECT_EQ(r.lines_starting("MEMBER=").size(), 3u) << r.output;
  EXPECT_FALSE(contains(card, "WARNING")) << card;
  EXPECT_EQ(s.asked.size(), 1u);  // only the member without a one-off
}

TEST(DistListStream, StreamWinsOverTheMemberProperties) {
  ItemBuilder b("IPM.DistList");
  b.named(PSETID_Address, props::PidLidDistributionListOneOffMembers, props::type::MvBinary,
          ItemBuilder::mv_layout({one_off("Old", "SMTP", "old@example.com")}))
      .named_binary(PSETID_Address, props::PidLidDistributionListStream,
                    stream({{one_off("New", "SMTP", "new@example.com"), {}}}));
  const std::string card = render_vcf(b.build(), {.version = 4});
  EXPECT_TRUE(contains(card, "MEMBER:mailto:new@example.com\r\n")) << card;
  EXPECT_FALSE(contains(card, "old@example.com")) << card;
}

TEST(DistListStream, DamagedStreamFallsBackToTheMemberProperties) {
  std::vector<uint8_t> damaged = stream({{one_off("New", "SMTP", "new@example.com"), {}}});
  damaged.resize(40);
  ItemBuilder b("IPM.DistList");
  b.named(PSETID_Address, props::PidLidDistributionListOneOffMembers, props::type::MvBinary,
          ItemBuilder::mv_layout({one_off("Old", "SMTP", "old@example.com")}))
      .named_binary(PSETID_Address, props::PidLidDistributionListStream, damaged);
  const std::string card = render_vcf(b.build(), {.version = 4});
  EXPECT_TRUE(contains(card, "MEMBER:mailto:old@example.com\r\n")) << card;
  EXPECT_TRUE(contains(card, "X-OSTFS-WARNING:PidLidDistributionListStream member 1 EntryIdSize")) << card;
}

struct StreamCase {
  const char* name;
  std::vector<uint8_t> bytes;
  const char* why;  // nullptr: parses
  size_t members;
};

class ParseStream : public ::testing::TestWithParam<StreamCase> {};

TEST_P(ParseStream, Case) {
  const StreamCase& c = GetParam();
  std::string why;
  const auto parsed = entry_id::parse_distribution_list_stream(c.bytes, &why);
  if (!c.why) {
    ASSERT_TRUE(parsed) << why;
    EXPECT_EQ(parsed->size(), c.members);
  } else {
    EXPECT_FALSE(parsed);
    EXPECT_TRUE(contains(why, c.why)) << why;
  }
}

std::vector<uint8_t> with_u16_at(std::vector<uint8_t> v, size_t at, uint16_t value) {
  v[at] = static_cast<uint8_t>(value);
  v[at + 1] = static_cast<uint8_t>(value >> 8);
  return v;
}
std::vector<uint8_t> with_u32_at(std::vector<uint8_t> v, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) v[at + i] = static_cast<uint8_t>(value >> (8 * i));
  return v;
}

const std::vector<uint8_t> kTwo = stream({{{1, 2, 3}, {}}, {{4, 5}, {6}}});

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseStream,
    ::testing::Values(StreamCase{"two", kTwo, nullptr, 2}, StreamCase{"empty_list", stream({}), nullptr, 0},
                      StreamCase{"short_header", std::vector<uint8_t>(kTwo.begin(), kTwo.begin() + 20), "header", 0},
                      StreamCase{"version", with_u16_at(kTwo, 0, 2), "StreamVersion 2", 0},
                      StreamCase{"huge_count", with_u32_at(kTwo, 12, 0x10000000), "CountOfEntries", 0},
                      StreamCase{"entry_past_end", with_u32_at(kTwo, 28, 5000), "member 1 EntryIdSize 5000", 0},
                      StreamCase{"one_off_past_end", with_u32_at(kTwo, 35, 5000), "member 1 one-offEntryIdSize", 0},
                      StreamCase{"cut_in_member_2", std::vector<uint8_t>(kTwo.begin(), kTwo.begin() + 52), "member 2",
                                 0}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ostfs::render
