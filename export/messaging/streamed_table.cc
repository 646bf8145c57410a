#include "export/messaging/streamed_table.h"

#include <stdexcept>
#include <string>

#include "export/ltp/bth.h"

namespace ostfs::pstw {

StreamedTable::StreamedTable(FileWriter& file, NidAllocator& nids, const std::vector<uint32_t>& columns)
    : file_(file), nids_(nids), layout_(layout_columns(columns)), heap_(client_sig::TC) {
  const size_t row_size = layout_.rgib[3];
  if (row_size > file_.max_block_data()) throw std::invalid_argument("TC row larger than a block");
  rows_per_block_ = file_.max_block_data() / row_size;
  // Outlook's order: row index BTHHEADER at 0x20, TCINFO at 0x40; the first page stays in
  // memory until finish(), so both can be filled in then.
  hid_index_header_ = allocate_bth_header(heap_);
  hid_info_ = heap_.allocate(Bytes(tcinfo_size(layout_), 0));
  heap_.hand_finished_pages_to([this](size_t index, Bytes&& page) {
    if (page_bids_.size() <= index) {
      page_bids_.resize(index + 1, 0);
      page_sizes_.resize(index + 1, 0);
    }
    page_bids_[index] = file_.write_block(page).bid;
    page_sizes_[index] = page.size();
  });
}

void StreamedTable::add(const TcRow& row) {
  if (finished_) throw std::logic_error("StreamedTable::add after finish()");
  check_tc_row(layout_, row.cells);
  const size_t row_size = layout_.rgib[3];
  const size_t offset = matrix_.size();
  matrix_.resize(offset + row_size, 0);
  encode_tc_row(layout_, row.cells, matrix_.data() + offset, heap_, [this](std::span<const uint8_t> value) {
    const Nid nid = nids_.next(nid_type::LTP);
    subnodes_.push_back({nid, file_.write_stream(value).bid, 0});
    return nid;
  });
  row_numbers_.emplace_back(row.row_id, static_cast<uint32_t>(row_numbers_.size()));
  if (matrix_.size() == rows_per_block_ * row_size) write_matrix_block(false);
}

void StreamedTable::write_matrix_block(bool last) {
  // Rows never span blocks: every full block is padded to the block size, as Outlook does.
  if (!last) matrix_.resize(file_.max_block_data(), 0);
  matrix_bids_.push_back(file_.write_block(matrix_).bid);
  matrix_sizes_.push_back(matrix_.size());
  matrix_.clear();
}

void StreamedTable::finish(Nid nid) {
  if (finished_) throw std::logic_error("StreamedTable::finish twice");
  finished_ = true;
  uint32_t hnid_rows = 0;
  if (row_numbers_.size() * layout_.rgib[3] > kMaxHeapAllocation) {
    if (!matrix_.empty()) write_matrix_block(true);
    hnid_rows = nids_.next(nid_type::LTP);
    subnodes_.push_back({hnid_rows, file_.link_blocks(matrix_bids_, matrix_sizes_).bid, 0});
  } else if (!matrix_.empty()) {
    hnid_rows = heap_.allocate(matrix_);
  }
  matrix_ = {};
  const Hid hid_row_index = build_tc_row_index(heap_, std::move(row_numbers_), hid_index_header_);
  heap_.update(hid_info_, encode_tcinfo(layout_, hid_row_index, hnid_rows));
  heap_.set_user_root(hid_info_);
  std::vector<Bytes> pages = std::move(heap_).serialize();
  page_bids_.resize(pages.size(), 0);
  page_sizes_.resize(pages.size(), 0);
  for (size_t i = 0; i < pages.size(); ++i) {
    if (page_bids_[i] != 0) continue;  // written when it was finished
    page_bids_[i] = file_.write_block(pages[i]).bid;
    page_sizes_[i] = pages[i].size();
  }
  const DataRef data = file_.link_blocks(page_bids_, page_sizes_);
  file_.add_node({nid, data.bid, file_.write_subnodes(std::move(subnodes_)), 0});
}

}  // namespace ostfs::pstw
