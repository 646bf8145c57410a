// Where the NDB reader gets its bytes: a file read with pread (no shared file offset, so any
// number of threads can read at once), or memory (tests and fuzzing).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace ostfs::ndb {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Fills `out` from `offset`. Throws IoError when the range is not inside the source or
  // the read fails. Safe to call from many threads at once.
  virtual void read(uint64_t offset, std::span<uint8_t> out) const = 0;
};

class FileSource final : public ByteSource {
 public:
  // Opens `path` read-only. Throws IoError.
  explicit FileSource(const std::filesystem::path& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  uint64_t size() const override { return size_; }
  void read(uint64_t offset, std::span<uint8_t> out) const override;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  void read(uint64_t offset, std::span<uint8_t> out) const override;

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace ostfs::ndb
