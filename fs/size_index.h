// The persistent size index: the st_size of every file a mount has worked out, kept in the
// user's cache directory so that the next mount of the same, unchanged file lists at once.
//
// A wrong size truncates a user's file, so an index is used only when it is certainly the
// one for this file and this build: its key names the source (absolute path, device, inode,
// size, modification time), the view options that change the bytes, and the build ids of
// every loaded binary (ostfs and the libraries whose output ends up in a file). A file whose
// key, length, order or checksum is not exactly right is ignored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fs/paged_arena.h"

namespace ostfs::fs {

// Inode number -> st_size, sorted by inode: 16 bytes a file, in the mount's paged arena when
// loaded from an index (a million files are 16 MB that need not stay resident).
class SizeMap {
 public:
  using Entry = std::pair<uint64_t, uint64_t>;
  SizeMap() = default;
  // Sorts; of entries with the same inode, the one with the smallest size stays (an index
  // never has two). The entries are kept in the map's own memory.
  explicit SizeMap(std::vector<Entry> entries);
  // A map over `sorted` (strictly increasing inodes), which must outlive it.
  static SizeMap over(std::span<const Entry> sorted);
  SizeMap(SizeMap&&) = default;
  SizeMap& operator=(SizeMap&&) = default;
  SizeMap(const SizeMap&) = delete;
  SizeMap& operator=(const SizeMap&) = delete;

  std::optional<uint64_t> find(uint64_t ino) const;
  bool contains(uint64_t ino) const { return find(ino).has_value(); }
  size_t size() const { return entries_.size(); }
  std::span<const Entry> entries() const { return entries_; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  std::vector<Entry> owned_;
  std::span<const Entry> entries_;
};

// The build ids of the running program and every shared library loaded so far, one per
// object: a rebuild or a library upgrade changes it. Objects without a build id are named
// by their path, size and modification time instead.
std::string loaded_build_ids();

// What identifies the contents of `source` without reading it: absolute path, device,
// inode, size and modification time. nullopt when it cannot be stat'ed.
std::optional<std::string> source_identity(const std::filesystem::path& source);

// The whole key: the source's identity, `view` (the view options that change rendered
// bytes) and loaded_build_ids(). nullopt when the source cannot be stat'ed.
std::optional<std::string> size_index_key(const std::filesystem::path& source, std::string_view view);

// Where the index of `source` lives: $XDG_CACHE_HOME/ostfs/ (or ~/.cache/ostfs/), named by
// a hash of the absolute path. nullopt when neither variable gives a directory.
std::optional<std::filesystem::path> size_index_path(const std::filesystem::path& source);

// The sizes stored in `file` under exactly `key`; nullopt when the file is missing, has
// another key, or is damaged in any way. Never throws for the file's contents. The entries go
// into `pages` when given (read a megabyte at a time: nothing of the file's size is held in
// the heap), else into the map itself.
std::optional<SizeMap> load_size_index(const std::filesystem::path& file, std::string_view key,
                                       PagedArena* pages = nullptr);

// Writes `sizes` under `key` to `file` atomically (a temporary file renamed over it), making
// its directory if needed. Throws std::runtime_error naming the file on failure.
void save_size_index(const std::filesystem::path& file, std::string_view key,
                     std::vector<std::pair<uint64_t, uint64_t>> sizes);

// The same for the union of `runs`, each in strictly increasing inode order and no inode in
// two runs (else std::logic_error, and `file` is left as it was): merged as they are written,
// so that nothing of their size is copied. `progress` is called every 64 Ki entries (the
// mount lets go of the arena's pages there).
void save_size_index(const std::filesystem::path& file, std::string_view key,
                     const std::vector<std::span<const SizeMap::Entry>>& runs,
                     const std::function<void()>& progress = {});

// Removes the index files in `directory` whose source file no longer exists (deleted or
// moved: an index is found by its source's path, so it would never be used again) and
// returns how many. Files that are not indexes, or whose source cannot be told, are left
// alone. Best effort: never throws.
size_t prune_size_indexes(const std::filesystem::path& directory);

}  // namespace ostfs::fs
