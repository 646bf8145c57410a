// FUSE low-level handlers over a Tree (fuse_req_userdata is the Tree).
#pragma once

#include "fs/fuse.h"

namespace ostfs::fs {

fuse_lowlevel_ops make_operations();

}  // namespace ostfs::fs
