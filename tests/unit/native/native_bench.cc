// Times reading every message of a file through libpff (a Store opened with
// Store::Readers::LibpffOnly) and through the native reader (NativeStore::read_message), with
// and without attachment data.
// Usage: native_bench FILE...
#include <chrono>
#include <cstdio>
#include <functional>
#include <set>

#include "parser/native_store.h"
#include "parser/ndb/nid.h"
#include "parser/reader.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ostfs;
  for (int i = 1; i < argc; ++i) {
    auto start = Clock::now();
    auto lib = parser::Store::open(argv[i], parser::Store::Readers::LibpffOnly);
    std::vector<parser::MessageRef> items;
    std::set<uint32_t> seen;
    std::function<void(uint32_t)> walk = [&](uint32_t folder) {
      if (!seen.insert(folder).second) return;
      for (const auto& s : lib->messages(folder, nullptr)) items.push_back({folder, s.index, s.nid});
      for (const auto& f : lib->subfolders(folder, nullptr)) walk(f.nid);
    };
    walk(lib->root_nid());
    const double lib_list = seconds_since(start);
    start = Clock::now();
    auto nat = parser::NativeStore::open(argv[i]);
    size_t native_listed = 0;
    std::set<uint32_t> native_seen;
    std::function<void(uint32_t)> native_walk = [&](uint32_t folder) {
      if (!native_seen.insert(folder).second) return;
      native_listed += nat->contents(folder).size();
      for (uint32_t child : nat->subfolders(folder)) native_walk(child);
    };
    native_walk(ndb::NID_ROOT_FOLDER);
    const double nat_list = seconds_since(start);
    std::printf("%s: %zu messages (native listing: %zu)\n", argv[i], items.size(), native_listed);
    std::printf("  list folders + messages: libpff %.3f s, native %.3f s\n", lib_list, nat_list);
    for (bool with_data : {false, true}) {
      uint64_t lib_bytes = 0, nat_bytes = 0;
      start = Clock::now();
      for (const parser::MessageRef& item : items) {
        const model::Message m = lib->load_message(item, with_data);
        for (const auto& a : m.attachments) lib_bytes += with_data ? a.data.size() : a.data_size;
      }
      const double lib_time = seconds_since(start);
      start = Clock::now();
      for (const parser::MessageRef& item : items) {
        const model::Message m = nat->read_message(item.nid, with_data);
        for (const auto& a : m.attachments) nat_bytes += with_data ? a.data.size() : a.data_size;
      }
      const double nat_time = seconds_since(start);
      std::printf("  read every message %s: libpff %.3f s, native %.3f s (%.1fx); attachment bytes %llu / %llu\n",
                  with_data ? "with attachment data   " : "without attachment data", lib_time, nat_time,
                  nat_time > 0 ? lib_time / nat_time : 0.0, static_cast<unsigned long long>(lib_bytes),
                  static_cast<unsigned long long>(nat_bytes));
    }
  }
}
