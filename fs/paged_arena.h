// Memory for the mount's records of every item (nodes, names, listings, the inode table, the
// size index) that need not stay in the daemon: it is taken from an unnamed temporary file on
// disk, mapped shared, and release_resident() lets go of the pages (MADV_DONTNEED). Their bytes stay in the
// file (and in the page cache, which the system may write back and reclaim) and come back on
// the next touch. So the daemon keeps what it used lately, not ~150 bytes for every item of
// the file: a mount of millions of items stays within its memory bound (bench/RESULTS.md).
//
// Space in the file is reserved (fallocate) before it is mapped, so a full disk cannot fault
// a page later; where no file can be made or reserved, the memory is anonymous (always
// resident, as the heap would be). Allocations live as long as the arena; nothing is freed
// one by one. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <new>
#include <span>
#include <type_traits>
#include <vector>

namespace ostfs::fs {

class PagedArena {
 public:
  // The file goes into the first of `directories` that can hold one.
  explicit PagedArena(const std::vector<std::filesystem::path>& directories);
  // $TMPDIR when set, then /var/tmp (on disk on every distribution), then /tmp.
  PagedArena();
  ~PagedArena();
  PagedArena(const PagedArena&) = delete;
  PagedArena& operator=(const PagedArena&) = delete;

  // `bytes` of zeroed memory aligned to `alignment` (at most a page). Throws std::bad_alloc.
  void* allocate(size_t bytes, size_t alignment);

  // Room for `count` objects of T, value-initialized. T must be trivially destructible or
  // destroyed by the caller: the arena runs no destructors.
  template <class T>
  std::span<T> make_array(size_t count) {
    if (count == 0) return {};
    if (count > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    T* at = static_cast<T*>(allocate(count * sizeof(T), alignof(T)));
    for (size_t i = 0; i < count; ++i) new (at + i) T();
    return {at, count};
  }

  // The same for a type whose value-initialized state is all zero bytes and that needs no
  // constructor or destructor run (trivially copyable and destructible): the arena's memory is
  // zero already, so not a page of the array is touched until it is used. (A doubled inode
  // table written through at once would be resident whole, 64 MB at three million items.)
  template <class T>
  std::span<T> make_zeroed_array(size_t count) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    if (count == 0) return {};
    if (count > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    // Such objects need no construction: zeroed storage is a valid value-initialized array.
    return {static_cast<T*>(allocate(count * sizeof(T), alignof(T))), count};
  }

  // A copy of `items` in the arena.
  template <class T>
  std::span<T> copy_of(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (items.empty()) return {};
    T* at = static_cast<T*>(allocate(items.size_bytes(), alignof(T)));
    std::memcpy(at, items.data(), items.size_bytes());
    return {at, items.size()};
  }

  // Hands every page of the file-backed memory back to the system; the bytes stay readable.
  void release_resident();

  // Hands back an earlier allocation's whole pages for good: its bytes must not be used again.
  // (The inode table's old slots after it grew.)
  void discard(void* at, size_t bytes);

  size_t bytes_allocated() const;
  // Bytes allocated since the last release_resident().
  size_t bytes_since_release() const;
  bool file_backed() const { return fd_ >= 0; }

 private:
  struct Chunk {
    char* base = nullptr;
    size_t size = 0;
    bool from_file = false;
  };
  Chunk map_chunk(size_t size);  // under mutex_

  mutable std::mutex mutex_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  std::vector<Chunk> chunks_;
  size_t used_ = 0;  // of the last chunk
  size_t allocated_ = 0;
  size_t allocated_at_release_ = 0;
};

}  // namespace ostfs::fs
