// Real PR_RTF_COMPRESSED values from the corpus (data/README.md): decompressed and
// de-encapsulated, compared with what the same message stores as PR_BODY where it has one.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "parser/rtf.h"
#include "tests/unit/rtf/rtf_test_util.h"

namespace ostfs::rtf {
namespace {

using test::read_fixture;

std::string fixture_text(const std::string& name) {
  const auto bytes = read_fixture(name);
  return std::string(bytes.begin(), bytes.end());
}

uint32_t raw_size_of(const std::vector<uint8_t>& stream) {
  return stream[4] | stream[5] << 8 | stream[6] << 16 | static_cast<uint32_t>(stream[7]) << 24;
}

TEST(CorpusSample, WordRtfMatchesPrBody) {
  const auto stream = read_fixture("tika_various_body_types_rtf.lzfu");
  const std::string rtf = decompress(stream);
  EXPECT_EQ(rtf.size(), raw_size_of(stream));
  EXPECT_EQ(rtf.rfind("{\\rtf1\\adeflang1025\\ansi\\ansicpg1252", 0), 0u);

  const Deencapsulated d = deencapsulate(rtf);
  EXPECT_EQ(d.kind, BodyKind::Rtf);
  EXPECT_EQ(d.content, fixture_text("tika_various_body_types_rtf.body.txt"));
}

TEST(CorpusSample, MelaFromTextInGbkMatchesPrBody) {
  const auto stream = read_fixture("aspose_password_pst_mela_fromtext_cp936.lzfu");
  const std::string rtf = decompress(stream);
  EXPECT_EQ(rtf.size(), stream.size() - 16);  // RAWSIZE claims 12 bytes more
  EXPECT_EQ(rtf.rfind("{\\rtf1\\ansi\\fbidis\\ansicpg936", 0), 0u);
  EXPECT_TRUE(rtf.ends_with("\\line\r\n}}\r\n"));

  const Deencapsulated d = deencapsulate(rtf);
  EXPECT_EQ(d.kind, BodyKind::Text);
  EXPECT_EQ(d.content, fixture_text("aspose_password_pst_mela_fromtext_cp936.body.txt"));
  EXPECT_NE(d.content.find("\u25A0\u25A0 \u8BE6\u7EC6 \u25A0\u25A0"), std::string::npos);
}

TEST(CorpusSample, EncapsulatedHtmlMeetingRequest) {
  const Deencapsulated d =
      deencapsulate(decompress(read_fixture("aspose_sample_ost_fromhtml_meeting.lzfu")));
  EXPECT_EQ(d.kind, BodyKind::Html);
  EXPECT_EQ(d.content,
            "<html>\r\n<head>\r\n\r\n</head>\r\n<body>\r\n<tt>\r\n"
            "<pre>When: Tuesday, September 20, 2011 2:54 AM-3:24 AM. (GMT&#43;05:00) "
            "Islamabad, Karachi\r\n"
            "Where: meeting request\r\n\r\n*~*~*~*~*~*~*~*~*~*\r\n</pre>\r\n</tt>\r\n"
            "<div>test email</div>\r\n</body>\r\n</html>\r\n");
}

TEST(CorpusSample, EncapsulatedHtmlWithWindows1252Escape) {
  const Deencapsulated d =
      deencapsulate(decompress(read_fixture("aspose_sample_ost_fromhtml_swedish.lzfu")));
  EXPECT_EQ(d.kind, BodyKind::Html);
  EXPECT_EQ(d.content.rfind("<HTML><HEAD></HEAD>\r\n<BODY dir=ltr>\r\n<DIV dir=ltr>\r\n", 0), 0u);
  EXPECT_NE(d.content.find("<DIV>Hur r\u00E4ttar jag detta</DIV>\r\n"), std::string::npos);
  EXPECT_TRUE(d.content.ends_with("<DIV>Rolf</DIV></DIV></DIV></BODY></HTML>\r\n"));
}

TEST(CorpusSample, PlainRtfSyncLog) {
  const Deencapsulated d =
      deencapsulate(decompress(read_fixture("aspose_sample_ost_sync_log_rtf.lzfu")));
  EXPECT_EQ(d.kind, BodyKind::Rtf);
  EXPECT_EQ(d.content.rfind("16:37:22 Synchronizer Version 12.0.6550\r\n"
                            "16:37:22 Synchronizing Mailbox 'Saqib Razzaq'\r\n",
                            0),
            0u);
  EXPECT_NE(d.content.find("16:37:46 \t   2397 item(s) added to offline folder\r\n"),
            std::string::npos);
  EXPECT_TRUE(d.content.ends_with("16:38:27 \t0X80190194\r\n"));
}

TEST(CorpusSample, DamagedCopiesNeverBreakTheReaders) {
  // Real bodies with bytes overwritten by RTF syntax characters and cut at random points,
  // in the manner of libpff's fuzzer: decompress() may only throw RtfError, and
  // deencapsulate() must return valid UTF-8.
  const std::vector<std::string> names = {"tika_various_body_types_rtf.lzfu",
                                          "aspose_sample_ost_fromhtml_meeting.lzfu",
                                          "aspose_password_pst_mela_fromtext_cp936.lzfu"};
  const std::string syntax = "{}\\'*0123456789abcdefu- \r\n\x80\xff";
  std::mt19937 rng(1009);
  for (const auto& name : names) {
    const auto stream = read_fixture(name);
    const std::string rtf = decompress(stream);
    for (int iteration = 0; iteration < 300; ++iteration) {
      std::string damaged = rtf.substr(0, rng() % (rtf.size() + 1));
      for (int k = 0; k < 8 && !damaged.empty(); ++k)
        damaged[rng() % damaged.size()] = syntax[rng() % syntax.size()];
      const Deencapsulated d = deencapsulate(damaged);
      ASSERT_TRUE(test::is_valid_utf8(d.content)) << name << " iteration " << iteration;

      auto bad_stream = stream;
      bad_stream[16 + rng() % (bad_stream.size() - 16)] ^= static_cast<uint8_t>(1 + rng() % 255);
      bad_stream.resize(16 + rng() % (bad_stream.size() - 15));
      try {
        decompress(bad_stream);
      } catch (const RtfError&) {
      }
    }
  }
}

}  // namespace
}  // namespace ostfs::rtf
