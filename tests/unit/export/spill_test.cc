// What keeps an export's memory flat as items grow: the BBT entries spilled to an unnamed
// temporary file and built into the B-tree a page at a time, and message NIDs kept as bits.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

#include "export/ndb/btree.h"
#include "export/ndb/bytes.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid_set.h"
#include "export/ndb/sorted_spill.h"
#include "parser/spill_file.h"
#include "memory_sink.h"
#include "parser/ndb/database.h"
#include "test_support.h"

namespace ostfs::pstw {
namespace {
namespace fs = std::filesystem;

class Spill : public testing::FreshDirTest {
 protected:
  std::set<std::string> names_in_dir() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.insert(e.path().filename().string());
    return names;
  }
};

TEST_F(Spill, FileInADirectoryReadsBackWhatWasAppendedAndLeavesNoName) {
  Bytes expected;
  {
    SpillFile spill = SpillFile::create_in(dir_);
    std::mt19937 random(7);
    // Pieces of up to 100 KB, 3.5 MB in all.
    while (expected.size() < 3'500'000) {
      Bytes piece(random() % 100'000 + 1);
      for (auto& b : piece) b = static_cast<uint8_t>(random());
      spill.append(piece);
      expected.insert(expected.end(), piece.begin(), piece.end());
      EXPECT_TRUE(names_in_dir().empty());
    }
    ASSERT_EQ(spill.size(), expected.size());
    for (uint64_t offset : {uint64_t{0}, uint64_t{1'048'570}, uint64_t{2'000'001}, uint64_t{expected.size() - 24}}) {
      Bytes out(24);
      EXPECT_EQ(spill.read(offset, out), 24u);
      EXPECT_EQ(out, Bytes(expected.begin() + static_cast<ptrdiff_t>(offset),
                           expected.begin() + static_cast<ptrdiff_t>(offset + 24)))
          << "at " << offset;
    }
    Bytes past(25);
    EXPECT_EQ(spill.read(expected.size() - 24, past), 24u);  // as far as the file goes
    // What is appended after a read is readable too.
    spill.append(Bytes{1, 2, 3});
    Bytes tail(3);
    EXPECT_EQ(spill.read(expected.size(), tail), 3u);
    EXPECT_EQ(tail, (Bytes{1, 2, 3}));
  }
  EXPECT_TRUE(names_in_dir().empty());
}

TEST_F(Spill, FileInADirectoryThatCannotBeWrittenIsAnErrorNamingIt) {
  try {
    SpillFile spill = SpillFile::create_in(dir_ / "missing");
    FAIL() << "no error";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "missing").string()), std::string::npos) << e.what();
  }
}

// 12-byte records: an 8-byte key (few distinct values, so ties) and the order they came in.
Bytes record_of(uint64_t key, uint32_t serial) {
  Bytes r;
  append_u64(r, key);
  append_u32(r, serial);
  return r;
}

TEST_F(Spill, SortedSpillGivesEveryRecordInKeyOrderTiesAsAdded) {
  for (size_t run : {size_t{100}, size_t{7}, size_t{100'000}}) {  // many runs, a run a few records, one run
    SortedSpill spill(SpillFile::create_in(dir_), 12, run);
    std::mt19937_64 random(run);
    std::vector<Bytes> expected;
    for (uint32_t i = 0; i < 10'000; ++i) {
      expected.push_back(record_of(random() % 3000 * 0x100000001ull, i));
      spill.add(expected.back());
    }
    EXPECT_THROW(spill.add(Bytes(11)), std::invalid_argument);
    std::stable_sort(expected.begin(), expected.end(),
                     [](const Bytes& a, const Bytes& b) { return load_u64(a.data()) < load_u64(b.data()); });
    ASSERT_EQ(spill.count(), expected.size());
    std::vector<Bytes> got;
    for (size_t n : {size_t{1}, size_t{0}, size_t{512}, size_t{513}, size_t{8974}}) {
      Bytes out(n * 12);
      spill.read_next(n, out.data());
      for (size_t k = 0; k < n; ++k) got.emplace_back(out.begin() + k * 12, out.begin() + (k + 1) * 12);
    }
    EXPECT_EQ(got, expected) << "runs of " << run;
    Bytes one(12);
    EXPECT_THROW(spill.read_next(1, one.data()), std::out_of_range);
    EXPECT_THROW(spill.add(record_of(1, 1)), std::logic_error);
  }
  EXPECT_TRUE(names_in_dir().empty());
}

// Three levels in the PST layout (20 entries a leaf, 20 an intermediate page), two in the
// OST one: the pages from records read a page at a time are those from the entry list.
TEST(SpilledBbt, RecordsBuildTheSamePagesAsTheEntryList) {
  for (Layout which : {Layout::Pst2003Unicode, Layout::Ost2013}) {
    const NdbLayout& layout = ndb_layout(which);
    std::vector<BbtEntry> entries;
    Bytes records;
    for (uint64_t i = 0; i < 20 * 20 + 7; ++i) {
      entries.push_back({4 + 4 * i + (i % 3 == 0 ? 2 : 0), 0x4400 + 64 * i, static_cast<uint16_t>(i % 900 + 1), 2,
                         static_cast<uint16_t>(i % 900 + 40)});
      records.resize(records.size() + 24);
      encode_bbt_entry(layout, entries.back(), records.data() + records.size() - 24);
    }
    MemorySink from_entries(layout);
    MemorySink from_records(layout);
    const Bref a = build_bbt(layout, entries, from_entries);
    size_t reads = 0;
    const Bref b = build_bbt(layout, entries.size(), [&](size_t first, size_t count, uint8_t* out) {
      ++reads;
      std::copy_n(records.data() + first * 24, count * 24, out);
    }, from_records);
    EXPECT_EQ(a.bid, b.bid);
    EXPECT_EQ(a.ib, b.ib);
    EXPECT_EQ(from_entries.pages, from_records.pages);
    EXPECT_EQ(reads, (entries.size() + (layout.bt_entries_size() / 24) - 1) / (layout.bt_entries_size() / 24));
    EXPECT_GE(from_records.pages.size(), which == Layout::Ost2013 ? 4u : 24u);
  }
}

TEST(SpilledBbt, RecordsOutOfOrderAreRefusedAcrossPages) {
  const NdbLayout& layout = ndb_layout(Layout::Pst2003Unicode);
  std::vector<BbtEntry> entries;
  for (uint64_t i = 0; i < 45; ++i) entries.push_back({8 + 4 * i, 0x4400 + 64 * i, 10, 2, 0});
  entries[20].bid = entries[19].bid;  // the first entry of the second leaf repeats the last of the first
  MemorySink sink(layout);
  EXPECT_THROW(build_bbt(layout, entries, sink), std::invalid_argument);
  entries[20].bid = entries[19].bid + 1;
  MemorySink again(layout);
  EXPECT_NO_THROW(build_bbt(layout, entries, again));
}

// Enough blocks for a BBT of four levels (and more than a megabyte of entries gathered before
// they go to their file), more nodes than one sorted run holds (added in shuffled order),
// every one found by the native reader, and nothing left beside the output.
TEST_F(Spill, EveryBlockAndNodeOfALargeFileIsInItsBTrees) {
  const fs::path path = dir_ / "many.pst";
  std::vector<uint64_t> bids;
  std::vector<Nid> nids;
  for (uint32_t i = 0; i < 140'000; ++i) nids.push_back(make_nid(nid_type::NORMAL_MESSAGE, 0x400 + i));
  std::shuffle(nids.begin(), nids.end(), std::mt19937(3));
  {
    FileWriter w(path);
    for (uint32_t i = 0; i < 50'000; ++i) {
      const Bytes data = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), 0x55};
      bids.push_back(w.write_block(data, false).bid);
    }
    for (size_t i = 0; i < nids.size(); ++i) w.add_node({nids[i], bids[i % bids.size()], 0, NID_ROOT_FOLDER});
    std::array<uint32_t, 32> rgnid;
    rgnid.fill(0x400 + 140'000);
    w.finish(rgnid);
  }
  EXPECT_EQ(names_in_dir(), std::set<std::string>{"many.pst"});
  auto db = ndb::Database::open(path);
  size_t blocks = 0;
  db->for_each_block([&](const ndb::BbtEntry&) { ++blocks; });
  EXPECT_EQ(blocks, bids.size());
  for (size_t i : {size_t{0}, size_t{399}, size_t{400}, size_t{7999}, size_t{49'999}}) {
    const Bytes data = db->read_block(bids[i]);
    EXPECT_EQ(data, (Bytes{static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), 0x55})) << "block " << i;
  }
  size_t nodes = 0;
  uint32_t previous = 0;
  db->for_each_node([&](const ndb::NbtEntry& e) {
    EXPECT_GT(e.nid, previous);
    previous = e.nid;
    ++nodes;
  });
  EXPECT_EQ(nodes, nids.size());
  for (size_t i : {size_t{0}, size_t{131'071}, size_t{131'072}, size_t{139'999}}) {
    const std::optional<ndb::NbtEntry> e = db->find_node(nids[i]);
    ASSERT_TRUE(e) << "node " << nids[i];
    EXPECT_EQ(e->bidData, bids[i % bids.size()]);
  }
}

TEST(NidSet, MessagesOfBothKindsAndOtherNidsAreKeptApart) {
  NidSet set;
  const Nid normal = make_nid(nid_type::NORMAL_MESSAGE, 0x10000);
  const Nid assoc = make_nid(nid_type::ASSOC_MESSAGE, 0x10000);
  const Nid folder = make_nid(nid_type::NORMAL_FOLDER, 0x10000);
  EXPECT_FALSE(set.contains(normal));
  EXPECT_TRUE(set.insert(normal));
  EXPECT_FALSE(set.insert(normal));
  EXPECT_TRUE(set.contains(normal));
  EXPECT_FALSE(set.contains(assoc));
  EXPECT_FALSE(set.contains(folder));
  EXPECT_TRUE(set.insert(assoc));
  EXPECT_TRUE(set.insert(folder));
  EXPECT_TRUE(set.contains(folder));
  set.erase(normal);
  EXPECT_FALSE(set.contains(normal));
  EXPECT_TRUE(set.contains(assoc));
  set.erase(folder);
  EXPECT_FALSE(set.contains(folder));
  // The largest index and its neighbours.
  const Nid last = make_nid(nid_type::ASSOC_MESSAGE, (1u << 27) - 1);
  EXPECT_TRUE(set.insert(last));
  EXPECT_TRUE(set.contains(last));
  EXPECT_FALSE(set.contains(make_nid(nid_type::NORMAL_MESSAGE, (1u << 27) - 1)));
  EXPECT_FALSE(set.contains(make_nid(nid_type::ASSOC_MESSAGE, (1u << 27) - 2)));
  set.erase(make_nid(nid_type::NORMAL_MESSAGE, 0x7FFFFFF));  // absent: nothing changes
  EXPECT_TRUE(set.contains(last));
}

}  // namespace
}  // namespace ostfs::pstw
