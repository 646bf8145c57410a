// Folder objects ([MS-PST] 2.4.4): a folder PC and its hierarchy (+0xB → nidType 0xD),
// contents (0xE) and FAI contents (0xF) tables, which share the folder's nidIndex.
#pragma once

#include <cstdint>
#include <vector>

#include "export/ltp/table_context.h"
#include "export/messaging/property_filter.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {

struct FolderState {
  Nid nid = 0;
  Nid parent = 0;
  std::vector<OwnedProperty> props;  // without the counts, which finish() computes
  std::vector<Nid> children;         // in insertion order
  std::vector<TcRow> contents_rows;  // until the contents tables are written
  std::vector<TcRow> assoc_rows;
  uint32_t content_count = 0;  // messages (not associated ones) in the folder
  uint32_t unread = 0;
  // Its contents / associated contents table is in the file: no more messages then.
  bool contents_table_written = false;
  bool assoc_table_written = false;
  // A table's rows went into an attempt to write it that failed: they are gone, and a table
  // without them would hide its messages, so that table can no longer be written.
  bool contents_rows_lost = false;
  bool assoc_rows_lost = false;
};

// The folder PC's properties: `state.props` plus display name (kept when present),
// ContentCount, ContentUnreadCount and Subfolders from the folder's contents.
std::vector<OwnedProperty> final_folder_props(const FolderState& state);

// Writes the folder's contents and associated contents tables, adds their NBT entries and
// lets go of their rows: a folder of 100,000 messages costs no memory once it is copied.
// A table is tried once: its rows are consumed by the attempt (held twice, a folder of
// 300,000 rows cost 450 MB), and a later call throws for a table whose attempt failed.
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
