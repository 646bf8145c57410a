#include "fs/tree.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include "fs/allocator.h"
#include "fs/naming.h"
#include "fs/render/eml.h"
#include "fs/render/ics.h"
#include "fs/render/item_as_mail.h"
#include "fs/render/item_local_time.h"
#include "fs/render/note.h"
#include "fs/render/vcf.h"
#include "parser/props.h"

namespace ostfs::fs {

std::shared_ptr<const std::string> ContentCache::get(Ino ino) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(ino);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

bool ContentCache::put(Ino ino, std::shared_ptr<const std::string> content) {
  std::lock_guard lock(mutex_);
  // What a file costs is the memory its string holds, not its length.
  if (content->capacity() > budget_ / 4) return false;  // one huge file would evict everything else
  if (auto it = index_.find(ino); it != index_.end()) {
    used_ -= it->second->second->capacity();
    lru_.erase(it->second);
    index_.erase(it);
  }
  used_ += content->capacity();
  lru_.emplace_front(ino, std::move(content));
  index_[ino] = lru_.begin();
  evict();
  return true;
}

void ContentCache::evict() {
  while (used_ > budget_ && !lru_.empty()) {
    used_ -= lru_.back().second->capacity();
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

void Node::set_name(std::string_view arena_name) {
  if (arena_name.size() > UINT16_MAX) throw std::length_error("node name longer than 65535 bytes");
  name_chars = arena_name.data();
  name_size = static_cast<uint16_t>(arena_name.size());
}

void ContentCache::set_budget(size_t budget_bytes) {
  std::lock_guard lock(mutex_);
  budget_ = budget_bytes;
  evict();
}

bool ContentCache::would_keep(const std::string& content) {
  std::lock_guard lock(mutex_);
  return content.capacity() <= budget_ / 4;
}

void ContentCache::clear() {
  std::lock_guard lock(mutex_);
  lru_.clear();
  index_.clear();
  used_ = 0;
}

Tree::Tree(parser::Store& store, ViewOptions options)
    : store_(store),
      options_(options),
      ipm_subtree_(store.ipm_subtree_nid()),
      prefetcher_(std::max(1u, std::thread::hardware_concurrency()), 2 * kReadAhead,
                  [this](uint64_t ino) { prefetch(ino); }),
      sizer_(std::max(1u, std::thread::hardware_concurrency()), std::numeric_limits<size_t>::max(),
             [this](uint64_t job) { size_files_of(job & kSizerInoMask); }),
      stream_ahead_(1, std::numeric_limits<size_t>::max(), [this](uint64_t ino) { store_ahead(ino); }) {
  classes_.emplace_back();  // index 0: no class (directories and reports)
  class_index_.emplace("", 0);
  Node& root = new_node();
  root.ino = kRootIno;
  root.parent = kRootIno;
  root.kind = NodeKind::Directory;
  make_directory(root);
  root.folder_nid = ipm_subtree_.value_or(store.root_nid());
  try {
    // Its count of items comes when it is listed (fill()).
    const model::Folder folder = store_.folder(root.folder_nid, parser::Store::MessageCount::Skip);
    if (auto t = folder.props.filetime(props::PidTagLastModificationTime)) root.mtime = model::filetime_to_unix(*t);
  } catch (const std::exception& e) {
    record_error("/", root.folder_nid, e.what());
  }
  add_node(root, "root");
}

Node* Tree::find(Ino ino) {
  keep_arena_small(1);
  std::shared_lock lock(nodes_mutex_);
  return nodes_.find(ino);
}

const std::string& Tree::message_class(const Node& file) const {
  std::lock_guard lock(classes_mutex_);
  return classes_.at(file.message_class);
}

uint32_t Tree::intern_class(const std::string& message_class) {
  std::lock_guard lock(classes_mutex_);
  auto [it, added] = class_index_.emplace(message_class, static_cast<uint32_t>(classes_.size()));
  if (added) classes_.push_back(message_class);
  return it->second;
}

std::span<Node* const> Tree::children(Node& dir) {
  if (!dir.directory) return {};
  DirectoryState& state = *dir.directory;
  std::lock_guard lock(state.fill_mutex);
  if (!state.filled) {
    if (dir.ino == kReportsDirIno) fill_reports(dir);
    else if (dir.ino == kRecoveredIno) fill_recovered(dir);
    else if (dir.recovered) {}  // its items were attached when the recovered folder was filled
    else fill(dir);
    state.names.finish();
    state.filled = true;
    // Listing a big folder allocates much for a moment (its listing, the names in use) between
    // the nodes that stay: the freed pages in between go back to the system, or the daemon
    // would keep twice what its nodes need.
    if (state.nodes.size() >= kTrimAfterChildren) release_free_memory();
    keep_arena_small(0);
    // One job per sizer thread, all taking the directory's files in turn: a queue entry per
    // file would be 60 bytes each, 18 MB for a folder of 300,000.
    for (uint64_t thread = 0; thread < std::max(1u, std::thread::hardware_concurrency()); ++thread)
      sizer_.enqueue(dir.ino | thread << kSizerJobShift);
  }
  return state.nodes.span();
}

Node* Tree::lookup(Node& dir, const std::string& name) {
  children(dir);
  if (!dir.directory) return nullptr;
  const DirectoryState& state = *dir.directory;
  keep_arena_small(1);
  const std::optional<uint32_t> position = state.names.find(name, state.name_at());
  return position ? state.nodes[*position] : nullptr;
}

std::string_view DirectoryState::child_name(uint32_t position) const { return nodes[position]->name(); }

Node& Tree::new_node() {
  return *new (pages_.allocate(sizeof(Node), alignof(Node))) Node();
}

void Tree::make_directory(Node& node) {
  std::unique_lock lock(nodes_mutex_);
  node.kind = NodeKind::Directory;
  node.directory = &directory_states_.emplace_back(pages_);
}

void Tree::keep_arena_small(size_t touches) {
  const size_t before = touches_.fetch_add(touches, std::memory_order_relaxed);
  const bool many_touches = (before + touches) / kTouchesPerRelease != before / kTouchesPerRelease;
  if (!many_touches && pages_.bytes_since_release() < kBytesPerRelease) return;
  release_arena_if_large();
}

void Tree::release_arena_if_large() {
  if (pages_.bytes_allocated() >= kResidentArenaBytes) pages_.release_resident();
}

Node& Tree::add_node(Node& node, const std::string& key_for_fallback_ino) {
  keep_arena_small(1);
  std::unique_lock lock(nodes_mutex_);
  if (nodes_.contains(node.ino)) {
    // The NID is taken (a damaged file lists an item twice): derive another stable number.
    Ino candidate = (Ino{1} << 40) | (std::hash<std::string>{}(key_for_fallback_ino) & ((Ino{1} << 40) - 1));
    while (nodes_.contains(candidate)) ++candidate;
    node.ino = candidate;
  }
  nodes_.insert(&node);
  return node;
}

std::string_view Tree::unique_child_name(Node& dir, std::string_view stem, std::string_view extension) {
  const DirectoryState& state = *dir.directory;
  // No touch counted: the index of a directory being listed is on the heap (NameIndex), and a
  // name is read only on a tag match.
  return names_.add(unique_name(stem, extension, [&](std::string_view name) {
    return state.names.find(name, state.name_at()).has_value();
  }));
}

void Tree::attach(Node& dir, Node& child) {
  DirectoryState& state = *dir.directory;
  const auto position = static_cast<uint32_t>(state.nodes.size());
  state.names.add(child.name(), position, state.name_at());
  state.nodes.push_back(&child);
}

// A directory of ostfs's own (reports, recovered items, other folders) in `parent`.
Node& Tree::add_directory(Node& parent, Ino ino, std::string_view name, uint32_t folder_nid, const std::string& key) {
  Node& node = new_node();
  node.ino = ino;
  node.parent = parent.ino;
  make_directory(node);
  node.folder_nid = folder_nid;
  node.mtime = parent.mtime;
  node.set_name(name);
  Node& added = add_node(node, key);
  attach(parent, added);
  return added;
}

void Tree::fill(Node& dir) {
  const bool is_root = dir.ino == kRootIno;

  std::vector<std::string> errors;
  // Their counts of items come when each is listed: counting them here made the first `ls`
  // of a big file's root read every block of every folder's contents table.
  std::vector<model::Folder> folders = store_.subfolders(dir.folder_nid, &errors, parser::Store::MessageCount::Skip);

  if (is_root && options_.recover) add_directory(dir, kRecoveredIno, unique_child_name(dir, kRecoveredName, ""), 0, "recovered");
  if (is_root && ipm_subtree_) {
    // Everything outside the IPM subtree lives in one place, created first so its name is stable.
    add_directory(dir, kOtherFoldersIno, unique_child_name(dir, kOtherFoldersName, ""), store_.root_nid(), "other");
  }

  for (model::Folder& folder : folders) {
    if (ipm_subtree_ && folder.nid == *ipm_subtree_) continue;  // it is the mount root
    if (find(folder.nid)) {
      errors.push_back("folder " + std::to_string(folder.nid) + " (" + folder.name +
                       ") appears twice in the folder tree; shown once");
      continue;
    }
    Node& node = new_node();
    node.ino = folder.nid;
    node.parent = dir.ino;
    make_directory(node);
    node.folder_nid = folder.nid;
    if (auto t = folder.props.filetime(props::PidTagLastModificationTime)) node.mtime = model::filetime_to_unix(*t);
    node.set_name(unique_child_name(dir, sanitize_component(folder.name, "(unnamed folder)"), ""));
    attach(dir, add_node(node, std::to_string(dir.ino) + "/" + folder.name));
  }

  // Listed one by one into nodes, and room for exactly as many (grown by doubling, the
  // children of a folder of 300,000 kept 5 MB unused).
  DirectoryState& state = *dir.directory;
  store_.for_each_message(
      dir.folder_nid, &errors,
      [&](size_t count) {
        state.items_in_file = static_cast<uint32_t>(count);
        count += state.nodes.size() + 1;  // + .ostfs in the root
        state.nodes.reserve(count);
        state.names.reserve(count, state.name_at());
      },
      [&](parser::MessageSummary&& message) { add_message_node(dir, message, false); });
  if (is_root) {
    // ostfs's own reports: a name no folder can take (sanitizing turns a leading dot into
    // "_."), listed last. Readers that go through the tree in directory order (tar, cp -r,
    // rsync, grep -r) then reach the manifest when every item is sized already; first, it
    // would size every item before the first file is read (a second pass over the file).
    add_directory(dir, kReportsDirIno, unique_child_name(dir, kReportsDirName, ""), 0, "reports");
  }
  for (const std::string& e : errors) record_error(path_of(dir), dir.folder_nid, e);
}

Node& Tree::add_message_node(Node& dir, const parser::MessageSummary& message, bool recovered) {
  Node& node = new_node();
  node.ino = message.nid;
  node.parent = dir.ino;
  node.kind = NodeKind::File;
  node.folder_nid = dir.folder_nid;
  node.message_index = message.index;
  node.message_nid = message.nid;
  node.recovered = recovered;
  node.message_class = intern_class(message.message_class);
  node.own_format = node.format = render::format_for_class(message.message_class);
  node.mtime = message.time.value_or(0);
  Node& added = add_node(node, std::to_string(dir.ino) + "/" + std::to_string(message.index));
  keep_arena_small(0);  // a folder of 300,000 adds 45 MB to the arena

  // Whether a contact, calendar item or note converts completely decides its name (.eml if
  // not), so it is converted now; the result is kept for the first read.
  std::optional<model::Message> item;
  std::optional<render::Conversion> conversion;
  if (added.own_format != render::ItemFormat::Eml) {
    try {
      item = load(added, true);
      conversion = convert(added, *item);
      if (!conversion->complete()) added.format = render::ItemFormat::Eml;
    } catch (const std::exception&) {
      conversion.reset();  // unreadable: content() reports it when the file is first used
    }
  }
  added.set_name(unique_child_name(dir, message_file_stem(message.time, message.subject), render::extension_for(added.format)));
  attach(dir, added);
  if (conversion) {
    try {
      finish_render(added, std::move(*item), std::move(conversion));
    } catch (const std::exception&) {
      // Rendered again, and reported, when the file is used.
    }
  }
  return added;
}

// Items whose original folder is still known (an orphan's node names its parent) go into a
// sub-folder named after it, created where its first item comes; the rest stay at the top.
void Tree::fill_recovered(Node& dir) {
  std::vector<std::string> errors;
  const std::vector<parser::MessageSummary> messages = store_.recovered_messages(&errors);
  for (const parser::MessageSummary& message : messages) {
    Node* target = &dir;
    if (const std::optional<uint32_t> folder_nid = store_.original_folder_of(message.nid))
      target = &recovered_folder(dir, *folder_nid);
    ++target->directory->items_in_file;
    add_message_node(*target, message, true);
  }
  // An entry libpff found but could not describe (pff_worker.h) is one more item in the file
  // that is not shown: the manifest's counts then say so.
  for (const std::string& e : errors) {
    if (e.starts_with("recovered item ")) ++dir.directory->items_in_file;
    record_error(path_of(dir), 0, e);
  }
}

Node& Tree::recovered_folder(Node& recovered_dir, uint32_t folder_nid) {
  if (Node* existing = find(kRecoveredFolderBit | folder_nid)) return *existing;
  std::string name;
  try {
    name = store_.folder(folder_nid).name;
  } catch (const std::exception&) {
    // Named by its node id below.
  }
  Node& added = add_directory(recovered_dir, kRecoveredFolderBit | folder_nid,
                              unique_child_name(recovered_dir, sanitize_component(name, "(folder " + std::to_string(folder_nid) + ")"), ""),
                              folder_nid, "recovered/" + std::to_string(folder_nid));
  added.recovered = true;
  return added;
}

model::Message Tree::load(const Node& file, bool with_attachment_data, uint64_t data_limit) {
  return file.recovered ? store_.load_recovered(file.message_index, with_attachment_data)
                        : store_.load_message({file.folder_nid, file.message_index, file.message_nid},
                                              with_attachment_data, data_limit);
}

void Tree::fill_reports(Node& dir) {
  const std::pair<Ino, const char*> reports[] = {{kErrorsLogIno, "errors.log"}, {kManifestIno, "manifest.tsv"}};
  for (const auto& [ino, name] : reports) {
    Node& node = new_node();
    node.ino = ino;
    node.parent = dir.ino;
    node.kind = NodeKind::Report;
    node.mtime = dir.mtime;
    node.set_name(names_.add(name));
    attach(dir, add_node(node, name));
  }
}

uint64_t Tree::file_size(Node& file) {
  {
    std::lock_guard lock(size_lock(file));
    if (file.has_size()) return file.size;
    if (auto known = preloaded_sizes_.find(file.ino)) return file.set_size(*known);
    // Rendered already (read ahead): its size is known without another read.
    if (auto cached = cache_.get(file.ino)) return file.set_size(cached->size());
    if (file.own_format == render::ItemFormat::Eml && !being_read(file)) {
      // Measured without attachment data: listing a folder must not read every attachment.
      try {
        const model::Message message = load(file, false);
        return file.set_size(render::measure_eml(message, eml_options()));
      } catch (const std::exception& e) {
        record_error(path_of(file), file.message_nid, std::string("cannot read message: ") + e.what());
        file.unreadable = true;
        return file.set_size(0);
      }
    }
  }
  // Contacts, calendar items and notes are small and may embed their attachments (a
  // contact's photo), and mail in a directory a reader is going through will be read next:
  // their size is that of the rendered file, which render() records (a large one's is
  // measured, see render_unless_large()).
  try {
    if (auto bytes = render_unless_large(file)) return bytes->size();
    std::lock_guard lock(size_lock(file));
    return file.size;
  } catch (const std::exception&) {
    std::lock_guard lock(size_lock(file));
    file.unreadable = true;
    return file.set_size(0);
  }
}

void Tree::forget_rendered() {
  cache_.clear();
  held_for_reading_.clear();
}

bool Tree::preload_sizes_from(const std::filesystem::path& file, std::string_view key) {
  auto sizes = load_size_index(file, key, &pages_);
  if (!sizes) return false;
  preloaded_sizes_ = std::move(*sizes);
  return true;
}

bool Tree::save_sizes(const std::filesystem::path& file, std::string_view key) {
  // Runs of a million entries (16 MB) in the arena, each sorted when full: the nodes are
  // visited folder by folder, as they lie in the arena.
  constexpr size_t kRunEntries = size_t{1} << 20;
  std::vector<std::span<const SizeMap::Entry>> runs;
  std::span<SizeMap::Entry> run;
  size_t used = 0;
  auto close_run = [&] {
    if (used == 0) return;
    std::sort(run.begin(), run.begin() + static_cast<ptrdiff_t>(used));
    runs.push_back(run.first(used));
    used = 0;
    release_arena_if_large();
  };
  {
    std::shared_lock nodes_lock(nodes_mutex_);
    for (const DirectoryState& state : directory_states_) {
      for (Node* node : state.nodes.span()) {
        keep_arena_small(1);
        if (node->kind != NodeKind::File) continue;
        std::lock_guard lock(size_lock(*node));
        if (!node->has_size() || node->unreadable || preloaded_sizes_.contains(node->ino)) continue;
        if (used == run.size()) {
          close_run();
          run = pages_.make_array<SizeMap::Entry>(kRunEntries);
        }
        run[used++] = {node->ino, node->size};
      }
    }
    close_run();
  }
  if (runs.empty()) return false;
  runs.push_back(preloaded_sizes_.entries());  // no inode of it is in the others
  save_size_index(file, key, runs, [this] { release_arena_if_large(); });
  return true;
}

// A node's layout is what a million of them cost (bench/RESULTS.md, session 5).
static_assert(sizeof(Node) <= 72, "a Node has grown: mind the memory of a mount with a million items");
static_assert(std::is_trivially_destructible_v<Node>, "nodes live in the paged arena, which runs no destructors");

std::optional<struct stat> Tree::known_attributes(Node& node) {
  if (node.kind == NodeKind::Report) return std::nullopt;
  if (node.kind == NodeKind::File) {
    // A file being sized right now is not waited for.
    std::unique_lock lock(size_lock(node), std::try_to_lock);
    if (!lock || (!node.has_size() && !preloaded_sizes_.contains(node.ino))) return std::nullopt;
  }
  return attributes(node);
}

struct stat Tree::attributes(Node& node) {
  struct stat st = attributes_unsized(node);
  if (node.kind != NodeKind::Directory) {
    st.st_size = static_cast<off_t>(node.kind == NodeKind::Report ? report_size(node) : file_size(node));
    st.st_blocks = (st.st_size + 511) / 512;
  }
  return st;
}

struct stat Tree::attributes_unsized(Node& node) {
  struct stat st{};
  st.st_ino = node.ino;
  st.st_uid = options_.uid;
  st.st_gid = options_.gid;
  st.st_mtim.tv_sec = st.st_ctim.tv_sec = st.st_atim.tv_sec = node.mtime;
  st.st_blksize = 4096;
  if (node.kind == NodeKind::Directory) {
    st.st_mode = S_IFDIR | (0555 & ~options_.umask);
    st.st_nlink = 2;
  } else {
    st.st_mode = S_IFREG | (0444 & ~options_.umask);
    st.st_nlink = 1;
  }
  return st;
}

// Meeting requests carry their event as a text/calendar part, made by the iCalendar renderer.
// measure_eml() and render_eml() must get the same options, or st_size would be wrong.
render::EmlOptions Tree::eml_options() {
  return render::EmlOptions{.calendar = render::render_ics, .local_time = render::appointment_local_span};
}

render::Conversion Tree::convert(const Node& file, const model::Message& message) const {
  switch (file.own_format) {
    case render::ItemFormat::Vcf:
      // Distribution-list members that point at contacts are looked up in the store.
      return render::convert_vcf(
          message, {.version = options_.vcard_version,
                    .resolve_member = [this](const render::MemberLink& link) -> std::optional<render::DistListMember> {
                      try {
                        return render::member_from_item(store_.load_message_by_nid(link.nid, false), link);
                      } catch (const std::exception&) {
                        return std::nullopt;  // the card then says which node could not be read
                      }
                    }});
    case render::ItemFormat::Ics: return render::convert_ics(message);
    case render::ItemFormat::Txt: return render::convert_note(message);
    case render::ItemFormat::Eml: break;
  }
  throw std::logic_error("convert() called for a mail item");
}

std::shared_ptr<const std::string> Tree::content(Node& file) {
  return render(file, parser::kAllAttachmentData);
}

namespace {

// A rendered file too large for the render cache, which gives its memory back to the system
// when it goes. An allocator that keeps freed pages for later (tcmalloc) would otherwise keep
// what the largest files took, and more: files of different sizes do not fit in each other's
// pages (grep -r -l through 40 messages of 25-75 MB grew the daemon to 607 MB).
class LargeContent {
 public:
  explicit LargeContent(std::string bytes) : bytes_(std::move(bytes)) {}
  ~LargeContent() {
    std::string().swap(bytes_);
    release_free_memory();
  }
  LargeContent(const LargeContent&) = delete;
  LargeContent& operator=(const LargeContent&) = delete;
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

std::shared_ptr<const std::string> shared_content(std::string bytes) {
  if (bytes.size() <= Tree::kReadAheadLimit) return std::make_shared<const std::string>(std::move(bytes));
  auto owner = std::make_shared<const LargeContent>(std::move(bytes));
  return std::shared_ptr<const std::string>(owner, &owner->bytes());
}

}  // namespace

std::shared_ptr<const std::string> Tree::render_unless_large(Node& file) { return render(file, kReadAheadDataLimit); }

std::shared_ptr<const std::string> Tree::render(Node& file, uint64_t data_limit) {
  if (file.kind == NodeKind::Report) {
    if (file.ino == kErrorsLogIno) return std::make_shared<const std::string>(errors_log());
    const SpillFile& m = manifest();
    std::string bytes(m.size(), '\0');
    bytes.resize(m.read(0, bytes));
    return std::make_shared<const std::string>(std::move(bytes));
  }
  const std::shared_ptr<const FileContent> made = make_content(file, data_limit, WhenLarge::Measure);
  return made ? made->bytes() : nullptr;
}

std::shared_ptr<const FileContent> Tree::make_content(Node& file, uint64_t data_limit, WhenLarge when_large) {
  auto ready = [&]() -> std::shared_ptr<const FileContent> {
    std::shared_ptr<const FileContent> made = cached_readable(file);
    return made && (made->bytes() || when_large == WhenLarge::Plan) ? made : nullptr;
  };
  if (auto made = ready()) return made;
  held_for_reading_.let_go_idle();  // a reader's abandoned files do not stay through the render
  std::lock_guard rendering(render_lock(file));
  if (auto made = ready()) return made;  // made while we waited
  if (file.unreadable) throw parser::ItemError("message cannot be read");
  // A contact, calendar item or note converts from all of its data (a contact's photo).
  if (file.own_format != render::ItemFormat::Eml) data_limit = parser::kAllAttachmentData;
  model::Message message;
  try {
    message = load(file, true, data_limit);
    if (data_limit != parser::kAllAttachmentData && !message.attachment_data_loaded()) {
      if (when_large == WhenLarge::Measure) {
        const uint64_t size = render::measure_eml(message, eml_options());
        std::lock_guard lock(size_lock(file));
        if (!file.has_size()) file.set_size(size);
        return nullptr;
      }
      if (auto planned = plan(file, message)) return planned;
      message = load(file, true);  // a signed entity, or attachments libpff reads
    }
  } catch (const std::exception& e) {
    record_error(path_of(file), file.message_nid, std::string("cannot read message: ") + e.what());
    throw;
  }
  std::optional<render::Conversion> conversion;
  if (file.own_format != render::ItemFormat::Eml) conversion = convert(file, message);
  return FileContent::of(finish_render(file, std::move(message), std::move(conversion)));
}

// The file's bytes from its loaded message (and, for a contact, calendar item or note, its
// conversion); records what was not read or converted, the size, and caches the bytes.
std::shared_ptr<const std::string> Tree::finish_render(Node& file, model::Message message,
                                                       std::optional<render::Conversion> conversion) {
  const std::string path = path_of(file);
  record_warnings(file, message);
  std::shared_ptr<const std::string> bytes;
  if (!conversion) {
    bytes = shared_content(render::render_eml(message, eml_options()));
  } else {
    const bool as_mail = file.format == render::ItemFormat::Eml;
    if (as_mail) {
      record_error(path, file.message_nid,
                   "shown as .eml: not fully converted to " + std::string(render::extension_for(file.own_format)) +
                       "; what was converted is attached as " + render::partial_conversion_name(file.own_format));
    }
    for (const std::string& loss : conversion->notes.losses)
      if (!loss.starts_with(render::kReadLossPrefix)) record_error(path, file.message_nid, "not fully converted: " + loss);
    for (const std::string& remark : conversion->notes.remarks)
      record_error(path, file.message_nid, "converted with a remark: " + remark);
    bytes = shared_content(
        as_mail ? render::render_eml(render::item_as_mail(std::move(message), *conversion, file.own_format), eml_options())
                : std::move(conversion->bytes));
  }
  record_rendered_size(file, bytes->size());
  cache_.put(file.ino, bytes);
  return bytes;
}

void Tree::record_warnings(const Node& file, const model::Message& message) {
  if (message.warnings.empty()) return;
  const std::string path = path_of(file);
  for (const std::string& w : message.warnings) record_error(path, file.message_nid, w);
}

void Tree::record_rendered_size(Node& file, uint64_t size) {
  std::lock_guard lock(size_lock(file));
  if (!file.has_size()) {
    file.set_size(size);
  } else if (file.size != size) {
    record_error(path_of(file), file.message_nid,
                 "rendered " + std::to_string(size) + " bytes, but stat said " + std::to_string(file.size));
  }
}

std::shared_ptr<const FileContent> Tree::readable(Node& file) {
  // Contacts, calendar items and notes convert from all of their data; recovered items come
  // from libpff, which reads attachments whole.
  if (file.kind != NodeKind::File || file.own_format != render::ItemFormat::Eml || file.recovered)
    return FileContent::of(content(file));
  return make_content(file, kReadAheadDataLimit, WhenLarge::Plan);
}

std::shared_ptr<const FileContent> Tree::plan(Node& file, const model::Message& message) {
  std::optional<render::EmlPlan> plan = render::plan_eml(message, eml_options());
  if (!plan) return nullptr;
  FileContent::Data data;
  for (const render::EmlPlan::Streamed& part : plan->streamed) {
    const std::optional<std::vector<uint32_t>> subnodes = message.attachment_subnodes(part.attachment_path);
    if (!subnodes) return nullptr;
    data.push_back(store_.attachment_data(message.nid, *subnodes));
    if (!data.back() || data.back()->size() != part.data_size) return nullptr;
  }
  record_warnings(file, message);
  record_rendered_size(file, plan->size());
  return std::make_shared<const FileContent>(std::move(*plan), std::move(data));
}

void Tree::record_read_error(Ino ino, const std::exception& error) {
  const Node* file = find(ino);
  if (file) record_error(path_of(*file), file->message_nid, std::string("cannot read message: ") + error.what());
}

std::shared_ptr<const FileContent> Tree::content_to_read(Node& file) {
  std::shared_ptr<const FileContent> content = readable(file);
  // A plan, or bytes too large for the render cache: kept until all of it is read (served()).
  if (file.kind == NodeKind::File && (!content->bytes() || !cache_.would_keep(*content->bytes())))
    held_for_reading_.hold(file.ino, content);
  return content;
}

std::shared_ptr<const FileContent> Tree::cached_readable(const Node& file) {
  if (push_)
    if (auto held = held_for_reading_.get(file.ino)) return held;
  if (auto cached = cache_.get(file.ino)) return FileContent::of(std::move(cached));
  return nullptr;
}

namespace {
int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

bool Tree::being_read(const Node& file) const {
  constexpr int64_t kWindowNs = 2'000'000'000;
  return reading_dir_.load(std::memory_order_relaxed) == file.parent &&
         steady_ns() - reading_at_ns_.load(std::memory_order_relaxed) < kWindowNs;
}

void Tree::reader_reached(Node& file) {
  if (file.kind == NodeKind::File && being_read(file)) read_ahead(file);
}

void Tree::size_files_of(Ino dir_ino) {
  Node* dir = find(dir_ino);
  if (!dir || !dir->directory) return;
  DirectoryState& state = *dir->directory;
  const std::span<Node* const> kids = children(*dir);
  for (size_t i; (i = state.next_to_size.fetch_add(1, std::memory_order_relaxed)) < kids.size();) {
    Node* file = kids[i];
    // A reader going through the directory sizes its files as it renders them.
    if (file->kind == NodeKind::File && !being_read(*file)) file_size(*file);
  }
}

void Tree::read_ahead(Node& file) {
  reading_dir_.store(file.parent, std::memory_order_relaxed);
  reading_at_ns_.store(steady_ns(), std::memory_order_relaxed);
  Node* dir = find(file.parent);
  if (!dir) return;
  const std::span<Node* const> siblings = children(*dir);
  auto it = siblings.end();
  {
    std::lock_guard lock(read_position_mutex_);
    size_t& last = read_position_[dir->ino];
    for (size_t guess : {last + 1, last})
      if (guess < siblings.size() && siblings[guess] == &file) it = siblings.begin() + static_cast<ptrdiff_t>(guess);
    if (it == siblings.end()) it = std::find(siblings.begin(), siblings.end(), &file);
    if (it == siblings.end()) return;
    last = static_cast<size_t>(it - siblings.begin());
  }
  size_t queued = 0;
  for (++it; it != siblings.end() && queued < kReadAhead; ++it) {
    Node* next = *it;
    if (next->kind != NodeKind::File) continue;
    ++queued;
    // Stored in the kernel already: a queue entry would only wake a thread to see that (a
    // reader's every stat moves the read-ahead on by one file, and seven of the eight are done).
    if (push_ && next->in_kernel.load(std::memory_order_relaxed)) continue;
    prefetcher_.enqueue(next->ino);
  }
}

void Tree::prefetch(Ino ino) {
  Node* file = find(ino);
  if (!file || file->kind != NodeKind::File) return;
  if (push_) {
    // Once in the kernel's cache, a file is read from there (it renders again only if the
    // kernel drops it and a READ comes).
    if (file->in_kernel.exchange(true, std::memory_order_relaxed)) return;
  } else if (file->in_kernel.load(std::memory_order_relaxed) || cache_.get(ino)) {
    return;
  }
  {
    // A large file is rendered when it is read (see kReadAheadLimit).
    std::lock_guard lock(size_lock(*file));
    if (file->unreadable || (file->has_size() && file->size > kReadAheadLimit)) return;
  }
  std::shared_ptr<const std::string> bytes;
  try {
    bytes = render_unless_large(*file);
  } catch (const std::exception&) {
    // render() has recorded the problem; the reader will meet it again when it gets there.
    return;
  }
  if (!bytes) return;  // large: sized now, rendered when it is read
  // Outside every lock: the kernel may make this wait for a READ of the same file, which a
  // FUSE thread serves from the render cache.
  if (push_) push_(ino, 0, *bytes);
}

void Tree::served(Node& file, uint64_t offset, uint64_t bytes) {
  held_for_reading_.served(file.ino, bytes);
  if (!push_) return;
  const std::shared_ptr<const FileContent> held = held_for_reading_.get(file.ino);
  if (!held || held->bytes()) {
    // Read in full, or rendered bytes (read from memory already).
    std::lock_guard lock(stored_ahead_mutex_);
    stored_ahead_.erase(file.ino);
    return;
  }
  {
    std::lock_guard lock(stored_ahead_mutex_);
    StoredAhead& ahead = stored_ahead_[file.ino];
    ahead.read_to = std::max(ahead.read_to, offset + bytes);
    if (ahead.stored_to >= std::min(held->size(), ahead.read_to + kStoreAheadBytes / 2)) return;
  }
  stream_ahead_.enqueue(file.ino);
}

void Tree::store_ahead(Ino ino) {
  std::string scratch;
  for (;;) {
    // Held while it is being read; let go once all of it is read or handed over.
    const std::shared_ptr<const FileContent> content = held_for_reading_.get(ino);
    uint64_t from = 0, to = 0;
    {
      std::lock_guard lock(stored_ahead_mutex_);
      auto it = stored_ahead_.find(ino);
      if (it == stored_ahead_.end()) return;
      if (!content || it->second.stored_to >= content->size()) {
        stored_ahead_.erase(it);
        return;
      }
      from = std::max(it->second.stored_to, it->second.read_to + kStoreAheadFrom);
      to = std::min({content->size(), it->second.read_to + kStoreAheadBytes, from + kStoreChunk});
      if (from >= to) return;
      it->second.stored_to = to;
    }
    try {
      const std::string_view piece = content->read(from, static_cast<size_t>(to - from), scratch);
      push_(ino, from, piece);
      held_for_reading_.served(ino, piece.size());
    } catch (const std::exception&) {
      return;  // the reader's READ of it meets the problem, and reports it
    }
  }
}

std::string Tree::path_of(const Node& node) {
  std::vector<std::string_view> parts;
  const Node* current = &node;
  for (int guard = 0; current && current->ino != kRootIno && guard < 256; ++guard) {
    parts.push_back(current->name());
    current = find(current->parent);
  }
  std::string path;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) (path += "/") += *it;
  return path.empty() ? "/" : path;
}

void Tree::record_error(const std::string& where, uint32_t nid, const std::string& what) {
  std::lock_guard lock(errors_mutex_);
  // A file rendered again after the cache let it go would repeat its problems.
  if (!error_keys_.insert(where + '\t' + std::to_string(nid) + '\t' + what).second) return;
  errors_.push_back({where, nid, what});
}

std::vector<Tree::ErrorRecord> Tree::errors() const {
  std::lock_guard lock(errors_mutex_);
  return errors_;
}

namespace {
// Tabs and line breaks inside a field would break the TSV's columns.
std::string tsv_field(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return out;
}
}  // namespace

std::string Tree::errors_log() const {
  std::string out = "# path\tnode_id\treason\n";
  for (const ErrorRecord& e : errors())
    out += tsv_field(e.path) + "\t" + std::to_string(e.nid) + "\t" + tsv_field(e.reason) + "\n";
  return out;
}

const SpillFile& Tree::manifest() {
  std::lock_guard lock(manifest_mutex_);
  // Every folder is filled and every item sized when it is made, and neither changes
  // afterwards: the manifest is final, so it is made once.
  if (!manifest_) {
    SpillFile file = SpillFile::create();
    write_manifest(file);
    manifest_ = std::move(file);
  }
  return *manifest_;
}

uint64_t Tree::report_size(Node& report) {
  if (report.ino == kManifestIno) return manifest().size();
  return errors_log().size();
}

size_t Tree::read_manifest(uint64_t offset, std::span<char> out) { return manifest().read(offset, out); }

void Tree::write_manifest(SpillFile& file) {
  // Every folder in the mount's order (depth-first), each filled on the way.
  std::vector<Node*> dirs;
  std::vector<Node*> files;
  std::vector<Ino> stack = {kRootIno};
  while (!stack.empty()) {
    Node* dir = find(stack.back());
    stack.pop_back();
    if (!dir || dir->kind != NodeKind::Directory || dir->ino == kReportsDirIno) continue;
    dirs.push_back(dir);
    const std::span<Node* const> kids = children(*dir);
    for (Node* child : kids)
      if (child->kind == NodeKind::File) files.push_back(child);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it)
      if ((*it)->kind == NodeKind::Directory) stack.push_back((*it)->ino);
  }
  // The sizes are the slow part (a measure or render of every item not sized yet), and tar
  // stats this file first: on all cores.
  std::atomic<size_t> next{0};
  auto size_some = [&] {
    for (size_t i; (i = next++) < files.size();) {
      keep_arena_small(1);  // every node of the mount is read here
      file_size(*files[i]);
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < std::max(1u, std::thread::hardware_concurrency()); ++t) helpers.emplace_back(size_some);
    size_some();
  }

  std::string out =
      "# ostfs manifest of " + tsv_field(store_.path().string()) +
      "\n# type\tnode_id\tpath\tmessage_class\tsize\titems_in_file\titems_shown\n";
  // Written out a megabyte at a time: a million items make 120 MB of lines.
  for (Node* dir : dirs) {
    const std::span<Node* const> kids = children(*dir);
    if (dir->ino != kOtherFoldersIno) {
      const auto shown =
          std::count_if(kids.begin(), kids.end(), [](const Node* child) { return child->kind == NodeKind::File; });
      out += "folder\t" + std::to_string(dir->folder_nid) + "\t" + tsv_field(path_of(*dir)) + "\t\t\t" +
             std::to_string(dir->directory->items_in_file) + "\t" + std::to_string(shown) + "\n";
    }
    for (Node* child : kids) {
      if (child->kind != NodeKind::File) continue;
      out += "item\t" + std::to_string(child->message_nid) + "\t" + tsv_field(path_of(*child)) + "\t" +
             tsv_field(message_class(*child)) + "\t" + std::to_string(file_size(*child)) + "\t\t\n";
      if (out.size() >= kManifestChunk) {
        file.append(out);
        out.clear();
      }
    }
  }
  file.append(out);
}

}  // namespace ostfs::fs
