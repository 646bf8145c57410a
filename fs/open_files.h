// What each open file handle reads (rendered bytes or a plan, file_content.h), held so that a
// file reads the same from open to release even if the content cache evicts it. A handle may
// start without content (the file is rendered at its first read, see op_open): then it holds
// the inode to render.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "fs/file_content.h"

namespace ostfs::fs {

class OpenFiles {
 public:
  using Content = std::shared_ptr<const FileContent>;

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

// What files read without a handle are read from (push mode: the kernel sends no OPEN or
// RELEASE), for plans and files too large for the render cache: without this, each READ of a
// 20 MB message would render it again. A file is let go when as many bytes as it has have been read
// from it; when more than `capacity` files are held (the least recently read first); and, while
// those held have more than `idle_bytes` in all, when no READ has asked for it for `idle_after`:
// a reader may stop before the end (grep -l stops at a file's first match, head after a few
// lines) and would otherwise leave the file held until `capacity` newer ones came. A file let go
// so that is read again had a slow reader, not a gone one: held again, it is not let go for
// idleness a second time (each READ of it would render it again).
// Contents are let go outside the lock: a large one gives its memory back as it goes, which
// takes a while.
class HeldFiles {
 public:
  using Content = std::shared_ptr<const FileContent>;
  using Clock = std::chrono::steady_clock;

  HeldFiles(size_t capacity, uint64_t idle_bytes, Clock::duration idle_after)
      : capacity_(capacity), idle_bytes_(idle_bytes), idle_after_(idle_after) {}
  Content get(uint64_t ino) {
    std::lock_guard lock(mutex_);
    auto it = find(ino);
    if (it == files_.end()) return nullptr;
    it->last_read = Clock::now();
    files_.splice(files_.begin(), files_, it);
    return it->content;
  }
  // Holds `content` as the file's, most recently read; every READ of the file holds it again,
  // which keeps the count of what was read unless the content is a new one.
  void hold(uint64_t ino, Content content) {
    std::list<Entry> gone;
    std::lock_guard lock(mutex_);
    const Clock::time_point now = Clock::now();
    if (auto it = find(ino); it != files_.end()) {
      it->last_read = now;
      if (it->content == content) return files_.splice(files_.begin(), files_, it);
      let_go(it, gone);
    }
    bytes_ += content->held_bytes();
    const bool slow_reader = std::find(idle_gone_.begin(), idle_gone_.end(), ino) != idle_gone_.end();
    files_.push_front({ino, std::move(content), 0, now, slow_reader});
    if (files_.size() > capacity_) let_go(std::prev(files_.end()), gone);
    let_go_idle(files_.begin(), now, gone);
  }
  // Lets go of idle files now, while they hold more than `idle_bytes` (Tree::render() calls it
  // before rendering a file).
  void let_go_idle() {
    std::list<Entry> gone;
    std::lock_guard lock(mutex_);
    let_go_idle(files_.end(), Clock::now(), gone);
  }
  // Counts `bytes` of the file as read. The kernel reads ahead on several threads, so the read
  // of a file's end is not always its last one: a file is let go only when all of it is read.
  void served(uint64_t ino, uint64_t bytes) {
    std::list<Entry> gone;
    std::lock_guard lock(mutex_);
    auto it = find(ino);
    if (it == files_.end()) return;
    it->served += bytes;
    if (it->served >= it->content->size()) let_go(it, gone);
  }
  void clear() {
    std::list<Entry> gone;
    std::lock_guard lock(mutex_);
    gone.swap(files_);
    bytes_ = 0;
  }

 private:
  struct Entry {
    uint64_t ino;
    Content content;
    uint64_t served;  // bytes read from it so far
    Clock::time_point last_read;
    bool slow_reader;  // let go for idleness once already: not again
  };
  std::list<Entry>::iterator find(uint64_t ino) {
    return std::find_if(files_.begin(), files_.end(), [ino](const Entry& e) { return e.ino == ino; });
  }
  // The idle entries but `spared`, while over idle_bytes_.
  void let_go_idle(std::list<Entry>::iterator spared, Clock::time_point now, std::list<Entry>& gone) {
    for (auto it = files_.begin(); it != files_.end() && bytes_ > idle_bytes_;) {
      const auto next = std::next(it);
      if (it != spared && !it->slow_reader && now - it->last_read >= idle_after_) {
        idle_gone_[idle_gone_next_++ % idle_gone_.size()] = it->ino;
        let_go(it, gone);
      }
      it = next;
    }
  }
  // Moves the entry to `gone`, which the caller destroys once the lock is let go.
  void let_go(std::list<Entry>::iterator it, std::list<Entry>& gone) {
    bytes_ -= it->content->held_bytes();
    gone.splice(gone.end(), files_, it);
  }
  std::mutex mutex_;
  const size_t capacity_;
  const uint64_t idle_bytes_;
  const Clock::duration idle_after_;
  std::list<Entry> files_;  // most recently read first; a handful, so searched in order
  uint64_t bytes_ = 0;      // the memory of the contents held
  std::array<uint64_t, 16> idle_gone_{};  // the files last let go for idleness
  size_t idle_gone_next_ = 0;
};

}  // namespace ostfs::fs
