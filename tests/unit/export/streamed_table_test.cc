// Tables written as their rows come (StreamedTable): what the native reader reads back is
// every row given, with heaps of many pages (bitmap pages included), several row-matrix
// blocks and values in subnodes; a folder's tables are written once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "export/ltp/prop_types.h"
#include "export/ltp/table_context.h"
#include "export/messaging/columns.h"
#include "export/messaging/folder.h"
#include "export/messaging/streamed_table.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"
#include "parser/ltp/table_context.h"
#include "parser/ndb/database.h"
#include "parser/ndb/node.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {

class Tables : public ::testing::TestWithParam<Layout> {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("ostfs-table-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(reinterpret_cast<uintptr_t>(this)) + ".pst");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  static void finish(FileWriter& file) {
    std::array<uint32_t, 32> rgnid;
    rgnid.fill(0x10000);
    file.finish(rgnid);
  }
  std::filesystem::path path_;
};

// Row r: an id, a subject of 40-70 characters, a size, a flag every third row, and every
// 500th row a 5,000-byte value (too big for the heap).
TcRow make_test_row(const TcLayout& layout, uint32_t r) {
  const size_t id = layout.index_of(make_tag(props::PidTagLtpRowId, props::type::Int32));
  const size_t subject = layout.index_of(make_tag(props::PidTagSubject, props::type::Unicode));
  const size_t size = layout.index_of(make_tag(props::PidTagMessageSize, props::type::Int32));
  const size_t name = layout.index_of(make_tag(props::PidTagSentRepresentingName, props::type::Unicode));
  TcRow row;
  row.row_id = 0x200004 + 32 * r;
  row.cells.resize(layout.columns.size());
  row.cells.set(id, int32_bytes(static_cast<int32_t>(row.row_id)));
  Bytes text;
  for (size_t i = 0; i < 40 + r % 31; ++i) append_u16(text, static_cast<uint16_t>('a' + (r + i) % 26));
  row.cells.set(subject, text);
  row.cells.set(size, int32_bytes(static_cast<int32_t>(r * 7)));
  if (r % 500 == 3) row.cells.set(name, Bytes(5000, static_cast<uint8_t>(r)));
  return row;
}

TEST_P(Tables, EveryRowReadsBackFromAStreamedTable) {
  constexpr uint32_t kRows = 6000;  // ~620 KB of subjects: 80 heap pages, bitmap page 8 among them
  const TcLayout layout = layout_columns(contents_columns());
  const Nid table_nid = make_nid(nid_type::CONTENTS_TABLE, 0x400);
  {
    FileWriter file(path_, GetParam());
    NidAllocator nids;
    StreamedTable table(file, nids, contents_columns());
    for (uint32_t r = 0; r < kRows; ++r) table.add(make_test_row(layout, r));
    EXPECT_EQ(table.rows(), kRows);
    table.finish(table_nid);
    EXPECT_THROW(table.add(make_test_row(layout, 0)), std::logic_error);
    finish(file);
  }
  auto db = ndb::Database::open(path_);
  for (auto reading : {ltp::TableContext::Reading::Whole, ltp::TableContext::Reading::OnDemand}) {
    const ltp::TableContext tc(ndb::Node::open(*db, table_nid), reading);
    ASSERT_EQ(tc.row_count(), kRows);
    for (uint32_t r = 0; r < kRows; ++r) {
      const TcRow expected = make_test_row(layout, r);
      ASSERT_EQ(tc.row_id(r), expected.row_id) << r;
      const model::PropertyBag bag = tc.row(r);
      size_t cells = 0;
      for (size_t c = 0; c < layout.columns.size(); ++c) {
        const std::optional<Bytes> want = expected.cells[c];
        if (!want) continue;
        ++cells;
        const model::Property* got = bag.find(tag_id(layout.columns[c].tag));
        ASSERT_TRUE(got) << "row " << r << " column " << std::hex << layout.columns[c].tag;
        EXPECT_EQ(got->value, *want) << "row " << r << " column " << std::hex << layout.columns[c].tag;
      }
      EXPECT_EQ(bag.props.size(), cells) << r;
    }
  }
}

TEST_P(Tables, SmallAndEmptyTablesKeepTheirRowsInTheHeap) {
  const TcLayout layout = layout_columns(contents_columns());
  {
    FileWriter file(path_, GetParam());
    NidAllocator nids;
    StreamedTable empty(file, nids, contents_columns());
    empty.finish(make_nid(nid_type::CONTENTS_TABLE, 0x400));
    StreamedTable two(file, nids, contents_columns());
    two.add(make_test_row(layout, 1));
    two.add(make_test_row(layout, 2));
    two.finish(make_nid(nid_type::CONTENTS_TABLE, 0x401));
    finish(file);
  }
  auto db = ndb::Database::open(path_);
  EXPECT_EQ(ltp::TableContext(ndb::Node::open(*db, make_nid(nid_type::CONTENTS_TABLE, 0x400))).row_count(), 0u);
  const ltp::TableContext two(ndb::Node::open(*db, make_nid(nid_type::CONTENTS_TABLE, 0x401)));
  ASSERT_EQ(two.row_count(), 2u);
  EXPECT_EQ(two.row_id(1), make_test_row(layout, 2).row_id);
}

TEST_P(Tables, ARowThatDoesNotFitIsRefusedAndTheTableGoesOn) {
  const TcLayout layout = layout_columns(contents_columns());
  const Nid folder_nid = make_nid(nid_type::NORMAL_FOLDER, 0x401);
  {
    FileWriter file(path_, GetParam());
    NidAllocator nids;
    FolderState state;
    state.nid = folder_nid;
    TcRow wrong_count;
    wrong_count.row_id = 1;
    EXPECT_THROW(add_table_row(file, nids, state, false, wrong_count), std::invalid_argument);
    TcRow wrong_size = make_test_row(layout, 5);
    wrong_size.cells.set(layout.index_of(make_tag(props::PidTagMessageSize, props::type::Int32)), Bytes{1, 2});
    EXPECT_THROW(add_table_row(file, nids, state, false, wrong_size), std::invalid_argument);
    EXPECT_FALSE(state.contents_lost);
    for (uint32_t r = 0; r < 100; ++r) add_table_row(file, nids, state, false, make_test_row(layout, r));
    write_contents_tables(file, nids, state);
    EXPECT_TRUE(state.contents_table_written);
    EXPECT_TRUE(state.assoc_table_written);
    EXPECT_FALSE(state.contents);
    EXPECT_NO_THROW(write_contents_tables(file, nids, state));  // written once: nothing to do
    EXPECT_THROW(add_table_row(file, nids, state, false, make_test_row(layout, 200)), std::logic_error);
    finish(file);
  }
  auto db = ndb::Database::open(path_);
  const uint32_t index = nid_index_of(folder_nid);
  EXPECT_EQ(ltp::TableContext(ndb::Node::open(*db, make_nid(nid_type::CONTENTS_TABLE, index))).row_count(), 100u);
  EXPECT_EQ(ltp::TableContext(ndb::Node::open(*db, make_nid(nid_type::ASSOC_CONTENTS_TABLE, index))).row_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Layouts, Tables, ::testing::Values(Layout::Pst2003Unicode, Layout::Ost2013),
                         [](const auto& info) { return info.param == Layout::Ost2013 ? "Ost2013" : "Pst"; });

}  // namespace
}  // namespace ostfs::pstw
