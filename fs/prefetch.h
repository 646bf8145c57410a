// Renders files ahead of a sequential reader (tar, grep -r, rsync, cp -r read one file after
// another) on background threads, so every core works while the reader waits on one file.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace ostfs::fs {

class Prefetcher {
 public:
  // `work` is called on a background thread with each queued key; it must not throw.
  Prefetcher(unsigned threads, size_t max_queued, std::function<void(uint64_t)> work);
  ~Prefetcher();
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // Queues `key` unless it is queued or running already. When the queue is full the oldest
  // entry is dropped: the reader has moved on past it.
  void enqueue(uint64_t key);

 private:
  void run(std::stop_token stop);

  std::function<void(uint64_t)> work_;
  size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<uint64_t> queue_;
  std::set<uint64_t> pending_;  // queued or running
  unsigned thread_count_;
  std::vector<std::jthread> threads_;  // guarded by mutex_
};

}  // namespace ostfs::fs
