#include "export/ndb/sorted_spill.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "export/ndb/bytes.h"

namespace ostfs::pstw {
namespace {
// Records read from a run at a time while merging.
constexpr size_t kChunkRecords = 512;
}

SortedSpill::SortedSpill(SpillFile file, size_t record_size, size_t run_records)
    : file_(std::move(file)), record_size_(record_size), run_records_(std::max<size_t>(run_records, 1)) {
  if (record_size_ < 8) throw std::invalid_argument("spilled records need an 8-byte key");
}

void SortedSpill::add(std::span<const uint8_t> record) {
  if (reading_) throw std::logic_error("record added to a spill that is being read");
  if (record.size() != record_size_) throw std::invalid_argument("spilled record of the wrong size");
  buffer_.insert(buffer_.end(), record.begin(), record.end());
  ++count_;
  if (buffer_.size() >= run_records_ * record_size_) spill_buffer();
}

void SortedSpill::sort_buffer() {
  const size_t n = buffer_.size() / record_size_;
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return load_u64(buffer_.data() + a * record_size_) < load_u64(buffer_.data() + b * record_size_);
  });
  std::vector<uint8_t> sorted(buffer_.size());
  for (size_t i = 0; i < n; ++i)
    std::copy_n(buffer_.data() + order[i] * record_size_, record_size_, sorted.data() + i * record_size_);
  buffer_ = std::move(sorted);
}

void SortedSpill::spill_buffer() {
  sort_buffer();
  Run run;
  run.next = file_.size();
  file_.append(buffer_);
  run.end = file_.size();
  runs_.push_back(std::move(run));
  buffer_.clear();
}

bool SortedSpill::refill(Run& run) {
  if (run.at < run.chunk.size()) return true;
  if (run.next == run.end) return false;
  const uint64_t bytes = std::min<uint64_t>(run.end - run.next, kChunkRecords * record_size_);
  run.chunk.resize(bytes);
  if (file_.read(run.next, run.chunk) != bytes) throw std::logic_error("spilled records missing");
  run.next += bytes;
  run.at = 0;
  return true;
}

void SortedSpill::start_merge() {
  reading_ = true;
  if (runs_.empty()) {
    // One run: it never leaves memory.
    sort_buffer();
    Run run;
    run.chunk = std::move(buffer_);
    runs_.push_back(std::move(run));
  } else if (!buffer_.empty()) {
    spill_buffer();
  }
  buffer_ = {};
}

void SortedSpill::read_next(size_t n, uint8_t* out) {
  if (!reading_) start_merge();
  if (n > count_ - delivered_) throw std::out_of_range("read past the last spilled record");
  for (size_t i = 0; i < n; ++i) {
    // Few runs (a million entries are 8 runs of 128 Ki): a scan for the smallest head is as
    // fast as a heap and keeps ties in the order the runs were made.
    Run* best = nullptr;
    uint64_t best_key = 0;
    for (Run& run : runs_) {
      if (!refill(run)) continue;
      const uint64_t key = load_u64(run.chunk.data() + run.at);
      if (!best || key < best_key) {
        best = &run;
        best_key = key;
      }
    }
    if (!best) throw std::logic_error("spilled records missing");
    std::copy_n(best->chunk.data() + best->at, record_size_, out + i * record_size_);
    best->at += record_size_;
  }
  delivered_ += n;
}

}  // namespace ostfs::pstw
