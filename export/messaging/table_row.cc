#include "export/messaging/table_row.h"

#include "export/ltp/prop_types.h"
#include "parser/props.h"

namespace ostfs::pstw {

TcRow make_row(const TcLayout& layout, uint32_t row_id, uint32_t row_ver, const std::vector<OwnedProperty>& props) {
  TcRow row;
  row.row_id = row_id;
  row.cells.resize(layout.columns.size());
  for (size_t c = 0; c < layout.columns.size(); ++c) {
    const uint32_t tag = layout.columns[c].tag;
    if (tag == make_tag(props::PidTagLtpRowId, props::type::Int32)) {
      row.cells.set(c, int32_bytes(static_cast<int32_t>(row_id)));
    } else if (tag == make_tag(props::PidTagLtpRowVer, props::type::Int32)) {
      row.cells.set(c, int32_bytes(static_cast<int32_t>(row_ver)));
    } else if (const OwnedProperty* p = find_property(props, tag_id(tag)); p && p->type == tag_type(tag)) {
      row.cells.set(c, p->value);
    }
  }
  return row;
}

}  // namespace ostfs::pstw
