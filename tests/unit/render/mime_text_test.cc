#include "fs/render/mime_text.h"

#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fs/render/gmime_support.h"

namespace ostfs::render {
namespace {

TEST(CleanHeaderValue, TurnsLineBreaksAndControlsIntoSpaces) {
  EXPECT_EQ(clean_header_value("a\r\nBcc: evil@example.com"), "a Bcc: evil@example.com");
  EXPECT_EQ(clean_header_value("x\ny\rz\0w"), "x y z");  // literal stops at the NUL
  EXPECT_EQ(clean_header_value(std::string("x\0y", 3)), "x y");
  EXPECT_EQ(clean_header_value("tab\there\x7F"), "tab here");
  EXPECT_EQ(clean_header_value("a\xE2\x80\xA8"
                               "b\xC2\x85"
                               "c"),
            "a b c");
}

TEST(CleanHeaderValue, TrimsAndKeepsInnerSpaces) {
  EXPECT_EQ(clean_header_value("  two  spaces  "), "two  spaces");
  EXPECT_EQ(clean_header_value("\r\n"), "");
}

TEST(CleanHeaderValue, ReplacesInvalidUtf8AndKeepsValid) {
  EXPECT_EQ(clean_header_value("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(clean_header_value("bad\xFF"), "bad\xEF\xBF\xBD");
}

TEST(CleanHeaderValue, CutsAtCharacterBoundary) {
  std::string s(kMaxHeaderValue - 1, 'a');
  s += "\xC3\xA9\xC3\xA9";
  const std::string cleaned = clean_header_value(s);
  EXPECT_EQ(cleaned.size(), kMaxHeaderValue - 1);
  EXPECT_EQ(clean_header_value(std::string(kMaxHeaderValue * 3, 'b')).size(), kMaxHeaderValue);
}

TEST(NormalizeNewlines, ConvertsCrlfAndLoneCr) {
  EXPECT_EQ(normalize_newlines("a\r\nb\rc\nd\r\r\n"), "a\nb\nc\nd\n\n");
  EXPECT_EQ(normalize_newlines(""), "");
}

TEST(TextEncoding, EightBitUnlessLongLineOrNul) {
  EXPECT_EQ(text_encoding("h\xC3\xA9llo\nworld"), TextEncoding::EightBit);
  EXPECT_EQ(text_encoding(std::string(998, 'x') + "\n" + std::string(998, 'y')),
            TextEncoding::EightBit);
  EXPECT_EQ(text_encoding(std::string(999, 'x')), TextEncoding::QuotedPrintable);
  EXPECT_EQ(text_encoding(std::string("a\0b", 3)), TextEncoding::QuotedPrintable);
}

TEST(Is7bit, RejectsHighBytesCrAndLongLines) {
  EXPECT_TRUE(is_7bit("plain ascii\n"));
  EXPECT_FALSE(is_7bit("caf\xC3\xA9"));
  EXPECT_FALSE(is_7bit("a\rb"));
  EXPECT_FALSE(is_7bit(std::string(999, 'a')));
  EXPECT_TRUE(is_8bit("caf\xC3\xA9"));
}

// What GMime's own base64 encoder writes for `n` bytes.
size_t gmime_base64_length(size_t n) {
  gmime::ensure_initialized();
  const std::string input(n, '\x5A');
  std::string output(GMIME_BASE64_ENCODE_LEN(n) + 16, '\0');
  int state = 0;
  guint32 save = 0;
  return g_mime_encoding_base64_encode_close(reinterpret_cast<const unsigned char*>(input.data()),
                                             n, reinterpret_cast<unsigned char*>(output.data()),
                                             &state, &save);
}

TEST(Base64EncodedSize, MatchesGmimeEncoderForEverySizeUpTo5000) {
  for (size_t n = 0; n <= 5000; ++n) ASSERT_EQ(base64_encoded_size(n), gmime_base64_length(n)) << n;
}

TEST(Base64EncodedSize, MatchesGmimeEncoderForLargeSizes) {
  for (size_t n : {57u * 1000, 57u * 1000 + 1, 1u << 20, (1u << 20) + 2, 20u * 1000 * 1000 + 1})
    EXPECT_EQ(base64_encoded_size(n), gmime_base64_length(n)) << n;
}

TEST(Base64EncodedSize, KnownValues) {
  EXPECT_EQ(base64_encoded_size(0), 0u);
  EXPECT_EQ(base64_encoded_size(1), 5u);    // "xx==\n"
  EXPECT_EQ(base64_encoded_size(57), 77u);  // one full line
  EXPECT_EQ(base64_encoded_size(58), 82u);
  EXPECT_EQ(base64_encoded_size(uint64_t{5} << 32), 29'009'866'826u);  // no 32-bit overflow
}

}  // namespace
}  // namespace ostfs::render
