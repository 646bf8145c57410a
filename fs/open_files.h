// Rendered bytes held for each open file handle, so a file reads the same from open to
// release even if the content cache evicts it.
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

  uint64_t add(Content content) {
    std::lock_guard lock(mutex_);
    const uint64_t handle = ++last_;
    files_.emplace(handle, std::move(content));
    return handle;
  }
  // Null for an unknown handle.
  Content get(uint64_t handle) const {
    std::lock_guard lock(mutex_);
    auto it = files_.find(handle);
    return it == files_.end() ? nullptr : it->second;
  }
  void remove(uint64_t handle) {
    std::lock_guard lock(mutex_);
    files_.erase(handle);
  }

 private:
  mutable std::mutex mutex_;
  uint64_t last_ = 0;
  std::unordered_map<uint64_t, Content> files_;
};

}  // namespace ostfs::fs
