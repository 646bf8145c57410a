// A folder's contents tables are written once, from rows the write consumes: a write that
// fails cannot be retried into a table without its messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "export/ltp/table_context.h"
#include "export/messaging/columns.h"
#include "export/messaging/folder.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"

namespace ostfs::pstw {
namespace {

class FolderTables : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("ostfs-folder-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".pst");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(FolderTables, AreWrittenOnceAndTheirRowsLetGo) {
  FileWriter file(path_);
  NidAllocator nids;
  FolderState state;
  state.nid = make_nid(nid_type::NORMAL_FOLDER, 0x400);
  const TcLayout layout = layout_columns(contents_columns());
  for (uint32_t i = 0; i < 1000; ++i) {
    TcRow row;
    row.row_id = make_nid(nid_type::NORMAL_MESSAGE, 0x400 + i);
    row.cells.resize(layout.columns.size());
    state.contents_rows.push_back(std::move(row));
  }
  write_contents_tables(file, nids, state);
  EXPECT_TRUE(state.contents_table_written);
  EXPECT_TRUE(state.assoc_table_written);
  EXPECT_TRUE(state.contents_rows.empty());
  EXPECT_EQ(state.contents_rows.capacity(), 0u);
  // A second call has nothing left to do.
  EXPECT_NO_THROW(write_contents_tables(file, nids, state));
}

TEST_F(FolderTables, AFailedWriteIsNotRetriedWithoutItsRows) {
  FileWriter file(path_);
  NidAllocator nids;
  FolderState state;
  state.nid = make_nid(nid_type::NORMAL_FOLDER, 0x401);
  TcRow broken;  // no cells: the encoder refuses it
  broken.row_id = make_nid(nid_type::NORMAL_MESSAGE, 0x500);
  state.contents_rows.push_back(std::move(broken));
  EXPECT_THROW(write_contents_tables(file, nids, state), std::invalid_argument);
  EXPECT_FALSE(state.contents_table_written);
  EXPECT_TRUE(state.contents_rows_lost);
  try {
    write_contents_tables(file, nids, state);
    ADD_FAILURE() << "a table whose rows are gone was written";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("lost its rows"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(state.contents_table_written);
}

}  // namespace
}  // namespace ostfs::pstw
