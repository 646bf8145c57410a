// Messages are read by the node id their listing gave: the mount keeps it in each node, so the
// store need not keep a list of them per folder (Store::KeepNodeIds::No), and nothing goes to
// libpff for want of it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fs/tree.h"
#include "parser/props.h"
#include "parser/reader.h"

namespace ostfs::fs {
namespace {

struct Listed {
  uint32_t folder = 0;
  parser::MessageSummary summary;
};

std::vector<Listed> list_all(parser::Store& store, parser::Store::KeepNodeIds keep) {
  std::vector<Listed> out;
  std::vector<uint32_t> folders = {store.root_nid()};
  while (!folders.empty()) {
    const uint32_t folder = folders.back();
    folders.pop_back();
    store.for_each_message(
        folder, nullptr, [](size_t) {}, [&](parser::MessageSummary&& s) { out.push_back({folder, std::move(s)}); },
        keep);
    for (const model::Folder& f : store.subfolders(folder, nullptr)) folders.push_back(f.nid);
  }
  return out;
}

TEST(StoreListing, MessagesLoadByTheirRefWhenNoNodeIdIsKept) {
  auto kept = parser::Store::open(OSTFS_SAMPLE_OST);
  auto not_kept = parser::Store::open(OSTFS_SAMPLE_OST);
  const std::vector<Listed> with_ids = list_all(*kept, parser::Store::KeepNodeIds::Yes);
  const std::vector<Listed> without = list_all(*not_kept, parser::Store::KeepNodeIds::No);
  ASSERT_EQ(with_ids.size(), without.size());
  ASSERT_GT(without.size(), 10u);
  for (size_t i = 0; i < without.size(); ++i) {
    const Listed& m = without[i];
    ASSERT_NE(m.summary.nid, 0u);
    const model::Message by_ref = not_kept->load_message({m.folder, m.summary.index, m.summary.nid}, false);
    const model::Message by_index = kept->load_message(with_ids[i].folder, with_ids[i].summary.index, false);
    EXPECT_EQ(by_ref.nid, by_index.nid);
    EXPECT_EQ(by_ref.props.string(props::PidTagSubject), by_index.props.string(props::PidTagSubject));
    EXPECT_EQ(by_ref.props.props.size(), by_index.props.props.size());
  }
  size_t fallbacks = 0;
  not_kept->fallbacks(&fallbacks);
  EXPECT_EQ(fallbacks, 0u);

  // Asked by position alone, a store that kept no ids still finds the message (libpff
  // lists the folder), and says it had to.
  const Listed& last = without.back();
  const model::Message by_position = not_kept->load_message(last.folder, last.summary.index, false);
  EXPECT_EQ(by_position.props.string(props::PidTagSubject),
            kept->load_message(last.folder, last.summary.index, false).props.string(props::PidTagSubject));
  const std::vector<std::string> notes = not_kept->fallbacks(&fallbacks);
  ASSERT_EQ(fallbacks, 1u);
  EXPECT_NE(notes[0].find("node id is not known"), std::string::npos) << notes[0];
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
    for (Ino ino : tree.children(*dir)) {
      Node* child = tree.find(ino);
      if (child->kind == NodeKind::Directory) {
        stack.push_back(ino);
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
