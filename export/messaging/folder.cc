#include "export/messaging/folder.h"

#include <stdexcept>
#include <string>

#include "export/ltp/property_context.h"
#include "export/ltp/prop_types.h"
#include "export/messaging/columns.h"
#include "export/messaging/node_writer.h"
#include "export/messaging/table_row.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {
using namespace props;
}

std::vector<OwnedProperty> final_folder_props(const FolderState& state) {
  std::vector<OwnedProperty> p = state.props;
  if (!find_property(p, PidTagDisplayName)) set_property(p, PidTagDisplayName, type::Unicode, {});
  set_property(p, PidTagContentCount, type::Int32, int32_bytes(static_cast<int32_t>(state.content_count)));
  set_property(p, PidTagContentUnreadCount, type::Int32, int32_bytes(static_cast<int32_t>(state.unread)));
  set_property(p, PidTagSubfolders, type::Boolean, Bytes{static_cast<uint8_t>(state.children.empty() ? 0 : 1)});
  return p;
}

void write_table_node(FileWriter& file, NidAllocator& nids, Nid nid, const std::vector<uint32_t>& columns,
                      std::vector<TcRow> rows) {
  const TcLayout layout = layout_columns(columns);
  LtpNode node = encode_tc(layout, std::move(rows), [&] { return nids.next(nid_type::LTP); }, file.max_block_data());
  NodeRef ref = write_ltp_node(file, node);
  file.add_node({nid, ref.bidData, ref.bidSub, 0});
}

namespace {
void write_rows_once(FileWriter& file, NidAllocator& nids, Nid nid, const std::vector<uint32_t>& columns,
                     std::vector<TcRow>& rows, bool& written, bool& lost) {
  if (written) return;
  if (lost) throw std::runtime_error("table " + std::to_string(nid) + " lost its rows in an earlier failure");
  lost = true;
  write_table_node(file, nids, nid, columns, std::move(rows));
  rows = {};
  lost = false;
  written = true;
}
}  // namespace

void write_contents_tables(FileWriter& file, NidAllocator& nids, FolderState& state) {
  const uint32_t index = nid_index_of(state.nid);
  write_rows_once(file, nids, make_nid(nid_type::CONTENTS_TABLE, index), contents_columns(), state.contents_rows,
                  state.contents_table_written, state.contents_rows_lost);
  write_rows_once(file, nids, make_nid(nid_type::ASSOC_CONTENTS_TABLE, index), assoc_contents_columns(),
                  state.assoc_rows, state.assoc_table_written, state.assoc_rows_lost);
}

void write_folder(FileWriter& file, NidAllocator& nids, FolderState& state,
                  const std::vector<std::vector<OwnedProperty>>& children) {
  const std::vector<OwnedProperty> props = final_folder_props(state);
  LtpNode pc = encode_pc(as_pc(props), [&] { return nids.next(nid_type::LTP); });
  NodeRef ref = write_ltp_node(file, pc);
  file.add_node({state.nid, ref.bidData, ref.bidSub, state.parent});

  const TcLayout hierarchy = layout_columns(hierarchy_columns());
  std::vector<TcRow> rows;
  for (size_t i = 0; i < children.size(); ++i)
    rows.push_back(make_row(hierarchy, state.children[i], file.next_unique(), children[i]));
  const uint32_t index = nid_index_of(state.nid);
  write_table_node(file, nids, make_nid(nid_type::HIERARCHY_TABLE, index), hierarchy_columns(), std::move(rows));
  write_contents_tables(file, nids, state);
}

}  // namespace ostfs::pstw
