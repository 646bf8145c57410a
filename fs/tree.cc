#include "fs/tree.h"

#include <functional>

#include "fs/naming.h"
#include "fs/render/eml.h"
#include "parser/props.h"

namespace ostfs::fs {

std::shared_ptr<const std::string> ContentCache::get(Ino ino) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(ino);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ContentCache::put(Ino ino, std::shared_ptr<const std::string> content) {
  std::lock_guard lock(mutex_);
  if (content->size() > budget_ / 4) return;  // one huge file would evict everything else
  if (auto it = index_.find(ino); it != index_.end()) {
    used_ -= it->second->second->size();
    lru_.erase(it->second);
    index_.erase(it);
  }
  used_ += content->size();
  lru_.emplace_front(ino, std::move(content));
  index_[ino] = lru_.begin();
  while (used_ > budget_ && !lru_.empty()) {
    used_ -= lru_.back().second->size();
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

Tree::Tree(parser::Store& store, ViewOptions options)
    : store_(store), options_(options), ipm_subtree_(store.ipm_subtree_nid()) {
  auto root = std::make_unique<Node>();
  root->ino = kRootIno;
  root->parent = kRootIno;
  root->kind = NodeKind::Directory;
  root->folder_nid = ipm_subtree_.value_or(store.root_nid());
  try {
    const model::Folder folder = store_.folder(root->folder_nid);
    if (auto t = folder.props.filetime(props::PidTagLastModificationTime)) root->mtime = model::filetime_to_unix(*t);
  } catch (const std::exception& e) {
    record_error("/", e.what());
  }
  nodes_.emplace(kRootIno, std::move(root));
}

Node* Tree::find(Ino ino) {
  std::shared_lock lock(nodes_mutex_);
  auto it = nodes_.find(ino);
  return it == nodes_.end() ? nullptr : it->second.get();
}

const std::vector<Ino>& Tree::children(Node& dir) {
  std::lock_guard lock(dir.fill_mutex);
  if (!dir.filled) {
    fill(dir);
    dir.filled = true;
  }
  return dir.children;
}

Node* Tree::lookup(Node& dir, const std::string& name) {
  children(dir);
  auto it = dir.by_name.find(name);
  return it == dir.by_name.end() ? nullptr : find(it->second);
}

Node& Tree::add_node(std::unique_ptr<Node> node, const std::string& key_for_fallback_ino) {
  std::unique_lock lock(nodes_mutex_);
  if (nodes_.count(node->ino)) {
    // The NID is taken (a damaged file lists an item twice): derive another stable number.
    Ino candidate = (Ino{1} << 40) | (std::hash<std::string>{}(key_for_fallback_ino) & ((Ino{1} << 40) - 1));
    while (nodes_.count(candidate)) ++candidate;
    node->ino = candidate;
  }
  Node& ref = *node;
  nodes_.emplace(node->ino, std::move(node));
  return ref;
}

void Tree::fill(Node& dir) {
  NameAllocator names;
  auto attach = [&](Node& child) {
    dir.children.push_back(child.ino);
    dir.by_name.emplace(child.name, child.ino);
  };
  const bool is_root = dir.ino == kRootIno;

  std::vector<std::string> errors;
  std::vector<model::Folder> folders = store_.subfolders(dir.folder_nid, &errors);

  if (is_root && ipm_subtree_) {
    // Everything outside the IPM subtree lives in one place, created first so its name is stable.
    auto other = std::make_unique<Node>();
    other->ino = kOtherFoldersIno;
    other->parent = kRootIno;
    other->kind = NodeKind::Directory;
    other->folder_nid = store_.root_nid();
    other->mtime = dir.mtime;
    other->name = names.allocate(kOtherFoldersName, "");
    attach(add_node(std::move(other), "other"));
  }

  for (model::Folder& folder : folders) {
    if (ipm_subtree_ && folder.nid == *ipm_subtree_) continue;  // it is the mount root
    if (find(folder.nid)) {
      errors.push_back("folder " + std::to_string(folder.nid) + " (" + folder.name +
                       ") appears twice in the folder tree; shown once");
      continue;
    }
    auto node = std::make_unique<Node>();
    node->ino = folder.nid;
    node->parent = dir.ino;
    node->kind = NodeKind::Directory;
    node->folder_nid = folder.nid;
    if (auto t = folder.props.filetime(props::PidTagLastModificationTime)) node->mtime = model::filetime_to_unix(*t);
    node->name = names.allocate(sanitize_component(folder.name, "(unnamed folder)"), "");
    attach(add_node(std::move(node), std::to_string(dir.ino) + "/" + folder.name));
  }

  for (parser::MessageSummary& message : store_.messages(dir.folder_nid, &errors)) {
    auto node = std::make_unique<Node>();
    node->ino = message.nid;
    node->parent = dir.ino;
    node->kind = NodeKind::File;
    node->folder_nid = dir.folder_nid;
    node->message_index = message.index;
    node->message_nid = message.nid;
    node->mtime = message.time.value_or(0);
    node->name = names.allocate(message_file_stem(message.time, message.subject), ".eml");
    attach(add_node(std::move(node), std::to_string(dir.ino) + "/" + std::to_string(message.index)));
  }
  for (const std::string& e : errors) record_error(path_of(dir), e);
}

uint64_t Tree::file_size(Node& file) {
  std::lock_guard lock(file.size_mutex);
  if (!file.size) {
    try {
      const model::Message message = store_.load_message(file.folder_nid, file.message_index, false);
      file.size = render::measure_eml(message);
    } catch (const std::exception& e) {
      record_error(path_of(file), std::string("cannot read message: ") + e.what());
      file.unreadable = true;
      file.size = 0;
    }
  }
  return *file.size;
}

struct stat Tree::attributes(Node& node) {
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
    st.st_size = static_cast<off_t>(file_size(node));
    st.st_blocks = (st.st_size + 511) / 512;
  }
  return st;
}

std::shared_ptr<const std::string> Tree::content(Node& file) {
  if (auto cached = cache_.get(file.ino)) return cached;
  const uint64_t expected = file_size(file);
  if (file.unreadable) throw parser::ItemError("message cannot be read");
  model::Message message;
  try {
    message = store_.load_message(file.folder_nid, file.message_index, true);
  } catch (const std::exception& e) {
    record_error(path_of(file), std::string("cannot read message: ") + e.what());
    throw;
  }
  for (const std::string& w : message.warnings) record_error(path_of(file), w);
  auto bytes = std::make_shared<const std::string>(render::render_eml(message));
  if (bytes->size() != expected) {
    record_error(path_of(file), "rendered " + std::to_string(bytes->size()) + " bytes, but stat said " +
                                    std::to_string(expected));
  }
  cache_.put(file.ino, bytes);
  return bytes;
}

std::string Tree::path_of(const Node& node) {
  std::vector<std::string> parts;
  const Node* current = &node;
  for (int guard = 0; current && current->ino != kRootIno && guard < 256; ++guard) {
    parts.push_back(current->name);
    current = find(current->parent);
  }
  std::string path;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) path += "/" + *it;
  return path.empty() ? "/" : path;
}

void Tree::record_error(const std::string& where, const std::string& what) {
  std::lock_guard lock(errors_mutex_);
  errors_.push_back(where + ": " + what);
}

std::vector<std::string> Tree::errors() const {
  std::lock_guard lock(errors_mutex_);
  return errors_;
}

}  // namespace ostfs::fs
