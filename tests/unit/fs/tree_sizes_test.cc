// File sizes in the tree: what stat says is what a read returns, sizes a mount worked out
// are offered for the size index, and sizes given by an index are used without reading.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "parser/spill_file.h"
#include "fs/tree.h"
#include "parser/reader.h"

namespace ostfs::fs {
namespace {

// A fresh directory for a size index, removed at the end.
class IndexDirectory {
 public:
  IndexDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ostfs-tree-sizes-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~IndexDirectory() { std::filesystem::remove_all(path_); }
  std::filesystem::path file() const { return path_ / "x.sizes"; }

 private:
  std::filesystem::path path_;
};

// Every file node of the tree, listing every directory on the way (the reports excepted).
std::vector<Node*> all_files(Tree& tree) {
  std::vector<Node*> files;
  std::vector<Ino> stack = {kRootIno};
  while (!stack.empty()) {
    Node* dir = tree.find(stack.back());
    stack.pop_back();
    if (!dir || dir->ino == kReportsDirIno) continue;
    for (Node* child : tree.children(*dir)) {
      if (child->kind == NodeKind::Directory) stack.push_back(child->ino);
      else if (child->kind == NodeKind::File) files.push_back(child);
    }
  }
  return files;
}

TEST(TreeSizes, StatSizeIsTheReadSizeAndIsOfferedForTheIndex) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  const std::vector<Node*> files = all_files(tree);
  ASSERT_GT(files.size(), 5u);
  std::map<Ino, uint64_t> stat_sizes;
  for (Node* file : files) {
    const auto size = static_cast<uint64_t>(tree.attributes(*file).st_size);
    EXPECT_EQ(size, tree.content(*file)->size()) << file->name();
    stat_sizes[file->ino] = size;
  }
  const IndexDirectory dir;
  ASSERT_TRUE(tree.save_sizes(dir.file(), "key"));
  const auto saved = load_size_index(dir.file(), "key");
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->size(), files.size());
  for (const auto& [ino, size] : *saved) EXPECT_EQ(stat_sizes.at(ino), size) << ino;
  // A second mount reads them into its arena and saves them again with nothing new: no write.
  Tree again(*store, {});
  ASSERT_TRUE(again.preload_sizes_from(dir.file(), "key"));
  EXPECT_FALSE(again.preload_sizes_from(dir.file(), "other key"));
  for (Node* file : all_files(again))
    EXPECT_EQ(static_cast<uint64_t>(again.attributes(*file).st_size), stat_sizes.at(file->ino)) << file->name();
  std::filesystem::remove(dir.file());
  EXPECT_FALSE(again.save_sizes(dir.file(), "key"));
  EXPECT_FALSE(std::filesystem::exists(dir.file()));
}

TEST(ContentCache, ChargesTheMemoryAStringHoldsNotItsLength) {
  // Short files in strings with room for 1 MiB: a 4 MiB cache keeps three, not thousands.
  ContentCache cache(4 << 20);
  for (Ino ino = 1; ino <= 100; ++ino) {
    std::string bytes = "x";
    bytes.reserve(1 << 20);
    cache.put(ino, std::make_shared<const std::string>(std::move(bytes)));
  }
  size_t kept = 0;
  for (Ino ino = 1; ino <= 100; ++ino) kept += cache.get(ino) != nullptr;
  EXPECT_GE(kept, 1u);
  EXPECT_LE(kept, 4u);
  EXPECT_TRUE(cache.get(100));  // the newest stays
}

TEST(TreeSizes, RenderedFilesHoldLittleMoreMemoryThanTheirBytes) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  size_t checked = 0;
  for (Node* file : all_files(tree)) {
    const auto bytes = tree.content(*file);
    EXPECT_LE(bytes->capacity(), bytes->size() + bytes->size() / 8 + 4096) << file->name();
    ++checked;
  }
  EXPECT_GT(checked, 5u);
}

TEST(TreeLookup, FindsEveryChildByItsNameAndNothingElse) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  size_t found = 0;
  std::vector<Ino> stack = {kRootIno};
  while (!stack.empty()) {
    Node* dir = tree.find(stack.back());
    stack.pop_back();
    for (Node* child : tree.children(*dir)) {
      ASSERT_EQ(tree.lookup(*dir, std::string(child->name())), child) << child->name();
      EXPECT_EQ(tree.find(child->ino), child) << child->name();  // what the kernel asks by
      EXPECT_EQ(child->name_chars[child->name_size], '\0');  // a C string for libfuse
      ++found;
      if (child->kind == NodeKind::Directory) stack.push_back(child->ino);
      EXPECT_EQ(tree.lookup(*dir, std::string(child->name()) + "x"), nullptr);
    }
    EXPECT_EQ(tree.lookup(*dir, ""), nullptr);
    EXPECT_EQ(tree.lookup(*dir, "zzzz not there"), nullptr);
  }
  EXPECT_GT(found, 20u);
}

TEST(TreeSizes, TheManifestsStatSizeIsWhatItsReadGives) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  Node* reports = tree.lookup(*tree.find(kRootIno), kReportsDirName);
  ASSERT_TRUE(reports);
  Node* manifest = tree.lookup(*reports, "manifest.tsv");
  ASSERT_TRUE(manifest);
  // Stat first (it makes the manifest), then read, then stat again (from the size kept).
  const auto first_stat = static_cast<uint64_t>(tree.attributes(*manifest).st_size);
  const std::string bytes = *tree.content(*manifest);
  EXPECT_EQ(first_stat, bytes.size());
  EXPECT_EQ(static_cast<uint64_t>(tree.attributes(*manifest).st_size), bytes.size());
  EXPECT_EQ(*tree.content(*manifest), bytes);  // made again: the same bytes
  EXPECT_GT(std::count(bytes.begin(), bytes.end(), '\n'), 10);
  // Read by offset, as the mount serves it, in pieces that do not divide it.
  std::string pieces;
  std::vector<char> piece(1000);
  for (uint64_t offset = 0;;) {
    const size_t n = tree.read_manifest(offset, piece);
    if (n == 0) break;
    pieces.append(piece.data(), n);
    offset += n;
  }
  EXPECT_EQ(pieces, bytes);
  EXPECT_EQ(tree.read_manifest(bytes.size() + 5, piece), 0u);
}

TEST(SpillFile, ReadsBackWhatWasAppendedAtAnyOffset) {
  for (const char* tmpdir : {"/tmp", "/nonexistent-directory"}) {  // the second: in memory
    setenv("TMPDIR", tmpdir, 1);
    SpillFile file = SpillFile::create();
    std::string all;
    for (int i = 0; i < 300; ++i) {
      const std::string chunk = "line " + std::to_string(i) + std::string(static_cast<size_t>(i % 50), 'x') + "\n";
      file.append(chunk);
      all += chunk;
    }
    ASSERT_EQ(file.size(), all.size()) << tmpdir;
    std::vector<char> out(all.size() + 10);
    for (uint64_t offset : {uint64_t{0}, uint64_t{1}, uint64_t{4095}, uint64_t{all.size() - 1}}) {
      const size_t n = file.read(offset, out);
      ASSERT_EQ(std::string(out.data(), n), all.substr(offset)) << tmpdir << " " << offset;
    }
    EXPECT_EQ(file.read(all.size(), out), 0u);
    SpillFile moved = std::move(file);
    EXPECT_EQ(moved.size(), all.size());
  }
  unsetenv("TMPDIR");
}

TEST(TreeSizes, PreloadedSizesAreUsedWithoutReading) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  std::map<Ino, uint64_t> sizes;
  {
    Tree first(*store, {});
    for (Node* file : all_files(first)) sizes[file->ino] = static_cast<uint64_t>(first.attributes(*file).st_size);
  }
  // Sizes no render gives, so that only the index can be their source.
  std::map<Ino, uint64_t> marked;
  for (const auto& [ino, size] : sizes) marked[ino] = size + 1000003;
  Tree tree(*store, {});
  tree.preload_sizes(SizeMap({marked.begin(), marked.end()}));
  size_t mail = 0;
  for (Node* file : all_files(tree)) {
    // Contacts, calendar items and notes are rendered when their folder is listed (to
    // choose their format), and a rendered size wins over any index.
    if (file->own_format != render::ItemFormat::Eml) continue;
    ++mail;
    const auto known = tree.known_attributes(*file);
    ASSERT_TRUE(known) << file->name();
    EXPECT_EQ(static_cast<uint64_t>(known->st_size), marked.at(file->ino)) << file->name();
    EXPECT_EQ(static_cast<uint64_t>(tree.attributes(*file).st_size), marked.at(file->ino)) << file->name();
  }
  EXPECT_GT(mail, 5u);
  // Nothing new was worked out: there is nothing to save.
  const IndexDirectory dir;
  EXPECT_FALSE(tree.save_sizes(dir.file(), "key"));
  EXPECT_FALSE(std::filesystem::exists(dir.file()));
}

TEST(TreeSizes, DirectoriesHaveKnownAttributesAndReportsDoNot) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  Node* root = tree.find(kRootIno);
  ASSERT_TRUE(root);
  const auto known = tree.known_attributes(*root);
  ASSERT_TRUE(known);
  EXPECT_TRUE(S_ISDIR(known->st_mode));
  Node* reports = tree.lookup(*root, kReportsDirName);
  ASSERT_TRUE(reports);
  Node* errors = tree.lookup(*reports, "errors.log");
  ASSERT_TRUE(errors);
  EXPECT_FALSE(tree.known_attributes(*errors));
}

TEST(TreeListing, ContactsAndCalendarItemsConvertedWhileListingAreReadByTheNativeReader) {
  // Listing a folder converts its contacts and calendar items (their format decides their
  // names); they used to be loaded before the folder's node ids were known, so libpff read them.
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  size_t converted = 0;
  for (Node* file : all_files(tree))
    if (file->own_format != render::ItemFormat::Eml) ++converted;
  ASSERT_GT(converted, 0u);
  size_t fallbacks = 0;
  const std::vector<std::string> notes = store->fallbacks(&fallbacks);
  EXPECT_EQ(fallbacks, 0u) << (notes.empty() ? "" : notes.front());
}

}  // namespace
}  // namespace ostfs::fs
