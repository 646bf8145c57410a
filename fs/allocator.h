#pragma once

// The memory allocator of the ostfs process. Built with tcmalloc (CMake option OSTFS_TCMALLOC,
// the default) the renderer's many small allocations per message cost less than glibc's malloc
// (bench/RESULTS.md, "Session 10"); sanitizer builds use glibc's, which ASan replaces.

#include <string_view>

namespace ostfs::fs {

// Which allocator this build uses: "tcmalloc" or "glibc malloc".
std::string_view allocator_name();

// Settings for the mount's daemon, which lives long and renders on many threads at once. Call
// before its worker threads start.
void tune_allocator_for_daemon();

// Gives memory that was freed back to the system now, rather than keeping it for later
// allocations: after a large message or a large listing, so that the daemon's resident memory
// stays near what it uses.
void release_free_memory();

}  // namespace ostfs::fs
