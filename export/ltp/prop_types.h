// How each property type is stored in PCs and TCs: the reader's definitions
// (parser/ltp/prop_types.h, [MS-PST] 2.3.3.5 and 2.3.4.4), plus the TC cell width, which only
// the writer chooses.
#pragma once

#include <cstddef>
#include <cstdint>

#include "parser/ltp/prop_types.h"

namespace ostfs::pstw {

using ltp::fixed_size;
using ltp::make_tag;
using ltp::pc_inline;
using ltp::tag_id;
using ltp::tag_type;

// TC cell width: fixed types by size, everything else a 4-byte HNID.
constexpr uint8_t tc_cell_width(uint16_t type) {
  const size_t s = fixed_size(type);
  return static_cast<uint8_t>(s == 0 ? 4 : s);
}

}  // namespace ostfs::pstw
