// Push mode without FUSE (fs/kernel_pages.h): the read-ahead hands over the files a reader
// will read next with the exact bytes a read returns, each once; files too large for the
// render cache are held from their first read to their last, and not rendered ahead.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fs/open_files.h"
#include "fs/tree.h"
#include "export/pst_writer.h"
#include "parser/native_store.h"
#include "parser/props.h"
#include "parser/reader.h"

namespace ostfs::fs {
namespace {

// What the read-ahead threads handed over, as the kernel would receive it.
class PushLog {
 public:
  // Whole files go to pushes(), pieces from an offset to pieces().
  Tree::Push sink() {
    return [this](Ino ino, uint64_t offset, std::string_view bytes) {
      std::lock_guard lock(mutex_);
      if (offset == 0) pushes_[ino].emplace_back(bytes);
      else pieces_[ino].emplace(offset, bytes);
    };
  }
  // Waits (up to 20 s) until every one of `inos` has been pushed.
  bool wait_for(const std::vector<Ino>& inos) {
    for (int i = 0; i < 2000; ++i) {
      {
        std::lock_guard lock(mutex_);
        bool all = true;
        for (Ino ino : inos) all = all && pushes_.count(ino);
        if (all) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  std::map<Ino, std::vector<std::string>> pushes() {
    std::lock_guard lock(mutex_);
    return pushes_;
  }
  std::map<Ino, std::multimap<uint64_t, std::string>> pieces() {
    std::lock_guard lock(mutex_);
    return pieces_;
  }

 private:
  std::mutex mutex_;
  std::map<Ino, std::vector<std::string>> pushes_;
  std::map<Ino, std::multimap<uint64_t, std::string>> pieces_;
};

Node& child_dir(Tree& tree, Node& dir, const char* name) {
  Node* child = tree.lookup(dir, name);
  if (!child) throw std::runtime_error(std::string("no directory ") + name);
  return *child;
}

std::vector<Node*> files_in(Tree& tree, Node& dir) {
  std::vector<Node*> files;
  for (Node* node : tree.children(dir))
    if (node->kind == NodeKind::File) files.push_back(node);
  return files;
}

TEST(TreePush, ReadAheadPushesTheNextFilesWithTheBytesAReadGivesOnce) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  PushLog log;
  tree.push_rendered_files(log.sink());
  Node& folder = child_dir(tree, child_dir(tree, *tree.find(kRootIno), "Inbox"), "sub2");
  const std::vector<Node*> files = files_in(tree, folder);
  ASSERT_GT(files.size(), Tree::kReadAhead + 2);

  tree.read_ahead(*files[0]);
  std::vector<Ino> next;
  for (size_t i = 1; i <= Tree::kReadAhead; ++i) next.push_back(files[i]->ino);
  ASSERT_TRUE(log.wait_for(next));
  // Read ahead again from the same place: nothing is pushed twice.
  tree.read_ahead(*files[0]);
  tree.read_ahead(*files[1]);
  ASSERT_TRUE(log.wait_for({files[Tree::kReadAhead + 1]->ino}));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const auto pushes = log.pushes();
  EXPECT_EQ(pushes.count(files[0]->ino), 0u);  // the reader reads that one itself
  for (size_t i = 1; i <= Tree::kReadAhead + 1; ++i) {
    const Node& file = *files[i];
    ASSERT_EQ(pushes.at(file.ino).size(), 1u) << file.name();
    EXPECT_EQ(pushes.at(file.ino).front(), *tree.content(*files[i])) << file.name();
    EXPECT_EQ(static_cast<uint64_t>(tree.attributes(*files[i]).st_size), pushes.at(file.ino).front().size());
  }
  for (const auto& [ino, copies] : pushes) EXPECT_EQ(tree.find(ino)->parent, folder.ino);
}

TEST(TreePush, AStatMovesTheReadAheadOnlyInTheDirectoryBeingRead) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  PushLog log;
  tree.push_rendered_files(log.sink());
  Node& inbox = child_dir(tree, *tree.find(kRootIno), "Inbox");
  const std::vector<Node*> being_read = files_in(tree, child_dir(tree, inbox, "sub2"));
  const std::vector<Node*> elsewhere = files_in(tree, child_dir(tree, inbox, "sub1"));
  ASSERT_GT(being_read.size(), 20u);
  ASSERT_GT(elsewhere.size(), 3u);

  tree.read_ahead(*being_read[0]);
  // The reader has moved on to the 12th file: the read-ahead follows.
  tree.reader_reached(*being_read[12]);
  ASSERT_TRUE(log.wait_for({being_read[13]->ino, being_read[12 + Tree::kReadAhead]->ino}));
  // A stat in a directory nobody reads (ls -l) renders nothing there.
  tree.reader_reached(*elsewhere[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (const auto& [ino, copies] : log.pushes()) EXPECT_NE(tree.find(ino)->parent, elsewhere[0]->parent);
}

TEST(TreePush, WithoutPushModeTheReadAheadHandsNothingOver) {
  auto store = parser::Store::open(OSTFS_SAMPLE_OST);
  Tree tree(*store, {});
  EXPECT_FALSE(tree.pushes());
  Node& folder = child_dir(tree, child_dir(tree, *tree.find(kRootIno), "Inbox"), "sub2");
  const std::vector<Node*> files = files_in(tree, folder);
  tree.read_ahead(*files[0]);
  // The files after it are rendered into the render cache instead; a stat there (which in
  // push mode would move the read-ahead) is just a stat.
  for (size_t i = 1; i <= Tree::kReadAhead; ++i)
    EXPECT_EQ(static_cast<uint64_t>(tree.attributes(*files[i]).st_size), tree.content(*files[i])->size());
}

// Messages whose attachments are over Tree::kReadAheadDataLimit (10-30 MB each), written by
// ostfs-generate as a PST, or (LargeOstFiles) as an OST 2013 with compressed blocks.
class LargeFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = generate("large.pst", ""); }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::filesystem::path file() { return dir_ / "large.pst"; }
  // A new directory with `name` in it.
  static std::filesystem::path generate(const std::string& name, const std::string& options) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("ostfs-push-large-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::create_directories(dir);
    const std::string command = std::string("'") + OSTFS_GENERATE +
                                "' --messages 4 --folders 1 --attachment-every 1 --attachment-size 20000000 " +
                                options + " --template '" OSTFS_SAMPLE_OST "' '" + (dir / name).string() +
                                "' > /dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return dir;
  }

 private:
  static inline std::filesystem::path dir_;
};

class LargeOstFiles : public LargeFiles {
 protected:
  static void SetUpTestSuite() { dir_ = generate("large.ost", "--ost"); }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::filesystem::path file() { return dir_ / "large.ost"; }

 private:
  static inline std::filesystem::path dir_;
};

TEST_F(LargeFiles, TheReadAheadSizesThemWithoutRenderingOrPushingThem) {
  auto store = parser::Store::open(file());
  Tree tree(*store, {});
  PushLog log;
  tree.push_rendered_files(log.sink());
  const std::vector<Node*> files = files_in(tree, child_dir(tree, *tree.find(kRootIno), "Folder 1"));
  ASSERT_EQ(files.size(), 4u);

  tree.read_ahead(*files[0]);
  // Their sizes come (measured, not rendered); nothing is handed to the kernel.
  bool sized = false;
  for (int i = 0; i < 2000 && !sized; ++i) {
    sized = tree.known_attributes(*files[1]) && tree.known_attributes(*files[2]) && tree.known_attributes(*files[3]);
    if (!sized) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(sized);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(log.pushes().empty());
  for (size_t i = 1; i < files.size(); ++i) {
    const uint64_t size = static_cast<uint64_t>(tree.known_attributes(*files[i])->st_size);
    EXPECT_GT(size, Tree::kReadAheadLimit) << files[i]->name();
    EXPECT_EQ(size, tree.content(*files[i])->size()) << files[i]->name();  // exact
  }
}

// The bytes a reader gets from `content`, read in pieces of `piece` bytes.
std::string read_all(const FileContent& content, size_t piece) {
  std::string out, scratch;
  for (uint64_t at = 0; at < content.size(); at += piece) out += content.read(at, piece, scratch);
  return out;
}

void expect_plans_give_the_whole_render(const std::filesystem::path& source) {
  auto store = parser::Store::open(source);
  Tree tree(*store, {});
  const std::vector<Node*> files = files_in(tree, child_dir(tree, *tree.find(kRootIno), "Folder 1"));
  ASSERT_EQ(files.size(), 4u);
  for (Node* file : files) {
    const std::shared_ptr<const FileContent> plan = tree.readable(*file);
    ASSERT_FALSE(plan->bytes()) << file->name() << ": rendered whole, not planned";
    EXPECT_LT(plan->held_bytes(), 1u << 20) << file->name();
    const std::shared_ptr<const std::string> whole = tree.content(*file);
    ASSERT_EQ(plan->size(), whole->size()) << file->name();
    EXPECT_EQ(static_cast<uint64_t>(tree.attributes(*file).st_size), whole->size()) << file->name();
    // Two readers at once, in pieces of different sizes (the kernel's 128 KiB and an odd one).
    std::string by_kernel_pieces, by_odd_pieces;
    std::thread other([&] { by_odd_pieces = read_all(*plan, 99991); });
    by_kernel_pieces = read_all(*plan, 128 << 10);
    other.join();
    EXPECT_TRUE(by_kernel_pieces == *whole) << file->name();
    EXPECT_TRUE(by_odd_pieces == *whole) << file->name();
  }
  EXPECT_TRUE(tree.errors().empty());
}

TEST_F(LargeFiles, AreReadFromAPlanWithTheBytesOfTheWholeRender) { expect_plans_give_the_whole_render(file()); }

TEST_F(LargeOstFiles, AreReadFromAPlanWithTheBytesOfTheWholeRender) { expect_plans_give_the_whole_render(file()); }

TEST_F(LargeFiles, AFileReadFromAPlanIsHandedOverAheadOfItsReader) {
  auto store = parser::Store::open(file());
  Tree tree(*store, {});
  PushLog log;
  tree.push_rendered_files(log.sink());
  Node& file = *files_in(tree, child_dir(tree, *tree.find(kRootIno), "Folder 1")).at(1);
  const std::string whole = *tree.content(file);
  ASSERT_GT(whole.size(), 2 * Tree::kStoreAheadBytes);
  // Its first READ: the pieces from 1 MiB past it to 16 MiB past it come, and no more.
  ASSERT_FALSE(tree.content_to_read(file)->bytes());
  tree.served(file, 0, 128 << 10);
  auto stored_to = [&] {
    uint64_t end = 0;
    const auto pieces = log.pieces();
    if (!pieces.count(file.ino)) return end;
    for (const auto& [offset, piece] : pieces.at(file.ino)) {
      EXPECT_TRUE(piece == whole.substr(offset, piece.size())) << "the piece at " << offset;
      end = std::max(end, offset + piece.size());
    }
    return end;
  };
  for (int i = 0; i < 500 && stored_to() < Tree::kStoreAheadBytes; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(log.pieces().count(file.ino));
  EXPECT_EQ(log.pieces().at(file.ino).begin()->first, (128 << 10) + Tree::kStoreAheadFrom);
  EXPECT_EQ(stored_to(), (128 << 10) + Tree::kStoreAheadBytes);
  // The reader reads on, past what was handed over: the pieces go on from 1 MiB past it.
  const uint64_t later = 3 * Tree::kStoreAheadBytes / 2;
  tree.served(file, later, 128 << 10);
  const uint64_t end = std::min<uint64_t>(whole.size(), later + (128 << 10) + Tree::kStoreAheadBytes);
  for (int i = 0; i < 500 && stored_to() < end; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(stored_to(), end);
  EXPECT_EQ(log.pieces().at(file.ino).count(later + (128 << 10) + Tree::kStoreAheadFrom), 1u);
  EXPECT_TRUE(log.pushes().empty());  // never a whole file
}

TEST_F(LargeFiles, AMessageForwardedWithALargeAttachmentIsReadFromAPlanToo) {
  // One of the large messages, forwarded as an attachment of another, in a file of its own.
  auto source = parser::Store::open(file());
  Tree source_tree(*source, {});
  const Node& large = *files_in(source_tree, child_dir(source_tree, *source_tree.find(kRootIno), "Folder 1")).at(0);
  model::Message inner = source->load_message({large.folder_nid, large.message_index, large.message_nid}, true);
  ASSERT_GT(inner.attachments.at(0).data.size(), Tree::kReadAheadDataLimit);
  const std::filesystem::path forwarded = file().parent_path() / "forwarded.pst";
  {
    pstw::PstWriter writer(forwarded, {});
    model::Folder folder;
    folder.name = "Forwarded";
    const pstw::FolderRef into = writer.add_folder(writer.ipm_subtree(), folder);
    model::Message outer;
    outer.props = inner.props;
    outer.recipients = inner.recipients;
    model::Attachment attachment;
    attachment.method = model::AttachMethod::EmbeddedMessage;
    attachment.props.props.push_back({props::PidTagAttachMethod, props::type::Int32, {5, 0, 0, 0}, std::nullopt});
    attachment.embedded = std::make_unique<model::Message>(std::move(inner));
    attachment.data_loaded = true;
    outer.attachments.push_back(std::move(attachment));
    writer.add_message(into, outer);
    writer.finish();
  }

  auto store = parser::Store::open(forwarded);
  Tree tree(*store, {});
  Node& file = *files_in(tree, child_dir(tree, *tree.find(kRootIno), "Forwarded")).at(0);
  const std::shared_ptr<const FileContent> plan = tree.readable(file);
  ASSERT_FALSE(plan->bytes()) << "rendered whole, not planned";
  EXPECT_LT(plan->held_bytes(), 1u << 20);
  const std::shared_ptr<const std::string> whole = tree.content(file);
  ASSERT_EQ(plan->size(), whole->size());
  EXPECT_TRUE(read_all(*plan, 128 << 10) == *whole);
  EXPECT_TRUE(read_all(*plan, 77777) == *whole);
  EXPECT_TRUE(tree.errors().empty());
}

// A copy of `source` with one data block of the attachment of the first message in "Folder 1"
// damaged; `message` gets that message, without data.
std::filesystem::path damaged_copy(const std::filesystem::path& source, model::Message& message) {
  const std::filesystem::path damaged = source.parent_path() / "damaged.pst";
  std::filesystem::copy_file(source, damaged, std::filesystem::copy_options::overwrite_existing);
  auto intact = parser::Store::open(source);
  Tree intact_tree(*intact, {});
  Node& first = *files_in(intact_tree, child_dir(intact_tree, *intact_tree.find(kRootIno), "Folder 1")).at(0);
  message = intact->load_message({first.folder_nid, first.message_index, first.message_nid}, false);
  EXPECT_EQ(message.attachments.size(), 1u);
  const auto native = parser::NativeStore::open(source);
  const std::optional<ndb::DataTree> stream = native->attachment_stream(message.nid, message.attachments.at(0).nid);
  EXPECT_TRUE(stream && stream->leaves().size() > 100u);
  const ndb::DataLeaf& leaf = stream->leaves().at(100);
  std::fstream out(damaged, std::ios::in | std::ios::out | std::ios::binary);
  out.seekp(static_cast<std::streamoff>(leaf.block.ib + 10));
  out.put('\x5a').put('\xa5');
  return damaged;
}

TEST_F(LargeFiles, ExportCopiesAMessageWhoseLargeAttachmentIsDamagedWithoutIt) {
  model::Message message;
  const std::filesystem::path damaged = damaged_copy(file(), message);
  const std::filesystem::path out = file().parent_path() / "export.pst";
  const std::filesystem::path log = file().parent_path() / "export.log";
  std::filesystem::remove(out);
  const std::string command = std::string("'") + OSTFS_BINARY + "' export --verbose '" + damaged.string() + "' '" +
                              out.string() + "' > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream log_in(log);
  const std::string report((std::istreambuf_iterator<char>(log_in)), std::istreambuf_iterator<char>());
  // Every item is written (the one with the damaged attachment without it), and that is said.
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << report;
  EXPECT_NE(report.find("4 written of 4 read, 0 skipped"), std::string::npos) << report;
  EXPECT_NE(report.find("read whole instead"), std::string::npos) << report;

  // Compared by subject: the message written again comes last (its first try took its node id).
  auto load_all = [](parser::Store& store) {
    Tree tree(store, {});
    std::map<std::string, model::Message> by_subject;
    for (Node* n : files_in(tree, child_dir(tree, *tree.find(kRootIno), "Folder 1"))) {
      model::Message m = store.load_message({n->folder_nid, n->message_index, n->message_nid}, true);
      by_subject.emplace(m.text(props::PidTagSubject).value_or(""), std::move(m));
    }
    return by_subject;
  };
  auto copy_store = parser::Store::open(out);
  auto original_store = parser::Store::open(file());
  const std::map<std::string, model::Message> copied = load_all(*copy_store);
  const std::map<std::string, model::Message> originals = load_all(*original_store);
  ASSERT_EQ(copied.size(), 4u);
  for (const auto& [subject, want] : originals) {
    ASSERT_TRUE(copied.count(subject)) << subject;
    const model::Message& got = copied.at(subject);
    if (want.nid == message.nid) {
      EXPECT_TRUE(got.attachments.empty()) << subject;
      continue;
    }
    ASSERT_EQ(got.attachments.size(), 1u) << subject;
    EXPECT_TRUE(got.attachments[0].data == want.attachments.at(0).data) << subject;
  }
}

TEST_F(LargeFiles, ADamagedAttachmentBlockFailsTheReadsOfItAndIsReported) {
  model::Message message;
  const std::filesystem::path damaged = damaged_copy(file(), message);

  auto intact = parser::Store::open(file());
  auto store = parser::Store::open(damaged);
  Tree tree(*store, {});
  Node& file = *files_in(tree, child_dir(tree, *tree.find(kRootIno), "Folder 1")).at(0);
  const std::shared_ptr<const FileContent> plan = tree.readable(file);
  ASSERT_FALSE(plan->bytes());
  std::string scratch;
  // Its start reads; the READs that cover the damaged block fail.
  const std::string_view start = plan->read(0, 4096, scratch);
  Tree intact_tree(*intact, {});
  Node& first = *files_in(intact_tree, child_dir(intact_tree, *intact_tree.find(kRootIno), "Folder 1")).at(0);
  EXPECT_EQ(start, std::string_view(*intact_tree.content(first)).substr(0, 4096));
  EXPECT_THROW(read_all(*plan, 128 << 10), parser::ItemError);
  try {
    read_all(*plan, 128 << 10);
  } catch (const std::exception& e) {
    tree.record_read_error(file.ino, e);
  }
  const std::vector<Tree::ErrorRecord> errors = tree.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].nid, file.message_nid);
  EXPECT_NE(errors[0].reason.find("attachment " + std::to_string(message.attachments[0].nid)), std::string::npos)
      << errors[0].reason;
}

TEST(HeldFiles, KeepsTheMostRecentlyReadUntilAllOfThemIsRead) {
  HeldFiles held(3, 1000, std::chrono::hours(1));  // nothing is idle in this test
  auto bytes = [](char c) { return FileContent::of(std::make_shared<const std::string>(100, c)); };
  held.hold(1, bytes('a'));
  held.hold(2, bytes('b'));
  held.hold(3, bytes('c'));
  ASSERT_TRUE(held.get(1));  // 1 is now the most recently read
  held.hold(4, bytes('d'));  // one too many: 2 goes
  EXPECT_FALSE(held.get(2));
  EXPECT_EQ(*held.get(1)->bytes(), std::string(100, 'a'));
  EXPECT_EQ(*held.get(3)->bytes(), std::string(100, 'c'));
  EXPECT_EQ(*held.get(4)->bytes(), std::string(100, 'd'));
  // Its end first (the kernel reads ahead on several threads), then the rest: let go only then.
  held.served(3, 40);
  EXPECT_TRUE(held.get(3));
  held.hold(3, held.get(3));  // the next READ holds it again: the count stays
  held.served(3, 60);
  EXPECT_FALSE(held.get(3));
  held.served(3, 100);  // no longer held: nothing happens
  held.served(4, 99);
  held.hold(4, bytes('e'));  // held again: replaced, not added twice, and read from scratch
  EXPECT_EQ(*held.get(4)->bytes(), std::string(100, 'e'));
  held.served(4, 99);
  EXPECT_TRUE(held.get(4));
  held.hold(5, bytes('f'));
  EXPECT_TRUE(held.get(1));
  EXPECT_TRUE(held.get(4));
  EXPECT_TRUE(held.get(5));
}

TEST(HeldFiles, LetsGoOfFilesItsReadersLeftWhenTheyHoldTooMuch) {
  using namespace std::chrono_literals;
  HeldFiles held(4, 250, 50ms);
  auto bytes = [](char c) { return FileContent::of(std::make_shared<const std::string>(100, c)); };
  held.hold(1, bytes('a'));  // a reader that stops after its first READ
  held.hold(2, bytes('b'));  // 200 bytes held: under the limit, nothing goes however idle
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(held.get(2));  // read on
  held.hold(3, bytes('c'));  // 300 bytes: 1 has not been read since, and goes
  EXPECT_FALSE(held.get(1));
  EXPECT_TRUE(held.get(2));
  EXPECT_TRUE(held.get(3));
  // 1's reader was only slow: it reads on, the file is rendered and held again, and it is not
  // let go for idleness again, while the others are.
  held.hold(1, bytes('a'));
  std::this_thread::sleep_for(200ms);
  held.hold(4, bytes('d'));
  EXPECT_TRUE(held.get(1));
  EXPECT_FALSE(held.get(2));
  EXPECT_FALSE(held.get(3));
  EXPECT_TRUE(held.get(4));
}

TEST(ContentCache, SaysWhenAFileIsTooLargeToKeep) {
  ContentCache cache(4 << 20);
  EXPECT_TRUE(cache.put(1, std::make_shared<const std::string>(1 << 20, 'x')));
  EXPECT_FALSE(cache.put(2, std::make_shared<const std::string>((1 << 20) + 1, 'x')));
  EXPECT_TRUE(cache.get(1));
  EXPECT_FALSE(cache.get(2));
}

}  // namespace
}  // namespace ostfs::fs
