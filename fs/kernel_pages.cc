#include "fs/kernel_pages.h"

#include <mutex>

namespace ostfs::fs {

void KernelPages::attach(fuse_session* session) {
  std::unique_lock lock(mutex_);
  session_ = session;
}

void KernelPages::store(uint64_t ino, uint64_t offset, std::string_view bytes) {
  if (stopping_.load(std::memory_order_acquire) || bytes.empty()) return;
  std::shared_lock lock(mutex_);
  if (!session_) return;
  fuse_bufvec buffer = FUSE_BUFVEC_INIT(bytes.size());
  buffer.buf[0].mem = const_cast<char*>(bytes.data());  // only read from
  // An error (ENOENT: the kernel has no such inode now; ENODEV: unmounted) costs nothing but
  // the shortcut: the reader's READ requests are served as usual.
  (void)fuse_lowlevel_notify_store(session_, ino, static_cast<off_t>(offset), &buffer, FUSE_BUF_NO_SPLICE);
}

void KernelPages::stop_new() { stopping_.store(true, std::memory_order_release); }

bool KernelPages::try_detach() {
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock) return false;
  session_ = nullptr;
  return true;
}

}  // namespace ostfs::fs
