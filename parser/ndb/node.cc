#include "parser/ndb/node.h"

#include "parser/ndb/errors.h"

namespace ostfs::ndb {

Node::Node(const Database& db, uint32_t nid, uint64_t bidData, uint64_t bidSub, int depth)
    : db_(&db), nid_(nid), bidData_(bidData), bidSub_(bidSub), depth_(depth) {
  if (depth > kMaxSubnodeDepth) throw CorruptError("node " + hex(nid) + ": subnodes nested too deeply");
}

Node Node::open(const Database& db, uint32_t nid) {
  const NbtEntry e = db.node(nid);
  return Node(db, e.nid, e.bidData, e.bidSub);
}

const SubnodeTree& Node::subnodes() const {
  if (!subnodes_) subnodes_ = std::make_shared<const SubnodeTree>(*db_, bidSub_);
  return *subnodes_;
}

std::optional<Node> Node::find_subnode(uint32_t nid) const {
  const SubnodeEntry* e = subnodes().find(nid);
  if (!e) return std::nullopt;
  return Node(*db_, e->nid, e->bidData, e->bidSub, depth_ + 1);
}

Node Node::subnode(uint32_t nid) const {
  auto n = find_subnode(nid);
  if (!n) throw NotFoundError("node " + hex(nid_) + " has no subnode " + hex(nid));
  return *n;
}

}  // namespace ostfs::ndb
