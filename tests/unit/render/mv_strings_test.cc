#include "fs/render/mv_strings.h"

#include <gtest/gtest.h>

#include "message_builder.h"

namespace ostfs::render {
namespace {

using testing::le;
using testing::mv_layout;

TEST(MultiStrings, DecodesUnicodeValues) {
  const auto p = testing::keywords({"Red", "Gr\xC3\xBCn", "\xF0\x9F\x98\x80"});
  EXPECT_EQ(multi_strings(p, 1252),
            (std::vector<std::string>{"Red", "Gr\xC3\xBCn", "\xF0\x9F\x98\x80"}));
}

TEST(MultiStrings, DecodesString8WithCodepage) {
  model::Property p{0x8011, props::type::MvString8, mv_layout({"caf\xE9", "x"}), std::nullopt};
  EXPECT_EQ(multi_strings(p, 1252), (std::vector<std::string>{"caf\xC3\xA9", "x"}));
}

TEST(MultiStrings, EmptyListAndEmptyStrings) {
  model::Property none{1, props::type::MvUnicode, le(0, 4), std::nullopt};
  EXPECT_TRUE(multi_strings(none, 1252).empty());
  model::Property blanks{1, props::type::MvUnicode, mv_layout({"", ""}), std::nullopt};
  EXPECT_EQ(multi_strings(blanks, 1252), (std::vector<std::string>{"", ""}));
}

struct BadLayout {
  const char* what;
  std::vector<uint8_t> value;
};

class MultiStringsRejects : public ::testing::TestWithParam<BadLayout> {};

TEST_P(MultiStringsRejects, DamagedLayout) {
  model::Property p{1, props::type::MvUnicode, GetParam().value, std::nullopt};
  EXPECT_TRUE(multi_strings(p, 1252).empty()) << GetParam().what;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MultiStringsRejects,
    ::testing::Values(BadLayout{"short", {1, 0}}, BadLayout{"count beyond value", le(1000000, 4)},
                      BadLayout{"huge count", le(0xFFFFFFFF, 4)},
                      BadLayout{"offset past end", concat({le(1, 4), le(100, 4)})},
                      BadLayout{"offset inside table", concat({le(1, 4), le(2, 4), le(0, 2)})},
                      BadLayout{"decreasing offsets", concat({le(2, 4), le(14, 4), le(12, 4),
                                                              le(0x41, 2), le(0x42, 2)})}),
    [](const ::testing::TestParamInfo<BadLayout>& info) {
      std::string name = info.param.what;
      for (char& c : name)
        if (c == ' ') c = '_';
      return name;
    });

TEST(MultiStrings, OtherTypesGiveNothing) {
  model::Property p{1, props::type::Unicode, mv_layout({"abc"}), std::nullopt};
  EXPECT_TRUE(multi_strings(p, 1252).empty());
}

}  // namespace
}  // namespace ostfs::render
