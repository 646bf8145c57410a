#include "fs/naming.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ostfs::fs {
namespace {

struct SanitizeCase {
  std::string input;
  std::string expected;
};

class SanitizeTest : public ::testing::TestWithParam<SanitizeCase> {};

TEST_P(SanitizeTest, GivesSafeName) {
  EXPECT_EQ(sanitize_component(GetParam().input, "(none)"), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, SanitizeTest,
    ::testing::Values(SanitizeCase{"Re: Budget/Plan", "Re- Budget-Plan"},
                      SanitizeCase{"..", "_.."},
                      SanitizeCase{".", "_."},
                      SanitizeCase{"../../etc/passwd", "_..-..-etc-passwd"},
                      SanitizeCase{".hidden", "_.hidden"},
                      SanitizeCase{"", "(none)"},
                      SanitizeCase{"   \t ", "(none)"},
                      SanitizeCase{std::string("a\0b", 3), "ab"},
                      SanitizeCase{"line1\r\nline2", "line1 line2"},
                      SanitizeCase{"evil\xE2\x80\xAEtxt.exe", "eviltxt.exe"},   // U+202E RLO
                      SanitizeCase{"\xE2\x81\xA6iso\xE2\x81\xA9", "iso"},          // U+2066/2069
                      SanitizeCase{"bad\xFFutf8", "bad\xEF\xBF\xBDutf8"},
                      SanitizeCase{"a  \xC2\xA0 b", "a b"},
                      SanitizeCase{"\x1b[31mred", "[31mred"},
                      SanitizeCase{"C1\xC2\x85" "x", "C1x"},
                      SanitizeCase{"Q? *\"<>|\\", "Q- ------"},
                      SanitizeCase{"\xF0\x9F\x9A\x80 launch", "\xF0\x9F\x9A\x80 launch"}),
    [](const ::testing::TestParamInfo<SanitizeCase>& info) { return "Case" + std::to_string(info.index); });

TEST(Sanitize, CutsLongNamesAtCharacterBoundary) {
  std::string input;
  for (int i = 0; i < 200; ++i) input += "\xE6\x97\xA5";  // 600 bytes of 日
  const std::string out = sanitize_component(input, "x");
  EXPECT_LE(out.size(), kMaxNameBytes);
  EXPECT_EQ(out.size() % 3, 0u);
  EXPECT_EQ(out.size(), 255u);
}

TEST(MessageStem, PutsUtcDateBeforeSubject) {
  EXPECT_EQ(message_file_stem(1709649120, "Re: Budget review"), "2024-03-05 14.32 Re- Budget review");
  EXPECT_EQ(message_file_stem(std::nullopt, "Hello"), "Hello");
  EXPECT_EQ(message_file_stem(0, ""), "1970-01-01 00.00 (no subject)");
}

TEST(NameArena, KeepsEveryNameWholeAndNulTerminatedAcrossChunksAndReleases) {
  PagedArena pages;
  NameArena arena(pages);
  std::vector<std::pair<std::string, std::string_view>> added;
  for (int i = 0; i < 5000; ++i) {
    // Mostly short names, now and then one longer than a chunk; the pages let go of midway.
    if (i == 2500) pages.release_resident();
    const std::string name = i % 997 == 0 ? std::string(3 << 20, static_cast<char>('a' + i % 26))
                                          : "name " + std::to_string(i) + std::string(static_cast<size_t>(i % 40), 'y');
    added.emplace_back(name, arena.add(name));
  }
  for (const auto& [name, view] : added) {
    ASSERT_EQ(view, name);
    ASSERT_EQ(view.data()[view.size()], '\0');
  }
}

// A directory's names as the tree keeps them: each name given is taken before the next.
struct Directory {
  std::set<std::string, std::less<>> taken;
  std::string add(std::string_view stem, std::string_view extension) {
    std::string name = unique_name(stem, extension, [&](std::string_view n) { return taken.contains(n); });
    taken.insert(name);
    return name;
  }
};

TEST(UniqueName, NumbersCollisionsInOrder) {
  Directory dir;
  EXPECT_EQ(dir.add("a", ".eml"), "a.eml");
  EXPECT_EQ(dir.add("a", ".eml"), "a (2).eml");
  EXPECT_EQ(dir.add("a", ".eml"), "a (3).eml");
  EXPECT_EQ(dir.add("a (2)", ".eml"), "a (2) (2).eml");
  EXPECT_EQ(dir.add("a", ""), "a");
  EXPECT_EQ(dir.add("a", ""), "a (2)");
}

TEST(UniqueName, KeepsSuffixWithinLimit) {
  Directory dir;
  const std::string stem(300, 'x');
  const std::string first = dir.add(stem, ".eml");
  const std::string second = dir.add(stem, ".eml");
  EXPECT_EQ(first.size(), kMaxNameBytes);
  EXPECT_EQ(second.size(), kMaxNameBytes);
  EXPECT_NE(first, second);
  EXPECT_EQ(second.substr(second.size() - 8), " (2).eml");
}

}  // namespace
}  // namespace ostfs::fs
