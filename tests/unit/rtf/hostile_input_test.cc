// deencapsulate() on damaged, hostile and very large input: it must not throw, must not
// recurse, must stay linear and must always return valid UTF-8.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parser/rtf.h"
#include "tests/unit/rtf/rtf_test_util.h"

namespace ostfs::rtf {
namespace {

struct HostileCase {
  const char* name;
  std::string rtf;
  std::optional<std::string> content;  // the expected output, when it is well defined
};

std::vector<HostileCase> hostile_cases() {
  return {
      {"Empty", "", ""},
      {"OnlyOpenBraces", "{{{{", ""},
      {"ClosingBracesBeforeAndAfter", "}}}{\\rtf1 a}}}b", "ab"},
      {"UnclosedGroups", "{\\rtf1 {\\b a{\\i b", "ab"},
      {"LoneBackslashAtEnd", "{\\rtf1 a\\", "a"},
      {"HexEscapeCutOff", "{\\rtf1 a\\'4", "a4"},
      {"HexEscapeWithoutHexDigits", "{\\rtf1 a\\'zz}", "azz"},
      {"HugeParameter", "{\\rtf1 a\\fs99999999999999999999 b}", "ab"},
      {"HugeNegativeUnicode", "{\\rtf1 \\u-99999999999?x}", "\uFFFDx"},
      {"HugeUnicodeSkipCount", "{\\rtf1\\uc2147483647 \\u8364 abc}", "\u20AC"},
      {"NegativeUnicodeSkipCount", "{\\rtf1\\uc-5 \\u8364 abc}", "\u20ACabc"},
      {"BinLongerThanInput", "{\\rtf1 a\\bin999999999 xyz", "a"},
      {"BinNegative", "{\\rtf1 a\\bin-5 b}", "ab"},
      {"NulBytes", std::string("{\\rtf1 a\0b}", 11), "ab"},
      {"VeryLongControlWord", "{\\rtf1 \\" + std::string(100000, 'a') + " x}", "x"},
      {"VeryLongDigitRun", "{\\rtf1 \\f" + std::string(100000, '9') + " x}", "x"},
      {"AnsicpgZero", "{\\rtf1\\ansicpg0 \\'e9}", "\u00E9"},
      {"FontTableWithoutEntryGroups",
       "{\\rtf1{\\fonttbl\\f0\\fcharset204 A;\\f1\\fcharset161 B;}\\f1\\'e1}", "\u03B1"},
      {"HtmlWithoutAnyTag", "{\\rtf1\\fromhtml1 plain}", "plain"},
      {"HtmltagNeverClosed", "{\\rtf1\\fromhtml1 {\\*\\htmltag <p", "<p"},
      {"StarNotAtGroupStart", "{\\rtf1 a\\*\\foo b}", "ab"},
      {"StarAtEnd", "{\\rtf1 {\\*", ""},
      {"InvalidUtf8InUtf8CodePage", "{\\rtf1\\ansi\\ansicpg65001 a\xff\xfe b}",
       "a\uFFFD\uFFFD b"},
      {"LeadByteWithoutTrailByte", "{\\rtf1\\ansi\\ansicpg932 \\'93}", "\uFFFD"},
      {"LeadByteThenUnicode", "{\\rtf1\\ansi\\ansicpg932\\uc0 \\'93\\u8364}", "\uFFFD\u20AC"},
      {"NotRtfAtAll", "plain words", "plain words"},
      {"BinaryGarbage", std::string("\x80\xff{\\\x01\x02}\\'\xff", 10), std::nullopt},
  };
}

class Hostile : public testing::TestWithParam<HostileCase> {};

TEST_P(Hostile, ConvertsWhatItCanWithoutThrowing) {
  const HostileCase& c = GetParam();
  Deencapsulated d;
  EXPECT_NO_THROW(d = deencapsulate(c.rtf));
  EXPECT_TRUE(test::is_valid_utf8(d.content));
  if (c.content) {
    EXPECT_EQ(d.content, *c.content);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Hostile, testing::ValuesIn(hostile_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HostileNesting, TenThousandLevels) {
  const std::string rtf =
      "{\\rtf1 " + std::string(10000, '{') + "deep" + std::string(10000, '}') + " end}";
  EXPECT_EQ(deencapsulate(rtf).content, "deep end");
}

TEST(HostileNesting, StateIsRestoredAfterGroupsBeyondTheTrackedDepth) {
  const std::string rtf = "{\\rtf1\\ansi\\fromhtml1 " + std::string(6000, '{') +
                          "\\htmlrtf hidden" + std::string(6000, '}') +
                          "{\\*\\htmltag <p>}shown}";
  const Deencapsulated d = deencapsulate(rtf);
  EXPECT_EQ(d.kind, BodyKind::Html);
  EXPECT_EQ(d.content, "<p>shown");
}

TEST(HostileNesting, AMillionOpenBraces) {
  const std::string rtf = std::string(1000000, '{') + "x";
  EXPECT_EQ(deencapsulate(rtf).content, "x");
}

TEST(HostileRandom, GarbageFromRtfFragmentsNeverBreaksTheOutput) {
  const std::vector<std::string> fragments = {
      "{", "}", "\\", "\\'", "\\'e9", "\\'9", "\\'93", "\\u", "\\u-10179", "\\u-8704",
      "\\u8364", "\\uc2 ", "\\uc0", "\\bin3 ", "\\par", "\\line", "\\tab", "\\*", "\\htmltag",
      "\\mhtmltag", "\\htmlrtf", "\\htmlrtf0", "\\fonttbl", "\\f1", "\\fcharset128 ",
      "\\cpg936", "\\ansicpg932", "\\ansicpg65001", "\\ansicpg1251", "\\pict", "\\v",
      "\\plain", "a", " ", "\xff", "\x81", "\x5c", "\\fromhtml1", "\\fromtext", "0", "-",
      "\r\n", "\\~", "\\_", "\\{", "\\}", "\\\\"};
  std::mt19937 rng(7);
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string rtf = (iteration % 2 == 0) ? "{\\rtf1\\fromhtml1 " : "{\\rtf1 ";
    const size_t n = rng() % 200;
    for (size_t k = 0; k < n; ++k) rtf += fragments[rng() % fragments.size()];
    Deencapsulated d;
    ASSERT_NO_THROW(d = deencapsulate(rtf)) << rtf;
    ASSERT_TRUE(test::is_valid_utf8(d.content)) << rtf;
  }
}

TEST(LargeInput, MegabytesOfSingleByteText) {
  constexpr size_t kRepeats = 200000;
  std::string rtf = "{\\rtf1\\ansi\\ansicpg1252 ";
  for (size_t i = 0; i < kRepeats; ++i) rtf += "caf\\'e9 \\u8364?\\par ";
  rtf += "}";
  const std::string out = deencapsulate(rtf).content;
  const std::string unit = "caf\u00E9 \u20AC\r\n";
  ASSERT_EQ(out.size(), unit.size() * kRepeats);
  EXPECT_EQ(out.substr(out.size() - unit.size()), unit);
}

TEST(LargeInput, MegabytesOfDoubleByteText) {
  constexpr size_t kRepeats = 100000;
  std::string rtf = "{\\rtf1\\ansi\\ansicpg932 ";
  for (size_t i = 0; i < kRepeats; ++i) rtf += "\\'93\\'fa\\'96\\'7b\\par ";
  rtf += "}";
  const std::string out = deencapsulate(rtf).content;
  const std::string unit = "\u65E5\u672C\r\n";
  ASSERT_EQ(out.size(), unit.size() * kRepeats);
  EXPECT_EQ(out.substr(0, unit.size()), unit);
}

TEST(LargeInput, MegabytesOfEncapsulatedHtml) {
  constexpr size_t kRepeats = 100000;
  std::string rtf = "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 ";
  for (size_t i = 0; i < kRepeats; ++i)
    rtf += "{\\*\\htmltag84 <td>}\\htmlrtf {\\b\\htmlrtf0 x\\htmlrtf }\\htmlrtf0 "
           "{\\*\\htmltag92 </td>}";
  rtf += "}";
  const std::string out = deencapsulate(rtf).content;
  ASSERT_EQ(out.size(), std::string("<td>x</td>").size() * kRepeats);
  EXPECT_EQ(out.substr(0, 10), "<td>x</td>");
}

}  // namespace
}  // namespace ostfs::rtf
