#include "parser/ltp/table_context.h"

#include <algorithm>
#include <string>

#include "parser/ltp/prop_types.h"
#include "parser/ndb/errors.h"

namespace ostfs::ltp {

using ndb::CorruptError;
using ndb::hex;
using ndb::load_u16;
using ndb::load_u32;

namespace {

constexpr size_t TCI_4b = 0, TCI_2b = 1, TCI_1b = 2, TCI_bm = 3;
constexpr size_t kTcInfoSize = 22;
constexpr size_t kColDescSize = 8;
// Blocks kept when reading on demand: enough for rows a little out of the stored order.
constexpr size_t kCachedHeapPages = 32;
constexpr size_t kCachedRowBlocks = 16;

Heap open_heap(const ndb::Node& node, TableContext::Reading reading) {
  if (reading == TableContext::Reading::OnDemand) return Heap(node, kCachedHeapPages);
  return Heap(read_heap_blocks(node), node.nid());
}

}  // namespace

TableContext::TableContext(const ndb::Node& node, Reading reading) : node_(node), heap_(open_heap(node, reading)) {
  auto where = [&] { return "TC of node " + hex(node.nid()); };
  if (heap_.client_sig() != client_sig::TC)
    throw CorruptError(where() + ": bClientSig " + hex(heap_.client_sig()) + ", expected 0x7C");
  const Bytes info = heap_.read(heap_.user_root());
  if (info.size() < kTcInfoSize || info[0] != client_sig::TC) throw CorruptError(where() + ": bad TCINFO");
  const size_t cCols = info[1];
  if (kTcInfoSize + cCols * kColDescSize > info.size())
    throw CorruptError(where() + ": " + std::to_string(cCols) + " columns do not fit in TCINFO");
  for (size_t i = 0; i < 4; ++i) rgib_[i] = load_u16(info.data() + 2 + 2 * i);
  const uint32_t hnidRows = load_u32(info.data() + 14);
  const size_t row_size = rgib_[TCI_bm];
  if (!(rgib_[TCI_4b] <= rgib_[TCI_2b] && rgib_[TCI_2b] <= rgib_[TCI_1b] && rgib_[TCI_1b] <= rgib_[TCI_bm]) ||
      rgib_[TCI_1b] + (cCols + 7) / 8 > row_size || row_size < 4)
    throw CorruptError(where() + ": inconsistent rgib");
  for (size_t i = 0; i < cCols; ++i) {
    const uint8_t* d = info.data() + kTcInfoSize + i * kColDescSize;
    TcColumn c{load_u32(d), load_u16(d + 4), d[6], d[7]};
    if (c.ib + c.cb > rgib_[TCI_1b] || c.iBit >= cCols)
      throw CorruptError(where() + ": column " + hex(c.tag) + " lies outside the row");
    const size_t fixed = fixed_size(tag_type(c.tag));
    if (c.cb < (fixed != 0 ? fixed : 4))
      throw CorruptError(where() + ": column " + hex(c.tag) + " has cbData " + std::to_string(c.cb));
    columns_.push_back(c);
  }
  by_bit_.resize(columns_.size());
  for (size_t i = 0; i < by_bit_.size(); ++i) by_bit_[i] = i;
  std::stable_sort(by_bit_.begin(), by_bit_.end(),
                   [&](size_t a, size_t b) { return columns_[a].iBit < columns_[b].iBit; });
  if (hnidRows == 0) return;
  std::vector<uint64_t> block_sizes;
  if (is_hid(hnidRows)) {
    row_blocks_.push_back(std::make_shared<const Bytes>(heap_.read(hnidRows)));
    block_sizes.push_back(row_blocks_.back()->size());
  } else {
    ndb::DataTree tree = node_.subnode(hnidRows).data_tree();
    if (tree.size() > kMaxRowMatrixSize) throw CorruptError(where() + ": row matrix too large");
    for (const ndb::DataLeaf& leaf : tree.leaves()) block_sizes.push_back(leaf.size);
    if (reading == Reading::OnDemand) {
      row_leaves_.emplace(std::move(tree), kCachedRowBlocks);
    } else {
      for (Bytes& block : tree.read_blocks()) row_blocks_.push_back(std::make_shared<const Bytes>(std::move(block)));
    }
  }
  // Rows never span blocks: each block holds floor(size / row size) rows.
  first_row_.push_back(0);
  for (uint64_t size : block_sizes) first_row_.push_back(first_row_.back() + static_cast<size_t>(size / row_size));
}

std::optional<size_t> TableContext::column(uint16_t id) const {
  for (size_t i = 0; i < columns_.size(); ++i)
    if (tag_id(columns_[i].tag) == id) return i;
  return std::nullopt;
}

TableContext::RowBytes TableContext::row_bytes(size_t row) const {
  if (row >= row_count())
    throw ndb::NotFoundError("TC of node " + hex(node_.nid()) + ": no row " + std::to_string(row));
  // The block whose rows start at or before `row`, last of equals (empty blocks hold none).
  const size_t block = static_cast<size_t>(std::upper_bound(first_row_.begin(), first_row_.end(), row) -
                                           first_row_.begin()) - 1;
  RowBytes out;
  out.block = row_leaves_ ? row_leaves_->leaf(block) : row_blocks_[block];
  out.data = out.block->data() + (row - first_row_[block]) * rgib_[TCI_bm];
  return out;
}

bool TableContext::cell_exists(const uint8_t* row, const TcColumn& column) const {
  const uint8_t ceb = row[rgib_[TCI_1b] + column.iBit / 8];
  return (ceb >> (7 - column.iBit % 8)) & 1;
}

uint32_t TableContext::row_id(size_t row) const { return load_u32(row_bytes(row).data); }

std::optional<Bytes> TableContext::cell(size_t row, size_t column) const {
  return cell(row_bytes(row).data, column);
}

std::optional<Bytes> TableContext::cell(const uint8_t* r, size_t column) const {
  const TcColumn& c = columns_.at(column);
  if (!cell_exists(r, c)) return std::nullopt;
  const size_t fixed = fixed_size(tag_type(c.tag));
  if (fixed != 0) return Bytes(r + c.ib, r + c.ib + fixed);
  const uint32_t hnid = load_u32(r + c.ib);
  if (hnid == 0) return Bytes{};
  if (is_hid(hnid)) return heap_.read(hnid);
  return node_.subnode(hnid).data(kMaxRowMatrixSize);
}

model::PropertyBag TableContext::row(size_t row) const {
  const RowBytes bytes = row_bytes(row);
  model::PropertyBag bag;
  for (size_t i : by_bit_) {
    std::optional<Bytes> v = cell(bytes.data, i);
    if (!v) continue;
    bag.props.push_back({tag_id(columns_[i].tag), tag_type(columns_[i].tag), std::move(*v), std::nullopt});
  }
  return bag;
}

model::PropertyBag TableContext::row(size_t row, std::initializer_list<uint16_t> ids) const {
  const RowBytes bytes = row_bytes(row);
  model::PropertyBag bag;
  for (uint16_t id : ids) {
    const std::optional<size_t> i = column(id);
    if (!i) continue;
    std::optional<Bytes> v = cell(bytes.data, *i);
    if (!v) continue;
    bag.props.push_back({id, tag_type(columns_[*i].tag), std::move(*v), std::nullopt});
  }
  return bag;
}

}  // namespace ostfs::ltp
