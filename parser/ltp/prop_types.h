// How each property type is stored in property and table contexts ([MS-PST] 2.3.3.5 PC
// BTH record, 2.3.4.4 TC cell; sizes from [MS-OXCDATA] 2.11.1).
#pragma once

#include <cstddef>
#include <cstdint>

#include "parser/props.h"

namespace ostfs::ltp {

// Size of a fixed-size type's value, or 0 for variable-size types (strings, binaries, GUIDs,
// multi-valued, objects), which live behind an HNID.
constexpr size_t fixed_size(uint16_t type) {
  switch (type) {
    case props::type::Boolean: return 1;
    case props::type::Int16: return 2;
    case props::type::Int32:
    case props::type::Float:
    case props::type::Error: return 4;
    case props::type::Double:
    case props::type::Currency:
    case props::type::AppTime:
    case props::type::Int64:
    case props::type::SysTime: return 8;
    default: return 0;
  }
}

// PC: values of at most 4 bytes sit in dwValueHnid itself.
constexpr bool pc_inline(uint16_t type) { return fixed_size(type) != 0 && fixed_size(type) <= 4; }

constexpr uint32_t make_tag(uint16_t id, uint16_t type) { return (static_cast<uint32_t>(id) << 16) | type; }
constexpr uint16_t tag_id(uint32_t tag) { return static_cast<uint16_t>(tag >> 16); }
constexpr uint16_t tag_type(uint32_t tag) { return static_cast<uint16_t>(tag & 0xFFFF); }

}  // namespace ostfs::ltp
