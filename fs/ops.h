// FUSE low-level handlers over a Tree (fuse_req_userdata is a Served).
#pragma once

#include "fs/fuse.h"
#include "fs/kernel_pages.h"
#include "fs/tree.h"

namespace ostfs::fs {

// What the handlers serve.
struct Served {
  Tree& tree;
  // Where push mode stores rendered files (kernel_pages.h).
  KernelPages& pages;
  // Push mode is used when the kernel can skip OPEN, unless -o nopush said no.
  bool push_allowed = true;
};

fuse_lowlevel_ops make_operations();

}  // namespace ostfs::fs
