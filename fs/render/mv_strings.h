// Multi-valued string properties (PT_MV_UNICODE, PT_MV_STRING8) as lists of UTF-8 strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parser/model.h"

namespace ostfs::render {

// The strings of a PT_MV_UNICODE or PT_MV_STRING8 property, in stored order. The value
// uses the on-disk layout of multi-valued variable-size properties ([MS-PST] 2.3.3.4.2):
// a uint32 count, `count` uint32 offsets from the start of the value, then the strings,
// each running to the next offset (the last to the end). PT_MV_STRING8 strings are
// decoded with `codepage`. A value that breaks this layout (offsets out of range or
// decreasing, count too large) gives an empty list; other property types too.
std::vector<std::string> multi_strings(const model::Property& property, uint32_t codepage);

}  // namespace ostfs::render
