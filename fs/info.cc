#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "fs/cli.h"
#include "fs/naming.h"
#include "parser/reader.h"

namespace ostfs::cli {
namespace {

constexpr const char* kInfoUsage =
    "Usage: ostfs info [--check] FILE\n"
    "Print what kind of PST/OST file FILE is and its folder tree with item counts, and list\n"
    "the folders and items that cannot be read.\n"
    "\n"
    "  --check   also read every item completely (properties, recipients, attachments),\n"
    "            as a full copy would, and list each one that cannot be read\n";

// Folder trees in damaged files can loop; the walk visits each folder once and stops at this depth.
constexpr int kMaxDepth = 64;

struct Walk {
  parser::Store& store;
  std::optional<uint32_t> ipm_subtree;
  bool check = false;
  std::set<uint32_t> seen;
  std::vector<std::string> errors;
  uint64_t items = 0;
  uint64_t folders = 0;
  uint64_t checked = 0;

  void folder(const model::Folder& f, int depth, const std::string& path) {
    ++folders;
    items += f.message_count;
    std::string label = fs::sanitize_component(f.name, "(unnamed folder)");
    if (depth == 0) label = "(root)";
    std::cout << std::string(2 + 2 * depth, ' ') << label;
    if (ipm_subtree && f.nid == *ipm_subtree) std::cout << "  [IPM subtree: the mount root]";
    std::cout << ": " << f.message_count << (f.message_count == 1 ? " item" : " items");
    std::vector<std::string> listing_errors;
    const std::vector<parser::MessageSummary> listed = store.messages(f.nid, &listing_errors);
    if (listed.size() != f.message_count) std::cout << " (" << listed.size() << " readable)";
    std::cout << "\n";
    for (const std::string& e : listing_errors) errors.push_back(path + ": " + e);
    if (check) check_items(f, listed, path);
    if (depth >= kMaxDepth) {
      errors.push_back(f.name + ": folder tree deeper than " + std::to_string(kMaxDepth) + " levels; not walked further");
      return;
    }
    std::vector<std::string> child_errors;
    for (const model::Folder& child : store.subfolders(f.nid, &child_errors)) {
      if (!seen.insert(child.nid).second) {
        errors.push_back(child.name + ": folder appears twice in the tree (loop)");
        continue;
      }
      folder(child, depth + 1, path + "/" + fs::sanitize_component(child.name, "(unnamed folder)"));
    }
    for (auto& e : child_errors) errors.push_back(path + ": " + e);
  }

  // Reads each item as `ostfs export` and a full read of the mount would.
  void check_items(const model::Folder& f, const std::vector<parser::MessageSummary>& listed,
                   const std::string& path) {
    for (const parser::MessageSummary& m : listed) {
      const std::string what = path + ": item " + std::to_string(m.nid) + " \"" + m.subject + "\"";
      try {
        const model::Message message = store.load_message({f.nid, m.index, m.nid}, true);
        ++checked;
        for (const std::string& w : message.warnings) errors.push_back(what + ": partly read: " + w);
      } catch (const std::exception& e) {
        errors.push_back(what + ": cannot be read: " + e.what());
      }
    }
  }
};

}  // namespace

int run_info(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
    std::cout << kInfoUsage;
    return Ok;
  }
  const bool check = !args.empty() && args[0] == "--check";
  const size_t first = check ? 1 : 0;
  if (args.size() != first + 1 || (!args[first].empty() && args[first][0] == '-')) {
    std::cerr << "ostfs info: expected [--check] FILE\nTry 'ostfs info --help'.\n";
    return Usage;
  }
  const std::string& file = args[first];
  std::unique_ptr<parser::Store> store;
  try {
    store = parser::Store::open(file);
  } catch (const parser::OpenError& e) {
    report(file, e.what());
    return BadSource;
  }
  const parser::FileInfo& info = store->info();
  std::cout << "File:        " << file << "\n"
            << "Format:      " << info.kind << ", " << (info.unicode ? "Unicode (64-bit)" : "ANSI (32-bit)") << ", "
            << (info.page_size == 4096 ? "4 KiB" : "512 B") << " pages (wVer " << info.version << ")\n"
            << "Encryption:  " << info.encryption << "\n"
            << "Password:    " << (info.password_set ? "set (a CRC only: the data is readable without it)" : "not set")
            << "\n"
            << "Size:        " << info.size << " bytes\n"
            << "Reader:      " << info.reader << "\n"
            << "Folders:\n";
  Walk walk{*store, store->ipm_subtree_nid(), check, {}, {}, 0, 0, 0};
  try {
    const model::Folder root = store->folder(store->root_nid());
    walk.seen.insert(root.nid);
    walk.folder(root, 0, "");
  } catch (const std::exception& e) {
    walk.errors.push_back(std::string("root folder: ") + e.what());
  }
  std::cout << "Total:       " << walk.folders << " folders, " << walk.items << " items\n";
  if (check) std::cout << "Checked:     " << walk.checked << " items read completely or in part\n";
  size_t fallback_total = 0;
  const std::vector<std::string> fallbacks = store->fallbacks(&fallback_total);
  if (fallback_total > 0) {
    std::cout << "Fallback:    libpff read " << fallback_total
              << " objects the native reader could not (damage, or something it does not know):\n";
    for (const std::string& f : fallbacks) std::cout << "  " << f << "\n";
  }
  for (const std::string& e : walk.errors) report(file, e);
  return walk.errors.empty() ? Ok : Incomplete;
}

}  // namespace ostfs::cli
