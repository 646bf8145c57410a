// Table Context ([MS-PST] 2.3.4): TCINFO (columns and where the rows are), a row index BTH
// (RowID to row number) and a row matrix of fixed-size rows, in the node's heap or, when
// large, in a subnode whose every data block holds whole rows. Variable-size cells are HNIDs
// into the heap or the node's subnodes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "parser/ltp/heap.h"
#include "parser/model.h"
#include "parser/ndb/node.h"

namespace ostfs::ltp {

struct TcColumn {
  uint32_t tag = 0;  // property id << 16 | type
  uint16_t ib = 0;   // offset in the row
  uint8_t cb = 0;    // cell width
  uint8_t iBit = 0;  // bit in the cell existence bitmap
};

// Rows beyond this are damage (the row matrix is held in memory).
inline constexpr uint64_t kMaxRowMatrixSize = uint64_t{1} << 30;

class TableContext {
 public:
  // Reads TCINFO and the row matrix. Throws ndb::NdbError subclasses.
  explicit TableContext(const ndb::Node& node);

  // In TCOLDESC order (sorted by tag).
  const std::vector<TcColumn>& columns() const { return columns_; }
  // Indexes into columns() in iBit order: the order rows list their properties in (as
  // libpff does; TCOLDESCs are sorted by tag, cell bits follow the order columns were added).
  const std::vector<size_t>& columns_by_bit() const { return by_bit_; }
  // Index into columns() of the column with property id `id`, if any.
  std::optional<size_t> column(uint16_t id) const;

  size_t row_count() const { return rows_.size(); }
  // The cell's stored bytes, or nullopt when the row has no value in that column.
  std::optional<Bytes> cell(size_t row, size_t column) const;
  // PidTagLtpRowId of the row (dwRowID: the first four bytes of every row).
  uint32_t row_id(size_t row) const;
  // The row's existing cells, in iBit order.
  model::PropertyBag row(size_t row) const;
  // Only the cells of the given property ids, in the order given.
  model::PropertyBag row(size_t row, std::initializer_list<uint16_t> ids) const;

 private:
  const uint8_t* row_bytes(size_t row) const;
  bool cell_exists(const uint8_t* row, const TcColumn& column) const;

  ndb::Node node_;
  Heap heap_;
  std::vector<TcColumn> columns_;
  std::vector<size_t> by_bit_;
  uint16_t rgib_[4] = {};  // TCI_4b, TCI_2b, TCI_1b, TCI_bm
  std::vector<Bytes> row_blocks_;
  std::vector<std::pair<uint32_t, uint32_t>> rows_;  // (block, offset) of each row
};

}  // namespace ostfs::ltp
