// Table Context ([MS-PST] 2.3.4 [PST:5e48be0d-a75a-4918-a677-50408ff96740]): TCINFO, a row
// index BTH (RowID → row number) and a row matrix, in a heap with client signature 0x7C.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "export/ltp/ltp_node.h"
#include "export/ndb/block.h"

namespace ostfs::pstw {

struct TcColumn {
  uint32_t tag = 0;
  uint16_t ib = 0;
  uint8_t cb = 0;
  uint8_t iBit = 0;
};

struct TcLayout {
  std::vector<TcColumn> columns;  // in iBit order (the order given to layout_columns)
  std::array<uint16_t, 4> rgib{};  // TCI_4b, TCI_2b, TCI_1b, TCI_bm (row size)
  size_t index_of(uint32_t tag) const;  // npos-like columns.size() when absent
};

// Lays out columns as Outlook does: iBit in the given order; 8- and 4-byte cells first (in
// that order), then 2-byte, then 1-byte, then the cell-existence bitmap.
// Throws std::length_error for more than 255 columns.
TcLayout layout_columns(std::span<const uint32_t> tags);

struct TcRow {
  uint32_t row_id = 0;
  std::vector<std::optional<Bytes>> cells;  // one per layout column; nullopt = no value
};

// Encodes a TC. Rows keep their order; RowIDs must be unique. Variable-size cells go to the
// heap, or to subnodes above 3580 bytes; the row matrix goes to a subnode when larger than
// 3580 bytes, with floor(row_block_size / row size) rows per block and every block but the
// last padded to row_block_size bytes. Pass the file's block data size (8176 in a PST, 65,512
// in an OST 2013 file, as Outlook fills its row blocks), so that the stream writer's blocks
// and the rows' blocks coincide. `rows` must outlive the returned node's subnode spans.
// Throws std::invalid_argument for duplicate RowIDs or a row larger than a block.
LtpNode encode_tc(const TcLayout& layout, const std::vector<TcRow>& rows, const SubnodeNidSource& new_nid,
                  size_t row_block_size = kMaxBlockData);

// A decoded TC (for tests and self-checks). Cells of variable-size columns hold the value
// bytes from the heap; `subnode_cells` lists (row, column, NID) for values kept in subnodes.
struct TcContents {
  TcLayout layout;
  std::vector<std::pair<uint32_t, uint32_t>> row_index;  // RowID → row number
  std::vector<TcRow> rows;
  Nid rows_subnode = 0;  // non-zero when the row matrix is in a subnode (rows then empty)
};
// `rows_data` supplies the row matrix when it lives in a subnode, in blocks of row_block_size.
TcContents read_tc(const std::vector<Bytes>& heap_blocks, std::span<const uint8_t> rows_data = {},
                   size_t row_block_size = kMaxBlockData);

}  // namespace ostfs::pstw
