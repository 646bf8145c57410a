// Bytes too many to keep in memory, appended and then read at any offset: an unnamed temporary
// file (nothing is left behind, whatever happens to the process). The mount's manifest and the
// PST writer's B-tree entries use it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace ostfs {

// An unnamed read-write file in `directory`: O_TMPFILE, else a named file unlinked at once.
// -1 (errno set) when the directory cannot hold one.
int open_unnamed_file(const std::filesystem::path& directory);

class SpillFile {
 public:
  // An empty file in $TMPDIR (default /tmp), or in memory (memfd) where that directory cannot
  // hold unnamed files. Throws std::system_error when neither can be made.
  static SpillFile create();
  // An empty file in `directory` (a named file unlinked at once where the file system has no
  // O_TMPFILE). Throws std::system_error naming the directory when it cannot hold one.
  static SpillFile create_in(const std::filesystem::path& directory);
  ~SpillFile();
  SpillFile(SpillFile&& other) noexcept;
  SpillFile& operator=(SpillFile&& other) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Adds `bytes` at the end. Throws std::system_error (disk full...).
  void append(std::span<const uint8_t> bytes);
  void append(std::string_view bytes) {
    append(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  }
  uint64_t size() const { return size_; }
  // Fills `out` from `offset`, as far as the file goes; returns the bytes read. Throws
  // std::system_error.
  size_t read(uint64_t offset, std::span<uint8_t> out) const;
  size_t read(uint64_t offset, std::span<char> out) const {
    return read(offset, std::span(reinterpret_cast<uint8_t*>(out.data()), out.size()));
  }

 private:
  explicit SpillFile(int fd) : fd_(fd) {}
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace ostfs
