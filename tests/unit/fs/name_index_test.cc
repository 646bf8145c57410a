#include "fs/name_index.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "fs/arena_vector.h"
#include "fs/paged_arena.h"

namespace ostfs::fs {
namespace {

// Names the way a directory keeps them: position i has names[i].
struct Listing {
  PagedArena pages;
  NameIndex index{pages};
  std::vector<std::string> names;
  auto name_at() {
    return [this](uint32_t position) -> std::string_view { return names.at(position); };
  }
  void add(std::string name) {
    names.push_back(std::move(name));
    index.add(names.back(), static_cast<uint32_t>(names.size() - 1), name_at());
  }
  std::optional<uint32_t> find(std::string_view name) { return index.find(name, name_at()); }
};

TEST(NameIndex, FindsEveryNameAddedAndNoOther) {
  Listing dir;
  EXPECT_EQ(dir.find("anything"), std::nullopt);  // empty: nothing allocated yet
  // Grown from empty many times over (no reserve), with names that differ in one byte.
  for (int i = 0; i < 50000; ++i) dir.add("2024-03-05 14.32 Re- Budget " + std::to_string(i) + ".eml");
  EXPECT_EQ(dir.index.size(), 50000u);
  for (uint32_t i = 0; i < 50000; ++i) ASSERT_EQ(dir.find(dir.names[i]), i) << dir.names[i];
  EXPECT_EQ(dir.find("2024-03-05 14.32 Re- Budget 50000.eml"), std::nullopt);
  EXPECT_EQ(dir.find("2024-03-05 14.32 Re- Budget 1.em"), std::nullopt);
  EXPECT_EQ(dir.find(""), std::nullopt);
}

TEST(NameIndex, ReservedIndexGivesTheSameAnswers) {
  Listing reserved;
  Listing grown;
  reserved.index.reserve(3000, reserved.name_at());
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    std::string name(1 + random() % 40, 'a');
    for (char& c : name) c = static_cast<char>('a' + random() % 3);  // many near-equal names
    name += "#" + std::to_string(i);
    reserved.add(name);
    grown.add(name);
  }
  for (uint32_t i = 0; i < 3000; ++i) {
    ASSERT_EQ(reserved.find(reserved.names[i]), i);
    ASSERT_EQ(grown.find(grown.names[i]), i);
  }
}

TEST(NameIndex, AnswersTheSameOnceFinishedInTheArena) {
  Listing dir;
  for (int i = 0; i < 20000; ++i) dir.add("name " + std::to_string(i));
  dir.index.finish();
  dir.pages.release_resident();
  for (uint32_t i = 0; i < 20000; i += 7) ASSERT_EQ(dir.find(dir.names[i]), i);
  EXPECT_EQ(dir.find("name 20000"), std::nullopt);
  // More names after it was finished (a recovered item's folder gets another).
  for (int i = 20000; i < 30000; ++i) dir.add("name " + std::to_string(i));
  dir.index.finish();
  dir.index.finish();  // twice is once
  for (uint32_t i = 0; i < 30000; i += 3) ASSERT_EQ(dir.find(dir.names[i]), i);
  EXPECT_EQ(dir.index.size(), 30000u);
}

TEST(ArenaVector, KeepsItsItemsInOrderAcrossGrowthAndReleases) {
  PagedArena pages;
  ArenaVector<uint64_t> items(pages);
  EXPECT_TRUE(items.empty());
  EXPECT_TRUE(items.span().empty());
  for (uint64_t i = 0; i < 300000; ++i) {
    items.push_back(i * 3 + 1);
    if (i % 100000 == 0) pages.release_resident();
  }
  ASSERT_EQ(items.size(), 300000u);
  const std::span<const uint64_t> all = items.span();
  for (uint64_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i * 3 + 1);

  ArenaVector<uint32_t> exact(pages);
  exact.reserve(1000);
  const uint32_t* where = nullptr;
  for (uint32_t i = 0; i < 1000; ++i) {
    exact.push_back(i);
    if (i == 0) where = exact.span().data();
  }
  EXPECT_EQ(exact.span().data(), where) << "a reserved vector does not move";
  exact.reserve(10);  // never shrinks
  EXPECT_EQ(exact.size(), 1000u);
  EXPECT_EQ(exact[999], 999u);
}

}  // namespace
}  // namespace ostfs::fs
