// The NDB file writer: hands out space region by region, streams blocks to disk as they are
// made, keeps the NBT and BBT entries (in temporary files beside the output, not in memory),
// and at the end writes the B-trees, allocation maps, density list and header ([MS-PST] 2.6.1
// [PST:cbea68b6-e93e-4477-a8ae-7e71c6b7908e]), in either layout of layout.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "export/ndb/amap.h"
#include "export/ndb/block.h"
#include "export/ndb/btree.h"
#include "export/ndb/bytes.h"
#include "export/ndb/header.h"
#include "export/ndb/layout.h"
#include "export/ndb/sorted_spill.h"
#include "parser/spill_file.h"

namespace ostfs::pstw {

// A written data tree: the BID to put in an NBT entry or SLENTRY, and the total data bytes
// of its leaf blocks (what PidTagMessageSize counts).
struct DataRef {
  uint64_t bid = 0;
  uint64_t leaf_bytes = 0;
};

// Owns a POSIX file descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();
  int get() const { return fd_; }

 private:
  int fd_;
};

class FileWriter final : private PageSink {
 public:
  // Creates (truncating) `path` in `layout`. The file stays invalid (zero header) until
  // finish(). Throws std::system_error when the file cannot be created.
  explicit FileWriter(const std::filesystem::path& path, Layout layout = Layout::Pst2003Unicode);

  const NdbLayout& layout() const { return layout_; }
  // Data bytes one block holds: 8176 in a PST, 65,512 in the Ost2013 layout.
  size_t max_block_data() const { return layout_.max_block_data(); }

  // One block of at most max_block_data() bytes. External blocks are permute-encoded in a
  // PST; in the Ost2013 layout every block is compressed when that makes it shorter.
  DataRef write_block(std::span<const uint8_t> data, bool internal = false);
  // A stream of any size below 4 GiB: one block, or data blocks under an XBLOCK/XXBLOCK.
  // An empty stream writes nothing and returns bid 0.
  DataRef write_stream(std::span<const uint8_t> data);
  // The same for `size` bytes that `read` gives a block at a time (`read(offset, out)` fills
  // `out`), so that a value of any size is written in the memory of one block.
  DataRef write_stream(uint64_t size, const std::function<void(uint64_t offset, std::span<uint8_t> out)>& read);
  // Blocks given one by one (heap pages, row-matrix blocks), under an XBLOCK/XXBLOCK if more than one.
  DataRef write_block_list(const std::vector<Bytes>& blocks);
  // Blocks written already, in order, with their data sizes, as one data tree: the block
  // itself when there is one, else an XBLOCK (XXBLOCK above its fan-out) over them.
  DataRef link_blocks(const std::vector<uint64_t>& bids, const std::vector<uint64_t>& sizes);
  // A subnode tree (SLBLOCK, or SIBLOCK over SLBLOCKs). Sorts `entries` by NID; empty → bid 0.
  uint64_t write_subnodes(std::vector<SlEntry> entries);

  void add_node(const NbtEntry& entry);

  uint32_t next_unique() { return ++dwUnique_; }

  // Writes the B-trees, flushes the last region, writes FMaps, DList and header, fsyncs.
  // `rgnid` goes into the header. Throws std::system_error on I/O errors.
  void finish(const std::array<uint32_t, 32>& rgnid);

  uint64_t bytes_written() const { return layout_.region_offset(region_); }

 private:
  uint64_t allocate(uint64_t size, uint64_t align);
  uint64_t next_bid(bool internal);
  void start_region(uint64_t r);
  void flush_region();
  void pwrite_all(std::span<const uint8_t> data, uint64_t offset);
  Bref place_page() override;
  void write_page(uint64_t ib, std::span<const uint8_t> page) override;
  DataRef write_leaf_bids(const std::vector<uint64_t>& leaves, uint64_t total);

  const NdbLayout& layout_;
  std::filesystem::path path_;
  FileDescriptor fd_;
  uint64_t region_ = 0;
  uint64_t cursor_ = 0;  // next free byte inside the current region
  Bytes buffer_;
  Bytes bits_;  // the current region's AMap bits
  std::vector<uint16_t> free_slots_;    // per finished region
  std::vector<uint16_t> longest_free_;  // per finished region
  uint64_t bidNextB_ = 4;
  uint64_t bidNextP_ = 1;
  uint32_t dwUnique_ = 0;
  // One BBT entry per block, encoded, in BID order (BIDs only grow): on disk rather than in
  // memory, as they are most of what an export of millions of items would otherwise hold;
  // appended a megabyte at a time.
  SpillFile bbt_;
  Bytes bbt_pending_;
  size_t bbt_count_ = 0;
  // The NBT entries, encoded, in the order nodes are added; sorted by NID when read.
  SortedSpill nbt_;
  bool finished_ = false;
};

}  // namespace ostfs::pstw
