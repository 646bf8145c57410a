// Puts rendered files into the kernel's page cache before a reader asks for them.
//
// A FUSE request costs two context switches and a wake-up, and a full read through the mount
// made five per file (LOOKUP, OPEN, two READs, RELEASE): on two cores those round trips were
// a third of the time (bench/RESULTS.md, session 5). When the kernel can skip OPEN
// (FUSE_CAP_NO_OPEN_SUPPORT), the mount runs in push mode (ops.cc): the read-ahead threads
// store the files a reader will read next in the kernel's cache (FUSE_NOTIFY_STORE), so that
// reading them costs the daemon nothing but the GETATTR of the reader's stat.
#pragma once

#include <atomic>
#include <cstdint>
#include <shared_mutex>
#include <string_view>

#include "fs/fuse.h"

namespace ostfs::fs {

class KernelPages {
 public:
  // Stores go to `session` from now on.
  void attach(fuse_session* session);
  // The whole of `bytes` as the content of inode `ino`. Does nothing when the kernel does not
  // know the inode (no listing or lookup made it) or the stores have been stopped.
  //
  // The kernel makes a store wait for a READ of the same file that is in flight (it holds
  // those pages locked), so this must never be called from a FUSE request handler nor while
  // holding a lock that serving a READ takes: only from the read-ahead threads, after the
  // render let go of its locks.
  void store(uint64_t ino, std::string_view bytes) { store(ino, 0, bytes); }
  // The same for the file's bytes from `offset`.
  void store(uint64_t ino, uint64_t offset, std::string_view bytes);
  // No store starts after this.
  void stop_new();
  // True once no store is under way (the session is let go then); false while one is,
  // which may be waiting for a READ that only the caller can serve now.
  bool try_detach();

 private:
  std::atomic<bool> stopping_{false};
  std::shared_mutex mutex_;  // shared while storing
  fuse_session* session_ = nullptr;
};

}  // namespace ostfs::fs
