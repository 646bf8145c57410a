#include "fs/render/eml_headers.h"

#include <gtest/gtest.h>

#include "fs/render/eml_address.h"
#include "message_builder.h"

namespace ostfs::render {
namespace {

using namespace testing;

model::Message with(std::vector<model::Property> properties) {
  model::Message m;
  m.props.props = std::move(properties);
  return m;
}

TEST(TransportHeaders, KeepsFieldsVerbatimAndDropsMimeStructure) {
  const auto m = with({unicode(props::PidTagTransportMessageHeaders,
                               "Received: from mx.example.com (1.2.3.4)\r\n"
                               "\tby mail.example.org; Tue, 14 Nov 2023 22:13:20 +0000\r\n"
                               "DKIM-Signature: v=1; a=rsa-sha256; d=example.com;\r\n"
                               " b=abc\r\n"
                               "MIME-Version: 1.0\r\n"
                               "Content-Type: multipart/alternative;\r\n"
                               "\tboundary=\"xyz\"\r\n"
                               "content-transfer-encoding: 7bit\r\n"
                               "Content-ID: <x@y>\r\n"
                               "X-MS-Message-Class: forged\r\n"
                               "Subject:  Two  spaces kept \r\n"
                               "\r\n"
                               "body text: not a header\r\n")});
  const auto t = transport_headers(m);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->text,
            "Received: from mx.example.com (1.2.3.4)\n"
            "\tby mail.example.org; Tue, 14 Nov 2023 22:13:20 +0000\n"
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.com;\n"
            " b=abc\n"
            "Subject:  Two  spaces kept \n");
  EXPECT_EQ(t->names, (std::vector<std::string>{"received", "dkim-signature", "subject"}));
  EXPECT_TRUE(t->has("SUBJECT"));
  EXPECT_FALSE(t->has("from"));
}

TEST(TransportHeaders, DropsLinesThatAreNotFields) {
  std::string raw =
      "From someone@example.com Tue Nov 14 2023\n"
      " orphan continuation\n"
      "no colon here\n"
      "From: a@example.com\n"
      "Bad Name: x\n"
      "\tcontinues bad\n";
  raw += std::string("To: b@example.com\0\n", 19);
  raw += "X-Lone-CR: a\rb\n";
  const auto t = transport_headers(with({string8(props::PidTagTransportMessageHeaders, raw)}));
  ASSERT_TRUE(t);
  // The NUL becomes a space; the lone CR ends the line, so "b" is a stray line and goes.
  EXPECT_EQ(t->text, "From: a@example.com\nTo: b@example.com \nX-Lone-CR: a\n");
}

TEST(TransportHeaders, NoneWhenMissingOrNothingKept) {
  EXPECT_FALSE(transport_headers(with({})));
  EXPECT_FALSE(
      transport_headers(with({unicode(props::PidTagTransportMessageHeaders,
                                      "Content-Type: text/plain\r\nMIME-Version: 1.0\r\n")})));
  EXPECT_FALSE(transport_headers(
      with({unicode(props::PidTagTransportMessageHeaders, "\r\nTo: late@x.y\r\n")})));
}

TEST(Subject, StripsPrefixMarker) {
  EXPECT_EQ(subject(with({unicode(props::PidTagSubject, "\x01\x05RE: hello")})), "RE: hello");
  EXPECT_EQ(subject(with({unicode(props::PidTagSubject, "plain")})), "plain");
  EXPECT_EQ(subject(with({unicode(props::PidTagSubject, "\x01")})), "");
  EXPECT_EQ(subject(with({unicode(props::PidTagSubject, "line\r\nBcc: x@y")})), "line Bcc: x@y");
  EXPECT_FALSE(subject(with({})));
}

TEST(MessageDate, PrefersSubmitThenDeliveryThenCreation) {
  EXPECT_EQ(message_date(with({systime(props::PidTagCreationTime, 3),
                               systime(props::PidTagMessageDeliveryTime, 2),
                               systime(props::PidTagClientSubmitTime, 1)})),
            1);
  EXPECT_EQ(message_date(with({systime(props::PidTagCreationTime, 3),
                               systime(props::PidTagMessageDeliveryTime, 2)})),
            2);
  EXPECT_EQ(message_date(with({systime(props::PidTagCreationTime, 3)})), 3);
  EXPECT_FALSE(message_date(with({})));
}

TEST(MessageDate, SkipsTimesOutsideRfc5322Years) {
  const model::Property zero{props::PidTagClientSubmitTime, props::type::SysTime, le(0, 8),
                             std::nullopt};
  const model::Property max{props::PidTagMessageDeliveryTime, props::type::SysTime, le(~0ULL, 8),
                            std::nullopt};
  EXPECT_EQ(message_date(with({zero, max, systime(props::PidTagCreationTime, 86400)})), 86400);
  EXPECT_FALSE(message_date(with({zero, max})));
  const model::Property wrong_type{props::PidTagClientSubmitTime, props::type::Int32, le(5, 4),
                                   std::nullopt};
  EXPECT_FALSE(message_date(with({wrong_type})));
}

TEST(Categories, ReadsKeywordsNamedProperty) {
  EXPECT_EQ(categories(with({keywords({"Red Category", "Projekt \xC3\x9C", "\r\n", "Bad\nLine"})})),
            (std::vector<std::string>{"Red Category", "Projekt \xC3\x9C", "Bad Line"}));
  EXPECT_TRUE(categories(with({})).empty());
}

TEST(FollowUpFlag, FlaggedCompletedOrNone) {
  model::Property request = unicode(0x8020, "Follow up");
  model::NamedId name;
  name.guid = props::PSETID_Common;
  name.lid = props::PidLidFlagRequest;
  request.named = name;
  EXPECT_EQ(follow_up_flag(with({int32(props::PidTagFlagStatus, 2), request})),
            "Flagged: Follow up");
  EXPECT_EQ(follow_up_flag(with({int32(props::PidTagFlagStatus, 2)})), "Flagged");
  EXPECT_EQ(follow_up_flag(with({int32(props::PidTagFlagStatus, 1), request})), "Completed");
  EXPECT_FALSE(follow_up_flag(with({int32(props::PidTagFlagStatus, 0), request})));
  EXPECT_FALSE(follow_up_flag(with({})));
}

TEST(Addresses, AddrSpecValidation) {
  EXPECT_TRUE(is_addr_spec("a.b+c@example.com"));
  EXPECT_TRUE(is_addr_spec("x@[192.0.2.1]"));
  EXPECT_TRUE(
      is_addr_spec("user@b\xC3\xBC"
                   "cher.de"));
  EXPECT_FALSE(is_addr_spec("/O=ORG/OU=EXCHANGE/CN=RECIPIENTS/CN=ALICE"));
  EXPECT_FALSE(is_addr_spec("two words@example.com"));
  EXPECT_FALSE(is_addr_spec("a..b@example.com"));
  EXPECT_FALSE(is_addr_spec("a@b@c"));
  EXPECT_FALSE(is_addr_spec("a@"));
  EXPECT_FALSE(is_addr_spec("@b"));
  EXPECT_FALSE(is_addr_spec("a@b,c"));
}

TEST(Addresses, AuthorPrefersSentRepresentingAndSmtp) {
  auto m = with({unicode(props::PidTagSenderName, "Assistant"),
                 unicode(props::PidTagSenderAddressType, "EX"),
                 unicode(props::PidTagSenderEmailAddress, "/O=ORG/CN=ASSISTANT"),
                 unicode(props::PidTagSenderSmtpAddress, "assistant@example.com"),
                 unicode(props::PidTagSentRepresentingName, "Boss"),
                 unicode(props::PidTagSentRepresentingAddressType, "SMTP"),
                 unicode(props::PidTagSentRepresentingEmailAddress, "boss@example.com")});
  EXPECT_EQ(author(m), (Party{"Boss", "boss@example.com"}));
  EXPECT_EQ(sender_if_different(m), (Party{"Assistant", "assistant@example.com"}));
}

TEST(Addresses, ExchangeWithoutSmtpKeepsNameOnly) {
  auto m = with({unicode(props::PidTagSenderName, "Alice"),
                 unicode(props::PidTagSenderAddressType, "EX"),
                 unicode(props::PidTagSenderEmailAddress, "/O=ORG/CN=ALICE")});
  EXPECT_EQ(author(m), (Party{"Alice", ""}));
  EXPECT_FALSE(sender_if_different(m));
}

TEST(Addresses, SameSenderIsNotRepeated) {
  auto m = with({unicode(props::PidTagSenderName, "Alice"),
                 unicode(props::PidTagSenderEmailAddress, "ALICE@example.com"),
                 unicode(props::PidTagSentRepresentingName, "Alice A."),
                 unicode(props::PidTagSentRepresentingEmailAddress, "alice@example.com")});
  EXPECT_FALSE(sender_if_different(m));
}

TEST(Addresses, RecipientsByType) {
  model::Message m;
  m.recipients.push_back(recipient(props::RecipientTo, "To One", "one@example.com"));
  m.recipients.push_back(
      recipient(props::RecipientCc, "Cc Ex", "/O=ORG/CN=CC", "EX", "cc@example.com"));
  m.recipients.push_back(recipient(props::RecipientBcc, "", "bcc@example.com"));
  m.recipients.push_back(recipient(props::RecipientTo, "Fax", "+1 555 0100", "FAX"));
  m.recipients.push_back(recipient(7, "Unknown type", "u@example.com"));
  m.recipients.push_back(recipient(props::RecipientTo, "", "", ""));
  const Recipients r = recipients(m);
  EXPECT_EQ(r.to, (std::vector<Party>{{"To One", "one@example.com"}, {"Fax", ""}}));
  EXPECT_EQ(r.cc, (std::vector<Party>{{"Cc Ex", "cc@example.com"}}));
  EXPECT_EQ(r.bcc, (std::vector<Party>{{"", "bcc@example.com"}}));
}

}  // namespace
}  // namespace ostfs::render
