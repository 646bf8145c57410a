// Heap-on-node ([MS-PST] 2.3.1 [PST:77ce49a3-3772-4d8d-bb2c-2f7520a238a6]): allocations packed
// into blocks of at most 8176 bytes, each block ending with its HNPAGEMAP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "export/ndb/bytes.h"

namespace ostfs::pstw {

using Hid = uint32_t;

inline constexpr size_t kMaxHeapAllocation = 3580;
inline constexpr uint8_t kHeapSignature = 0xEC;
namespace client_sig {
inline constexpr uint8_t TC = 0x7C;
inline constexpr uint8_t BTH = 0xB5;
inline constexpr uint8_t PC = 0xBC;
}  // namespace client_sig

class HeapBuilder {
 public:
  // Gets a page that is final, with its index in the heap; the page is not kept.
  using PageSink = std::function<void(size_t page_index, Bytes&& page)>;

  explicit HeapBuilder(uint8_t bClientSig) : bClientSig_(bClientSig) {}

  // Adds an allocation and returns its HID. Throws std::length_error above 3580 bytes.
  Hid allocate(std::span<const uint8_t> data);
  // Replaces an allocation's bytes with new bytes of the same size. Throws std::logic_error
  // for an allocation in a page handed to the sink.
  void update(Hid hid, std::span<const uint8_t> data);
  void set_user_root(Hid hid) { hidUserRoot_ = hid; }

  // From now on, each page but the first and the bitmap pages (8, 136, 264 …, which hold
  // other pages' fill levels) goes to `sink` as soon as the next page starts: a contents
  // table of 300,000 rows need not be in memory at once.
  void hand_finished_pages_to(PageSink sink) { sink_ = std::move(sink); }

  // The node's data: one heap page per block. Block 0 has the HNHDR; blocks 8, 136, 264 …
  // have an HNBITMAPHDR; the others an HNPAGEHDR. Pages handed to the sink are empty here.
  // The rvalue form turns the blocks into pages where they are (no second copy).
  std::vector<Bytes> serialize() &&;
  std::vector<Bytes> serialize() const& { return HeapBuilder(*this).serialize_copy(); }

 private:
  // A block holds its page as it will be written: room for the page header, then the
  // allocations packed one after another (one buffer, not one per allocation: a table's heap
  // has an allocation per variable-size cell).
  struct Block {
    Bytes page;                     // header room + allocations
    std::vector<uint16_t> starts;  // each allocation's offset in `page`
    bool handed_over = false;
  };
  static size_t header_size(size_t block_index);
  static size_t block_size(size_t header, size_t used, size_t count);
  std::vector<Bytes> serialize_copy() { return std::move(*this).serialize(); }
  void start_block();
  // The block's page with its HNPAGEMAP; records its fill level.
  Bytes finish_page(size_t index);

  uint8_t bClientSig_;
  Hid hidUserRoot_ = 0;
  std::vector<Block> blocks_;
  std::vector<uint8_t> fill_levels_;  // of finished pages
  PageSink sink_;
};

constexpr Hid make_hid(uint32_t block_index, uint32_t alloc_index_1based) {
  return (block_index << 16) | (alloc_index_1based << 5);
}

// Reads one allocation back from serialized blocks (for tests and self-checks).
// Throws std::out_of_range for an HID that does not exist.
std::span<const uint8_t> heap_lookup(const std::vector<Bytes>& blocks, Hid hid);

}  // namespace ostfs::pstw
