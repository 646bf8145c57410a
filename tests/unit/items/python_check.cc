#include "python_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace ostfs::render::testing {

bool PythonResult::has(const std::string& line) const {
  std::istringstream in(output);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

std::vector<std::string> PythonResult::lines_starting(const std::string& prefix) const {
  std::vector<std::string> out;
  std::istringstream in(output);
  for (std::string l; std::getline(in, l);)
    if (l.rfind(prefix, 0) == 0) out.push_back(l);
  return out;
}

PythonResult python_check(const std::vector<std::pair<std::string, std::string>>& files) {
  static std::atomic<int> counter{0};
  std::vector<std::string> paths;
  std::string command = "/usr/bin/python3 " OSTFS_ITEMS_CHECK_SCRIPT;
  for (const auto& [suffix, bytes] : files) {
    const std::string path =
        ::testing::TempDir() + "ostfs_items_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + suffix;
    std::ofstream(path, std::ios::binary) << bytes;
    paths.push_back(path);
    command += " '" + path + "'";
  }
  PythonResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  result.ok = pclose(pipe) == 0;
  if (!std::getenv("OSTFS_KEEP_TEST_FILES"))
    for (const auto& p : paths) std::remove(p.c_str());
  return result;
}

std::string corpus_dir() {
  if (const char* env = std::getenv("OSTFS_CORPUS")) return env;
  return OSTFS_DEFAULT_CORPUS;
}

}  // namespace ostfs::render::testing
