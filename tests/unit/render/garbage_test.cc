// Damaged and hostile property values: rendering never throws, measure_eml() stays exact,
// and Python's email package still finds no defect in the output.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "fs/render/eml.h"
#include "message_builder.h"
#include "python_email_check.h"

namespace ostfs::render {
namespace {

using namespace testing;

model::Property raw(uint16_t id, uint16_t type, std::vector<uint8_t> value) {
  return {id, type, std::move(value), std::nullopt};
}

struct GarbageCase {
  const char* name;
  std::function<void(model::Message&)> damage;
};

std::vector<uint8_t> utf16_units(std::initializer_list<uint16_t> units) {
  std::vector<uint8_t> out;
  for (uint16_t u : units) {
    out.push_back(static_cast<uint8_t>(u));
    out.push_back(static_cast<uint8_t>(u >> 8));
  }
  return out;
}

const std::vector<GarbageCase>& garbage_cases() {
  static const std::vector<GarbageCase> cases = {
      {"subject typed int32", [](auto& m) { m.props.props[1] = int32(props::PidTagSubject, 42); }},
      {"subject with lone surrogates",
       [](auto& m) {
         m.props.props[1] = raw(props::PidTagSubject, props::type::Unicode,
                                utf16_units({0xD800, 'a', 0xDC00, 0xDBFF}));
       }},
      {"subject odd byte count",
       [](auto& m) {
         m.props.props[1] = raw(props::PidTagSubject, props::type::Unicode, {'a', 0, 'b'});
       }},
      {"subject of one megabyte",
       [](auto& m) {
         m.props.props[1] = unicode(props::PidTagSubject, std::string(1 << 20, 'S'));
       }},
      {"subject of control characters",
       [](auto& m) {
         m.props.props[1] = unicode(props::PidTagSubject, std::string("\x01\x02\x03\r\n\t\x1b", 8));
       }},
      {"body typed binary with NULs",
       [](auto& m) { m.props.props[6] = binary(props::PidTagBody, pattern(3000)); }},
      {"body with NUL characters",
       [](auto& m) { m.props.props[6] = unicode(props::PidTagBody, std::string("a\0b\0c", 5)); }},
      {"body of two megabytes in one line",
       [](auto& m) { m.props.props[6] = unicode(props::PidTagBody, std::string(2 << 20, 'x')); }},
      {"body of invalid UTF-8 in a String8 with UTF-8 codepage",
       [](auto& m) {
         m.codepage = 65001;
         m.props.props[6] = string8(props::PidTagBody, "\xC3\x28\xF0\x28\x8C\xBC\xFF");
       }},
      {"html typed int32", [](auto& m) { m.props.props.push_back(int32(props::PidTagHtml, 1)); }},
      {"html of random bytes",
       [](auto& m) { m.props.props.push_back(binary(props::PidTagHtml, pattern(5000, 77))); }},
      {"html with absurd codepage",
       [](auto& m) {
         m.props.props.push_back(binary(props::PidTagHtml, bytes_of("<p>\xE9</p>")));
         m.props.props.push_back(int32(props::PidTagInternetCodepage, 123456));
       }},
      {"rtf of random bytes",
       [](auto& m) { m.props.props[6] = binary(props::PidTagRtfCompressed, pattern(999, 5)); }},
      {"rtf truncated header",
       [](auto& m) {
         m.props.props[6] = binary(props::PidTagRtfCompressed, {0x10, 0, 0});
       }},
      {"transport headers of random bytes",
       [](auto& m) {
         m.props.props.push_back(binary(props::PidTagTransportMessageHeaders, pattern(2000)));
       }},
      {"transport headers as String8 with NUL and high bytes",
       [](auto& m) {
         m.props.props.push_back(
             string8(props::PidTagTransportMessageHeaders,
                     std::string("X-A: \xE9\xFF\0z\r\nX-B: ok\r\n\x80\x81: bad\r\n", 29)));
       }},
      {"message id with spaces and brackets",
       [](auto& m) { m.props.props[7] = unicode(props::PidTagInternetMessageId, "<a b>@<c>"); }},
      {"references of garbage",
       [](auto& m) {
         m.props.props.push_back(
             unicode(props::PidTagInternetReferences, "<<>> <\r\n> >< \"q\"@x"));
       }},
      {"in-reply-to empty",
       [](auto& m) { m.props.props.push_back(unicode(props::PidTagInReplyToId, "")); }},
      {"times out of range",
       [](auto& m) {
         m.props.props[5] = raw(props::PidTagClientSubmitTime, props::type::SysTime, le(~0ULL, 8));
         m.props.props.push_back(raw(props::PidTagCreationTime, props::type::SysTime, {1, 2}));
       }},
      {"importance priority sensitivity out of range",
       [](auto& m) {
         m.props.props.push_back(int32(props::PidTagImportance, 77));
         m.props.props.push_back(int32(props::PidTagPriority, -9));
         m.props.props.push_back(int32(props::PidTagSensitivity, 1 << 30));
       }},
      {"message class with line breaks",
       [](auto& m) {
         m.props.props[0] = unicode(props::PidTagMessageClass, "IPM.Note\r\nBcc: x@y");
       }},
      {"keywords with broken layout",
       [](auto& m) {
         auto k = keywords({"a"});
         k.value = le(0x7FFFFFFF, 4);
         m.props.props.push_back(k);
       }},
      {"keywords huge list",
       [](auto& m) {
         std::vector<std::string> many(5000, "Category with a name");
         m.props.props.push_back(keywords(many));
       }},
      {"sender fields of wrong types",
       [](auto& m) {
         m.props.props[2] = int32(props::PidTagSenderName, 1);
         m.props.props[4] = binary(props::PidTagSenderEmailAddress, pattern(20));
       }},
      {"sender address with quotes and commas",
       [](auto& m) {
         m.props.props[2] = unicode(props::PidTagSenderName, "\"Doe, John\" <x> (y) \\");
         m.props.props[4] = unicode(props::PidTagSenderEmailAddress, "john,doe@@example..com");
       }},
      {"recipients without properties",
       [](auto& m) {
         m.recipients.push_back({});
         m.recipients.push_back(recipient(props::RecipientTo, std::string(100000, 'n'), "a@b.c"));
       }},
      {"attachment with unknown method and no properties",
       [](auto& m) {
         model::Attachment a;
         a.method = static_cast<model::AttachMethod>(99);
         a.data = pattern(10);
         a.data_size = 10;
         a.data_loaded = true;
         m.attachments.push_back(std::move(a));
       }},
      {"attachment with garbage name, mime tag and content id",
       [](auto& m) {
         m.props.props.push_back(unicode(props::PidTagHtml, "<img src=\"cid:a b\">"));
         m.attachments.push_back(
             file(std::string("\0\r\n\"';=?*%", 10), pattern(33), "\x01/\x02", "a b"));
       }},
      {"attachment name of ten thousand characters",
       [](auto& m) {
         m.attachments.push_back(file(std::string(10000, 'N') + ".txt", pattern(5)));
       }},
      {"embedded message with no properties",
       [](auto& m) {
         model::Attachment a;
         a.method = model::AttachMethod::EmbeddedMessage;
         a.embedded = std::make_unique<model::Message>();
         m.attachments.push_back(std::move(a));
       }},
      {"embedded message that is itself garbage",
       [](auto& m) {
         model::Attachment a;
         a.method = model::AttachMethod::EmbeddedMessage;
         a.embedded = std::make_unique<model::Message>();
         a.embedded->props.props.push_back(
             binary(props::PidTagTransportMessageHeaders, pattern(300)));
         a.embedded->props.props.push_back(binary(props::PidTagBody, pattern(300)));
         m.attachments.push_back(std::move(a));
       }},
  };
  return cases;
}

class RenderGarbage : public ::testing::TestWithParam<size_t> {};

TEST_P(RenderGarbage, RendersExactlyAndCleanly) {
  model::Message m = simple_message();
  garbage_cases()[GetParam()].damage(m);
  std::string eml;
  ASSERT_NO_THROW(eml = render_eml(m));
  EXPECT_EQ(eml.find('\r'), std::string::npos);
  EXPECT_EQ(measure_eml(m), eml.size());
}

INSTANTIATE_TEST_SUITE_P(Cases, RenderGarbage, ::testing::Range<size_t>(0, garbage_cases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           std::string name = garbage_cases()[info.param].name;
                           for (char& c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(RenderGarbageAll, PythonFindsNoDefects) {
  PythonEmailCheck check;
  for (const auto& c : garbage_cases()) {
    model::Message m = simple_message();
    c.damage(m);
    // Stored transport headers are copied as they are, so their own defects are not ours.
    const bool verbatim_headers = m.props.find(props::PidTagTransportMessageHeaders) != nullptr;
    check.add(render_eml(m), {.header_defects = !verbatim_headers});
  }
  bool ok = false;
  const std::string output = check.run(ok);
  EXPECT_TRUE(ok) << output;
}

// Random properties of random types on the tags the renderer reads, with random
// recipients and attachments: a deterministic fuzz over many shapes of damage.
model::Message random_message(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  static constexpr uint16_t kTags[] = {props::PidTagSubject,
                                       props::PidTagBody,
                                       props::PidTagHtml,
                                       props::PidTagRtfCompressed,
                                       props::PidTagTransportMessageHeaders,
                                       props::PidTagSenderName,
                                       props::PidTagSenderEmailAddress,
                                       props::PidTagSenderAddressType,
                                       props::PidTagSenderSmtpAddress,
                                       props::PidTagSentRepresentingName,
                                       props::PidTagSentRepresentingEmailAddress,
                                       props::PidTagSentRepresentingAddressType,
                                       props::PidTagInternetMessageId,
                                       props::PidTagInReplyToId,
                                       props::PidTagInternetReferences,
                                       props::PidTagImportance,
                                       props::PidTagPriority,
                                       props::PidTagSensitivity,
                                       props::PidTagClientSubmitTime,
                                       props::PidTagMessageDeliveryTime,
                                       props::PidTagCreationTime,
                                       props::PidTagMessageClass,
                                       props::PidTagInternetCodepage,
                                       props::PidTagFlagStatus};
  static constexpr uint16_t kAttachmentTags[] = {
      props::PidTagAttachLongFilename, props::PidTagAttachFilename,  props::PidTagDisplayName,
      props::PidTagAttachMimeTag,      props::PidTagAttachContentId, props::PidTagAttachExtension,
      props::PidTagAttachLongPathname};
  static constexpr uint16_t kTypes[] = {props::type::Int16,
                                        props::type::Int32,
                                        props::type::Boolean,
                                        props::type::Int64,
                                        props::type::String8,
                                        props::type::Unicode,
                                        props::type::SysTime,
                                        props::type::Binary,
                                        props::type::MvUnicode,
                                        props::type::MvString8,
                                        0x0000,
                                        0xFFFF};
  auto value = [&]() {
    static constexpr size_t kSizes[] = {0, 1, 2, 3, 4, 7, 8, 9, 16, 100, 999, 4000};
    std::vector<uint8_t> v(kSizes[pick(std::size(kSizes))]);
    const int flavor = static_cast<int>(pick(4));
    for (auto& b : v) {
      if (flavor == 0)
        b = static_cast<uint8_t>(rng());
      else if (flavor == 1)
        b = static_cast<uint8_t>(" \r\n\t<>@\":;,=?\\()"[pick(16)]);
      else if (flavor == 2)
        b = static_cast<uint8_t>(rng() % 2 ? 0 : 0xD8 + pick(8));  // surrogates
      else
        b = static_cast<uint8_t>('a' + pick(26));
    }
    return v;
  };
  auto random_props = [&](model::PropertyBag& bag, std::span<const uint16_t> tags, size_t n) {
    for (size_t i = 0; i < n; ++i)
      bag.props.push_back(raw(tags[pick(tags.size())], kTypes[pick(std::size(kTypes))], value()));
  };

  model::Message m;
  m.nid = seed;
  m.codepage = std::array<uint32_t, 4>{1252, 65001, 932, 0}[pick(4)];
  random_props(m.props, kTags, 3 + pick(20));
  for (size_t r = pick(5); r > 0; --r) {
    model::Recipient rcpt;
    rcpt.props.props.push_back(int32(props::PidTagRecipientType, static_cast<int32_t>(pick(5))));
    random_props(rcpt.props,
                 std::array<uint16_t, 4>{props::PidTagDisplayName, props::PidTagEmailAddress,
                                         props::PidTagAddressType, props::PidTagSmtpAddress},
                 pick(6));
    m.recipients.push_back(std::move(rcpt));
  }
  for (size_t a = pick(4); a > 0; --a) {
    model::Attachment att;
    att.method = static_cast<model::AttachMethod>(pick(8));
    random_props(att.props, kAttachmentTags, pick(6));
    att.data = value();
    att.data_size = att.data.size();
    att.data_loaded = true;
    if (att.method == model::AttachMethod::EmbeddedMessage && pick(2))
      att.embedded = std::make_unique<model::Message>(random_message(seed * 31 + 7));
    m.attachments.push_back(std::move(att));
  }
  return m;
}

TEST(RenderFuzz, RandomPropertiesNeverBreakTheOutput) {
  PythonEmailCheck check;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const model::Message m = random_message(seed);
    std::string eml;
    ASSERT_NO_THROW(eml = render_eml(m));
    ASSERT_EQ(eml.find('\r'), std::string::npos);
    ASSERT_EQ(measure_eml(m), eml.size());
    check.add(eml,
              {.header_defects = m.props.find(props::PidTagTransportMessageHeaders) == nullptr});
  }
  bool ok = false;
  const std::string output = check.run(ok);
  EXPECT_TRUE(ok) << output;
}

}  // namespace
}  // namespace ostfs::render
