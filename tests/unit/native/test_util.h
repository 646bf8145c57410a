// Test helpers shared by the native reader's tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <unistd.h>

#include "parser/ndb/database.h"
#include "parser/ndb/source.h"

namespace ostfs::ndb::testing {

inline std::unique_ptr<Database> open_memory(Bytes bytes) {
  return std::make_unique<Database>(std::make_unique<MemorySource>(std::move(bytes)));
}

// A file in a private temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const Bytes& bytes, const std::string& name = "test.pst") {
    dir_ = std::filesystem::temp_directory_path() /
           ("ostfs-native-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(dir_);
    path_ = dir_ / name;
    std::ofstream(path_, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  ~TempFile() { std::filesystem::remove_all(dir_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

inline const char* format_label(Format f) {
  return f == Format::Ansi ? "Ansi" : f == Format::Unicode ? "Unicode" : "Unicode4k";
}

}  // namespace ostfs::ndb::testing
