#include "fs/paged_arena.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "parser/spill_file.h"

namespace ostfs::fs {
namespace {

// Chunks double from 1 MiB to 64 MiB: a small mailbox maps little, a big one few chunks.
constexpr size_t kFirstChunk = size_t{1} << 20;
constexpr size_t kLargestChunk = size_t{64} << 20;

size_t page_size() {
  static const size_t size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

std::vector<std::filesystem::path> default_directories() {
  std::vector<std::filesystem::path> out;
  if (const char* dir = std::getenv("TMPDIR"); dir && *dir) out.emplace_back(dir);
  out.emplace_back("/var/tmp");
  out.emplace_back("/tmp");
  return out;
}

}  // namespace

PagedArena::PagedArena() : PagedArena(default_directories()) {}

PagedArena::PagedArena(const std::vector<std::filesystem::path>& directories) {
  for (const auto& dir : directories)
    if ((fd_ = open_unnamed_file(dir)) >= 0) break;
}

PagedArena::~PagedArena() {
  for (const Chunk& chunk : chunks_) ::munmap(chunk.base, chunk.size);
  if (fd_ >= 0) ::close(fd_);
}

PagedArena::Chunk PagedArena::map_chunk(size_t size) {
  if (fd_ >= 0 && ::posix_fallocate(fd_, static_cast<off_t>(file_size_), static_cast<off_t>(size)) == 0) {
    void* at = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, static_cast<off_t>(file_size_));
    if (at != MAP_FAILED) {
      file_size_ += size;
      return {static_cast<char*>(at), size, true};
    }
  }
  // No file, or no room on its disk: memory like the heap's, which a release leaves alone.
  void* at = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (at == MAP_FAILED) throw std::bad_alloc();
  return {static_cast<char*>(at), size, false};
}

void* PagedArena::allocate(size_t bytes, size_t alignment) {
  if (alignment == 0 || alignment > page_size() || (alignment & (alignment - 1)) != 0) throw std::bad_alloc();
  bytes = std::max<size_t>(bytes, 1);
  std::lock_guard lock(mutex_);
  size_t offset = chunks_.empty() ? 0 : round_up(used_, alignment);
  if (chunks_.empty() || offset > chunks_.back().size || bytes > chunks_.back().size - offset) {
    const size_t next = chunks_.empty() ? kFirstChunk : std::min(kLargestChunk, chunks_.back().size * 2);
    chunks_.push_back(map_chunk(std::max(next, round_up(bytes, page_size()))));
    offset = 0;
  }
  used_ = offset + bytes;
  allocated_ += bytes;
  return chunks_.back().base + offset;
}

void PagedArena::release_resident() {
  std::lock_guard lock(mutex_);
  for (const Chunk& chunk : chunks_)
    if (chunk.from_file) ::madvise(chunk.base, chunk.size, MADV_DONTNEED);
  allocated_at_release_ = allocated_;
}

void PagedArena::discard(void* at, size_t bytes) {
  const auto begin = round_up(reinterpret_cast<uintptr_t>(at), page_size());
  const auto end = (reinterpret_cast<uintptr_t>(at) + bytes) / page_size() * page_size();
  if (end <= begin) return;
  std::lock_guard lock(mutex_);
  for (const Chunk& chunk : chunks_) {
    const auto base = reinterpret_cast<uintptr_t>(chunk.base);
    if (begin < base || end > base + chunk.size) continue;
    // File-backed: the file's blocks go too. Anonymous: the pages are freed.
    ::madvise(reinterpret_cast<void*>(begin), end - begin, chunk.from_file ? MADV_REMOVE : MADV_DONTNEED);
    return;
  }
}

size_t PagedArena::bytes_allocated() const {
  std::lock_guard lock(mutex_);
  return allocated_;
}

size_t PagedArena::bytes_since_release() const {
  std::lock_guard lock(mutex_);
  return allocated_ - allocated_at_release_;
}

}  // namespace ostfs::fs
