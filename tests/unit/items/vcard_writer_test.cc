#include "fs/render/vcard_writer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ostfs::render::vcard {
namespace {

std::vector<std::string> physical_lines(const std::string& folded) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t crlf; (crlf = folded.find("\r\n", start)) != std::string::npos; start = crlf + 2)
    out.push_back(folded.substr(start, crlf - start));
  EXPECT_EQ(start, folded.size()) << "output must end with CRLF";
  return out;
}

std::string unfold(const std::string& folded) {
  std::string out;
  for (const auto& line : physical_lines(folded)) out += line.empty() || line[0] != ' ' ? line : line.substr(1);
  return out;
}

TEST(EscapeText, EscapesSpecialsAndLineBreaks) {
  EXPECT_EQ(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
  EXPECT_EQ(escape_text("one\r\ntwo\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
}

TEST(EscapeText, DropsControlsKeepsTabAndReplacesBadUtf8) {
  EXPECT_EQ(escape_text(std::string("a\x01\tb\x7f")), "a\tb");
  EXPECT_EQ(escape_text("x\xff"), "x\xEF\xBF\xBD");
}

TEST(ParamValue, QuotesWhenNeeded) {
  EXPECT_EQ(param_value("WORK"), "WORK");
  EXPECT_EQ(param_value("a:b"), "\"a:b\"");
  EXPECT_EQ(param_value("say \"hi\", now"), "\"say  hi , now\"");
}

TEST(Fold, ShortLineUnchanged) {
  EXPECT_EQ(fold("FN:Alice"), "FN:Alice\r\n");
}

TEST(Fold, LinesAtMost75OctetsAndUnfoldBack) {
  const std::string line = "NOTE:" + std::string(300, 'x');
  const std::string folded = fold(line);
  for (const auto& l : physical_lines(folded)) EXPECT_LE(l.size(), 75u);
  EXPECT_EQ(physical_lines(folded).front().size(), 75u);
  EXPECT_EQ(unfold(folded), line);
}

TEST(Fold, NeverSplitsUtf8Sequences) {
  // 4-byte and 2-byte characters at every alignment against the 75-octet limit.
  for (int pad = 0; pad < 4; ++pad) {
    std::string line = "NOTE:" + std::string(pad, 'a');
    for (int i = 0; i < 60; ++i) line += i % 2 ? "\xF0\x9F\x9A\x80" : "\xC3\xA9";
    const std::string folded = fold(line);
    for (const auto& l : physical_lines(folded)) {
      ASSERT_LE(l.size(), 75u);
      const std::string content = l[0] == ' ' ? l.substr(1) : l;
      // A physical line must not start with a continuation byte nor end inside a sequence.
      ASSERT_NE(static_cast<unsigned char>(content[0]) & 0xC0, 0x80) << "pad " << pad;
    }
    EXPECT_EQ(unfold(folded), line);
  }
}

TEST(Writer, WrapsBeginVersionEnd) {
  Writer w(4);
  w.add_text("FN", "", "A;B");
  w.add_text("NICKNAME", "", "");  // empty values are left out
  w.add_structured("N", "", {"Doe", "J,ohn", "", "", ""});
  EXPECT_EQ(w.finish(), "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\\;B\r\nN:Doe;J\\,ohn;;;\r\nEND:VCARD\r\n");
  EXPECT_EQ(Writer(7).version(), 3);
}

TEST(Writer, UriValuesAreNotBackslashEscaped) {
  Writer w(3);
  w.add_uri("URL", "", "http://example.com/a,b;c\n");
  EXPECT_NE(w.finish().find("URL:http://example.com/a,b;c\r\n"), std::string::npos);
}

}  // namespace
}  // namespace ostfs::render::vcard
