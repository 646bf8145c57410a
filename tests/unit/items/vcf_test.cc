#include "fs/render/vcf.h"

#include <gtest/gtest.h>

#include "item_builder.h"
#include "python_check.h"

namespace ostfs::render {
namespace {

using props::PSETID_Address;
using testing::ItemBuilder;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// 1990-05-17 00:00 in UTC+2 is 1990-05-16T22:00Z: how Outlook stores PR_BIRTHDAY.
constexpr int64_t kBirthdayUtc = 642895200;

model::Message full_contact() {
  ItemBuilder b("IPM.Contact");
  b.unicode(props::PidTagDisplayName, "Dr. Jane Q. Public, Jr.")
      .unicode(props::PidTagSurname, "Public")
      .unicode(props::PidTagGivenName, "Jane")
      .unicode(props::PidTagMiddleName, "Quinn")
      .unicode(props::PidTagDisplayNamePrefix, "Dr.")
      .unicode(props::PidTagGeneration, "Jr.")
      .unicode(props::PidTagNickname, "JQ")
      .named_unicode(PSETID_Address, props::PidLidEmail1AddressType, "SMTP")
      .named_unicode(PSETID_Address, props::PidLidEmail1EmailAddress, "jane@example.com")
      .named_unicode(PSETID_Address, props::PidLidEmail2AddressType, "EX")
      .named_unicode(PSETID_Address, props::PidLidEmail2EmailAddress, "/o=Org/ou=Admin/cn=Recipients/cn=jane")
      .named_unicode(PSETID_Address, props::PidLidEmail2OriginalDisplayName, "jane.public@corp.example")
      .named_unicode(PSETID_Address, props::PidLidEmail3AddressType, "EX")
      .named_unicode(PSETID_Address, props::PidLidEmail3EmailAddress, "/o=Org/cn=nosmtp")
      .unicode(props::PidTagBusinessTelephoneNumber, "+1 555 0100")
      .unicode(props::PidTagHomeTelephoneNumber, "+1 555 0101")
      .unicode(props::PidTagMobileTelephoneNumber, "+1 555 0102")
      .unicode(props::PidTagBusinessFaxNumber, "+1 555 0103")
      .unicode(props::PidTagPagerTelephoneNumber, "+1 555 0104")
      .unicode(props::PidTagCarTelephoneNumber, "+1 555 0105")
      .unicode(props::PidTagAssistantTelephoneNumber, "+1 555 0106")
      .unicode(props::PidTagHomeAddressStreet, "1 Home Road")
      .unicode(props::PidTagHomeAddressCity, "Hometown")
      .unicode(props::PidTagHomeAddressPostalCode, "11111")
      .unicode(props::PidTagHomeAddressCountry, "Freedonia")
      .named_unicode(PSETID_Address, props::PidLidWorkAddressStreet, "2 Work Street; Suite 5")
      .named_unicode(PSETID_Address, props::PidLidWorkAddressCity, "Worktown")
      .named_unicode(PSETID_Address, props::PidLidWorkAddressState, "WS")
      .named_int32(PSETID_Address, props::PidLidPostalAddressId, 2)
      .unicode(props::PidTagOtherAddressCity, "Elsewhere")
      .unicode(props::PidTagCompanyName, "Acme, Inc.")
      .unicode(props::PidTagDepartmentName, "R&D")
      .unicode(props::PidTagTitle, "Engineer")
      .unicode(props::PidTagManagerName, "Mr. Boss")
      .unicode(props::PidTagAssistant, "Ann Assist")
      .time(props::PidTagBirthday, kBirthdayUtc)
      .unicode(props::PidTagPersonalHomePage, "http://jane.example/")
      .named_unicode(PSETID_Address, props::PidLidHtml, "http://acme.example/jane")
      .named_unicode(PSETID_Address, props::PidLidInstantMessagingAddress, "sip:jane@example.com")
      .keywords({"Friends", "VIP, Gold"})
      .unicode(props::PidTagBody, "Line one\r\nLine two; with, specials")
      .time(props::PidTagLastModificationTime, 1700000000)
      .binary(props::PidTagSearchKey,
              {0x50, 0x92, 0xC6, 0x71, 0x90, 0x94, 0xDE, 0x42, 0x8D, 0xB9, 0xC0, 0x62, 0xD9, 0x46, 0xF0, 0xA1});
  return b.build();
}

TEST(RenderVcf, ContactVersion3ReadByVobject) {
  const std::string card = render_vcf(full_contact());
  const auto r = testing::python_check_one(".vcf", card);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("VERSION=3.0")) << r.output;
  EXPECT_TRUE(r.has("FN=Dr. Jane Q. Public, Jr.")) << r.output;
  EXPECT_TRUE(r.has("N=Public;Jane;Quinn;Dr.;Jr.")) << r.output;
  EXPECT_TRUE(r.has("NICKNAME=JQ")) << r.output;
  EXPECT_TRUE(r.has("EMAIL[TYPE=INTERNET,PREF]=jane@example.com")) << r.output;
  EXPECT_TRUE(r.has("EMAIL[TYPE=INTERNET]=jane.public@corp.example")) << r.output;  // EX -> SMTP original
  EXPECT_TRUE(r.has("TEL[TYPE=WORK,VOICE]=+1 555 0100")) << r.output;
  EXPECT_TRUE(r.has("TEL[TYPE=HOME,VOICE]=+1 555 0101")) << r.output;
  EXPECT_TRUE(r.has("TEL[TYPE=CELL,VOICE]=+1 555 0102")) << r.output;
  EXPECT_TRUE(r.has("TEL[TYPE=WORK,FAX]=+1 555 0103")) << r.output;
  EXPECT_TRUE(r.has("TEL[TYPE=PAGER]=+1 555 0104")) << r.output;
  EXPECT_TRUE(r.has("TEL[TYPE=CAR,VOICE]=+1 555 0105")) << r.output;
  EXPECT_TRUE(r.has("TEL[TYPE=VOICE,X-ASSISTANT]=+1 555 0106")) << r.output;
  EXPECT_TRUE(r.has("ADR[TYPE=HOME]=;;1 Home Road;Hometown;;11111;Freedonia")) << r.output;
  EXPECT_TRUE(r.has("ADR[TYPE=WORK,PREF]=;;2 Work Street; Suite 5;Worktown;WS;;")) << r.output;
  EXPECT_TRUE(r.has("ADR[TYPE=X-OTHER]=;;;Elsewhere;;;")) << r.output;
  EXPECT_TRUE(r.has("ORG=Acme, Inc.|R&D")) << r.output;
  EXPECT_TRUE(r.has("TITLE=Engineer")) << r.output;
  EXPECT_TRUE(r.has("X-MS-MANAGER=Mr. Boss")) << r.output;
  EXPECT_TRUE(r.has("X-MS-ASSISTANT=Ann Assist")) << r.output;
  EXPECT_TRUE(r.has("BDAY[VALUE=date]=1990-05-17")) << r.output;
  EXPECT_TRUE(r.has("URL[TYPE=HOME]=http://jane.example/")) << r.output;
  EXPECT_TRUE(r.has("URL[TYPE=WORK]=http://acme.example/jane")) << r.output;
  EXPECT_TRUE(r.has("IMPP=sip:jane@example.com")) << r.output;
  EXPECT_TRUE(r.has("CATEGORIES=Friends|VIP, Gold")) << r.output;
  EXPECT_TRUE(r.has("NOTE=Line one\\nLine two; with, specials")) << r.output;
  EXPECT_TRUE(r.has("UID=5092C671-9094-DE42-8DB9-C062D946F0A1")) << r.output;
  EXPECT_TRUE(r.has("REV=2023-11-14T22:13:20Z")) << r.output;
  // Email3 is an Exchange address without SMTP form: kept out, and said why.
  EXPECT_EQ(r.lines_starting("EMAIL").size(), 2u) << r.output;
  EXPECT_TRUE(contains(card, "X-OSTFS-WARNING:Email3 has no SMTP address")) << card;
}

TEST(RenderVcf, ContactVersion4ReadByVobject) {
  const std::string card = render_vcf(full_contact(), {.version = 4});
  const auto r = testing::python_check_one(".vcf", card);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("VERSION=4.0")) << r.output;
  EXPECT_TRUE(r.has("EMAIL[PREF=1]=jane@example.com")) << r.output;
  EXPECT_TRUE(r.has("TEL[TYPE=work,voice;VALUE=text]=+1 555 0100")) << r.output;
  EXPECT_TRUE(r.has("BDAY=19900517")) << r.output;
  EXPECT_TRUE(r.has("ADR[PREF=1;TYPE=work]=;;2 Work Street; Suite 5;Worktown;WS;;")) << r.output;
  EXPECT_TRUE(r.has("REV=20231114T221320Z")) << r.output;
}

TEST(RenderVcf, BirthdayLocalWinsAndAnniversaryByVersion) {
  ItemBuilder b("IPM.Contact");
  b.unicode(props::PidTagDisplayName, "A")
      .time(props::PidTagBirthday, kBirthdayUtc)
      .named_time(PSETID_Address, props::PidLidBirthdayLocal, 643075200)  // 1990-05-19T00:00Z
      .time(props::PidTagWeddingAnniversary, 1000000000);                 // 2001-09-09T01:46Z
  const auto m = b.build();
  const std::string v3 = render_vcf(m);
  EXPECT_TRUE(contains(v3, "BDAY;VALUE=date:1990-05-19\r\n")) << v3;
  EXPECT_TRUE(contains(v3, "X-ANNIVERSARY:2001-09-09\r\n")) << v3;
  const std::string v4 = render_vcf(m, {.version = 4});
  EXPECT_TRUE(contains(v4, "ANNIVERSARY:20010909\r\n")) << v4;
}

TEST(RenderVcf, PhotoByMagicBothVersions) {
  const std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3};
  auto photo = testing::file_attachment("ContactPicture.jpg", png);
  photo.props.props.push_back({props::PidTagAttachmentContactPhoto, props::type::Boolean, {1}, {}});
  ItemBuilder b("IPM.Contact");
  b.unicode(props::PidTagDisplayName, "With Photo").attachment(std::move(photo));
  const auto m = b.build();
  const std::string v3 = render_vcf(m);
  EXPECT_TRUE(contains(v3, "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoBAgM=\r\n")) << v3;
  const auto r = testing::python_check_one(".vcf", v3);
  EXPECT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("PHOTO[ENCODING=b;TYPE=PNG]=<11 bytes>")) << r.output;
  const std::string v4 = render_vcf(m, {.version = 4});
  EXPECT_TRUE(contains(v4, "PHOTO:data:image/png;base64,iVBORw0KGgoBAgM=\r\n")) << v4;
}

TEST(RenderVcf, UnloadedPhotoIsAWarning) {
  auto photo = testing::file_attachment("p.jpg", {});
  photo.data_size = 100;
  photo.data_loaded = false;
  photo.props.props.push_back({props::PidTagAttachmentContactPhoto, props::type::Boolean, {1}, {}});
  ItemBuilder b("IPM.Contact");
  b.unicode(props::PidTagDisplayName, "X").attachment(std::move(photo));
  const std::string card = render_vcf(b.build());
  EXPECT_FALSE(contains(card, "PHOTO")) << card;
  EXPECT_TRUE(contains(card, "X-OSTFS-WARNING:contact photo not loaded")) << card;
}

TEST(RenderVcf, NamelessContactFallsBackAndIsStillValid) {
  ItemBuilder b("IPM.Contact");
  b.named_unicode(PSETID_Address, props::PidLidEmail1EmailAddress, "only@example.com");
  const std::string card = render_vcf(b.build());
  EXPECT_TRUE(contains(card, "FN:only@example.com\r\n")) << card;
  EXPECT_TRUE(contains(card, "N:;;;;\r\n")) << card;
  EXPECT_TRUE(testing::python_check_one(".vcf", card).ok);
  const std::string empty = render_vcf(ItemBuilder("IPM.Contact").build());
  EXPECT_TRUE(contains(empty, "X-OSTFS-WARNING:the contact has no name")) << empty;
  EXPECT_TRUE(contains(empty, "UID:ostfs-")) << empty;
}

TEST(RenderVcf, UidSurvivesAMoveToAnotherFile) {
  ItemBuilder b("IPM.Contact");
  b.named_unicode(PSETID_Address, props::PidLidEmail1EmailAddress, "only@example.com");
  model::Message here = b.build();
  model::Message there;  // the same contact at another node, e.g. after an export
  there.props = here.props;
  there.codepage = here.codepage;
  there.nid = here.nid + 0x1000;
  const auto uid_of = [](const std::string& card) {
    const size_t at = card.find("UID:");
    return card.substr(at, card.find("\r\n", at) - at);
  };
  EXPECT_EQ(uid_of(render_vcf(here)), uid_of(render_vcf(there)));
  ItemBuilder other("IPM.Contact");
  other.named_unicode(PSETID_Address, props::PidLidEmail1EmailAddress, "other@example.com");
  other.unicode(props::PidTagDisplayName, "Someone Else");
  EXPECT_NE(uid_of(render_vcf(other.build())), uid_of(render_vcf(here)));
}

TEST(RenderVcf, LongNonAsciiValuesFoldOnCharacterBoundaries) {
  ItemBuilder b("IPM.Contact");
  std::string note;
  for (int i = 0; i < 200; ++i) note += "日本語🚀";
  b.unicode(props::PidTagDisplayName, "Ünïcødé").unicode(props::PidTagBody, note);
  const std::string card = render_vcf(b.build());
  const auto r = testing::python_check_one(".vcf", card);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("NOTE=" + note));
  EXPECT_TRUE(r.has("FN=Ünïcødé"));
}

TEST(RenderVcf, DeterministicOutput) {
  EXPECT_EQ(render_vcf(full_contact()), render_vcf(full_contact()));
}

// --- distribution lists ---

std::vector<uint8_t> one_off(std::string_view name, std::string_view type, std::string_view address) {
  testing::Blob b;
  b.u32(0).raw({0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02});
  b.u16(0).u16(0x8001);  // version 0; flags: Unicode, no rich text
  for (auto s : {name, type, address}) b.raw(testing::utf16(s)).u16(0);
  return b.bytes;
}

std::vector<uint8_t> wrapped_contact(uint32_t nid) {
  testing::Blob b;
  b.u32(0).raw({0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11, 0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4});
  b.u8(0xC3);  // a contact, message entry id inside
  b.u32(0).raw(std::vector<uint8_t>(16, 0x44)).u32(nid);
  return b.bytes;
}

model::Message distribution_list() {
  ItemBuilder b("IPM.DistList");
  b.unicode(props::PidTagDisplayName, "Team")
      .named_unicode(PSETID_Address, props::PidLidDistributionListName, "Team, core")
      .named(PSETID_Address, props::PidLidDistributionListMembers, props::type::MvBinary,
             ItemBuilder::mv_layout({wrapped_contact(0x2000E4), one_off("Bob", "SMTP", "bob@example.com"),
                                     one_off("Fax Man", "FAX", "+1 555 9"), wrapped_contact(0x200104)}))
      .named(PSETID_Address, props::PidLidDistributionListOneOffMembers, props::type::MvBinary,
             ItemBuilder::mv_layout({one_off("Carol C", "SMTP", "carol@example.com"),
                                     one_off("Bob", "SMTP", "bob@example.com"),
                                     one_off("Fax Man", "FAX", "+1 555 9"),
                                     {1, 2, 3}}));
  return b.build();
}

TEST(RenderVcf, DistributionListVersion4) {
  const std::string card = render_vcf(distribution_list(), {.version = 4});
  const auto r = testing::python_check_one(".vcf", card);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("KIND=group")) << r.output;
  EXPECT_TRUE(r.has("FN=Team, core")) << r.output;
  EXPECT_TRUE(r.has("MEMBER=mailto:carol@example.com")) << r.output;  // resolved through the one-off list
  EXPECT_TRUE(r.has("MEMBER=mailto:bob@example.com")) << r.output;
  EXPECT_EQ(r.lines_starting("MEMBER=").size(), 2u) << r.output;  // the fax member has no mail address
  EXPECT_TRUE(r.has("X-OSTFS-MEMBER=Carol C <carol@example.com>")) << r.output;
  EXPECT_TRUE(r.has("X-OSTFS-MEMBER=Fax Man <FAX:+1 555 9>")) << r.output;
  EXPECT_TRUE(contains(card, "X-OSTFS-WARNING:member 4 points at an item in the store (node 2097412)")) << card;
}

TEST(RenderVcf, DistributionListVersion3) {
  const std::string card = render_vcf(distribution_list());
  const auto r = testing::python_check_one(".vcf", card);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("X-ADDRESSBOOKSERVER-KIND=group")) << r.output;
  EXPECT_TRUE(r.has("X-ADDRESSBOOKSERVER-MEMBER=mailto:carol@example.com")) << r.output;
  EXPECT_TRUE(r.has("N=Team, core;;;;")) << r.output;
  EXPECT_FALSE(contains(card, "KIND:group\r\nFN")) << card;
}

TEST(RenderVcf, MailtoPercentEncodes) {
  ItemBuilder b("IPM.DistList");
  b.named(PSETID_Address, props::PidLidDistributionListOneOffMembers, props::type::MvBinary,
          ItemBuilder::mv_layout({one_off("Odd", "SMTP", "a b%c@example.com")}));
  const std::string card = render_vcf(b.build(), {.version = 4});
  EXPECT_TRUE(contains(card, "MEMBER:mailto:a%20b%25c@example.com\r\n")) << card;
}

}  // namespace
}  // namespace ostfs::render
