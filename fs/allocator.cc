#include "fs/allocator.h"

#include <malloc.h>

#if OSTFS_WITH_TCMALLOC
#include <gperftools/malloc_extension_c.h>
#endif

namespace ostfs::fs {

#if OSTFS_WITH_TCMALLOC

std::string_view allocator_name() { return "tcmalloc"; }

// tcmalloc keeps a cache per thread and gives free pages back a few at a time; both bounded by
// its own defaults, which the measurements in bench/RESULTS.md were made with.
void tune_allocator_for_daemon() {}

void release_free_memory() { MallocExtension_ReleaseFreeMemory(); }

#else

std::string_view allocator_name() { return "glibc malloc"; }

void tune_allocator_for_daemon() {
  // Every FUSE and read-ahead thread would otherwise get its own malloc arena, each keeping
  // the memory of the largest message it rendered: the daemon's memory must not grow so.
  mallopt(M_ARENA_MAX, 2);
  // Rendering allocates and frees buffers of a message's size all the time; glibc would give
  // the top of its heap back to the kernel after each and fault the pages in again for the
  // next. Free memory up to this much stays in the process; buffers above the mmap
  // threshold (large attachments) still go straight back.
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

void release_free_memory() { malloc_trim(0); }

#endif

}  // namespace ostfs::fs
