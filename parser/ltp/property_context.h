// Property Context ([MS-PST] 2.3.3): a BTH (client signature 0xBC) mapping wPropId to
// (wPropType, dwValueHnid). Values of at most 4 bytes are inline; others are heap
// allocations, or subnodes of the PC's node when large. Values come back exactly as stored:
// strings as their stored bytes, PtypObject as its 8 bytes (subnode NID, size).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "parser/ltp/bth.h"
#include "parser/ltp/heap.h"
#include "parser/model.h"
#include "parser/ndb/node.h"

namespace ostfs::ltp {

// One property value larger than this is damage, not data (the model keeps values in memory).
inline constexpr uint64_t kMaxValueSize = uint64_t{1} << 30;

struct PcRecord {
  uint16_t id = 0;
  uint16_t type = 0;
  uint32_t hnid = 0;  // dwValueHnid: the value itself when inline
};

class PropertyContext {
 public:
  // Reads the node's heap and checks it is a PC. Throws ndb::NdbError subclasses.
  explicit PropertyContext(const ndb::Node& node);

  // In property id order.
  const std::vector<PcRecord>& records() const { return records_; }
  const PcRecord* find(uint16_t id) const;

  // The stored bytes of a value (reads a subnode's data when the value lives there).
  Bytes value(const PcRecord& record) const;
  // The value's size, without reading a subnode's data blocks.
  uint64_t value_size(const PcRecord& record) const;
  // The subnode holding the value, when it is not in the heap.
  std::optional<ndb::Node> value_subnode(const PcRecord& record) const;

  // Every property as a bag (named properties unresolved). The value of `size_only_id` is
  // not read; it keeps an empty value and its size goes to `*size_only_size`.
  model::PropertyBag read(uint16_t size_only_id = 0, uint64_t* size_only_size = nullptr) const;

 private:
  ndb::Node node_;
  Heap heap_;
  std::vector<PcRecord> records_;
};

}  // namespace ostfs::ltp
