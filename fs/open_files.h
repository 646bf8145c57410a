// Rendered bytes held for each open file handle, so a file reads the same from open to
// release even if the content cache evicts it. A handle may start without bytes (the file
// is rendered at its first read, see op_open): then it holds the inode to render.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ostfs::fs {

class OpenFiles {
 public:
  using Content = std::shared_ptr<const std::string>;

  uint64_t add(Content content) { return insert({std::move(content), 0}); }
  // A handle whose bytes come at its first read: `ino` is the file to render then.
  uint64_t add_deferred(uint64_t ino) { return insert({nullptr, ino}); }
  // Null for an unknown handle or one whose bytes are not made yet.
  Content get(uint64_t handle) const {
    std::lock_guard lock(mutex_);
    auto it = files_.find(handle);
    return it == files_.end() ? nullptr : it->second.content;
  }
  // The inode a deferred handle renders; 0 for an unknown handle or one with bytes.
  uint64_t deferred_ino(uint64_t handle) const {
    std::lock_guard lock(mutex_);
    auto it = files_.find(handle);
    return it == files_.end() || it->second.content ? 0 : it->second.ino;
  }
  // Gives a deferred handle its bytes; the first ones given stay (a concurrent read may have
  // rendered too) and are returned.
  Content fill(uint64_t handle, Content content) {
    std::lock_guard lock(mutex_);
    auto it = files_.find(handle);
    if (it == files_.end()) return content;
    if (!it->second.content) it->second.content = std::move(content);
    return it->second.content;
  }
  void remove(uint64_t handle) {
    std::lock_guard lock(mutex_);
    files_.erase(handle);
  }

 private:
  mutable std::mutex mutex_;
  uint64_t last_ = 0;
  struct Entry {
    Content content;
    uint64_t ino = 0;
  };
  uint64_t insert(Entry entry) {
    std::lock_guard lock(mutex_);
    const uint64_t handle = ++last_;
    files_.emplace(handle, std::move(entry));
    return handle;
  }
  std::unordered_map<uint64_t, Entry> files_;
};

}  // namespace ostfs::fs
