// What an LTP encoder produces for one node: its heap blocks (the node's data) and the
// subnodes it needs for values too large for the heap.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "export/ndb/bytes.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {

// Where a value too large to hold is read from (an attachment's data): fills `out` with its
// bytes from `offset`.
using ValueSource = std::function<void(uint64_t offset, std::span<uint8_t> out)>;

struct ValueSubnode {
  Nid nid = 0;
  std::span<const uint8_t> data;      // the caller's bytes, or `owned`
  std::shared_ptr<const Bytes> owned;  // set when the encoder made the bytes itself
  // Or a value read from `source` as it is written, `source_size` bytes.
  ValueSource source = nullptr;
  uint64_t source_size = 0;

  uint64_t size() const { return source ? source_size : data.size(); }
};

struct LtpNode {
  std::vector<Bytes> heap;
  std::vector<ValueSubnode> subnodes;
};

// Hands out NIDs (nidType 0x1F) for value subnodes.
using SubnodeNidSource = std::function<Nid()>;

}  // namespace ostfs::pstw
