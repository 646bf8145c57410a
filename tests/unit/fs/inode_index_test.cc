// The mount's inode → node table (fs/inode_index.h): every node found by its number through
// growth, numbers taken refused, numbers never added not found.
#include "fs/inode_index.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>

namespace ostfs::fs {
namespace {

struct FakeNode {
  uint64_t ino = 0;
};

TEST(InodeIndex, FindsEveryNodeThroughGrowthAndRefusesTakenNumbers) {
  std::deque<FakeNode> nodes;
  PagedArena pages;
  InodeIndex<FakeNode> index(pages);
  EXPECT_EQ(index.find(1), nullptr);
  // Message NIDs (type 4 in the low bits), the fallback numbers above 2^40, and numbers that
  // agree in their low 20 bits.
  for (uint64_t i = 1; i <= 100'000; ++i) nodes.push_back({i << 5 | 4});
  for (uint64_t i = 1; i <= 5'000; ++i) nodes.push_back({(uint64_t{1} << 40) | (i * 7919)});
  for (uint64_t i = 1; i <= 5'000; ++i) nodes.push_back({i << 20 | 0x0A});
  for (FakeNode& n : nodes) ASSERT_TRUE(index.insert(&n)) << n.ino;
  EXPECT_EQ(index.size(), nodes.size());
  for (FakeNode& n : nodes) ASSERT_EQ(index.find(n.ino), &n) << n.ino;
  EXPECT_EQ(index.find(0), nullptr);
  EXPECT_EQ(index.find(uint64_t{100'001} << 5 | 4), nullptr);
  EXPECT_EQ(index.find(uint64_t{1} << 5 | 8), nullptr);
  FakeNode again{nodes[500].ino};
  EXPECT_FALSE(index.insert(&again));
  EXPECT_EQ(index.find(again.ino), &nodes[500]);
  EXPECT_EQ(index.size(), nodes.size());
  std::set<uint64_t> seen;
  index.for_each([&](FakeNode& n) { EXPECT_TRUE(seen.insert(n.ino).second) << n.ino; });
  EXPECT_EQ(seen.size(), nodes.size());
}

}  // namespace
}  // namespace ostfs::fs
