#include "parser/ndb/source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "parser/ndb/errors.h"

namespace ostfs::ndb {
namespace {

void check_range(uint64_t offset, size_t length, uint64_t size) {
  if (offset > size || length > size - offset)
    throw IoError("read of " + std::to_string(length) + " bytes at " + hex(offset) + " goes past the end of the file (" +
                  std::to_string(size) + " bytes)");
}

}  // namespace

FileSource::FileSource(const std::filesystem::path& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw IoError("cannot open: " + std::string(std::strerror(errno)));
  struct stat st{};
  if (::fstat(fd_, &st) != 0) {
    const int err = errno;
    ::close(fd_);
    throw IoError("cannot stat: " + std::string(std::strerror(err)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw IoError("is a directory");
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSource::read(uint64_t offset, std::span<uint8_t> out) const {
  check_range(offset, out.size(), size_);
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError("read at " + hex(offset + done) + " failed: " + std::strerror(errno));
    }
    if (got == 0) throw IoError("file ended at " + hex(offset + done) + " while reading");
    done += static_cast<size_t>(got);
  }
}

void MemorySource::read(uint64_t offset, std::span<uint8_t> out) const {
  check_range(offset, out.size(), bytes_.size());
  if (!out.empty()) std::memcpy(out.data(), bytes_.data() + offset, out.size());
}

}  // namespace ostfs::ndb
