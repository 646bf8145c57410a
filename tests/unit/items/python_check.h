// Runs check_items.py over rendered items: Python's vobject and icalendar are parsers
// independent of ours and of libical, so "they read it, and read these values" is a real
// check. The script prints one "NAME[params]=value" line per property it read.
#pragma once

#include <string>
#include <vector>

namespace ostfs::render::testing {

struct PythonResult {
  bool ok = false;     // exit status 0: every file parsed, line rules held
  std::string output;  // what the script printed
  // True when the output has exactly the line `line`.
  bool has(const std::string& line) const;
  // Lines that start with `prefix`.
  std::vector<std::string> lines_starting(const std::string& prefix) const;
};

// Writes each of `files` (name suffix .vcf or .ics decides the parser) to a temporary
// file and checks them in one run of the script.
PythonResult python_check(const std::vector<std::pair<std::string, std::string>>& suffix_and_bytes);
inline PythonResult python_check_one(const std::string& suffix, const std::string& bytes) {
  return python_check({{suffix, bytes}});
}

// The corpus directory (OSTFS_CORPUS, else shared/corpus next to the repository).
std::string corpus_dir();

}  // namespace ostfs::render::testing
