// Subcommands of the `ostfs` binary. Each takes its arguments after the subcommand name and
// returns the process exit code (see ExitCode and man/ostfs.1).
#pragma once

#include <string>
#include <vector>

namespace ostfs::cli {

enum ExitCode : int {
  Ok = 0,
  Usage = 1,         // bad command line
  BadSource = 2,     // the PST/OST cannot be opened
  BadMountpoint = 3, // missing, not a directory, not empty, or already mounted
  MountFailed = 4,   // FUSE refused the mount
  Incomplete = 5,    // finished, but some items could not be read (listed on stderr)
  OutputFailed = 6,  // the output file cannot be written
};

int run_mount(const std::vector<std::string>& args);
int run_info(const std::vector<std::string>& args);
int run_export(const std::vector<std::string>& args);

// "ostfs: <subject>: <problem>" on stderr, one line.
void report(const std::string& subject, const std::string& problem);

}  // namespace ostfs::cli
