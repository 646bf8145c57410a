// Heap-on-node ([MS-PST] 2.3.1): allocations packed into a node's data blocks, each block
// one heap page with an HNPAGEMAP of allocation offsets. An HID names an allocation by block
// index and 1-based allocation index.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "parser/ndb/data_tree.h"
#include "parser/ndb/le.h"
#include "parser/ndb/node.h"

namespace ostfs::ltp {

using ndb::Bytes;
using Hid = uint32_t;

inline constexpr uint8_t kHeapSignature = 0xEC;  // bSig
namespace client_sig {
inline constexpr uint8_t TC = 0x7C;
inline constexpr uint8_t BTH = 0xB5;
inline constexpr uint8_t PC = 0xBC;
}  // namespace client_sig

// Heaps are read into memory; larger ones are refused as damage rather than exhausting it.
inline constexpr uint64_t kMaxHeapBytesInMemory = uint64_t{512} << 20;

// Reads the node's data blocks as heap pages. Throws ndb::CorruptError when the node's data
// is larger than kMaxHeapBytesInMemory.
std::vector<Bytes> read_heap_blocks(const ndb::Node& node);

// An HNID ([MS-PST] 2.3.3.2) is an HID when its low 5 bits (the NID type) are zero, else
// a subnode NID.
constexpr bool is_hid(uint32_t hnid) { return (hnid & 0x1F) == 0; }

class Heap {
 public:
  // Takes the node's data blocks and checks every page map. `nid` names the node in errors.
  // Throws ndb::CorruptError.
  Heap(std::vector<Bytes> blocks, uint32_t nid);
  // Reads the node's pages when they are first needed, keeping the last `cached_pages`; each
  // page map is checked when its page is read. Only read() may be used then. Throws
  // ndb::NdbError subclasses (the first page is read at once).
  Heap(const ndb::Node& node, size_t cached_pages);

  uint8_t client_sig() const { return bClientSig_; }
  Hid user_root() const { return hidUserRoot_; }
  uint32_t nid() const { return nid_; }

  // The allocation's bytes, valid while the Heap lives (not for a heap read on demand).
  // Throws ndb::NotFoundError for an HID the heap does not have.
  std::span<const uint8_t> get(Hid hid) const;
  // A copy of the allocation's bytes, whichever way the heap is read. Throws as get(), and
  // ndb::NdbError subclasses when a page cannot be read.
  Bytes read(Hid hid) const;

 private:
  struct Page {
    std::vector<uint16_t> offsets;  // rgibAlloc: allocation i is [offsets[i-1], offsets[i])
  };

  void read_header(const Bytes& first);

  std::vector<Bytes> blocks_;
  std::vector<Page> pages_;
  std::optional<ndb::LeafCache> on_demand_;  // set when the pages are read as needed
  uint32_t nid_;
  uint8_t bClientSig_ = 0;
  Hid hidUserRoot_ = 0;
};

}  // namespace ostfs::ltp
