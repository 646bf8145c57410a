// The mount's paged arena (fs/paged_arena.h): what is allocated keeps its bytes through
// releases, and a release really takes the pages out of the process's resident memory.
#include "fs/paged_arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <span>
#include <string>
#include <vector>

namespace ostfs::fs {
namespace {

// Resident kilobytes of the whole process (/proc/self/smaps_rollup, "Rss:").
size_t resident_kb() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string key;
  size_t kb = 0;
  while (in >> key) {
    if (key == "Rss:") {
      in >> kb;
      return kb;
    }
    in.ignore(1 << 20, '\n');
  }
  ADD_FAILURE() << "no Rss in /proc/self/smaps_rollup";
  return 0;
}

uint8_t pattern(size_t block, size_t i) { return static_cast<uint8_t>(block * 131 + i * 7 + 1); }

TEST(PagedArena, AllocationsAreAlignedZeroedApartAndKeepTheirBytesThroughReleases) {
  PagedArena pages;
  ASSERT_TRUE(pages.file_backed()) << "no temporary file in $TMPDIR, /var/tmp or /tmp";
  struct Block {
    uint8_t* at;
    size_t size;
  };
  std::vector<Block> blocks;
  // Small and odd sizes with every alignment, and now and then one larger than a chunk.
  for (size_t i = 0; i < 20'000; ++i) {
    const size_t size = i % 4999 == 0 ? (size_t{3} << 20) + i : 1 + i % 301;
    const size_t alignment = size_t{1} << (i % 7);
    auto* at = static_cast<uint8_t*>(pages.allocate(size, alignment));
    ASSERT_EQ(reinterpret_cast<uintptr_t>(at) % alignment, 0u);
    for (size_t k = 0; k < size; ++k) ASSERT_EQ(at[k], 0) << "block " << i << " byte " << k;
    for (size_t k = 0; k < size; ++k) at[k] = pattern(i, k);
    blocks.push_back({at, size});
    if (i % 6000 == 5999) pages.release_resident();
  }
  pages.release_resident();
  for (size_t i = 0; i < blocks.size(); ++i)
    for (size_t k = 0; k < blocks[i].size; ++k) ASSERT_EQ(blocks[i].at[k], pattern(i, k)) << "block " << i << " byte " << k;
  EXPECT_GT(pages.bytes_allocated(), size_t{15} << 20);
  EXPECT_EQ(pages.bytes_since_release(), 0u);
}

TEST(PagedArena, ReleaseTakesThePagesOutOfResidentMemory) {
  PagedArena pages;
  ASSERT_TRUE(pages.file_backed());
  constexpr size_t kBytes = size_t{96} << 20;
  const size_t before = resident_kb();
  std::vector<uint8_t*> pieces;
  for (size_t done = 0; done < kBytes; done += 4096) {
    auto* at = static_cast<uint8_t*>(pages.allocate(4096, 8));
    std::memset(at, static_cast<int>(done / 4096 % 251 + 1), 4096);
    pieces.push_back(at);
  }
  const size_t filled = resident_kb();
  EXPECT_GT(filled, before + kBytes / 1024 * 9 / 10) << "the arena's pages were not resident while written";
  pages.release_resident();
  const size_t released = resident_kb();
  EXPECT_LT(released, before + kBytes / 1024 / 10) << "resident after release: " << released << " kB, before: " << before;
  // Touching a page in every 160 brings back about a tenth: a read fault maps the 16 pages
  // around it (the kernel's fault-around).
  for (size_t i = 0; i < pieces.size(); i += 160) ASSERT_EQ(pieces[i][100], i % 251 + 1) << i;
  const size_t touched = resident_kb();
  EXPECT_LT(touched, before + kBytes / 1024 / 4);
  for (size_t i = 0; i < pieces.size(); ++i) ASSERT_EQ(pieces[i][4095], i % 251 + 1) << i;
}

TEST(PagedArena, AZeroedArrayIsNotResidentUntilUsed) {
  struct Slot {
    uint64_t key = 0;
    void* value = nullptr;
  };
  PagedArena pages;
  ASSERT_TRUE(pages.file_backed());
  const size_t before = resident_kb();
  const std::span<Slot> slots = pages.make_zeroed_array<Slot>(size_t{4} << 20);  // 64 MB
  EXPECT_LT(resident_kb(), before + 8 * 1024);
  for (size_t i = 0; i < slots.size(); i += 4099) {
    ASSERT_EQ(slots[i].key, 0u);
    ASSERT_EQ(slots[i].value, nullptr);
    slots[i].key = i;
  }
  for (size_t i = 0; i < slots.size(); i += 4099) ASSERT_EQ(slots[i].key, i);
}

TEST(PagedArena, DiscardedPagesLeaveTheProcess) {
  PagedArena pages;
  constexpr size_t kBytes = size_t{40} << 20;
  const size_t before = resident_kb();
  auto* big = static_cast<uint8_t*>(pages.allocate(kBytes, 8));
  std::memset(big, 0x5A, kBytes);
  auto* after = static_cast<uint8_t*>(pages.allocate(100, 8));
  std::memset(after, 0x33, 100);
  EXPECT_GT(resident_kb(), before + kBytes / 1024 * 9 / 10);
  pages.discard(big, kBytes);
  EXPECT_LT(resident_kb(), before + kBytes / 1024 / 10);
  EXPECT_EQ(after[99], 0x33);
}

TEST(PagedArena, WithoutADirectoryForItsFileItStillWorksFromAnonymousMemory) {
  PagedArena pages({"/nonexistent/ostfs-test", "/proc/self"});
  EXPECT_FALSE(pages.file_backed());
  std::vector<char*> names;
  for (int i = 0; i < 100'000; ++i) {
    const std::string name = "item " + std::to_string(i);
    char* at = static_cast<char*>(pages.allocate(name.size() + 1, 1));
    std::memcpy(at, name.c_str(), name.size() + 1);
    names.push_back(at);
  }
  pages.release_resident();  // anonymous memory is kept: it has nowhere else to be
  for (int i = 0; i < 100'000; ++i) ASSERT_EQ(std::string(names[static_cast<size_t>(i)]), "item " + std::to_string(i));
  EXPECT_THROW(pages.allocate(8, 3), std::bad_alloc);
}

}  // namespace
}  // namespace ostfs::fs
