#include "export/messaging/named_props.h"

#include <stdexcept>

#include "export/ndb/crc.h"
#include "parser/props.h"

namespace ostfs::pstw {

uint16_t NameToIdMap::guid_index(const std::array<uint8_t, 16>& guid) {
  if (guid == props::PS_MAPI) return 1;
  if (guid == props::PS_PUBLIC_STRINGS) return 2;
  for (size_t i = 0; i * 16 < guids_.size(); ++i)
    if (std::equal(guid.begin(), guid.end(), guids_.begin() + static_cast<ptrdiff_t>(i * 16)))
      return static_cast<uint16_t>(3 + i);
  guids_.insert(guids_.end(), guid.begin(), guid.end());
  return static_cast<uint16_t>(3 + guids_.size() / 16 - 1);
}

uint16_t NameToIdMap::npid(const model::NamedId& name) {
  const bool is_string = !name.lid.has_value();
  auto key = std::make_tuple(name.guid, is_string, name.lid.value_or(0), is_string ? name.name : std::u16string());
  if (auto it = lookup_.find(key); it != lookup_.end()) return it->second;
  if (entries_.size() >= 0x7FFF) throw std::length_error("more than 32,767 named properties");
  Entry e{};
  e.guid_index = guid_index(name.guid);
  e.is_string = is_string;
  if (is_string) {
    Bytes utf16;
    for (char16_t c : name.name) append_u16(utf16, static_cast<uint16_t>(c));
    e.property_id = static_cast<uint32_t>(strings_.size());
    e.hash_key = compute_crc(utf16);
    append_u32(strings_, static_cast<uint32_t>(utf16.size()));
    append_bytes(strings_, utf16);
    strings_.resize(align_up(strings_.size(), 4), 0);
  } else {
    e.property_id = *name.lid;
    e.hash_key = *name.lid;
  }
  const uint16_t id = static_cast<uint16_t>(props::PidTagNamedFirst + entries_.size());
  entries_.push_back(e);
  lookup_.emplace(std::move(key), id);
  return id;
}

NameToIdMap::Encoded NameToIdMap::encode() const {
  Encoded out;
  out.guids = guids_;
  out.strings = strings_;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    const uint16_t word = static_cast<uint16_t>((e.guid_index << 1) | (e.is_string ? 1 : 0));
    append_u32(out.entries, e.property_id);
    append_u16(out.entries, word);
    append_u16(out.entries, static_cast<uint16_t>(i));
    const uint16_t bucket = static_cast<uint16_t>(0x1000 + (e.hash_key ^ word) % kNameMapBuckets);
    Bytes& b = out.buckets[bucket];
    append_u32(b, e.hash_key);
    append_u16(b, word);
    append_u16(b, static_cast<uint16_t>(i));
  }
  return out;
}

}  // namespace ostfs::pstw
