// libFuzzer entry point: see store_walk.h. Built only with -DOSTFS_FUZZ=ON and clang
// (scripts/fuzz.sh).
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "tests/fuzz/store_walk.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    ostfs::fuzz::walk_store({data, size});
  } catch (const std::exception& e) {
    // abort() makes libFuzzer save the input and print the stack; the message says which
    // promise was broken.
    std::fprintf(stderr, "ostfs fuzz finding: %s\n", e.what());
    std::abort();
  }
  return 0;
}
