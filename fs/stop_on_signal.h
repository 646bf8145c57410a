// Ends the mount on SIGTERM, SIGINT or SIGHUP, as libfuse's own handlers would, but only once
// no store into the kernel's cache is under way (kernel_pages.h).
//
// The kernel makes a store wait for a READ of the same file that is in flight. libfuse's
// handlers end the session at once: its threads then drop the requests they read, so a READ a
// store waits for would never be answered, and the store, the daemon and the reader would wait
// for ever. Here a thread of ours stops the stores first, while the FUSE threads still answer
// READs, and ends the session after.
#pragma once

#include <pthread.h>

#include <thread>

#include "fs/fuse.h"
#include "fs/kernel_pages.h"

namespace ostfs::fs {

class StopOnSignal {
 public:
  // Installs the handlers (and ignores SIGPIPE, as libfuse does); a signal from now on is
  // acted on once watch() has been called. Throws std::system_error.
  StopOnSignal();
  // Restores the default handlers and stops the watching thread.
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  // Starts the thread that acts on the signals; call it from the thread that runs the session
  // loop, after any fork (fuse_daemonize).
  void watch(fuse_session* session, KernelPages& pages);

 private:
  void run(fuse_session* session, KernelPages& pages, pthread_t loop_thread);

  int pipe_[2] = {-1, -1};  // the handlers write the signal number; the thread reads it
  std::thread thread_;
};

}  // namespace ostfs::fs
