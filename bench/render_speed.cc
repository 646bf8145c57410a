// ostfs-render-speed: what one message costs, step by step, on one core.
//
// Reads every message of a PST/OST the way the mount does and times each step over the
// whole file: loading a message without attachment data (what `stat` needs), sizing its
// .eml (measure_eml), loading it with attachment data, and rendering it (render_eml).
// Prints microseconds per message, so that a change to the reader or the renderer can be
// measured without FUSE, the kernel or the other core in the way (bench/RESULTS.md).
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "fs/allocator.h"
#include "fs/render/eml.h"
#include "fs/render/ics.h"
#include "fs/render/item_local_time.h"
#include "parser/reader.h"

namespace {

using Clock = std::chrono::steady_clock;

void collect(ostfs::parser::Store& store, uint32_t folder, std::vector<ostfs::parser::MessageRef>& out) {
  std::vector<std::string> errors;
  for (const auto& m : store.messages(folder, &errors)) out.push_back({folder, m.index, m.nid});
  for (const auto& sub : store.subfolders(folder, &errors)) collect(store, sub.nid, out);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "Usage: ostfs-render-speed FILE [ROUNDS]\n"
                 "Times loading, sizing and rendering every message of FILE on one core.\n";
    return 1;
  }
  const int rounds = argc == 3 ? std::stoi(argv[2]) : 1;
  std::unique_ptr<ostfs::parser::Store> store;
  try {
    store = ostfs::parser::Store::open(argv[1]);
  } catch (const std::exception& e) {
    std::cerr << "ostfs-render-speed: " << argv[1] << ": " << e.what() << "\n";
    return 2;
  }
  std::vector<ostfs::parser::MessageRef> messages;
  collect(*store, store->root_nid(), messages);
  const ostfs::render::EmlOptions options{.calendar = ostfs::render::render_ics,
                                          .local_time = ostfs::render::appointment_local_span};

  double load = 0, measure = 0, load_data = 0, render = 0;
  uint64_t measured_bytes = 0, rendered_bytes = 0, failed = 0;
  for (int round = 0; round < rounds; ++round) {
    for (const ostfs::parser::MessageRef& at : messages) {
      try {
        auto start = Clock::now();
        const auto message = store->load_message(at, false);
        load += seconds_since(start);
        start = Clock::now();
        measured_bytes += ostfs::render::measure_eml(message, options);
        measure += seconds_since(start);

        start = Clock::now();
        const auto full = store->load_message(at, true);
        load_data += seconds_since(start);
        start = Clock::now();
        rendered_bytes += ostfs::render::render_eml(full, options).size();
        render += seconds_since(start);
      } catch (const std::exception&) {
        ++failed;
      }
    }
  }
  const double n = static_cast<double>(messages.size()) * rounds / 1e6;
  std::cout << messages.size() << " messages x " << rounds << " rounds, " << failed << " unreadable ("
            << ostfs::fs::allocator_name() << ")\n"
            << "us per message: load " << load / n << ", measure " << measure / n << ", load with data "
            << load_data / n << ", render " << render / n << "\n"
            << "sizes " << (measured_bytes == rendered_bytes ? "agree" : "DISAGREE") << ": " << rendered_bytes
            << " bytes rendered\n";
  return measured_bytes == rendered_bytes ? 0 : 3;
}
