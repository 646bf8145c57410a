// Rendered bytes held for each open file handle, so a file reads the same from open to
// release even if the content cache evicts it. A handle may start without bytes (the file
// is rendered at its first read, see op_open): then it holds the inode to render.
#pragma once

#include <algorithm>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

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

// Rendered bytes of files read without a handle (push mode: the kernel sends no OPEN or
// RELEASE), for files too large for the render cache: without this, each READ of a 20 MB
// message would render it again. A file is let go when a reader has read its end, or when
// more than `capacity` files are held (the least recently read first).
class HeldFiles {
 public:
  using Content = std::shared_ptr<const std::string>;

  explicit HeldFiles(size_t capacity) : capacity_(capacity) {}
  Content get(uint64_t ino) {
    std::lock_guard lock(mutex_);
    auto it = find(ino);
    if (it == files_.end()) return nullptr;
    files_.splice(files_.begin(), files_, it);
    return it->second;
  }
  void hold(uint64_t ino, Content content) {
    std::lock_guard lock(mutex_);
    if (auto it = find(ino); it != files_.end()) files_.erase(it);
    files_.emplace_front(ino, std::move(content));
    if (files_.size() > capacity_) files_.pop_back();
  }
  void release(uint64_t ino) {
    std::lock_guard lock(mutex_);
    if (auto it = find(ino); it != files_.end()) files_.erase(it);
  }
  void clear() {
    std::lock_guard lock(mutex_);
    files_.clear();
  }

 private:
  using Entry = std::pair<uint64_t, Content>;
  std::list<Entry>::iterator find(uint64_t ino) {
    return std::find_if(files_.begin(), files_.end(), [ino](const Entry& e) { return e.first == ino; });
  }
  std::mutex mutex_;
  const size_t capacity_;
  std::list<Entry> files_;  // most recently read first; a handful, so searched in order
};

}  // namespace ostfs::fs
