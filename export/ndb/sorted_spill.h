// Fixed-size records added in any order and read back once in key order (the key: each
// record's first 8 bytes, little-endian), holding only one run of them in memory: full runs are
// sorted and spilled to a SpillFile, and merged when read. The NBT's entries come in the order
// items are copied, not by NID, and an export of millions of items should not hold them all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "parser/spill_file.h"

namespace ostfs::pstw {

class SortedSpill {
 public:
  SortedSpill(SpillFile file, size_t record_size, size_t run_records);

  // Throws std::logic_error once reading has begun, std::invalid_argument for a record of
  // another size.
  void add(std::span<const uint8_t> record);
  uint64_t count() const { return count_; }
  // The next `n` records in key order (ties in the order added) into `out`.
  // Throws std::out_of_range past the last record.
  void read_next(size_t n, uint8_t* out);

 private:
  struct Run {
    uint64_t next = 0;  // byte offset in the file of the next record not yet in `chunk`
    uint64_t end = 0;
    std::vector<uint8_t> chunk;
    size_t at = 0;  // next record's offset in `chunk`
  };
  void sort_buffer();
  void spill_buffer();
  void start_merge();
  bool refill(Run& run);

  SpillFile file_;
  size_t record_size_;
  size_t run_records_;
  std::vector<uint8_t> buffer_;  // the current run, unsorted until it is spilled
  std::vector<Run> runs_;
  uint64_t count_ = 0;
  uint64_t delivered_ = 0;
  bool reading_ = false;
};

}  // namespace ostfs::pstw
