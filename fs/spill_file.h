// Bytes too many to keep in the daemon's memory, written once and then read at any offset: an
// unnamed temporary file (nothing is left behind, whatever happens to the process).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ostfs::fs {

class SpillFile {
 public:
  // An empty file in $TMPDIR (default /tmp), or in memory (memfd) where that directory cannot
  // hold unnamed files. Throws std::system_error when neither can be made.
  static SpillFile create();
  ~SpillFile();
  SpillFile(SpillFile&& other) noexcept;
  SpillFile& operator=(SpillFile&& other) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Adds `bytes` at the end. Throws std::system_error (disk full...).
  void append(std::string_view bytes);
  uint64_t size() const { return size_; }
  // Fills `out` from `offset`, as far as the file goes; returns the bytes read. Throws
  // std::system_error.
  size_t read(uint64_t offset, std::span<char> out) const;

 private:
  explicit SpillFile(int fd) : fd_(fd) {}
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace ostfs::fs
