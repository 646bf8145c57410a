#include "export/messaging/node_writer.h"

namespace ostfs::pstw {

NodeRef write_ltp_node(FileWriter& file, const LtpNode& node, std::vector<SlEntry> children,
                       uint64_t children_bytes) {
  NodeRef ref;
  DataRef data = file.write_block_list(node.heap);
  ref.bidData = data.bid;
  ref.leaf_bytes = data.leaf_bytes + children_bytes;
  for (const ValueSubnode& v : node.subnodes) {
    DataRef d = v.source ? file.write_stream(v.source_size, v.source) : file.write_stream(v.data);
    children.push_back({v.nid, d.bid, 0});
    ref.leaf_bytes += d.leaf_bytes;
  }
  ref.bidSub = file.write_subnodes(std::move(children));
  return ref;
}

}  // namespace ostfs::pstw
