// One node ([MS-PST] 2.2.1.1): a NID with a data stream and a subnode tree. Obtained from
// the NBT (top-level nodes) or from a parent's subnode tree. A Node is a cheap handle; one
// object is not for concurrent use (it loads its subnode tree on first use), but any number
// of Nodes may read the same Database at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "parser/ndb/data_tree.h"
#include "parser/ndb/database.h"
#include "parser/ndb/subnodes.h"

namespace ostfs::ndb {

// Subnodes nest (an attachment holds an embedded message, which holds attachments ...);
// deeper than this is a loop or damage.
inline constexpr int kMaxSubnodeDepth = 64;

class Node {
 public:
  Node(const Database& db, uint32_t nid, uint64_t bidData, uint64_t bidSub, int depth = 0);
  // The top-level node `nid`. Throws NotFoundError.
  static Node open(const Database& db, uint32_t nid);

  const Database& database() const { return *db_; }
  uint32_t nid() const { return nid_; }
  uint64_t bid_data() const { return bidData_; }
  uint64_t bid_sub() const { return bidSub_; }

  DataTree data_tree() const { return DataTree(*db_, bidData_); }
  // Without reading data blocks (see data_tree_size).
  uint64_t data_size() const { return data_tree_size(*db_, bidData_); }
  Bytes data(uint64_t max_size = kMaxStreamSize) const { return data_tree().read_all(max_size); }
  std::vector<Bytes> data_blocks() const { return data_tree().read_blocks(); }

  const SubnodeTree& subnodes() const;
  std::optional<Node> find_subnode(uint32_t nid) const;
  // Throws NotFoundError naming both NIDs.
  Node subnode(uint32_t nid) const;

 private:
  const Database* db_;
  uint32_t nid_;
  uint64_t bidData_;
  uint64_t bidSub_;
  int depth_;
  mutable std::shared_ptr<const SubnodeTree> subnodes_;
};

}  // namespace ostfs::ndb
