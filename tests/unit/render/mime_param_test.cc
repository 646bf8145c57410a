#include "fs/render/mime_param.h"

#include <gtest/gtest.h>

#include "parser/text.h"

namespace ostfs::render {
namespace {

// Decodes the %XX escapes of one RFC 2231 piece's value.
std::string percent_decoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool is_valid_utf8(const std::string& s) { return text::sanitize_utf8(s) == s; }

TEST(EncodeParameter, PicksTheSimplestForm) {
  EXPECT_EQ(encode_parameter("filename", "report.pdf"), std::vector<std::string>{"filename=report.pdf"});
  EXPECT_EQ(encode_parameter("filename", "Report Q3.pdf"),
            std::vector<std::string>{"filename=\"Report Q3.pdf\""});
  EXPECT_EQ(encode_parameter("name", "a\"b\\c;d"), std::vector<std::string>{"name=\"a\\\"b\\\\c;d\""});
  EXPECT_EQ(encode_parameter("filename", ""), std::vector<std::string>{"filename=\"\""});
  EXPECT_EQ(encode_parameter("filename", "R\xC3\xA9sum\xC3\xA9 1.doc"),
            std::vector<std::string>{"filename*=UTF-8''R%C3%A9sum%C3%A9%201.doc"});
  // '*', '\'' and '%' are tokens but not attribute-chars: escaped in the extended form.
  EXPECT_EQ(encode_parameter("filename", "\xC3\xA9*'%"),
            std::vector<std::string>{"filename*=UTF-8''%C3%A9%2A%27%25"});
  // Invalid UTF-8 becomes U+FFFD rather than bytes no charset can name.
  EXPECT_EQ(encode_parameter("filename", "a\xFF"), std::vector<std::string>{"filename*=UTF-8''a%EF%BF%BD"});
}

TEST(EncodeParameter, ContinuationsSplitOnlyBetweenCharacters) {
  // 3- and 4-byte characters in every alignment against the piece limit.
  for (size_t lead = 0; lead < 12; ++lead) {
    std::string value(lead, 'x');
    for (int i = 0; i < 30; ++i) value += i % 3 ? "\xE3\x83\x86" : "\xF0\x9F\x9A\x80";
    value += ".eml";
    const auto pieces = encode_parameter("filename", value);
    ASSERT_GT(pieces.size(), 1u) << lead;
    std::string joined;
    for (size_t i = 0; i < pieces.size(); ++i) {
      const std::string prefix = "filename*" + std::to_string(i) + "*=" + (i == 0 ? "UTF-8''" : "");
      ASSERT_EQ(pieces[i].compare(0, prefix.size(), prefix), 0) << pieces[i];
      EXPECT_LE(pieces[i].size() + 2, kHeaderLineLimit) << pieces[i];
      const std::string decoded = percent_decoded(std::string_view(pieces[i]).substr(prefix.size()));
      EXPECT_TRUE(is_valid_utf8(decoded)) << "piece " << i << " cut inside a character: " << pieces[i];
      joined += decoded;
    }
    EXPECT_EQ(joined, value);
  }
}

TEST(EncodeParameter, LongAsciiUsesContinuationsToo) {
  const std::string value(200, 'a');
  const auto pieces = encode_parameter("filename", value);
  // 57 + 64 + 64 + 15 characters: each piece fills its line (76 with ';' and the tab).
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(pieces[0], "filename*0*=UTF-8''" + std::string(57, 'a'));
  EXPECT_EQ(pieces[1], "filename*1*=" + std::string(64, 'a'));
  EXPECT_EQ(pieces[3], "filename*3*=" + std::string(15, 'a'));
}

TEST(HeaderWithParameters, FoldsLikeGMime) {
  EXPECT_EQ(header_with_parameters("Content-Disposition", "attachment", {{"filename", "a.pdf"}}),
            " attachment; filename=a.pdf\n");
  const std::string long_value(70, 'b');
  EXPECT_EQ(header_with_parameters("Content-Type", "application/pdf", {{"name", long_value + ".pdf"}}),
            " application/pdf;\n\tname*0*=UTF-8''" + long_value.substr(0, 61) + ";\n\tname*1*=" +
                long_value.substr(61) + ".pdf\n");
}

}  // namespace
}  // namespace ostfs::render
