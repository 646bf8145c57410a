#include "fs/render/eml_body.h"

#include <gtest/gtest.h>

#include "message_builder.h"

namespace ostfs::render {
namespace {

using namespace testing;

model::Message with(std::vector<model::Property> properties) {
  model::Message m;
  m.props.props = std::move(properties);
  return m;
}

TEST(CharsetCodepage, KnownLabels) {
  EXPECT_EQ(charset_codepage("UTF-8"), 65001u);
  EXPECT_EQ(charset_codepage("iso-8859-1"), 1252u);
  EXPECT_EQ(charset_codepage("Windows-1251"), 1251u);
  EXPECT_EQ(charset_codepage("shift_jis"), 932u);
  EXPECT_FALSE(charset_codepage("x-unknown"));
}

TEST(MetaCharset, FindsBothForms) {
  EXPECT_EQ(meta_charset("<html><head><META charset=\"Windows-1252\"></head>"), "windows-1252");
  EXPECT_EQ(
      meta_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\">"),
      "iso-8859-2");
  EXPECT_EQ(meta_charset("<meta name=x><meta charset = 'utf-8' >"), "utf-8");
  EXPECT_FALSE(meta_charset("<p>charset=utf-8</p>"));
  EXPECT_FALSE(meta_charset("<meta charset>"));
  EXPECT_FALSE(meta_charset(std::string(70000, ' ') + "<meta charset=utf-8>"));
}

TEST(HtmlToUtf8, InternetCodepageWins) {
  const auto html = bytes_of("<meta charset=utf-8>caf\xE9");
  EXPECT_EQ(html_to_utf8(html, 1252, 65001), "<meta charset=utf-8>caf\xC3\xA9");
}

TEST(HtmlToUtf8, MetaCharsetThenUtf8ThenFallback) {
  EXPECT_EQ(html_to_utf8(bytes_of("<meta charset=windows-1251>\xC4\xE0"), std::nullopt, 1252),
            "<meta charset=windows-1251>\xD0\x94\xD0\xB0");
  // iso-8859-4 is not in our table and goes through iconv by name.
  EXPECT_EQ(html_to_utf8(bytes_of("<meta charset=iso-8859-4>\xA1"), std::nullopt, 1252),
            "<meta charset=iso-8859-4>\xC4\x84");
  EXPECT_EQ(html_to_utf8(bytes_of("<p>caf\xC3\xA9</p>"), std::nullopt, 1252), "<p>caf\xC3\xA9</p>");
  EXPECT_EQ(html_to_utf8(bytes_of("<p>caf\xE9</p>"), std::nullopt, 1252), "<p>caf\xC3\xA9</p>");
  EXPECT_EQ(html_to_utf8(bytes_of("<meta charset=x-nonsense><p>caf\xE9</p>"), std::nullopt, 1252),
            "<meta charset=x-nonsense><p>caf\xC3\xA9</p>");
}

TEST(MessageBodies, PlainAndHtmlWithLfLineEnds) {
  const auto b =
      message_bodies(with({unicode(props::PidTagBody, "a\r\nb"),
                           binary(props::PidTagHtml, bytes_of("<p>a</p>\r\n<p>b</p>"))}));
  EXPECT_EQ(b.plain, "a\nb");
  EXPECT_EQ(b.html, "<p>a</p>\n<p>b</p>");
  EXPECT_FALSE(b.rtf);
}

TEST(MessageBodies, HtmlAsUnicodeAndInternetCodepage) {
  EXPECT_EQ(message_bodies(with({unicode(props::PidTagHtml, "<b>\xC3\xA9</b>")})).html,
            "<b>\xC3\xA9</b>");
  EXPECT_EQ(message_bodies(with({binary(props::PidTagHtml, bytes_of("<b>\xE9</b>")),
                                 int32(props::PidTagInternetCodepage, 28591)}))
                .html,
            "<b>\xC3\xA9</b>");
}

TEST(MessageBodies, NothingWhenEmpty) {
  const auto b =
      message_bodies(with({unicode(props::PidTagBody, ""), binary(props::PidTagHtml, {})}));
  EXPECT_FALSE(b.plain);
  EXPECT_FALSE(b.html);
  EXPECT_FALSE(b.rtf);
  EXPECT_FALSE(b.rtf_error);
}

TEST(MessageBodies, WrongTypesAreIgnored) {
  const auto b = message_bodies(with({int32(props::PidTagBody, 5), int32(props::PidTagHtml, 7),
                                      int32(props::PidTagRtfCompressed, 1)}));
  EXPECT_FALSE(b.plain);
  EXPECT_FALSE(b.html);
  EXPECT_FALSE(b.rtf);
}

constexpr std::string_view kRtfFromHtml =
    "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\r\n"
    "{\\*\\htmltag19 <html>}{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 Hello\r\n"
    "{\\*\\htmltag72 </p>}\\htmlrtf }\\htmlrtf0 {\\*\\htmltag27 </html>}}";
constexpr std::string_view kRtfFromText =
    "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\deff0{\\fonttbl{\\f0\\fmodern Courier;}}\r\n"
    "Plain line one\\par\r\nline two}";
constexpr std::string_view kRtfRich =
    "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\r\n{\\b Bold} text\\par\r\n}";

TEST(MessageBodies, RtfFromHtmlGivesHtml) {
  const auto b = message_bodies(with({binary(props::PidTagRtfCompressed, mela(kRtfFromHtml))}));
  ASSERT_TRUE(b.html);
  EXPECT_NE(b.html->find("<p>"), std::string::npos) << *b.html;
  EXPECT_NE(b.html->find("Hello"), std::string::npos) << *b.html;
  EXPECT_FALSE(b.plain);
  EXPECT_FALSE(b.rtf);
}

TEST(MessageBodies, RtfFromTextGivesPlain) {
  const auto b = message_bodies(with({binary(props::PidTagRtfCompressed, mela(kRtfFromText))}));
  ASSERT_TRUE(b.plain);
  EXPECT_NE(b.plain->find("Plain line one"), std::string::npos) << *b.plain;
  EXPECT_NE(b.plain->find("line two"), std::string::npos) << *b.plain;
  EXPECT_FALSE(b.html);
  EXPECT_FALSE(b.rtf);
}

TEST(MessageBodies, RichRtfGivesTextRenderingAndOriginal) {
  const auto b = message_bodies(with({binary(props::PidTagRtfCompressed, mela(kRtfRich))}));
  ASSERT_TRUE(b.plain);
  EXPECT_NE(b.plain->find("Bold text"), std::string::npos) << *b.plain;
  EXPECT_EQ(b.rtf, std::string(kRtfRich));
}

TEST(MessageBodies, RtfAddsHtmlNextToPlainBodyButNotOverHtml) {
  const auto b = message_bodies(with({unicode(props::PidTagBody, "Hello"),
                                      binary(props::PidTagRtfCompressed, mela(kRtfFromHtml))}));
  EXPECT_EQ(b.plain, "Hello");
  EXPECT_TRUE(b.html);
  const auto c = message_bodies(with({unicode(props::PidTagHtml, "<i>real</i>"),
                                      binary(props::PidTagRtfCompressed, mela(kRtfFromHtml))}));
  EXPECT_EQ(c.html, "<i>real</i>");
}

TEST(MessageBodies, DamagedRtfIsReportedOnlyWithoutOtherBody) {
  const std::vector<uint8_t> junk = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  const auto alone = message_bodies(with({binary(props::PidTagRtfCompressed, junk)}));
  EXPECT_FALSE(alone.plain);
  ASSERT_TRUE(alone.rtf_error);
  EXPECT_NE(alone.rtf_error->find("PR_RTF_COMPRESSED"), std::string::npos);
  const auto with_body = message_bodies(
      with({unicode(props::PidTagBody, "x"), binary(props::PidTagRtfCompressed, junk)}));
  EXPECT_FALSE(with_body.rtf_error);
}

}  // namespace
}  // namespace ostfs::render
