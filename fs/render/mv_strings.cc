#include "fs/render/mv_strings.h"

#include <span>

#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render {
namespace {

uint32_t read_u32(std::span<const uint8_t> bytes, size_t at) {
  return static_cast<uint32_t>(bytes[at]) | static_cast<uint32_t>(bytes[at + 1]) << 8 |
         static_cast<uint32_t>(bytes[at + 2]) << 16 | static_cast<uint32_t>(bytes[at + 3]) << 24;
}

}  // namespace

std::vector<std::string> multi_strings(const model::Property& property, uint32_t codepage) {
  const bool unicode = property.type == props::type::MvUnicode;
  if (!unicode && property.type != props::type::MvString8) return {};
  const std::span<const uint8_t> value(property.value);
  if (value.size() < 4) return {};
  const uint64_t count = read_u32(value, 0);
  const uint64_t table_end = 4 + 4 * count;
  if (table_end > value.size()) return {};

  std::vector<uint64_t> offsets;
  offsets.reserve(count + 1);
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t offset = read_u32(value, 4 + 4 * i);
    if (offset < table_end || offset > value.size()) return {};
    if (!offsets.empty() && offset < offsets.back()) return {};
    offsets.push_back(offset);
  }
  offsets.push_back(value.size());

  std::vector<std::string> out;
  out.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const auto bytes = value.subspan(offsets[i], offsets[i + 1] - offsets[i]);
    out.push_back(unicode ? text::utf16le_to_utf8(bytes) : text::codepage_to_utf8(bytes, codepage));
  }
  return out;
}

}  // namespace ostfs::render
