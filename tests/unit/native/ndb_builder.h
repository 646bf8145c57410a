// Test-only: builds small NDB files in any of the three layouts (ANSI, Unicode, Unicode with
// 4 KiB pages and zlib blocks) and any cipher, so each reader structure can be tested on
// known bytes, damaged on purpose, and read by libpff for comparison. LTP contents (PCs,
// TCs) come from the export writer's encoders; this class lays out the NDB around them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "export/ltp/property_context.h"
#include "export/ltp/table_context.h"
#include "parser/ndb/crypt.h"
#include "parser/ndb/format.h"
#include "parser/ndb/le.h"
#include "parser/ndb/subnodes.h"

namespace ostfs::ndb::testing {

struct BuildOptions {
  Format format = Format::Unicode;
  CryptMethod crypt = CryptMethod::Permute;
  // 4 KiB-page files: zlib-compress every block that shrinks (internal blocks included).
  bool compress = true;
  uint16_t wMagicClient = 0x4D53;  // "SM"; 0x4F53 "SO" for an OST
  size_t leaf_size = 8176;          // data bytes per leaf block of a stream
  size_t xblock_entries = 0;        // XBLOCK fan-out; 0: as many as fit in a block
  size_t slblock_entries = 0;       // SLBLOCK fan-out; 0: as many as fit
};

struct NodeRef {
  uint64_t bidData = 0;
  uint64_t bidSub = 0;
};

class NdbBuilder {
 public:
  explicit NdbBuilder(BuildOptions options);

  const Layout& layout() const { return layout_; }

  // One block (at most one block's worth of data); returns its BID. External blocks are
  // encrypted with the file's cipher.
  uint64_t block(std::span<const uint8_t> data, bool internal = false);
  // A stream split into leaf blocks, under an XBLOCK or XXBLOCK when needed (0 when empty).
  uint64_t stream(std::span<const uint8_t> data);
  // Blocks given one by one (heap pages), under an XBLOCK when more than one.
  uint64_t blocks(const std::vector<Bytes>& list);
  // An SLBLOCK, or an SIBLOCK over SLBLOCKs (0 when empty). Sorts by NID.
  uint64_t subnodes(std::vector<SubnodeEntry> entries);
  // An XBLOCK (cLevel 1) or XXBLOCK (cLevel 2) with the given entries and lcbTotal.
  uint64_t xblock(uint8_t cLevel, uint32_t lcbTotal, std::span<const uint64_t> bids);

  // An LTP node from the writer's encoders: heap blocks as the data, value subnodes (plus
  // `extra`) as the subnode tree.
  NodeRef ltp(const pstw::LtpNode& node, std::vector<SubnodeEntry> extra = {});
  NodeRef pc(std::vector<pstw::PcProperty> props, std::vector<SubnodeEntry> extra = {});
  NodeRef tc(const std::vector<uint32_t>& tags, const std::vector<pstw::TcRow>& rows,
             std::vector<SubnodeEntry> extra = {});

  void node(uint32_t nid, NodeRef ref, uint32_t nidParent = 0);

  // Lays out blocks, writes both B-trees and the header. Returns the whole file.
  Bytes finish();

  // Where finish() put a block (valid after finish()).
  uint64_t offset_of(uint64_t bid) const;
  // A fresh NID of type 0x1F for value subnodes.
  uint32_t next_value_nid() { return (++value_index_ << 5) | 0x1F; }

 private:
  struct StoredBlock {
    uint64_t bid;
    Bytes disk;  // stored bytes (encoded, maybe compressed)
    uint32_t cbInflated;
    uint64_t ib = 0;
  };
  size_t max_data() const { return layout_.max_block_data(); }

  BuildOptions options_;
  Layout layout_;
  uint64_t next_bid_ = 4;
  uint32_t value_index_ = 0x400;
  std::vector<StoredBlock> blocks_;
  std::vector<std::pair<uint32_t, Bytes>> nbt_;  // (nid, entry bytes)
};

}  // namespace ostfs::ndb::testing
