// Table Context ([MS-PST] 2.3.4 [PST:5e48be0d-a75a-4918-a677-50408ff96740]): TCINFO, a row
// index BTH (RowID → row number) and a row matrix, in a heap with client signature 0x7C.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <vector>

#include "export/ltp/heap.h"
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

// A row's cells, one per layout column, packed into one buffer: a folder's rows are held
// until the folder is written, and one vector per cell cost about 1 KB per row (half a GB for
// a mailbox of 200,000 messages).
class TcCells {
 public:
  TcCells() = default;
  TcCells(std::initializer_list<std::optional<Bytes>> cells);

  size_t size() const { return ends_.size(); }
  // New cells have no value; shrinking drops the last cells.
  void resize(size_t n);
  void emplace_back() { push(std::nullopt); }
  void emplace_back(std::span<const uint8_t> value) { push(value); }
  // Gives cell `c` (< size()) the value `value`.
  void set(size_t c, std::span<const uint8_t> value);
  // The value of cell `c`, or nullopt when it has none; valid until the cells change.
  std::optional<std::span<const uint8_t>> view(size_t c) const;
  // A copy of the value of cell `c`, or nullopt.
  std::optional<Bytes> operator[](size_t c) const;

 private:
  static constexpr uint32_t kAbsent = 0x80000000u;
  void push(std::optional<std::span<const uint8_t>> value);
  uint32_t begin_of(size_t c) const { return c == 0 ? 0 : ends_[c - 1] & ~kAbsent; }
  Bytes data_;
  std::vector<uint32_t> ends_;  // each cell's end in data_, with kAbsent when it has no value
};

struct TcRow {
  uint32_t row_id = 0;
  TcCells cells;  // one per layout column
};

// Encodes a TC. Rows keep their order; RowIDs must be unique. Variable-size cells go to the
// heap, or to subnodes above 3580 bytes; the row matrix goes to a subnode when larger than
// 3580 bytes, with floor(row_block_size / row size) rows per block and every block but the
// last padded to row_block_size bytes. Pass the file's block data size (8176 in a PST, 65,512
// in an OST 2013 file, as Outlook fills its row blocks), so that the stream writer's blocks
// and the rows' blocks coincide. `rows` are taken (move them in: a folder's contents rows are
// let go one by one as they go into the matrix); the node owns every subnode's bytes.
// Throws std::invalid_argument for duplicate RowIDs or a row larger than a block.
LtpNode encode_tc(const TcLayout& layout, std::vector<TcRow> rows, const SubnodeNidSource& new_nid,
                  size_t row_block_size = kMaxBlockData);

// The parts of encode_tc, for a writer that streams a table's rows (messaging/streamed_table.h).
// Gets a value too large for the heap and returns the subnode NID that holds it.
using LargeValueSink = std::function<Nid(std::span<const uint8_t>)>;
// Throws std::invalid_argument for a row with the wrong cell count or a fixed-size cell of
// the wrong size.
void check_tc_row(const TcLayout& layout, const TcCells& cells);
// Writes one row at `out` (row size bytes, zeroed): fixed-size cells in place, the others in
// `heap` or, above 3580 bytes, through `large_value`. Checks the row first (check_tc_row).
void encode_tc_row(const TcLayout& layout, const TcCells& cells, uint8_t* out, HeapBuilder& heap,
                   const LargeValueSink& large_value);
// The row index BTH of (RowID, row number) pairs, in the header allocated at `header`.
// Throws std::invalid_argument for duplicate RowIDs.
Hid build_tc_row_index(HeapBuilder& heap, std::vector<std::pair<uint32_t, uint32_t>> row_numbers, Hid header);
// The TCINFO allocation's bytes; tcinfo_size() of them are reserved before the rows.
Bytes encode_tcinfo(const TcLayout& layout, Hid hidRowIndex, uint32_t hnidRows);
inline size_t tcinfo_size(const TcLayout& layout) { return 22 + 8 * layout.columns.size(); }

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
