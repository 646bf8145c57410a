// ostfs: read Outlook PST/OST files without Outlook.
#include <iostream>
#include <string>
#include <vector>

#include "fs/cli.h"

#ifndef OSTFS_VERSION
#define OSTFS_VERSION "unknown"
#endif

namespace {

constexpr const char* kUsage =
    "Usage: ostfs COMMAND [ARGS...]\n"
    "Read Outlook PST and OST files (ANSI, Unicode, OST 2013+) without Outlook.\n"
    "\n"
    "Commands:\n"
    "  mount FILE MOUNTPOINT   mount FILE read-only: a directory per folder, an .eml per message\n"
    "  export FILE OUT.pst     write the folders and items of FILE into a new Unicode PST\n"
    "  info FILE               print the file's format and its folder tree with item counts\n"
    "\n"
    "Options:\n"
    "  -h, --help              show this help (ostfs COMMAND --help for a command's options)\n"
    "  -V, --version           show the version\n"
    "\n"
    "See ostfs(1) for details.\n";

}  // namespace

namespace ostfs::cli {
void report(const std::string& subject, const std::string& problem) {
  std::cerr << "ostfs: " << subject << ": " << problem << "\n";
}
}  // namespace ostfs::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return ostfs::cli::Usage;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kUsage;
    return ostfs::cli::Ok;
  }
  if (command == "-V" || command == "--version") {
    std::cout << "ostfs " << OSTFS_VERSION << "\n";
    return ostfs::cli::Ok;
  }
  try {
    if (command == "mount") return ostfs::cli::run_mount(args);
    if (command == "info") return ostfs::cli::run_info(args);
    if (command == "export") return ostfs::cli::run_export(args);
  } catch (const std::exception& e) {
    std::cerr << "ostfs " << command << ": " << e.what() << "\n";
    return ostfs::cli::MountFailed;
  }
  std::cerr << "ostfs: unknown command '" << command << "'\nTry 'ostfs --help'.\n";
  return ostfs::cli::Usage;
}
