#include "export/messaging/store_links.h"

#include <algorithm>
#include <cstring>

#include "export/ndb/bytes.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {
constexpr size_t kFlagsSize = 4;
constexpr size_t kRecordKeySize = 16;
constexpr size_t kNidSize = 4;
}  // namespace

void StoreLinks::set_source_record_key(std::span<const uint8_t> record_key) {
  if (record_key.size() != kRecordKeySize) {
    source_record_key_.reset();
    return;
  }
  StoreGuid key;
  std::copy(record_key.begin(), record_key.end(), key.begin());
  source_record_key_ = key;
}

void StoreLinks::map(uint32_t source_nid, Nid target) {
  if (source_nid == target) {
    targets_.erase(source_nid);
    kept_.insert(source_nid);
  } else {
    kept_.erase(source_nid);
    targets_[source_nid] = target;
  }
}

std::optional<Nid> StoreLinks::target_of(uint32_t source_nid) const {
  auto it = targets_.find(source_nid);
  if (it != targets_.end()) return it->second;
  if (kept_.contains(source_nid)) return source_nid;
  return std::nullopt;
}

size_t StoreLinks::rewrite(std::span<uint8_t> value) const {
  if (!source_record_key_ || value.size() < kFlagsSize + kRecordKeySize + kNidSize) return 0;
  size_t rewritten = 0;
  const uint8_t* key = source_record_key_->data();
  // An entry id's record key follows its 4 flag bytes and is followed by the NID.
  size_t from = kFlagsSize;
  while (from + kRecordKeySize + kNidSize <= value.size()) {
    const auto first = value.begin() + static_cast<std::ptrdiff_t>(from);
    const auto last = value.end() - static_cast<std::ptrdiff_t>(kNidSize);
    const auto hit = std::search(first, last, key, key + kRecordKeySize);
    if (hit == last) break;
    const size_t at = static_cast<size_t>(hit - value.begin());
    uint8_t* nid_bytes = value.data() + at + kRecordKeySize;
    if (auto target = target_of(load_u32(nid_bytes))) {
      std::memcpy(value.data() + at, new_record_key_.data(), kRecordKeySize);
      for (size_t i = 0; i < kNidSize; ++i) nid_bytes[i] = static_cast<uint8_t>(*target >> (8 * i));
      ++rewritten;
      from = at + kRecordKeySize + kNidSize;
    } else {
      from = at + 1;
    }
  }
  return rewritten;
}

size_t StoreLinks::rewrite(std::vector<OwnedProperty>& props) const {
  if (!source_record_key_) return 0;
  size_t rewritten = 0;
  for (OwnedProperty& p : props)
    if (p.type == props::type::Binary || p.type == props::type::MvBinary) rewritten += rewrite(std::span<uint8_t>(p.value));
  return rewritten;
}

}  // namespace ostfs::pstw
