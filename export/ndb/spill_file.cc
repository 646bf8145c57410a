#include "export/ndb/spill_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

namespace ostfs::pstw {
namespace {
constexpr size_t kBufferBytes = 1 << 20;

[[noreturn]] void fail(const std::filesystem::path& directory, const char* what) {
  throw std::system_error(errno, std::generic_category(),
                          std::string(what) + " the temporary file in " + directory.string());
}

int create_unnamed(const std::filesystem::path& directory) {
  int fd = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // File systems without O_TMPFILE: a named file, unlinked as soon as it is open.
  std::string name = (directory / ".ostfs-spill-XXXXXX").string();
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) fail(directory, "Cannot create");
  ::unlink(name.c_str());
  return fd;
}
}  // namespace

SpillFile::SpillFile(const std::filesystem::path& directory)
    : directory_(directory.empty() ? std::filesystem::path(".") : directory), fd_(create_unnamed(directory_)) {
  buffer_.reserve(kBufferBytes);
}

SpillFile::SpillFile(SpillFile&& other) noexcept
    : directory_(std::move(other.directory_)),
      fd_(std::exchange(other.fd_, -1)),
      flushed_(std::exchange(other.flushed_, 0)),
      buffer_(std::move(other.buffer_)) {}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SpillFile::append(std::span<const uint8_t> bytes) {
  if (buffer_.size() + bytes.size() > kBufferBytes) flush();
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void SpillFile::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done, static_cast<off_t>(flushed_ + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(directory_, "Cannot write");
    }
    done += static_cast<size_t>(n);
  }
  flushed_ += buffer_.size();
  buffer_.clear();
}

void SpillFile::read(uint64_t offset, std::span<uint8_t> out) {
  if (offset > size() || out.size() > size() - offset) throw std::out_of_range("read past the end of a spill file");
  flush();
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(directory_, "Cannot read");
    if (n == 0) throw std::out_of_range("spill file shorter than written");
    done += static_cast<size_t>(n);
  }
}

}  // namespace ostfs::pstw
