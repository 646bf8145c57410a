// Table Context ([MS-PST] 2.3.4): TCINFO (columns and where the rows are), a row index BTH
// (RowID to row number) and a row matrix of fixed-size rows, in the node's heap or, when
// large, in a subnode whose every data block holds whole rows. Variable-size cells are HNIDs
// into the heap or the node's subnodes.
#pragma once

#include <cstdint>
#include <memory>
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
  // Whole: the heap and the row matrix are read at once (small tables: a message's
  // recipients and attachments). OnDemand: their blocks are read as rows are, and only the
  // last few kept (a folder's contents table: 95 MB for 300,000 messages); about the stored
  // order is then much faster than any other.
  enum class Reading { Whole, OnDemand };

  // Reads TCINFO and, when Whole, the row matrix. Throws ndb::NdbError subclasses.
  explicit TableContext(const ndb::Node& node, Reading reading = Reading::Whole);

  // In TCOLDESC order (sorted by tag).
  const std::vector<TcColumn>& columns() const { return columns_; }
  // Indexes into columns() in iBit order: the order rows list their properties in (as
  // libpff does; TCOLDESCs are sorted by tag, cell bits follow the order columns were added).
  const std::vector<size_t>& columns_by_bit() const { return by_bit_; }
  // Index into columns() of the column with property id `id`, if any.
  std::optional<size_t> column(uint16_t id) const;

  size_t row_count() const { return first_row_.empty() ? 0 : first_row_.back(); }
  // The cell's stored bytes, or nullopt when the row has no value in that column. Reading on
  // demand, every accessor may throw ndb::NdbError subclasses for a block it reads.
  std::optional<Bytes> cell(size_t row, size_t column) const;
  // PidTagLtpRowId of the row (dwRowID: the first four bytes of every row).
  uint32_t row_id(size_t row) const;
  // The row's existing cells, in iBit order.
  model::PropertyBag row(size_t row) const;
  // Only the cells of the given property ids, in the order given.
  model::PropertyBag row(size_t row, std::initializer_list<uint16_t> ids) const;

 private:
  // A row's bytes, with what keeps them valid (a block read on demand).
  struct RowBytes {
    std::shared_ptr<const Bytes> block;
    const uint8_t* data = nullptr;
  };
  RowBytes row_bytes(size_t row) const;
  bool cell_exists(const uint8_t* row, const TcColumn& column) const;
  std::optional<Bytes> cell(const uint8_t* row, size_t column) const;

  ndb::Node node_;
  Heap heap_;
  std::vector<TcColumn> columns_;
  std::vector<size_t> by_bit_;
  uint16_t rgib_[4] = {};  // TCI_4b, TCI_2b, TCI_1b, TCI_bm
  // The row matrix: every block (Whole, or a matrix inside the heap), or its blocks read on
  // demand. Rows never span blocks: block b holds rows [first_row_[b], first_row_[b + 1]).
  std::vector<std::shared_ptr<const Bytes>> row_blocks_;
  std::optional<ndb::LeafCache> row_leaves_;
  std::vector<size_t> first_row_;
};

}  // namespace ostfs::ltp
