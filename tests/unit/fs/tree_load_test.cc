// Messages are read by the node id their listing gave: the mount keeps it in each node, the
// store keeps no list of them per folder, and nothing goes to libpff for want of it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fs/tree.h"
#include "parser/props.h"
#include "parser/reader.h"

namespace ostfs::fs {
namespace {

std::vector<parser::MessageRef> list_all(parser::Store& store) {
  std::vector<parser::MessageRef> out;
  std::vector<uint32_t> folders = {store.root_nid()};
  while (!folders.empty()) {
    const uint32_t folder = folders.back();
    folders.pop_back();
    store.for_each_message(
        folder, nullptr, [](size_t) {},
        [&](parser::MessageSummary&& s) { out.push_back({folder, s.index, s.nid}); });
    for (const model::Folder& f : store.subfolders(folder, nullptr)) folders.push_back(f.nid);
  }
  return out;
}

TEST(StoreListing, MessagesLoadByTheirRefAsLibpffReadsThem) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  auto libpff = parser::Store::open(OSTFS_SAMPLE_OST, parser::Store::Readers::LibpffOnly);
  const std::vector<parser::MessageRef> listed = list_all(*store);
  ASSERT_GT(listed.size(), 10u);
  for (const parser::MessageRef& ref : listed) {
    ASSERT_NE(ref.nid, 0u);
    const model::Message native = store->load_message(ref, false);
    const model::Message oracle = libpff->load_message(ref, false);
    EXPECT_EQ(native.nid, ref.nid);
    EXPECT_EQ(oracle.nid, ref.nid);
    EXPECT_EQ(native.props.string(props::PidTagSubject), oracle.props.string(props::PidTagSubject));
    EXPECT_EQ(native.recipients.size(), oracle.recipients.size());
    EXPECT_EQ(native.attachments.size(), oracle.attachments.size());
  }
  size_t fallbacks = 0;
  store->fallbacks(&fallbacks);
  EXPECT_EQ(fallbacks, 0u);
  EXPECT_EQ(libpff->info().reader, "libpff only (asked for)");

  // A listing that gave no node id (libpff could not tell it) still finds the message by
  // position, through libpff, and says it had to.
  const parser::MessageRef& last = listed.back();
  const model::Message by_position = store->load_message({last.folder_nid, last.index, 0}, false);
  EXPECT_EQ(by_position.nid, last.nid);
  const std::vector<std::string> notes = store->fallbacks(&fallbacks);
  ASSERT_EQ(fallbacks, 1u);
  EXPECT_NE(notes[0].find("gave no node id"), std::string::npos) << notes[0];
}

TEST(TreeLoad, EveryFileIsReadWithoutFallingBackToLibpff) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  size_t files = 0;
  std::vector<Ino> stack = {kRootIno};
  while (!stack.empty()) {
    Node* dir = tree.find(stack.back());
    stack.pop_back();
    if (dir->ino == kReportsDirIno) continue;
    for (Node* child : tree.children(*dir)) {
      if (child->kind == NodeKind::Directory) {
        stack.push_back(child->ino);
      } else if (child->kind == NodeKind::File) {
        EXPECT_FALSE(tree.content(*child)->empty()) << child->name();
        ++files;
      }
    }
  }
  EXPECT_GT(files, 10u);
  size_t fallbacks = 0;
  const std::vector<std::string> notes = store->fallbacks(&fallbacks);
  EXPECT_EQ(fallbacks, 0u) << (notes.empty() ? "" : notes[0]);
}

}  // namespace
}  // namespace ostfs::fs
