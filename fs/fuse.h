// The one place that includes libfuse, at the API level Debian 12's libfuse 3.14 provides.
#pragma once

#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 12)
#include <fuse_lowlevel.h>
