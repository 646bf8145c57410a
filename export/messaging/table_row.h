// Builds a TC row whose cells equal the object's property values, so table and object agree
// (scanpst: "row doesn't match sub-object").
#pragma once

#include <cstdint>
#include <vector>

#include "export/ltp/table_context.h"
#include "export/messaging/property_filter.h"

namespace ostfs::pstw {

// Cells for every column whose tag (id and type) matches a property; PidTagLtpRowId and
// PidTagLtpRowVer come from `row_id` and `row_ver`.
TcRow make_row(const TcLayout& layout, uint32_t row_id, uint32_t row_ver, const std::vector<OwnedProperty>& props);

}  // namespace ostfs::pstw
