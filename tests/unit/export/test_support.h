// Helpers shared by the export tests that run external readers and checkers.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>

namespace ostfs::pstw::testing {

struct CommandResult {
  int status;
  std::string out;
};

// Runs `cmd` through the shell with stderr folded into the output.
inline CommandResult run_command(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen((cmd + " 2>&1").c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
  int status = pclose(p.release());
  return CommandResult{status, out};
}

inline std::string shell_quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

inline std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.insert(l);
  return lines;
}

// A fresh directory per test, removed when the test passed.
inline std::filesystem::path fresh_test_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("ostfs_export_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A test with a fresh directory of its own (`dir_`, named after the test), removed when the
// test passes and kept for a look when it fails.
class FreshDirTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = fresh_test_dir(::testing::UnitTest::GetInstance()->current_test_info()->name()); }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

inline std::string python_tool(const std::string& script) {
  return "/usr/bin/python3 -B " OSTFS_EXPORT_TEST_DIR "/" + script;  // -B: no __pycache__ in the source tree
}

}  // namespace ostfs::pstw::testing
