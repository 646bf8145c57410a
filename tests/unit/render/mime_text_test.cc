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

std::string gmime_base64(const std::vector<uint8_t>& input) {
  gmime::ensure_initialized();
  std::string output(GMIME_BASE64_ENCODE_LEN(input.size()) + 16, '\0');
  int state = 0;
  guint32 save = 0;
  output.resize(g_mime_encoding_base64_encode_close(input.data(), input.size(),
                                                    reinterpret_cast<unsigned char*>(output.data()), &state, &save));
  return output;
}

std::vector<uint8_t> pseudo_random(size_t n, uint32_t seed) {
  std::vector<uint8_t> out(n);
  for (auto& b : out) b = static_cast<uint8_t>((seed = seed * 1103515245u + 12345u) >> 16);
  return out;
}

std::string our_base64(const std::vector<uint8_t>& data) {
  std::string out;
  char line[kBase64LineSize];
  for (uint64_t i = 0;; ++i) {
    const size_t n = base64_line(data, i, line);
    if (n == 0) break;
    out.append(line, n);
  }
  return out;
}

TEST(Base64Line, SameBytesAsGmimesEncoderForEverySizeUpTo700) {
  for (size_t n = 0; n <= 700; ++n) {
    const std::vector<uint8_t> data = pseudo_random(n, static_cast<uint32_t>(n));
    ASSERT_EQ(our_base64(data), gmime_base64(data)) << n;
  }
  const std::vector<uint8_t> large = pseudo_random(3 * 1000 * 1000 + 2, 7);
  EXPECT_EQ(our_base64(large), gmime_base64(large));
}

TEST(Base64Line, VectorPathWritesWhatTheByteWisePathWrites) {
  // Every byte value in every position of a full line, and random lines.
  std::vector<uint8_t> data(57 * 256);
  for (size_t line = 0; line < 256; ++line)
    for (size_t i = 0; i < 57; ++i) data[line * 57 + i] = static_cast<uint8_t>(line + i * 37);
  const std::vector<uint8_t> random = pseudo_random(57 * 5000 + 11, 3);
  data.insert(data.end(), random.begin(), random.end());
  char fast[kBase64LineSize], slow[kBase64LineSize];
  for (uint64_t line = 0;; ++line) {
    const size_t n = base64_line(data, line, fast);
    ASSERT_EQ(n, detail::base64_line_bytewise(data, line, slow)) << line;
    if (n == 0) break;
    ASSERT_EQ(std::string_view(fast, n), std::string_view(slow, n)) << line;
  }
}

TEST(SplicePoint, NotesWhereGmimeWritesThePartsContent) {
  gmime::ensure_initialized();
  std::string out;
  gmime::SpliceLog log;
  log.sink = &out;
  gmime::Ptr<GMimePart> part(g_mime_part_new_with_type("application", "octet-stream"));
  g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);
  auto point = gmime::splice_point(&log, 7);
  gmime::Ptr<GMimeDataWrapper> wrapper(g_mime_data_wrapper_new_with_stream(point.get(), GMIME_CONTENT_ENCODING_BASE64));
  g_mime_part_set_content(part.get(), wrapper.get());
  auto sink = gmime::string_sink(&out);
  auto format = gmime::unix_format_options();
  ASSERT_GE(g_mime_object_write_to_stream(GMIME_OBJECT(part.get()), format.get(), sink.get()), 0);
  ASSERT_EQ(log.points.size(), 1u);
  EXPECT_EQ(log.points[0].second, 7u);
  // Right after the blank line that ends the part's header, and nothing written for it.
  EXPECT_EQ(out.substr(log.points[0].first - 2, 2), "\n\n");
  EXPECT_EQ(log.points[0].first, out.size());
  EXPECT_FALSE(log.failed);
}

TEST(Base64EncodedSize, KnownValues) {
  EXPECT_EQ(base64_encoded_size(0), 0u);
  EXPECT_EQ(base64_encoded_size(1), 5u);    // "xx==\n"
  EXPECT_EQ(base64_encoded_size(57), 77u);  // one full line
  EXPECT_EQ(base64_encoded_size(58), 82u);
  EXPECT_EQ(base64_encoded_size(uint64_t{5} << 32), 29'009'866'826u);  // no 32-bit overflow
}

// Decodes quoted-printable the way [RFC 2045] 6.7 says (soft breaks, =XX), to check ours.
std::string qp_decoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=') {
      out += s[i];
    } else if (i + 1 < s.size() && s[i + 1] == '\n') {
      ++i;
    } else {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

TEST(QuotedPrintable, KnownAnswers) {
  EXPECT_EQ(quoted_printable("caf\xC3\xA9 = 1\n"), "caf=C3=A9 =3D 1\n");
  EXPECT_EQ(quoted_printable("trailing \nand tab\t"), "trailing=20\nand tab=09");
  EXPECT_EQ(quoted_printable(std::string("nul\0", 4)), "nul=00");
  EXPECT_EQ(quoted_printable(""), "");
}

TEST(QuotedPrintable, SoftBreaksKeepWordsWhole) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += (i % 7 ? "word" : "longerword\xC3\xA9") + std::to_string(i) + " ";
  text += "\n" + std::string(200, 'x') + "=\n";
  const std::string encoded = quoted_printable(text);
  EXPECT_EQ(qp_decoded(encoded), text);
  size_t start = 0;
  for (size_t eol = encoded.find('\n'); eol != std::string::npos; eol = encoded.find('\n', start)) {
    const std::string_view line(encoded.data() + start, eol - start);
    EXPECT_LE(line.size(), 76u) << line;
    // The longest word with its space is 20 characters: a soft break leaves no more room.
    if (!line.empty() && line.back() == '=' && line.size() < 76 - 20) ADD_FAILURE() << "early break: " << line;
    start = eol + 1;
  }
  // Every ASCII word of the text is found whole in the encoding.
  for (int i = 0; i < 400; ++i) {
    if (i % 7 == 0) continue;
    EXPECT_NE(encoded.find("word" + std::to_string(i) + " "), std::string::npos) << i;
  }
}

}  // namespace
}  // namespace ostfs::render
