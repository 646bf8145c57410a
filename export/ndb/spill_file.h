// An unnamed temporary file for records that would otherwise grow in memory with the export
// (one BBT entry per block written): appended in order, read back once at the end.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace ostfs::pstw {

class SpillFile {
 public:
  // Creates the file in `directory` (where the output goes, so it has the space), unlinked at
  // once: nothing is left behind if the process dies. Throws std::system_error.
  explicit SpillFile(const std::filesystem::path& directory);
  ~SpillFile();
  SpillFile(SpillFile&& other) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  SpillFile& operator=(SpillFile&&) = delete;

  void append(std::span<const uint8_t> bytes);
  uint64_t size() const { return flushed_ + buffer_.size(); }
  // Fills `out` from `offset`; everything appended so far is readable. Throws
  // std::system_error on I/O errors and std::out_of_range past the end.
  void read(uint64_t offset, std::span<uint8_t> out);

 private:
  void flush();

  std::filesystem::path directory_;
  int fd_ = -1;
  uint64_t flushed_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace ostfs::pstw
