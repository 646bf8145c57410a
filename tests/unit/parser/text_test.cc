#include "parser/text.h"

#include <gtest/gtest.h>

#include <vector>

namespace ostfs::text {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<uint8_t> out;
  for (int b : v) out.push_back(static_cast<uint8_t>(b));
  return out;
}

TEST(Utf16ToUtf8, DecodesSurrogatePairOutsideBmp) {
  // U+1F680 ROCKET is D83D DE80 in UTF-16; libpff turns it into U+1F281.
  EXPECT_EQ(utf16le_to_utf8(bytes({0x3D, 0xD8, 0x80, 0xDE})), "\xF0\x9F\x9A\x80");
}

TEST(Utf16ToUtf8, ReplacesUnpairedSurrogatesVisibly) {
  EXPECT_EQ(utf16le_to_utf8(bytes({0x3D, 0xD8, 0x41, 0x00})), "\xEF\xBF\xBD" "A");
  EXPECT_EQ(utf16le_to_utf8(bytes({0x80, 0xDE})), "\xEF\xBF\xBD");
}

TEST(Utf16ToUtf8, DecodesBmpAndStripsTrailingNul) {
  // "Aé日" + NUL
  EXPECT_EQ(utf16le_to_utf8(bytes({0x41, 0x00, 0xE9, 0x00, 0xE5, 0x65, 0x00, 0x00})),
            "A\xC3\xA9\xE6\x97\xA5");
}

TEST(Utf16ToUtf8, DropsTrailingOddByte) {
  EXPECT_EQ(utf16le_to_utf8(bytes({0x41, 0x00, 0x42})), "A");
}

TEST(Utf8ToUtf16, RoundTripsNonBmp) {
  const std::string s = "x\xF0\x9F\x9A\x80y";
  const std::string u16 = utf8_to_utf16le(s);
  EXPECT_EQ(u16.size(), 8u);
  std::vector<uint8_t> raw(u16.begin(), u16.end());
  EXPECT_EQ(utf16le_to_utf8(raw), s);
}

TEST(CodepageToUtf8, ConvertsWindows1252) {
  EXPECT_EQ(codepage_to_utf8(bytes({0x43, 0x61, 0x66, 0xE9, 0x80}), 1252),
            "Caf\xC3\xA9\xE2\x82\xAC");
}

TEST(CodepageToUtf8, ConvertsShiftJis) {
  // 日本 in Shift_JIS (code page 932): 93 FA 96 7B
  EXPECT_EQ(codepage_to_utf8(bytes({0x93, 0xFA, 0x96, 0x7B}), 932), "\xE6\x97\xA5\xE6\x9C\xAC");
}

TEST(CodepageToUtf8, ConvertsCyrillic1251) {
  // "Да" in windows-1251: C4 E0
  EXPECT_EQ(codepage_to_utf8(bytes({0xC4, 0xE0}), 1251), "\xD0\x94\xD0\xB0");
}

TEST(CodepageToUtf8, ConvertsIsoCodepages) {
  EXPECT_EQ(codepage_to_utf8(bytes({0xE9}), 28591), "\xC3\xA9");      // é in ISO-8859-1
  EXPECT_EQ(codepage_to_utf8(bytes({0xFE}), 28594), "\xC5\xAB");      // ū in ISO-8859-4
  EXPECT_EQ(codepage_to_utf8(bytes({0xA4}), 28605), "\xE2\x82\xAC");  // € in ISO-8859-15
}

TEST(CodepageToUtf8, FlushesStatefulConverters) {
  // Hebrew alef (0xE0 in windows-1255) as the last byte: glibc holds it until flushed.
  EXPECT_EQ(codepage_to_utf8(bytes({0xE0}), 1255), "\xD7\x90");
  EXPECT_EQ(codepage_to_utf8(bytes({0x41, 0xE0}), 1255), "A\xD7\x90");
}

TEST(CodepageToUtf8, ReplacesUndecodableBytes) {
  // 0x81 is undefined in windows-1252.
  EXPECT_EQ(codepage_to_utf8(bytes({0x41, 0x81, 0x42}), 1252), "A\xEF\xBF\xBD" "B");
}

TEST(SanitizeUtf8, ReplacesInvalidSequences) {
  EXPECT_EQ(sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("\xC3\xA9"), "\xC3\xA9");
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

}  // namespace
}  // namespace ostfs::text
