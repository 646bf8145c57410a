#include "fs/ops.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fs/tree.h"

namespace ostfs::fs {
namespace {

// The tree never changes once read, so the kernel may cache entries and attributes for long.
constexpr double kCacheSeconds = 86400.0;

Served& served(fuse_req_t req) { return *static_cast<Served*>(fuse_req_userdata(req)); }
Tree& tree_of(fuse_req_t req) { return served(req).tree; }

// Nothing may unwind into libfuse. Must be called from within a catch block.
void reply_current_exception(fuse_req_t req) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    fuse_reply_err(req, ENOMEM);
  } catch (...) {
    fuse_reply_err(req, EIO);
  }
}

// Reports grow as items are read, so the kernel must ask for their size each time.
double attr_timeout(const Node& node) { return node.kind == NodeKind::Report ? 0.0 : kCacheSeconds; }

// Push mode opens nothing, so an item that cannot be read must fail where a reader first
// touches it, its stat: with size 0 and no error, a copy would hold an empty file instead.
bool fails_in_push_mode(Tree& tree, const Node& node) {
  return tree.pushes() && node.kind == NodeKind::File && node.unreadable.load(std::memory_order_relaxed);
}

void fill_entry(Tree& tree, Node& node, fuse_entry_param& entry) {
  std::memset(&entry, 0, sizeof entry);
  entry.ino = node.ino;
  entry.generation = 1;
  entry.attr = tree.attributes(node);
  entry.attr_timeout = attr_timeout(node);
  entry.entry_timeout = kCacheSeconds;
}

// Push mode (kernel_pages.h): the kernel sends no OPEN or RELEASE (OPEN answered ENOSYS),
// lists every directory with READDIRPLUS, and finds the files the read-ahead stored in its
// cache. Stores are made only by the read-ahead threads, never by these handlers: the kernel
// makes a store wait for a READ of the same file in flight, which these handlers answer.
void op_init(void* userdata, fuse_conn_info* conn) {
  Served& s = *static_cast<Served*>(userdata);
  const unsigned needed = FUSE_CAP_NO_OPEN_SUPPORT | FUSE_CAP_READDIRPLUS;
  if (!s.push_allowed || (conn->capable & needed) != needed) return;
  // Every listing with attributes, not only the first (the "auto" mode): a listed file is
  // then known to the kernel, so its bytes can be stored before its first stat.
  conn->want |= FUSE_CAP_READDIRPLUS;
  conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
  KernelPages& pages = s.pages;
  s.tree.push_rendered_files(
      [&pages](Ino ino, uint64_t offset, std::string_view bytes) { pages.store(ino, offset, bytes); });
}

void op_lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  try {
    Tree& tree = tree_of(req);
    Node* dir = tree.find(parent);
    if (!dir || dir->kind != NodeKind::Directory) return (void)fuse_reply_err(req, ENOTDIR);
    Node* child = tree.lookup(*dir, name);
    if (!child) {
      // A zero inode makes the kernel cache the miss.
      fuse_entry_param negative{};
      negative.entry_timeout = kCacheSeconds;
      return (void)fuse_reply_entry(req, &negative);
    }
    if (tree.pushes()) tree.reader_reached(*child);
    fuse_entry_param entry;
    fill_entry(tree, *child, entry);
    if (fails_in_push_mode(tree, *child)) return (void)fuse_reply_err(req, EIO);
    fuse_reply_entry(req, &entry);
  } catch (...) {
    reply_current_exception(req);
  }
}

void op_getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
  try {
    Tree& tree = tree_of(req);
    Node* node = tree.find(ino);
    if (!node) return (void)fuse_reply_err(req, ENOENT);
    // Readers stat each file before reading it; in push mode that is the only request a file
    // stored ahead brings, so it is what moves the read-ahead on.
    if (tree.pushes()) tree.reader_reached(*node);
    const struct stat st = tree.attributes(*node);
    if (fails_in_push_mode(tree, *node)) return (void)fuse_reply_err(req, EIO);
    fuse_reply_attr(req, &st, attr_timeout(*node));
  } catch (...) {
    reply_current_exception(req);
  }
}

void op_opendir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Node* node = tree_of(req).find(ino);
  if (!node) return (void)fuse_reply_err(req, ENOENT);
  if (node->kind != NodeKind::Directory) return (void)fuse_reply_err(req, ENOTDIR);
  fi->cache_readdir = 1;
  fi->keep_cache = 1;
  fuse_reply_open(req, fi);
}

// Offsets: 1 is ".", 2 is "..", 3 + i is children[i]. With `plus` (READDIRPLUS), entries
// whose attributes are known already carry them, which spares `ls -l` a LOOKUP per file.
// Sizing the others would make a listing read every message: they go without (inode 0 in
// the entry) and the kernel looks them up as before, or, in push mode, with st_size 0 and no
// attribute timeout, so the kernel knows the inode (and can be given its bytes) but asks for
// the attributes again at the first stat.
void list_directory(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, bool plus) {
  Tree& tree = tree_of(req);
  Node* dir = tree.find(ino);
  if (!dir || dir->kind != NodeKind::Directory) return (void)fuse_reply_err(req, ENOTDIR);
  const std::span<Node* const> children = tree.children(*dir);
  std::vector<char> buffer(size);
  size_t used = 0;
  const size_t total = children.size() + 2;
  for (size_t index = static_cast<size_t>(offset); index < total; ++index) {
    fuse_entry_param entry{};
    const char* name = nullptr;
    if (index < 2) {
      name = index == 0 ? "." : "..";
      entry.attr.st_ino = index == 0 ? dir->ino : dir->parent;
      entry.attr.st_mode = S_IFDIR;
    } else {
      Node* child = children[index - 2];
      name = child->name_chars;  // NUL-terminated (NameArena)
      std::optional<struct stat> known;
      if (plus) known = tree.known_attributes(*child);
      if (fails_in_push_mode(tree, *child)) known.reset();  // a stat must come, and fail
      if (known) {
        entry.ino = child->ino;
        entry.generation = 1;
        entry.attr = *known;
        entry.attr_timeout = attr_timeout(*child);
        entry.entry_timeout = kCacheSeconds;
      } else if (plus && tree.pushes() && child->kind == NodeKind::File) {
        entry.ino = child->ino;
        entry.generation = 1;
        entry.attr = tree.attributes_unsized(*child);
        entry.attr_timeout = 0;
        entry.entry_timeout = kCacheSeconds;
      } else {
        entry.attr.st_ino = child->ino;
        entry.attr.st_mode = child->kind == NodeKind::Directory ? S_IFDIR : S_IFREG;
      }
    }
    const off_t next = static_cast<off_t>(index + 1);
    const size_t need = plus ? fuse_add_direntry_plus(req, buffer.data() + used, size - used, name, &entry, next)
                             : fuse_add_direntry(req, buffer.data() + used, size - used, name, &entry.attr, next);
    if (need > size - used) break;
    used += need;
  }
  fuse_reply_buf(req, buffer.data(), used);
}

void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info*) {
  try {
    list_directory(req, ino, size, offset, false);
  } catch (...) {
    reply_current_exception(req);
  }
}

void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info*) {
  try {
    list_directory(req, ino, size, offset, true);
  } catch (...) {
    reply_current_exception(req);
  }
}

void op_open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  try {
    Tree& tree = tree_of(req);
    Node* node = tree.find(ino);
    if (!node) return (void)fuse_reply_err(req, ENOENT);
    if (node->kind == NodeKind::Directory) return (void)fuse_reply_err(req, EISDIR);
    if ((fi->flags & O_ACCMODE) != O_RDONLY) return (void)fuse_reply_err(req, EROFS);
    // The kernel opens files without asking from now on (push mode; see op_read).
    if (tree.pushes()) return (void)fuse_reply_err(req, ENOSYS);
    const bool opened_before = node->in_kernel.exchange(true, std::memory_order_relaxed);
    // The next files are queued first, so that background threads render them while this
    // one renders the file being opened.
    if (node->kind == NodeKind::File) tree.read_ahead(*node);
    if (node->ino == kManifestIno) {
      // Made once and kept in a file of its own; reads take it from there, no handle needed.
      tree.report_size(*node);
      fi->fh = 0;
    } else if (node->kind == NodeKind::File && opened_before && !node->unreadable) {
      // Read before: the kernel most likely serves it from its page cache (keep_cache), so
      // it is rendered only if a read does come (a second grep -r or tar renders nothing).
      fi->fh = tree.open_files().add_deferred(ino);
    } else {
      // The bytes are rendered now, once per open, and held until release; a file that
      // cannot be read fails here.
      fi->fh = tree.open_files().add(tree.readable(*node));
    }
    // A report's bytes are made at open; the page cache must not serve an older version.
    fi->keep_cache = node->kind == NodeKind::File;
    fi->direct_io = node->kind == NodeKind::Report;
    if (fuse_reply_open(req, fi) != 0 && fi->fh != 0) tree.open_files().remove(fi->fh);
  } catch (...) {
    reply_current_exception(req);
  }
}

void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  Tree& tree = tree_of(req);
  if (ino == kManifestIno) {
    try {
      std::vector<char> buffer(size);
      const size_t n = offset < 0 ? 0 : tree.read_manifest(static_cast<uint64_t>(offset), buffer);
      return (void)fuse_reply_buf(req, buffer.data(), n);
    } catch (...) {
      return reply_current_exception(req);
    }
  }
  std::shared_ptr<const FileContent> content;
  Node* unopened = nullptr;  // push mode: the file read without a handle
  try {
    if (fi->fh == 0 && tree.pushes()) {
      unopened = tree.find(ino);
      if (!unopened || unopened->kind == NodeKind::Directory) return (void)fuse_reply_err(req, EBADF);
      // A reader starting on a file: the files after it are rendered and stored meanwhile.
      if (offset == 0 && unopened->kind == NodeKind::File) tree.read_ahead(*unopened);
      content = tree.content_to_read(*unopened);
    } else {
      content = tree.open_files().get(fi->fh);
      if (!content) {
        Node* node = tree.find(tree.open_files().deferred_ino(fi->fh));
        if (!node) return (void)fuse_reply_err(req, EBADF);
        content = tree.open_files().fill(fi->fh, tree.readable(*node));
      }
    }
  } catch (...) {
    return reply_current_exception(req);
  }
  // Kept from READ to READ: a plan's bytes are made in it, and a new one is zeroed first.
  thread_local std::string scratch;
  std::string_view given;
  try {
    if (offset >= 0) given = content->read(static_cast<uint64_t>(offset), size, scratch);
  } catch (const std::exception& e) {
    tree.record_read_error(ino, e);
    return reply_current_exception(req);
  }
  fuse_reply_buf(req, given.data(), given.size());
  if (unopened && unopened->kind == NodeKind::File) tree.served(*unopened, static_cast<uint64_t>(offset), given.size());
}

void op_release(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
  tree_of(req).open_files().remove(fi->fh);
  fuse_reply_err(req, 0);
}

void op_statfs(fuse_req_t req, fuse_ino_t) {
  struct statvfs st{};
  st.f_bsize = 4096;
  st.f_frsize = 4096;
  st.f_namemax = 255;
  fuse_reply_statfs(req, &st);
}

}  // namespace

fuse_lowlevel_ops make_operations() {
  fuse_lowlevel_ops ops{};
  ops.init = op_init;
  ops.lookup = op_lookup;
  ops.getattr = op_getattr;
  ops.opendir = op_opendir;
  ops.readdir = op_readdir;
  ops.readdirplus = op_readdirplus;
  ops.open = op_open;
  ops.read = op_read;
  ops.release = op_release;
  ops.statfs = op_statfs;
  return ops;
}

}  // namespace ostfs::fs
