#include "parser/model.h"

#include <cstring>

#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::model {

const Property* PropertyBag::find(uint16_t id) const {
  for (const auto& p : props)
    if (p.id == id) return &p;
  return nullptr;
}

const Property* PropertyBag::find_named(const std::array<uint8_t, 16>& guid, uint32_t lid) const {
  for (const auto& p : props)
    if (p.named && p.named->guid == guid && p.named->lid == lid) return &p;
  return nullptr;
}

const Property* PropertyBag::find_named(const std::array<uint8_t, 16>& guid,
                                        std::u16string_view name) const {
  for (const auto& p : props)
    if (p.named && p.named->guid == guid && !p.named->lid && p.named->name == name) return &p;
  return nullptr;
}

std::optional<std::string> PropertyBag::string(uint16_t id, uint32_t codepage) const {
  const Property* p = find(id);
  if (!p) return std::nullopt;
  if (p->type == props::type::Unicode) return text::utf16le_to_utf8(p->value);
  if (p->type == props::type::String8) return text::codepage_to_utf8(p->value, codepage);
  return std::nullopt;
}

namespace {
template <typename T>
std::optional<T> read_le(const Property* p, size_t size) {
  if (!p || p->value.size() < size) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) v |= static_cast<uint64_t>(p->value[i]) << (8 * i);
  return static_cast<T>(v);
}
}  // namespace

std::optional<int32_t> PropertyBag::int32(uint16_t id) const {
  const Property* p = find(id);
  if (!p) return std::nullopt;
  if (p->type == props::type::Int32 || p->type == props::type::Error) return read_le<int32_t>(p, 4);
  if (p->type == props::type::Int16) return read_le<int16_t>(p, 2);
  return std::nullopt;
}

std::optional<int64_t> PropertyBag::int64(uint16_t id) const {
  const Property* p = find(id);
  if (!p) return std::nullopt;
  if (p->type == props::type::Int64 || p->type == props::type::Currency) return read_le<int64_t>(p, 8);
  if (p->type == props::type::Int32) return read_le<int32_t>(p, 4);
  return std::nullopt;
}

std::optional<bool> PropertyBag::boolean(uint16_t id) const {
  const Property* p = find(id);
  if (!p || p->type != props::type::Boolean || p->value.empty()) return std::nullopt;
  return p->value[0] != 0;
}

std::optional<uint64_t> PropertyBag::filetime(uint16_t id) const {
  const Property* p = find(id);
  if (!p || p->type != props::type::SysTime) return std::nullopt;
  return read_le<uint64_t>(p, 8);
}

const std::vector<uint8_t>* PropertyBag::binary(uint16_t id) const {
  const Property* p = find(id);
  if (!p || p->type != props::type::Binary) return nullptr;
  return &p->value;
}

int64_t filetime_to_unix(uint64_t filetime) {
  constexpr int64_t kEpochDiff = 11644473600LL;  // seconds from 1601-01-01 to 1970-01-01
  return static_cast<int64_t>(filetime / 10000000ULL) - kEpochDiff;
}

std::string Message::message_class() const {
  auto c = props.string(props::PidTagMessageClass, codepage);
  return c && !c->empty() ? *c : std::string("IPM.Note");
}

std::optional<std::vector<uint32_t>> Message::attachment_subnodes(std::span<const size_t> path) const {
  std::vector<uint32_t> subnodes;
  const Message* holder = this;
  for (size_t index : path) {
    if (!holder || index >= holder->attachments.size()) return std::nullopt;
    if (holder != this) subnodes.push_back(holder->nid);
    const Attachment& attachment = holder->attachments[index];
    subnodes.push_back(attachment.nid);
    holder = attachment.embedded.get();
  }
  if (subnodes.empty()) return std::nullopt;
  return subnodes;
}

bool Message::attachment_data_loaded() const {
  for (const Attachment& a : attachments)
    if (!a.data_loaded || (a.embedded && !a.embedded->attachment_data_loaded())) return false;
  return true;
}

}  // namespace ostfs::model
