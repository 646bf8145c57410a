#include "export/messaging/folder.h"

#include <memory>
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
struct TableSlot {
  std::unique_ptr<StreamedTable>& table;
  bool& written;
  bool& lost;
  Nid nid;
  const std::vector<uint32_t>& columns;
};

TableSlot slot_of(FolderState& state, bool associated) {
  const uint32_t index = nid_index_of(state.nid);
  if (associated)
    return {state.assoc, state.assoc_table_written, state.assoc_lost,
            make_nid(nid_type::ASSOC_CONTENTS_TABLE, index), assoc_contents_columns()};
  return {state.contents, state.contents_table_written, state.contents_lost, make_nid(nid_type::CONTENTS_TABLE, index),
          contents_columns()};
}

// The slot's table, made with its first row; throws once the table was lost.
StreamedTable& open_table(FileWriter& file, NidAllocator& nids, const TableSlot& slot) {
  if (slot.lost) throw std::runtime_error("table " + std::to_string(slot.nid) + " was lost in an earlier failure");
  if (!slot.table) slot.table = std::make_unique<StreamedTable>(file, nids, slot.columns);
  return *slot.table;
}

// A failure part-way leaves the table's blocks incomplete: it can no longer be written.
void lose(const TableSlot& slot) {
  slot.lost = true;
  slot.table.reset();
}

void finish_table(FileWriter& file, NidAllocator& nids, const TableSlot& slot) {
  if (slot.written) return;
  StreamedTable& table = open_table(file, nids, slot);
  try {
    table.finish(slot.nid);
  } catch (...) {
    lose(slot);
    throw;
  }
  slot.table.reset();
  slot.written = true;
}
}  // namespace

void add_table_row(FileWriter& file, NidAllocator& nids, FolderState& state, bool associated, const TcRow& row) {
  const TableSlot slot = slot_of(state, associated);
  if (slot.written) throw std::logic_error("row added to table " + std::to_string(slot.nid) + " after it was written");
  StreamedTable& table = open_table(file, nids, slot);
  try {
    table.add(row);
  } catch (const std::invalid_argument&) {
    throw;  // a row that does not fit is refused before anything of it is written
  } catch (...) {
    lose(slot);
    throw;
  }
}

void write_contents_tables(FileWriter& file, NidAllocator& nids, FolderState& state) {
  finish_table(file, nids, slot_of(state, false));
  finish_table(file, nids, slot_of(state, true));
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
