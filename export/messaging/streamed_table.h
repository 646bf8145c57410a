// A table context written while its rows come: full row-matrix blocks, finished heap pages and
// values too large for the heap go to the file at once, so a folder's contents table costs
// about 8 bytes a row in memory (its row index) instead of its whole size (a folder of
// 300,000 messages held 175 MB of rows and matrix until its table was written).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "export/ltp/heap.h"
#include "export/ltp/table_context.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {

class StreamedTable {
 public:
  StreamedTable(FileWriter& file, NidAllocator& nids, const std::vector<uint32_t>& columns);
  StreamedTable(const StreamedTable&) = delete;
  StreamedTable& operator=(const StreamedTable&) = delete;

  // Adds a row (a RowID not used before). Throws std::invalid_argument for a row that does
  // not fit the columns, before anything of it is written.
  void add(const TcRow& row);
  size_t rows() const { return row_numbers_.size(); }
  // Writes the rest (last matrix block, row index, TCINFO, the heap's first and bitmap
  // pages) and the node `nid`. Once: nothing can be added afterwards.
  void finish(Nid nid);

 private:
  void write_matrix_block(bool last);

  FileWriter& file_;
  NidAllocator& nids_;
  TcLayout layout_;
  HeapBuilder heap_;
  Hid hid_index_header_ = 0;
  Hid hid_info_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> row_numbers_;  // (RowID, row)
  size_t rows_per_block_ = 0;
  Bytes matrix_;  // rows not in a written block yet
  std::vector<uint64_t> matrix_bids_;
  std::vector<uint64_t> matrix_sizes_;
  std::vector<uint64_t> page_bids_;  // per heap page (0 until written)
  std::vector<uint64_t> page_sizes_;
  std::vector<SlEntry> subnodes_;
  bool finished_ = false;
};

}  // namespace ostfs::pstw
