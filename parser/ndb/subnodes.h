// A node's subnode tree ([MS-PST] 2.2.2.8.3.3.1 SLBLOCK, 2.2.2.8.3.3.2 SIBLOCK): the NIDs
// local to one node (its tables, attachments, large property values), each with its own
// data tree and possibly its own subnode tree.
#pragma once

#include <cstdint>
#include <vector>

#include "parser/ndb/database.h"

namespace ostfs::ndb {

struct SubnodeEntry {
  uint32_t nid = 0;
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
};

class SubnodeTree {
 public:
  SubnodeTree() = default;
  // Reads the SLBLOCK, or the SIBLOCK and its SLBLOCKs, under `bid` (0: no subnodes).
  // Throws NdbError subclasses naming the block.
  SubnodeTree(const Database& db, uint64_t bid);

  // Binary search; nullptr when absent.
  const SubnodeEntry* find(uint32_t nid) const;
  // Sorted by NID.
  const std::vector<SubnodeEntry>& entries() const { return entries_; }

 private:
  void read_slblock(const Database& db, uint64_t bid, const Bytes& data);

  std::vector<SubnodeEntry> entries_;
};

}  // namespace ostfs::ndb
