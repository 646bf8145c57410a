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

struct ValueSubnode {
  Nid nid = 0;
  std::span<const uint8_t> data;      // the caller's bytes, or `owned`
  std::shared_ptr<const Bytes> owned;  // set when the encoder made the bytes itself
};

struct LtpNode {
  std::vector<Bytes> heap;
  std::vector<ValueSubnode> subnodes;
};

// Hands out NIDs (nidType 0x1F) for value subnodes.
using SubnodeNidSource = std::function<Nid()>;

}  // namespace ostfs::pstw
