#include "export/messaging/entry_ids.h"

#include <algorithm>

#include "export/ndb/bytes.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {
constexpr size_t kGuidOffset = 22;     // long-term id: after flags (4), provider UID (16), type (2)
constexpr size_t kGlobcntOffset = 38;  // then the database GUID (16)
}  // namespace

void SourceFolderIndex::set_store_record_key(std::span<const uint8_t> record_key) {
  if (record_key.size() != 16) return;
  std::array<uint8_t, 16> k;
  std::copy(record_key.begin(), record_key.end(), k.begin());
  record_key_ = k;
}

void SourceFolderIndex::add(uint32_t source_nid, const model::PropertyBag& props, Nid target) {
  by_nid_[source_nid] = target;
  auto add_globcnt = [&](const uint8_t* g) {
    Globcnt key;
    std::copy(g, g + 6, key.begin());
    auto [it, inserted] = by_globcnt_.emplace(key, target);
    if (!inserted && it->second != target) it->second.reset();
  };
  if (const auto* sk = props.binary(props::PidTagSourceKey); sk && sk->size() == 22) {
    SourceKey key;
    std::copy(sk->begin(), sk->end(), key.begin());
    by_source_key_[key] = target;
    add_globcnt(sk->data() + 16);
  }
  if (const model::Property* fid = props.find(props::PidTagOstFolderFid);
      fid && fid->type == props::type::Int64 && fid->value.size() == 8) {
    add_globcnt(fid->value.data() + 2);
  }
}

std::optional<Nid> SourceFolderIndex::resolve(std::span<const uint8_t> id) const {
  if (id.size() == kPstEntryIdSize) {
    if (record_key_ && !std::equal(record_key_->begin(), record_key_->end(), id.begin() + 4)) return std::nullopt;
    auto it = by_nid_.find(load_u32(id.data() + 20));
    if (it == by_nid_.end()) return std::nullopt;
    return it->second;
  }
  if (id.size() == kLongTermFolderEntryIdSize) {
    SourceKey key;
    std::copy(id.begin() + kGuidOffset, id.begin() + kGlobcntOffset + 6, key.begin());
    if (auto it = by_source_key_.find(key); it != by_source_key_.end()) return it->second;
    Globcnt g;
    std::copy(id.begin() + kGlobcntOffset, id.begin() + kGlobcntOffset + 6, g.begin());
    if (auto it = by_globcnt_.find(g); it != by_globcnt_.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace ostfs::pstw
