// A folder listing's view of a message (MessageSummary) from its properties: the same rules
// whichever reader (native, or libpff in its worker) found the properties.
#pragma once

#include <cstdint>

#include "parser/model.h"
#include "parser/reader.h"

namespace ostfs::parser {

void fill_summary(MessageSummary& summary, const model::PropertyBag& bag, uint32_t codepage);

}  // namespace ostfs::parser
