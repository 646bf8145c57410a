// The persistent size index must give back exactly what was saved, and nothing at all for
// a file that is damaged, cut short, or made for another source, view or build.
#include "fs/size_index.h"

#include <gtest/gtest.h>

#include <map>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace ostfs::fs {
namespace {

namespace sfs = std::filesystem;

class SizeIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (sfs::temp_directory_path() / "ostfs-size-index-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    index_ = dir_ / "cache" / "ostfs" / "x.sizes";
  }
  void TearDown() override { sfs::remove_all(dir_); }

  std::string read_all(const sfs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  void write_all(const sfs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  sfs::path dir_;
  sfs::path index_;
};

const std::vector<std::pair<uint64_t, uint64_t>> kSizes = {{1234, 5678}, {7, 0}, {uint64_t{1} << 40 | 3, 99}};

TEST_F(SizeIndexTest, GivesBackWhatWasSavedUnderTheSameKey) {
  save_size_index(index_, "key-1", kSizes);
  const auto loaded = load_size_index(index_, "key-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->size(), kSizes.size());
  for (const auto& [ino, size] : kSizes) EXPECT_EQ(loaded->find(ino), size) << ino;
  EXPECT_FALSE(loaded->find(8));
  EXPECT_FALSE(loaded->find(0));
}

TEST_F(SizeIndexTest, AMillionFilesAreWrittenInPiecesAndReadBackWhole) {
  // 16 MB of entries: written a megabyte at a time, its checksum carried across the pieces.
  std::vector<std::pair<uint64_t, uint64_t>> many;
  for (uint64_t i = 1'000'000; i > 0; --i) many.emplace_back(i * 37, i % 1000 * 4099);
  save_size_index(index_, "big", many);
  EXPECT_GT(std::filesystem::file_size(index_), 16'000'000u);
  const auto loaded = load_size_index(index_, "big");
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), many.size());
  for (size_t i = 0; i < many.size(); i += 997) EXPECT_EQ(loaded->find(many[i].first), many[i].second);
  EXPECT_FALSE(loaded->find(38));
}

TEST_F(SizeIndexTest, RunsAreMergedAsTheyAreWrittenAndAnArenaCanHoldWhatIsRead) {
  // Three sorted runs that interleave, as a mount's new sizes and its preloaded ones do.
  std::vector<SizeMap::Entry> a, b, c;
  std::map<uint64_t, uint64_t> all;
  for (uint64_t i = 1; i <= 200'000; ++i) {
    auto& run = i % 7 == 0 ? a : i % 3 == 0 ? b : c;
    run.emplace_back(i * 11, i % 5000);
    all[i * 11] = i % 5000;
  }
  size_t progress = 0;
  save_size_index(index_, "runs", {a, b, c}, [&] { ++progress; });
  EXPECT_EQ(progress, 200'000u / 65536);
  PagedArena pages;
  const auto loaded = load_size_index(index_, "runs", &pages);
  ASSERT_TRUE(loaded);
  EXPECT_GE(pages.bytes_allocated(), 200'000u * 16);
  ASSERT_EQ(loaded->size(), all.size());
  auto it = all.begin();
  for (const auto& [ino, size] : *loaded) {
    ASSERT_EQ(ino, it->first);
    ASSERT_EQ(size, it->second);
    ++it;
  }
  // The same file read into the map's own memory agrees.
  const auto owned = load_size_index(index_, "runs");
  ASSERT_TRUE(owned);
  EXPECT_TRUE(std::equal(owned->begin(), owned->end(), loaded->begin(), loaded->end()));
}

TEST_F(SizeIndexTest, RunsThatShareAnInodeAreRefusedAndLeaveTheIndexAsItWas) {
  save_size_index(index_, "key", kSizes);
  const std::string before = read_all(index_);
  const std::vector<SizeMap::Entry> a = {{5, 1}, {9, 2}}, b = {{7, 3}, {9, 4}};
  EXPECT_THROW(save_size_index(index_, "key", {a, b}), std::logic_error);
  const std::vector<SizeMap::Entry> unsorted = {{9, 1}, {5, 2}};
  const std::vector<std::span<const SizeMap::Entry>> one_run = {unsorted};
  EXPECT_THROW(save_size_index(index_, "key", one_run), std::logic_error);
  EXPECT_EQ(read_all(index_), before);
  for (const auto& entry : sfs::directory_iterator(index_.parent_path()))
    EXPECT_EQ(entry.path(), index_) << "a temporary file was left behind";
}

TEST(SizeMap, FindsEachInodeAndKeepsOneOfDuplicates) {
  const SizeMap sizes({{9, 1}, {3, 2}, {9, 5}, {4, 0}});
  EXPECT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes.find(9), 1u);
  EXPECT_EQ(sizes.find(3), 2u);
  EXPECT_EQ(sizes.find(4), 0u);
  EXPECT_FALSE(sizes.find(5));
  EXPECT_TRUE(sizes.contains(4));
  EXPECT_FALSE(SizeMap().contains(4));
}

TEST_F(SizeIndexTest, DuplicateInodesAreStoredOnce) {
  save_size_index(index_, "k", {{5, 10}, {5, 10}, {3, 1}});
  const auto loaded = load_size_index(index_, "k");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->size(), 2u);
}

TEST_F(SizeIndexTest, AnotherKeyGivesNothing) {
  save_size_index(index_, "key-1", kSizes);
  EXPECT_FALSE(load_size_index(index_, "key-2"));
  EXPECT_FALSE(load_size_index(index_, "key-"));
  EXPECT_FALSE(load_size_index(index_, ""));
}

TEST_F(SizeIndexTest, MissingFileGivesNothing) { EXPECT_FALSE(load_size_index(dir_ / "none.sizes", "k")); }

TEST_F(SizeIndexTest, EveryChangedByteIsNoticed) {
  save_size_index(index_, "key", kSizes);
  const std::string good = read_all(index_);
  ASSERT_TRUE(load_size_index(index_, "key"));
  for (size_t i = 0; i < good.size(); ++i) {
    for (unsigned char flip : {0x01, 0x80, 0xFF}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      write_all(index_, bad);
      EXPECT_FALSE(load_size_index(index_, "key")) << "byte " << i << " xor " << int(flip);
    }
  }
}

TEST_F(SizeIndexTest, EveryTruncationAndExtensionIsNoticed) {
  save_size_index(index_, "key", kSizes);
  const std::string good = read_all(index_);
  for (size_t n = 0; n < good.size(); ++n) {
    write_all(index_, good.substr(0, n));
    EXPECT_FALSE(load_size_index(index_, "key")) << "cut to " << n;
  }
  write_all(index_, good + std::string(1, '\0'));
  EXPECT_FALSE(load_size_index(index_, "key"));
}

TEST_F(SizeIndexTest, KeyFollowsTheSourceAndTheView) {
  const sfs::path source = dir_ / "mail.pst";
  write_all(source, "abc");
  const auto first = size_index_key(source, "vcard=3");
  ASSERT_TRUE(first);
  EXPECT_EQ(size_index_key(source, "vcard=3"), first);
  EXPECT_NE(size_index_key(source, "vcard=4"), first);
  EXPECT_NE(first->find(sfs::absolute(source).string()), std::string::npos);

  // Same size, another modification time: another key.
  sfs::last_write_time(source, sfs::last_write_time(source) - std::chrono::hours(1));
  const auto touched = size_index_key(source, "vcard=3");
  EXPECT_NE(touched, first);
  // Another size: another key.
  write_all(source, "abcd");
  EXPECT_NE(size_index_key(source, "vcard=3"), touched);
  EXPECT_FALSE(size_index_key(dir_ / "missing.pst", "vcard=3"));
}

TEST_F(SizeIndexTest, KeyNamesTheBuild) {
  const std::string ids = loaded_build_ids();
  ASSERT_FALSE(ids.empty());
  const sfs::path source = dir_ / "mail.pst";
  write_all(source, "abc");
  EXPECT_NE(size_index_key(source, "")->find(ids), std::string::npos);
}

TEST_F(SizeIndexTest, PruningRemovesOnlyIndexesOfSourcesThatAreGone) {
  const sfs::path cache = dir_ / "cache" / "ostfs";
  const sfs::path kept_source = dir_ / "kept.pst";
  const sfs::path gone_source = dir_ / "gone\nwith a line break.pst";
  write_all(kept_source, "kept");
  write_all(gone_source, "gone");
  const sfs::path kept = cache / "kept.sizes";
  const sfs::path gone = cache / "gone.sizes";
  save_size_index(kept, *size_index_key(kept_source, "v"), {{5, 10}});
  save_size_index(gone, *size_index_key(gone_source, "v"), {{5, 10}});
  write_all(cache / "notes.txt", "not an index");
  write_all(cache / "damaged.sizes", "OSTFSIDX and then nothing");
  EXPECT_EQ(prune_size_indexes(cache), 0u) << "both sources still exist";
  EXPECT_TRUE(sfs::exists(gone));
  sfs::remove(gone_source);
  EXPECT_EQ(prune_size_indexes(cache), 1u);
  EXPECT_FALSE(sfs::exists(gone));
  EXPECT_TRUE(load_size_index(kept, *size_index_key(kept_source, "v")));
  EXPECT_TRUE(sfs::exists(cache / "notes.txt"));
  EXPECT_TRUE(sfs::exists(cache / "damaged.sizes")) << "a file whose source cannot be told stays";
  EXPECT_EQ(prune_size_indexes(dir_ / "no such directory"), 0u);
}

TEST_F(SizeIndexTest, LivesInTheCacheDirectory) {
  const char* old_xdg = std::getenv("XDG_CACHE_HOME");
  const std::string saved = old_xdg ? old_xdg : "";
  const std::string saved_home = std::getenv("HOME") ? std::getenv("HOME") : "";
  ::setenv("XDG_CACHE_HOME", (dir_ / "xdg").c_str(), 1);
  const auto a = size_index_path("/some/mail.pst");
  const auto b = size_index_path("/some/other.pst");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->parent_path(), dir_ / "xdg" / "ostfs");
  EXPECT_NE(*a, *b);
  // A relative XDG_CACHE_HOME is invalid by the XDG spec: HOME's .cache is used.
  ::setenv("XDG_CACHE_HOME", "relative", 1);
  ::setenv("HOME", dir_.c_str(), 1);
  EXPECT_EQ(size_index_path("/some/mail.pst")->parent_path(), dir_ / ".cache" / "ostfs");
  ::setenv("HOME", saved_home.c_str(), 1);
  if (old_xdg) ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  else ::unsetenv("XDG_CACHE_HOME");
}

}  // namespace
}  // namespace ostfs::fs
