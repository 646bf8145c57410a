#include "export/ltp/table_context.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "export/ltp/bth.h"
#include "export/ltp/heap.h"
#include "export/ltp/prop_types.h"
#include "export/ndb/block.h"

namespace ostfs::pstw {

size_t TcLayout::index_of(uint32_t tag) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].tag == tag) return i;
  return columns.size();
}

TcLayout layout_columns(std::span<const uint32_t> tags) {
  if (tags.size() > 255) throw std::length_error("table with more than 255 columns");
  TcLayout l;
  uint16_t ib = 0;
  l.columns.resize(tags.size());
  for (size_t i = 0; i < tags.size(); ++i) {
    l.columns[i].tag = tags[i];
    l.columns[i].cb = tc_cell_width(tag_type(tags[i]));
    l.columns[i].iBit = static_cast<uint8_t>(i);
  }
  // 8- and 4-byte cells share one group in column order (Outlook's templates interleave them).
  for (TcColumn& c : l.columns)
    if (c.cb >= 4) { c.ib = ib; ib += c.cb; }
  l.rgib[0] = ib;
  for (TcColumn& c : l.columns)
    if (c.cb == 2) { c.ib = ib; ib += 2; }
  l.rgib[1] = ib;
  for (TcColumn& c : l.columns)
    if (c.cb == 1) { c.ib = ib; ib += 1; }
  l.rgib[2] = ib;
  l.rgib[3] = static_cast<uint16_t>(ib + (tags.size() + 7) / 8);
  return l;
}

TcCells::TcCells(std::initializer_list<std::optional<Bytes>> cells) {
  for (const std::optional<Bytes>& c : cells) push(c ? std::optional<std::span<const uint8_t>>(*c) : std::nullopt);
}

void TcCells::push(std::optional<std::span<const uint8_t>> value) {
  if (value) data_.insert(data_.end(), value->begin(), value->end());
  if (data_.size() >= kAbsent) throw std::length_error("TC row of 2 GiB or more");
  ends_.push_back(static_cast<uint32_t>(data_.size()) | (value ? 0 : kAbsent));
}

void TcCells::resize(size_t n) {
  if (n < ends_.size()) {
    data_.resize(begin_of(n));
    ends_.resize(n);
  }
  while (ends_.size() < n) push(std::nullopt);
}

void TcCells::set(size_t c, std::span<const uint8_t> value) {
  const uint32_t begin = begin_of(c);
  const uint32_t end = ends_.at(c) & ~kAbsent;
  if (data_.size() - (end - begin) + value.size() >= kAbsent) throw std::length_error("TC row of 2 GiB or more");
  data_.erase(data_.begin() + begin, data_.begin() + end);
  data_.insert(data_.begin() + begin, value.begin(), value.end());
  const int64_t delta = static_cast<int64_t>(value.size()) - (end - begin);
  ends_[c] = static_cast<uint32_t>(begin + value.size());
  for (size_t k = c + 1; k < ends_.size(); ++k)
    ends_[k] = static_cast<uint32_t>(static_cast<int64_t>(ends_[k] & ~kAbsent) + delta) | (ends_[k] & kAbsent);
}

std::optional<std::span<const uint8_t>> TcCells::view(size_t c) const {
  if (ends_.at(c) & kAbsent) return std::nullopt;
  const uint32_t begin = begin_of(c);
  return std::span<const uint8_t>(data_.data() + begin, ends_[c] - begin);
}

std::optional<Bytes> TcCells::operator[](size_t c) const {
  const auto v = view(c);
  if (!v) return std::nullopt;
  return Bytes(v->begin(), v->end());
}

void check_tc_row(const TcLayout& layout, const TcCells& cells) {
  if (cells.size() != layout.columns.size()) throw std::invalid_argument("TC row with the wrong cell count");
  for (size_t c = 0; c < layout.columns.size(); ++c) {
    const size_t fixed = fixed_size(tag_type(layout.columns[c].tag));
    const std::optional<std::span<const uint8_t>> cell = cells.view(c);
    if (fixed != 0 && cell && cell->size() != fixed)
      throw std::invalid_argument("TC cell for column " + std::to_string(layout.columns[c].tag) +
                                  " has the wrong size");
  }
}

void encode_tc_row(const TcLayout& layout, const TcCells& cells, uint8_t* out, HeapBuilder& heap,
                   const LargeValueSink& large_value) {
  check_tc_row(layout, cells);
  for (size_t c = 0; c < layout.columns.size(); ++c) {
    const TcColumn& col = layout.columns[c];
    const std::optional<std::span<const uint8_t>> cell = cells.view(c);
    if (!cell) continue;
    const size_t fixed = fixed_size(tag_type(col.tag));
    if (fixed != 0) {
      std::copy(cell->begin(), cell->end(), out + col.ib);
    } else {
      uint32_t hnid = 0;
      if (cell->size() > kMaxHeapAllocation) {
        hnid = large_value(*cell);
      } else if (!cell->empty()) {
        hnid = heap.allocate(*cell);
      }
      store_u32(out + col.ib, hnid);
    }
    out[layout.rgib[2] + col.iBit / 8] |= static_cast<uint8_t>(0x80 >> (col.iBit % 8));
  }
}

Hid build_tc_row_index(HeapBuilder& heap, std::vector<std::pair<uint32_t, uint32_t>> row_numbers, Hid header) {
  std::sort(row_numbers.begin(), row_numbers.end());
  Bytes index;
  index.reserve(8 * row_numbers.size());
  for (size_t i = 0; i < row_numbers.size(); ++i) {
    if (i > 0 && row_numbers[i].first == row_numbers[i - 1].first)
      throw std::invalid_argument("duplicate RowID " + std::to_string(row_numbers[i].first) + " in a TC");
    append_u32(index, row_numbers[i].first);
    append_u32(index, row_numbers[i].second);
  }
  row_numbers = {};
  return build_bth(heap, 4, 4, index, header);
}

Bytes encode_tcinfo(const TcLayout& layout, Hid hidRowIndex, uint32_t hnidRows) {
  std::vector<TcColumn> sorted = layout.columns;
  std::sort(sorted.begin(), sorted.end(), [](const TcColumn& a, const TcColumn& b) { return a.tag < b.tag; });
  Bytes info;
  append_u8(info, client_sig::TC);
  append_u8(info, static_cast<uint8_t>(sorted.size()));
  for (uint16_t v : layout.rgib) append_u16(info, v);
  append_u32(info, hidRowIndex);
  append_u32(info, hnidRows);
  append_u32(info, 0);  // hidIndex (deprecated)
  for (const TcColumn& c : sorted) {
    append_u32(info, c.tag);
    append_u16(info, c.ib);
    append_u8(info, c.cb);
    append_u8(info, c.iBit);
  }
  return info;
}

LtpNode encode_tc(const TcLayout& layout, std::vector<TcRow> rows, const SubnodeNidSource& new_nid,
                  size_t row_block_size) {
  for (const TcRow& row : rows) check_tc_row(layout, row.cells);
  HeapBuilder heap(client_sig::TC);
  LtpNode node;
  // Outlook's order: row index BTHHEADER at 0x20, TCINFO at 0x40, then everything else.
  const Hid hidIndexHeader = allocate_bth_header(heap);
  const Hid hidInfo = heap.allocate(Bytes(tcinfo_size(layout), 0));
  std::vector<std::pair<uint32_t, uint32_t>> row_numbers(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) row_numbers[r] = {rows[r].row_id, static_cast<uint32_t>(r)};
  const Hid hidRowIndex = build_tc_row_index(heap, std::move(row_numbers), hidIndexHeader);

  // The matrix is built as it will be stored: in the heap when small, else in a subnode where
  // rows never span blocks and every full block is padded to the block size, as Outlook does.
  const size_t row_size = layout.rgib[3];
  const bool in_subnode = rows.size() * row_size > kMaxHeapAllocation;
  if (in_subnode && row_size > row_block_size) throw std::invalid_argument("TC row larger than a block");
  const size_t per_block = in_subnode ? row_block_size / row_size : 0;
  const auto row_offset = [&](size_t r) {
    return in_subnode ? (r / per_block) * row_block_size + (r % per_block) * row_size : r * row_size;
  };
  auto matrix = std::make_shared<Bytes>(rows.empty() ? 0 : row_offset(rows.size() - 1) + row_size, 0);
  const LargeValueSink large_value = [&](std::span<const uint8_t> value) {
    const Nid nid = new_nid();
    auto owned = std::make_shared<const Bytes>(value.begin(), value.end());
    node.subnodes.push_back({nid, *owned, owned});
    return nid;
  };
  for (size_t r = 0; r < rows.size(); ++r) {
    // Each row is let go once it is in the matrix: a folder's rows are the table's biggest part.
    const TcCells cells = std::move(rows[r].cells);
    encode_tc_row(layout, cells, matrix->data() + row_offset(r), heap, large_value);
  }
  rows = {};
  uint32_t hnidRows = 0;
  if (in_subnode) {
    hnidRows = new_nid();
    node.subnodes.push_back({hnidRows, *matrix, matrix});
  } else if (!matrix->empty()) {
    hnidRows = heap.allocate(*matrix);
  }
  heap.update(hidInfo, encode_tcinfo(layout, hidRowIndex, hnidRows));
  heap.set_user_root(hidInfo);
  node.heap = std::move(heap).serialize();
  return node;
}

TcContents read_tc(const std::vector<Bytes>& blocks, std::span<const uint8_t> rows_data, size_t row_block_size) {
  if (blocks.empty() || blocks[0].size() < 12 || blocks[0][2] != kHeapSignature || blocks[0][3] != client_sig::TC)
    throw std::runtime_error("not a table context heap");
  auto info = heap_lookup(blocks, load_u32(blocks[0].data() + 4));
  if (info.size() < 22 || info[0] != client_sig::TC) throw std::runtime_error("bad TCINFO");
  TcContents out;
  const size_t cols = info[1];
  if (info.size() < 22 + 8 * cols) throw std::runtime_error("TCINFO shorter than its columns");
  for (size_t i = 0; i < 4; ++i) out.layout.rgib[i] = load_u16(info.data() + 2 + 2 * i);
  std::vector<TcColumn> by_tag;
  for (size_t i = 0; i < cols; ++i) {
    const uint8_t* d = info.data() + 22 + 8 * i;
    by_tag.push_back({load_u32(d), load_u16(d + 4), d[6], d[7]});
  }
  std::sort(by_tag.begin(), by_tag.end(), [](const TcColumn& a, const TcColumn& b) { return a.iBit < b.iBit; });
  out.layout.columns = by_tag;
  BthContents idx = read_bth(blocks, load_u32(info.data() + 10));
  for (const BthRecord& r : idx.records) out.row_index.push_back({load_u32(r.key.data()), load_u32(r.data.data())});
  const uint32_t hnidRows = load_u32(info.data() + 14);
  std::span<const uint8_t> matrix;
  size_t per_block = 0;
  const size_t row_size = out.layout.rgib[3];
  if (hnidRows == 0) {
    return out;
  } else if (hnidRows & 0x1F) {
    out.rows_subnode = hnidRows;
    if (rows_data.empty()) return out;
    matrix = rows_data;
    per_block = row_block_size / row_size;
  } else {
    matrix = heap_lookup(blocks, hnidRows);
  }
  for (const auto& [row_id, number] : out.row_index) {
    size_t off =
        per_block ? (number / per_block) * row_block_size + (number % per_block) * row_size : number * row_size;
    if (off + row_size > matrix.size()) throw std::runtime_error("row beyond the row matrix");
    const uint8_t* row = matrix.data() + off;
    TcRow tr;
    tr.row_id = row_id;
    for (const TcColumn& c : out.layout.columns) {
      if (!(row[out.layout.rgib[2] + c.iBit / 8] & (0x80 >> (c.iBit % 8)))) {
        tr.cells.emplace_back();
        continue;
      }
      if (fixed_size(tag_type(c.tag)) != 0) {
        tr.cells.emplace_back(std::span<const uint8_t>(row + c.ib, c.cb));
      } else {
        uint32_t hnid = load_u32(row + c.ib);
        if (hnid == 0 || (hnid & 0x1F)) {
          tr.cells.emplace_back(std::span<const uint8_t>());
        } else {
          tr.cells.emplace_back(heap_lookup(blocks, hnid));
        }
      }
    }
    out.rows.push_back(std::move(tr));
  }
  return out;
}

}  // namespace ostfs::pstw
