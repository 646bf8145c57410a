// Replays the inputs the fuzzer once crashed on (tests/fuzz/regressions/) through the same
// harness, without libFuzzer, so every build's ctest catches a regression. Under
// scripts/test-sanitized.sh the sanitizers check them too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/fuzz/store_walk.h"

namespace ostfs::fuzz {
namespace {

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> regression_inputs() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(OSTFS_FUZZ_REGRESSIONS_DIR)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name != "README.md") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class FuzzRegression : public testing::TestWithParam<std::string> {};

// A walk stuck in a deadlock never returns, so it runs on its own thread; past the limit the
// test process ends itself (ctest runs each test in its own process).
constexpr auto kWalkLimit = std::chrono::seconds(60);

TEST_P(FuzzRegression, WalksWithoutFinding) {
  const std::vector<uint8_t> bytes = read_file(std::filesystem::path(OSTFS_FUZZ_REGRESSIONS_DIR) / GetParam());
  ASSERT_FALSE(bytes.empty()) << GetParam();
  auto outcome = std::make_shared<std::promise<std::string>>();
  std::future<std::string> done = outcome->get_future();
  std::thread([bytes, outcome] {
    try {
      walk_store(bytes);
      outcome->set_value("");
    } catch (const std::exception& e) {
      outcome->set_value(e.what());
    }
  }).detach();
  if (done.wait_for(kWalkLimit) != std::future_status::ready) {
    std::fprintf(stderr, "%s: the walk did not finish in %lld s (hang)\n", GetParam().c_str(),
                 static_cast<long long>(kWalkLimit.count()));
    std::_Exit(1);
  }
  EXPECT_EQ(done.get(), "") << GetParam();
}

// gtest names allow only [A-Za-z0-9_].
std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

// Until the fuzzer finds something the list may be empty.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzRegression);
INSTANTIATE_TEST_SUITE_P(Inputs, FuzzRegression, testing::ValuesIn(regression_inputs()), test_name);

// The harness must really walk a file, or the replays above would prove nothing.
TEST(FuzzHarness, WalksRendersAndExportsTheSampleOst) {
  const std::vector<uint8_t> bytes = read_file(OSTFS_SAMPLE_OST);
  ASSERT_GT(bytes.size(), 1024u);
  const WalkStats stats = walk_store(bytes);
  EXPECT_TRUE(stats.opened);
  EXPECT_GT(stats.folders, 3);
  EXPECT_GT(stats.messages_rendered, 10);
  EXPECT_EQ(stats.messages_written, stats.messages_rendered);
  EXPECT_TRUE(stats.export_finished);
}

TEST(FuzzHarness, IgnoresWhatIsNotAPstFile) {
  const std::vector<uint8_t> bytes(4096, 0x42);
  const WalkStats stats = walk_store(bytes);
  EXPECT_FALSE(stats.opened);
  EXPECT_EQ(stats.folders, 0);
}

}  // namespace
}  // namespace ostfs::fuzz
