// A bounded, thread-safe least-recently-used cache of immutable values, split into shards
// so that readers on different keys rarely wait for each other. The bound is a total cost
// (the caller's measure, e.g. bytes), shared evenly between shards.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace ostfs::ndb {

template <typename Value>
class LruCache {
 public:
  static constexpr size_t kShards = 16;

  explicit LruCache(size_t max_cost) : shard_budget_(max_cost / kShards) {}
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;

  // The cached value, or nullptr.
  std::shared_ptr<const Value> get(uint64_t key) {
    Shard& s = shard(key);
    std::lock_guard lock(s.mutex);
    auto it = s.index.find(key);
    if (it == s.index.end()) return nullptr;
    s.order.splice(s.order.begin(), s.order, it->second);
    return it->second->value;
  }

  // Stores `value`, evicting the least recently used entries of its shard to stay within
  // budget. A value costing more than a shard's budget is not stored.
  void put(uint64_t key, std::shared_ptr<const Value> value, size_t cost) {
    if (cost > shard_budget_) return;
    Shard& s = shard(key);
    std::lock_guard lock(s.mutex);
    auto it = s.index.find(key);
    if (it != s.index.end()) {
      s.cost -= it->second->cost;
      s.order.erase(it->second);
      s.index.erase(it);
    }
    s.order.push_front(Entry{key, std::move(value), cost});
    s.index.emplace(key, s.order.begin());
    s.cost += cost;
    while (s.cost > shard_budget_ && !s.order.empty()) {
      const Entry& last = s.order.back();
      s.cost -= last.cost;
      s.index.erase(last.key);
      s.order.pop_back();
    }
  }

  size_t size() {
    size_t n = 0;
    for (Shard& s : shards_) {
      std::lock_guard lock(s.mutex);
      n += s.index.size();
    }
    return n;
  }

 private:
  struct Entry {
    uint64_t key;
    std::shared_ptr<const Value> value;
    size_t cost;
  };
  struct Shard {
    std::mutex mutex;
    std::list<Entry> order;  // most recent first
    std::unordered_map<uint64_t, typename std::list<Entry>::iterator> index;
    size_t cost = 0;
  };

  Shard& shard(uint64_t key) {
    // Pages sit at multiples of 512: mix the bits so neighbours spread over the shards.
    const uint64_t h = (key ^ (key >> 9) ^ (key >> 17)) * 0x9E3779B97F4A7C15ull;
    return shards_[h >> 60];
  }

  size_t shard_budget_;
  std::array<Shard, kShards> shards_;
};

}  // namespace ostfs::ndb
