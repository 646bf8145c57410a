// Writes an encoded LTP node (heap blocks, value subnodes, extra child subnodes) through
// the file writer and reports what its NBT entry or SLENTRY needs.
#pragma once

#include <vector>

#include "export/ltp/ltp_node.h"
#include "export/ndb/block.h"
#include "export/ndb/file_writer.h"

namespace ostfs::pstw {

struct NodeRef {
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
  uint64_t leaf_bytes = 0;  // data of the node and of every nested subnode
};

// `children` are subnodes already written (recipient table, attachments, embedded
// messages); `children_bytes` their leaf bytes, added to the result's leaf_bytes.
NodeRef write_ltp_node(FileWriter& file, const LtpNode& node, std::vector<SlEntry> children = {},
                       uint64_t children_bytes = 0);

}  // namespace ostfs::pstw
