// The file view of a store: a table of nodes with stable inode numbers.
//
// Inode scheme (inode numbers are stable across mounts of the same file):
//   1                    the mount root: the IPM subtree (or the root folder when there is none)
//   NID (< 2^32)         a folder's directory or a message's file: node ids are unique in a
//                        file and folder/message NIDs differ in their low 5 bits (nidType)
//   2^32 + 1             "Other folders (ostfs)": the root folder without the IPM subtree
//   2^32 + 2..4          ".ostfs/" and its reports errors.log and manifest.tsv
//   2^32 + 5             "Recovered Items (ostfs)" (with -o recover): deleted and orphaned items
//   2^40 + hash          a node whose NID was already taken (damaged files); hashed from
//                        its parent and name, so still stable
// A directory's children are read on its first lookup/readdir, in the file's order, and
// never change afterwards: names and inode numbers do not depend on access order.
#pragma once

#include <sys/stat.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fs/arena_vector.h"
#include "fs/file_content.h"
#include "fs/inode_index.h"
#include "fs/name_index.h"
#include "fs/naming.h"
#include "fs/open_files.h"
#include "fs/paged_arena.h"
#include "fs/prefetch.h"
#include "fs/render/conversion.h"
#include "fs/render/eml.h"
#include "fs/render/item_format.h"
#include "fs/size_index.h"
#include "parser/reader.h"
#include "parser/spill_file.h"

namespace ostfs::fs {

using Ino = uint64_t;
inline constexpr Ino kRootIno = 1;
inline constexpr Ino kOtherFoldersIno = (Ino{1} << 32) + 1;
inline constexpr const char* kOtherFoldersName = "Other folders (ostfs)";
inline constexpr Ino kReportsDirIno = (Ino{1} << 32) + 2;
inline constexpr Ino kErrorsLogIno = (Ino{1} << 32) + 3;
inline constexpr Ino kManifestIno = (Ino{1} << 32) + 4;
inline constexpr const char* kReportsDirName = ".ostfs";
inline constexpr Ino kRecoveredIno = (Ino{1} << 32) + 5;
inline constexpr const char* kRecoveredName = "Recovered Items (ostfs)";
// Sub-folders of kRecoveredIno, one per original folder still known: this bit plus its NID.
inline constexpr Ino kRecoveredFolderBit = Ino{1} << 41;

// Directory: a folder (or a virtual one). File: an item of the source file. Report: a text
// made by ostfs about the mount (errors.log, manifest.tsv); it changes as items are read.
enum class NodeKind : uint8_t { Directory, File, Report };

struct Node;

// What a directory has beyond a node: its children, filled once.
struct DirectoryState {
  explicit DirectoryState(PagedArena& pages) : nodes(pages), names(pages) {}

  std::mutex fill_mutex;
  bool filled = false;
  // Its children in the file's order and an index of their names, in the tree's paged arena:
  // neither need stay resident. Complete once filled.
  ArenaVector<Node*> nodes;
  NameIndex names;
  uint32_t items_in_file = 0;  // a folder: how many items the file lists in it
  // The next child the background sizer takes (Tree::size_files_of).
  std::atomic<size_t> next_to_size{0};

  // The name of the child at `position`, for `names`.
  auto name_at() const {
    return [this](uint32_t position) { return child_name(position); };
  }
  std::string_view child_name(uint32_t position) const;
};

// One file or directory of the mount. A mailbox has hundreds of thousands of files, so a
// node is small (72 bytes) and lives in the tree's paged arena with its name; its message
// class is in a table of the classes met, its locks are shared with other nodes
// (Tree::size_lock and render_lock), and only directories have a DirectoryState (owned by the
// tree). Nothing in it needs destroying: the arena runs no destructors.
struct Node {
  static constexpr uint64_t kUnknownSize = UINT64_MAX;

  Ino ino = 0;
  Ino parent = 0;
  int64_t mtime = 0;
  // File size, kUnknownSize until known; guarded by Tree::size_lock(node).
  uint64_t size = kUnknownSize;
  const char* name_chars = "";  // NUL-terminated, in the tree's arena
  DirectoryState* directory = nullptr;  // set for directories only
  uint32_t folder_nid = 0;     // directory: the folder it shows; file: the folder holding the message
  int32_t message_index = -1;  // file: position in its folder
  uint32_t message_nid = 0;    // file
  uint32_t message_class = 0;  // file: index in Tree::message_class()
  uint16_t name_size = 0;      // names are at most 255 bytes (naming.h)
  NodeKind kind = NodeKind::File;
  render::ItemFormat format = render::ItemFormat::Eml;  // file: how it is shown
  // file: the format its class asks for. A contact, calendar item or note whose conversion
  // lost something is shown as .eml instead (format Eml; see render/item_as_mail.h).
  render::ItemFormat own_format = render::ItemFormat::Eml;
  bool recovered = false;  // file: message_index is a recovery index (Store::load_recovered);
                           // directory: a sub-folder of recovered items, filled by fill_recovered
  std::atomic<bool> unreadable{false};
  // The kernel has (or had) the file's bytes, so reading it ahead again would be wasted: it
  // was opened before (the kernel keeps what it read, keep_cache) or, in push mode
  // (kernel_pages.h), the read-ahead stored it in the kernel's cache.
  std::atomic<bool> in_kernel{false};

  std::string_view name() const { return {name_chars, name_size}; }
  // `arena_name` must be NUL-terminated and outlive the node (NameArena).
  void set_name(std::string_view arena_name);
  bool has_size() const { return size != kUnknownSize; }
  uint64_t set_size(uint64_t bytes) { return size = bytes; }
};

struct ViewOptions {
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t umask = 0022;
  int vcard_version = 3;  // 3 or 4
  bool recover = false;   // show deleted and orphaned items libpff can recover
};

// Rendered files kept for re-reads, bounded by total bytes (least recently used goes first).
class ContentCache {
 public:
  explicit ContentCache(size_t budget_bytes) : budget_(budget_bytes) {}
  std::shared_ptr<const std::string> get(Ino ino);
  // False when the file is too large to keep (over a quarter of the budget).
  bool put(Ino ino, std::shared_ptr<const std::string> content);
  bool would_keep(const std::string& content);
  void set_budget(size_t budget_bytes);
  void clear();

 private:
  using Entry = std::pair<Ino, std::shared_ptr<const std::string>>;
  void evict();  // under mutex_
  std::mutex mutex_;
  size_t budget_;
  size_t used_ = 0;
  std::list<Entry> lru_;
  std::unordered_map<Ino, std::list<Entry>::iterator> index_;
};

class Tree {
 public:
  // Rendered files kept for re-reads and read-ahead. 64 MB made a full read no faster than
  // 32 MB and cost 75 MB more at peak (bench/RESULTS.md, session 3).
  static constexpr size_t kCacheBytes = size_t{32} << 20;
  // In push mode the read-ahead hands its files to the kernel, which keeps them: the render
  // cache only serves READs of the few files that were not pushed (session 5).
  static constexpr size_t kPushCacheBytes = size_t{8} << 20;
  // Files up to this size are rendered ahead (and, in push mode, stored in the kernel's
  // cache); a larger one only when it is read: a reader may want only its start.
  static constexpr size_t kReadAheadLimit = kCacheBytes / 4;
  // A message with more attachment data than this renders to more than kReadAheadLimit bytes
  // (base64 makes data at least 4/3 as large), so it is not rendered ahead either.
  static constexpr size_t kReadAheadDataLimit = kReadAheadLimit / 4 * 3;
  // How many files after the one being read are rendered ahead.
  static constexpr size_t kReadAhead = 8;
  // Push mode: files over the render cache's limit held at once between their first and last
  // read, the least recently read going first when one more comes.
  static constexpr size_t kHeldFiles = 4;
  // Push mode: while the files held so hold more than this, one that no READ asked for in
  // kHeldIdleAfter is let go (its reader has stopped before its end; HeldFiles).
  static constexpr size_t kHeldIdleBytes = kCacheBytes;
  static constexpr std::chrono::milliseconds kHeldIdleAfter{100};
  // A folder with this many items or more has its listing's memory handed back at once.
  static constexpr size_t kTrimAfterChildren = 4096;

  Tree(parser::Store& store, ViewOptions options);

  // Null for an unknown inode.
  Node* find(Ino ino);
  // A file's message class (PR_MESSAGE_CLASS).
  const std::string& message_class(const Node& file) const;
  // Fills `dir` on first use; returns its children.
  std::span<Node* const> children(Node& dir);
  Node* lookup(Node& dir, const std::string& name);
  struct stat attributes(Node& node);
  // The attributes with st_size 0 when the size is not known yet, for a listing that must
  // not size every file (push mode gives every entry attributes; see ops.cc).
  struct stat attributes_unsized(Node& node);
  // The attributes when they cost no reading (a directory, or a file whose size is known
  // already), else nullopt: a directory listing with attributes must not size every file.
  std::optional<struct stat> known_attributes(Node& node);
  // The file's bytes. Throws parser::ItemError when the message cannot be read.
  std::shared_ptr<const std::string> content(Node& file);
  // A report's size (errors.log, manifest.tsv). errors.log is made at each call; the manifest
  // once, and kept in a temporary file rather than in memory (a million items make 120 MB).
  uint64_t report_size(Node& report);
  // `out.size()` bytes of the manifest from `offset` (returns how many).
  size_t read_manifest(uint64_t offset, std::span<char> out);
  // Called when `file` is opened (or, in push mode, first read): renders the files after it
  // in its directory in the background, for readers that go through a directory file by file.
  void read_ahead(Node& file);
  // Push mode, where nothing is opened: a reader going through `file`'s directory has come to
  // `file` (asked its attributes), so the read-ahead moves on with it.
  void reader_reached(Node& file);

  // Push mode: from now on the read-ahead hands every file it renders to `push` (on its own
  // threads, holding no lock), and files too large for the render cache are kept from their
  // first read to their last (there are no open handles to keep them); one read from a plan is
  // handed over piece by piece ahead of its reader (served()). Call before the mount serves
  // requests other than INIT.
  using Push = std::function<void(Ino, uint64_t offset, std::string_view bytes)>;
  void push_rendered_files(Push push) {
    push_ = std::move(push);
    cache_.set_budget(kPushCacheBytes);
  }
  bool pushes() const { return static_cast<bool>(push_); }
  // What READs of `file` are served from: content()'s bytes, but a mail file with more
  // attachment data than kReadAheadDataLimit is a plan (file_content.h) when the native reader
  // can read its attachments piece by piece. Throws as content() does.
  std::shared_ptr<const FileContent> readable(Node& file);
  // Push mode: readable() for a READ, which comes without an open handle to keep it.
  std::shared_ptr<const FileContent> content_to_read(Node& file);
  // A READ of `ino` failed (attachment data of a plan could not be read): into errors.log.
  void record_read_error(Ino ino, const std::exception& error);
  // Push mode: a READ has given `bytes` of `file` from `offset` (HeldFiles::served). A file read
  // from a plan is then handed over (Push) up to kStoreAheadBytes past its reader, on a thread
  // of its own: its reader reads from the kernel's cache while the next pieces are encoded.
  void served(Node& file, uint64_t offset, uint64_t bytes);
  static constexpr uint64_t kStoreAheadBytes = uint64_t{16} << 20;
  // Stores start this far past the reader. From 256 KiB on, the reader's own READs (the kernel
  // reads ahead 128 KiB) got to most pages first and half the file was made twice; from 1 MiB,
  // a twentieth (bench/RESULTS.md, session 11).
  static constexpr uint64_t kStoreAheadFrom = uint64_t{1} << 20;
  static constexpr uint64_t kStoreChunk = uint64_t{512} << 10;

  OpenFiles& open_files() { return open_files_; }

  // Sizes a previous mount of the same file worked out (fs/size_index.h): st_size of those
  // files needs no read. Call before the mount serves requests.
  void preload_sizes(SizeMap sizes) { preloaded_sizes_ = std::move(sizes); }
  // The same from the size index `file` when its key is `key` (its entries go into the
  // tree's paged arena); false when it cannot be used (load_size_index()).
  bool preload_sizes_from(const std::filesystem::path& file, std::string_view key);
  // Lets go of every rendered file kept for re-reads (the mount has ended: memory for the
  // size index's sizes).
  void forget_rendered();
  // Writes every file size known now (preloaded or worked out) to the size index `file` under
  // `key`; false, and nothing written, when none is new since the preload. Unreadable files
  // are left out: they are retried. Call it once the mount has ended. The new sizes are
  // sorted in runs in the arena and merged with the preloaded ones as they are written, so
  // saving takes no memory per file. Throws as save_size_index() does.
  bool save_sizes(const std::filesystem::path& file, std::string_view key);

  // Problems met so far: where (a path in the mount), the node id, and what went wrong.
  struct ErrorRecord {
    std::string path;
    uint32_t nid = 0;
    std::string reason;
  };
  std::vector<ErrorRecord> errors() const;

 private:
  void prefetch(Ino ino);
  // The file's bytes as content() gives them, but a mail file whose attachments hold more
  // than kReadAheadDataLimit bytes is only sized (its size recorded; its attachments are not all
  // read) and the result is null. For the read-ahead and for the size of a file in a folder
  // a reader is going through: a large file is rendered when it is read, and only then held.
  std::shared_ptr<const std::string> render_unless_large(Node& file);
  // content() and render_unless_large(), whose attachment data limit is `data_limit`.
  std::shared_ptr<const std::string> render(Node& file, uint64_t data_limit);
  // What render() and readable() do with a mail file whose attachments hold more than their
  // limit: size it (null is returned), or make it a plan (readable()).
  enum class WhenLarge { Measure, Plan };
  // The one way a file's content is made, under its render lock: from the caches and held
  // files when it is there (a plan only for WhenLarge::Plan), else loaded with attachment data
  // up to `data_limit` and rendered, sized or planned.
  std::shared_ptr<const FileContent> make_content(Node& file, uint64_t data_limit, WhenLarge when_large);
  // The background sizer's job: the files of a directory just listed, taken in turn by every
  // sizer thread. A job is the directory's inode with the thread's number above kSizerJobShift
  // (inodes stay below 2^42), so that each thread gets one.
  void size_files_of(Ino dir_ino);
  // The job of stream_ahead_: hands over the pieces of a file read from a plan that its
  // reader comes to next.
  void store_ahead(Ino ino);
  static constexpr int kSizerJobShift = 56;
  static constexpr uint64_t kSizerInoMask = (uint64_t{1} << kSizerJobShift) - 1;
  bool being_read(const Node& file) const;
  void fill(Node& dir);
  // Gives a directory node its state.
  void make_directory(Node& node);
  // Lets the arena's pages go when the daemon has touched or added many since the last time:
  // `touches` is what the caller is about to do (a find is one).
  void keep_arena_small(size_t touches);
  // Lets the arena's pages go now, if it holds kResidentArenaBytes or more.
  void release_arena_if_large();
  void fill_reports(Node& dir);
  void fill_recovered(Node& dir);
  Node& recovered_folder(Node& recovered_dir, uint32_t folder_nid);
  // A name no child of `dir` has yet (unique_name()), in names_. Attach the child named so
  // before asking for another.
  std::string_view unique_child_name(Node& dir, std::string_view stem, std::string_view extension);
  // Adds `child`, named already, to the end of `dir`'s listing.
  void attach(Node& dir, Node& child);
  // `name` is from unique_child_name(parent, …).
  Node& add_directory(Node& parent, Ino ino, std::string_view name, uint32_t folder_nid, const std::string& key);
  Node& add_message_node(Node& dir, const parser::MessageSummary& message, bool recovered);
  model::Message load(const Node& file, bool with_attachment_data,
                      uint64_t data_limit = parser::kAllAttachmentData);
  std::string errors_log() const;
  // The manifest, made on first use (it is final then).
  const SpillFile& manifest();
  void write_manifest(SpillFile& file);
  // A node to fill in, then register with add_node().
  Node& new_node();
  Node& add_node(Node& node, const std::string& key_for_fallback_ino);
  uint32_t intern_class(const std::string& message_class);
  // Nodes share locks by stripe: one mutex per node would be most of a node.
  std::mutex& size_lock(const Node& node) { return size_locks_[node.ino % kLockStripes]; }
  std::mutex& render_lock(const Node& node) { return render_locks_[node.ino % kLockStripes]; }
  uint64_t file_size(Node& file);
  render::Conversion convert(const Node& file, const model::Message& message) const;
  // The file's content when it is made already: held for reading (push mode), or in the render
  // cache; null when not made now.
  std::shared_ptr<const FileContent> cached_readable(const Node& file);
  // `message` (loaded with its data up to a limit) as a plan, or null when its attachments
  // cannot be read piece by piece. Under the file's render lock.
  std::shared_ptr<const FileContent> plan(Node& file, const model::Message& message);
  // Records the problems `message` has as the file's, once per file.
  void record_warnings(const Node& file, const model::Message& message);
  // Records the size of the file as rendered (or planned), or a mismatch with the one stat gave.
  void record_rendered_size(Node& file, uint64_t size);
  std::shared_ptr<const std::string> finish_render(Node& file, model::Message message,
                                                   std::optional<render::Conversion> conversion);
  static render::EmlOptions eml_options();
  std::string path_of(const Node& node);
  void record_error(const std::string& where, uint32_t nid, const std::string& what);

  parser::Store& store_;
  ViewOptions options_;
  std::optional<uint32_t> ipm_subtree_;
  // Nodes, names, listings, the inode table and the preloaded sizes: resident only while in
  // use (fs/paged_arena.h).
  PagedArena pages_;
  // Once the arena holds this much, its pages are let go of after every kTouchesPerRelease
  // finds or kBytesPerRelease bytes added, whichever comes first; a smaller tree stays resident.
  static constexpr size_t kResidentArenaBytes = size_t{32} << 20;
  // A touch maps up to 64 KiB (the kernel's fault-around): the inode table is touched at
  // random, so 1,024 touches can bring back 64 MB of it.
  static constexpr size_t kTouchesPerRelease = size_t{1} << 10;
  static constexpr size_t kBytesPerRelease = size_t{8} << 20;
  std::atomic<size_t> touches_{0};
  mutable std::shared_mutex nodes_mutex_;
  std::deque<DirectoryState> directory_states_;  // under nodes_mutex_; never moves one once made
  InodeIndex<Node> nodes_{pages_};
  NameArena names_{pages_};
  mutable std::mutex classes_mutex_;
  std::deque<std::string> classes_;  // message classes met, by index (a deque: references stay valid)
  std::unordered_map<std::string, uint32_t> class_index_;
  // A file is rendered by one thread at a time (a second reader waits for the first render)
  // and sized under its size lock. Lock order: a render lock, then a size lock, never the other
  // way round.
  static constexpr size_t kLockStripes = 256;
  std::array<std::mutex, kLockStripes> size_locks_;
  std::array<std::mutex, kLockStripes> render_locks_;
  ContentCache cache_{kCacheBytes};
  OpenFiles open_files_;
  Push push_;
  HeldFiles held_for_reading_{kHeldFiles, kHeldIdleBytes, kHeldIdleAfter};
  mutable std::mutex errors_mutex_;
  std::vector<ErrorRecord> errors_;
  std::unordered_set<std::string> error_keys_;  // errors_ without repeats
  SizeMap preloaded_sizes_;  // read-only once the mount serves requests
  std::mutex manifest_mutex_;
  std::optional<SpillFile> manifest_;
  static constexpr size_t kManifestChunk = size_t{1} << 20;
  // The directory a reader last opened a file in, and when (steady clock, ns): readers like
  // tar, cp -r and grep -r stat each file just before reading it, so its size there comes
  // from the render the read needs anyway, not from a measure beside it.
  std::atomic<Ino> reading_dir_{0};
  std::atomic<int64_t> reading_at_ns_{0};
  // Where in its directory the last file opened there was: a sequential reader's next file
  // is found at once, not by a search from the start (O(n^2) over a folder of 100,000).
  std::mutex read_position_mutex_;
  std::unordered_map<Ino, size_t> read_position_;
  // Files read from a plan in push mode: how far their reader has read and how far they have
  // been handed over.
  struct StoredAhead {
    uint64_t read_to = 0;
    uint64_t stored_to = 0;
  };
  std::mutex stored_ahead_mutex_;
  std::unordered_map<Ino, StoredAhead> stored_ahead_;
  // Last members (destroyed first): their threads stop before anything they use goes away.
  Prefetcher prefetcher_;
  // Works out the sizes of a directory's files in the background once it is listed: `ls -l`,
  // file managers and rsync stat every file, one after another.
  Prefetcher sizer_;
  Prefetcher stream_ahead_;
};

}  // namespace ostfs::fs
