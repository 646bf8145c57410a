// Folder objects ([MS-PST] 2.4.4): a folder PC and its hierarchy (+0xB → nidType 0xD),
// contents (0xE) and FAI contents (0xF) tables, which share the folder's nidIndex.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "export/ltp/table_context.h"
#include "export/messaging/property_filter.h"
#include "export/messaging/streamed_table.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {

struct FolderState {
  Nid nid = 0;
  Nid parent = 0;
  std::vector<OwnedProperty> props;  // without the counts, which finish() computes
  std::vector<Nid> children;         // in insertion order
  // The contents and associated contents tables, written as their rows come (created with
  // the first row), until write_contents_tables().
  std::unique_ptr<StreamedTable> contents;
  std::unique_ptr<StreamedTable> assoc;
  uint32_t content_count = 0;  // messages (not associated ones) in the folder
  uint32_t unread = 0;
  // Its contents / associated contents table is in the file: no more messages then.
  bool contents_table_written = false;
  bool assoc_table_written = false;
  // Writing a table failed part-way: what it has in the file is not whole, and a table
  // without some of its rows would hide their messages, so it can no longer be written.
  bool contents_lost = false;
  bool assoc_lost = false;
};

// Adds a message's row to the folder's contents table (or associated contents table).
// Throws std::invalid_argument for a row that does not fit (nothing written then), and
// std::runtime_error once the table was lost.
void add_table_row(FileWriter& file, NidAllocator& nids, FolderState& state, bool associated, const TcRow& row);

// The folder PC's properties: `state.props` plus display name (kept when present),
// ContentCount, ContentUnreadCount and Subfolders from the folder's contents.
std::vector<OwnedProperty> final_folder_props(const FolderState& state);

// Finishes the folder's contents and associated contents tables and adds their NBT entries.
// Each table is finished once; a later call throws for a table that was lost.
void write_contents_tables(FileWriter& file, NidAllocator& nids, FolderState& state);

// Writes the folder PC and its hierarchy table, and its contents tables unless written
// already, and adds their NBT entries. `children` are the final properties of the child
// folders, in the same order as state.children.
void write_folder(FileWriter& file, NidAllocator& nids, FolderState& state,
                  const std::vector<std::vector<OwnedProperty>>& children);

// A table (a template, a folder's table) as its own node; `rows` are consumed.
void write_table_node(FileWriter& file, NidAllocator& nids, Nid nid, const std::vector<uint32_t>& columns,
                      std::vector<TcRow> rows = {});

}  // namespace ostfs::pstw
