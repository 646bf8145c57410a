// The fuzzing harness shared by the libFuzzer target and the regression replay test: bytes
// in, then everything the mount and the export do with a file: open it, walk its folders,
// load and render every item, write it all to a new PST, and recover deleted items.
//
// Each stage lets through only the exceptions the product catches at that point; anything
// else, and any broken promise of a public API (see ContractViolation), is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace ostfs::fuzz {

// A promise of a public API was broken: an exception type the API does not document, or
// `stat`'s size for an .eml differing from the bytes a read returns. what() names the stage.
struct ContractViolation : std::logic_error {
  using std::logic_error::logic_error;
};

// Bounds that keep one input fast; a damaged file may claim millions of items.
struct WalkLimits {
  int max_depth = 8;
  int max_folders = 64;
  int max_messages_per_folder = 16;
  int max_messages = 64;
};

// What one run did; tests check a real file is walked, not skipped.
struct WalkStats {
  bool opened = false;
  int folders = 0;
  int messages_listed = 0;
  int messages_loaded = 0;
  int messages_rendered = 0;
  int messages_written = 0;
  int messages_recovered = 0;
  bool export_finished = false;
};

// Runs `bytes` through open, walk, render and export. Throws ContractViolation for a
// finding; memory errors are left for the sanitizers to catch.
WalkStats walk_store(std::span<const uint8_t> bytes, const WalkLimits& limits = {});

}  // namespace ostfs::fuzz
