// Exchange (EX) parties resolved to SMTP addresses from what the message itself records;
// a DN never becomes an address.
#include "fs/render/eml_address.h"

#include <gtest/gtest.h>

#include "fs/render/eml.h"
#include "message_builder.h"
#include "python_email_check.h"

namespace ostfs::render {
namespace {

using namespace testing;

constexpr std::string_view kAliceDn =
    "/O=HOME ORGANIZATION/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=ALICE2EE05199";

std::vector<uint8_t> utf16z(std::string_view utf8) {
  std::string s = text::utf8_to_utf16le(utf8);
  s.append(2, '\0');
  return bytes_of(s);
}

// A One-Off EntryID ([MS-OXCDATA] 2.2.5.1) with Unicode strings.
std::vector<uint8_t> one_off(std::string_view name, std::string_view type, std::string_view address) {
  std::vector<uint8_t> id = {0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                             0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02, 0, 0, 0x00, 0x80};
  for (auto part : {name, type, address}) {
    auto s = utf16z(part);
    id.insert(id.end(), s.begin(), s.end());
  }
  return id;
}

// An Address Book EntryID ([MS-OXCDATA] 2.2.5.2) naming `dn`.
std::vector<uint8_t> address_book(std::string_view dn) {
  std::vector<uint8_t> id = {0, 0, 0, 0, 0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A, 0xB4, 0xB9,
                             0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82, 1, 0, 0, 0, 0, 0, 0, 0};
  std::string z(dn);
  z.push_back('\0');
  id.insert(id.end(), z.begin(), z.end());
  return id;
}

model::Message ex_sender(std::string_view dn = kAliceDn) {
  model::Message m;
  m.props.props.push_back(unicode(props::PidTagMessageClass, "IPM.Note"));
  m.props.props.push_back(unicode(props::PidTagSenderName, "Alice"));
  m.props.props.push_back(unicode(props::PidTagSenderAddressType, "EX"));
  m.props.props.push_back(unicode(props::PidTagSenderEmailAddress, dn));
  return m;
}

TEST(ExchangeAddresses, SenderFoundThroughRecipientWithSameDnIgnoringCase) {
  model::Message m = ex_sender();
  std::string lower_dn(kAliceDn);
  for (char& c : lower_dn) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  m.recipients.push_back(recipient(props::RecipientTo, "Alice", lower_dn, "EX", "alice@example.com"));
  m.recipients.push_back(recipient(props::RecipientCc, "Bob", "/O=ORG/CN=BOB", "EX", "bob@example.com"));
  EXPECT_EQ(author(m), (Party{"Alice", "alice@example.com"}));
  const Recipients r = recipients(m);
  EXPECT_EQ(r.to, (std::vector<Party>{{"Alice", "alice@example.com"}}));
  EXPECT_EQ(r.cc, (std::vector<Party>{{"Bob", "bob@example.com"}}));
}

TEST(ExchangeAddresses, DifferentDnGivesNameOnly) {
  model::Message m = ex_sender();
  m.recipients.push_back(
      recipient(props::RecipientTo, "Alice", "/O=OTHER/CN=RECIPIENTS/CN=ALICE", "EX", "alice@other.example"));
  EXPECT_EQ(author(m), (Party{"Alice", ""}));
}

TEST(ExchangeAddresses, SmtpPropertiesOfTheMessageCount) {
  model::Message m = ex_sender();
  m.props.props.push_back(unicode(props::PidTagSenderSmtpAddress, "alice@example.com"));
  EXPECT_EQ(author(m), (Party{"Alice", "alice@example.com"}));

  // The mailbox owner: received-by names the same DN and has its SMTP address.
  model::Message received = ex_sender();
  received.props.props.push_back(unicode(props::PidTagReceivedByAddressType, "EX"));
  received.props.props.push_back(unicode(props::PidTagReceivedByEmailAddress, kAliceDn));
  received.props.props.push_back(unicode(props::PidTagReceivedBySmtpAddress, "alice@example.com"));
  EXPECT_EQ(author(received), (Party{"Alice", "alice@example.com"}));

  model::Message representing = ex_sender();
  representing.props.props.push_back(unicode(props::PidTagSentRepresentingName, "Alice"));
  representing.props.props.push_back(unicode(props::PidTagSentRepresentingAddressType, "EX"));
  representing.props.props.push_back(unicode(props::PidTagSentRepresentingEmailAddress, kAliceDn));
  representing.props.props.push_back(
      unicode(props::PidTagSentRepresentingSmtpAddress, "alice@example.com"));
  EXPECT_EQ(author(representing), (Party{"Alice", "alice@example.com"}));
  EXPECT_FALSE(sender_if_different(representing));  // the same person once resolved
}

TEST(ExchangeAddresses, OneOffEntryIdOfTypeSmtp) {
  model::Message m;
  model::Recipient r = recipient(props::RecipientTo, "Carol", "", "");
  r.props.props.push_back(binary(props::PidTagRecipientEntryId, one_off("Carol", "SMTP", "carol@example.com")));
  m.recipients.push_back(r);
  model::Recipient fax = recipient(props::RecipientTo, "Fax", "", "");
  fax.props.props.push_back(binary(props::PidTagEntryId, one_off("Fax", "FAX", "carol@example.com")));
  m.recipients.push_back(fax);
  model::Recipient truncated = recipient(props::RecipientCc, "Dan", "", "");
  auto cut = one_off("Dan", "SMTP", "dan@example.com");
  cut.erase(cut.end() - 4, cut.end());  // no terminator: not a One-Off EntryID any more
  truncated.props.props.push_back(binary(props::PidTagEntryId, cut));
  m.recipients.push_back(truncated);
  const Recipients rcpt = recipients(m);
  EXPECT_EQ(rcpt.to, (std::vector<Party>{{"Carol", "carol@example.com"}, {"Fax", ""}}));
  EXPECT_EQ(rcpt.cc, (std::vector<Party>{{"Dan", ""}}));
}

TEST(ExchangeAddresses, DnFromAddressBookEntryIdWhenTheAddressIsMissing) {
  model::Message m;
  m.props.props.push_back(unicode(props::PidTagSenderName, "Alice"));
  m.props.props.push_back(unicode(props::PidTagSenderAddressType, "EX"));
  m.props.props.push_back(binary(props::PidTagSenderEntryId, address_book(kAliceDn)));
  m.recipients.push_back(recipient(props::RecipientTo, "Alice", kAliceDn, "EX", "alice@example.com"));
  EXPECT_EQ(author(m), (Party{"Alice", "alice@example.com"}));
}

TEST(ExchangeAddresses, DnIsNeverAnAddressEvenWhenItLooksLikeOne) {
  model::Message m = ex_sender("alice@example.com");  // an EX "address" is a directory name
  EXPECT_EQ(author(m), (Party{"Alice", ""}));
  model::Message no_domain;
  no_domain.recipients.push_back(recipient(props::RecipientTo, "saqib.razzaq", "saqib.razzaq", "SMTP",
                                           "saqib.razzaq"));
  EXPECT_EQ(recipients(no_domain).to, (std::vector<Party>{{"saqib.razzaq", ""}}));
}

TEST(ExchangeAddresses, PartyText) {
  EXPECT_EQ(party_text({"Alice", "alice@example.com"}), "Alice <alice@example.com>");
  EXPECT_EQ(party_text({"Alice", ""}), "Alice");
  EXPECT_EQ(party_text({"", "alice@example.com"}), "alice@example.com");
}

// Every address header we write parses without defects, whatever the names hold.
TEST(ExchangeAddresses, SynthesizedAddressFieldsHaveNoDefects) {
  PythonEmailCheck check;
  for (std::string_view name : {"saqib.razzaq", "M\xC3\xBCller, J\xC3\xBCrgen", "a \"quoted\" (c) name",
                                "\xE5\xBC\xA0\xE4\xB8\x89", "semi;colon: and <angle>", ""}) {
    model::Message m = ex_sender();
    m.props.props.push_back(unicode(props::PidTagSenderName, name));
    m.recipients.push_back(recipient(props::RecipientTo, name, "no-domain", "SMTP"));
    m.recipients.push_back(recipient(props::RecipientCc, name, kAliceDn, "EX", "alice@example.com"));
    m.recipients.push_back(recipient(props::RecipientBcc, "x", "/O=ORG/CN=X", "EX"));
    check.add(render_eml(m));
  }
  bool ok = false;
  const std::string output = check.run(ok);
  EXPECT_TRUE(ok) << output;
}

}  // namespace
}  // namespace ostfs::render
