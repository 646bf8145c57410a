#include "fs/prefetch.h"

namespace ostfs::fs {

Prefetcher::Prefetcher(unsigned threads, size_t max_queued, std::function<void(uint64_t)> work)
    : work_(std::move(work)), max_queued_(max_queued), thread_count_(threads) {}

Prefetcher::~Prefetcher() {
  std::vector<std::jthread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.request_stop();
  wake_.notify_all();
  threads.clear();  // joins
}

void Prefetcher::enqueue(uint64_t key) {
  {
    std::lock_guard lock(mutex_);
    if (!pending_.insert(key).second) return;
    // Threads start on first use: the mount forks into the background after building its
    // tree, and threads do not survive a fork.
    if (threads_.empty())
      for (unsigned i = 0; i < thread_count_; ++i) threads_.emplace_back([this](std::stop_token stop) { run(stop); });
    queue_.push_back(key);
    if (queue_.size() > max_queued_) {
      pending_.erase(queue_.front());
      queue_.pop_front();
    }
  }
  wake_.notify_one();
}

void Prefetcher::run(std::stop_token stop) {
  for (;;) {
    uint64_t key = 0;
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, stop, [this] { return !queue_.empty(); })) return;
      key = queue_.front();
      queue_.pop_front();
    }
    work_(key);
    std::lock_guard lock(mutex_);
    pending_.erase(key);
  }
}

}  // namespace ostfs::fs
