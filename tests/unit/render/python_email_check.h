// Runs tests/unit/render/check_eml.py over rendered messages: Python's email package is an
// independent parser, so "it parses without defects" is a real check of our MIME.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ostfs::render::testing {

struct EmailExpectation {
  std::map<std::string, std::string> headers;               // name -> decoded value
  std::map<std::string, std::vector<uint8_t>> attachments;  // filename -> bytes
  std::optional<std::vector<std::string>> structure;        // content types, walk order
  std::optional<std::string> body;                          // first text/plain, decoded
  bool header_defects = true;                               // also check every header
};

class PythonEmailCheck {
 public:
  PythonEmailCheck() = default;
  PythonEmailCheck(const PythonEmailCheck&) = delete;
  PythonEmailCheck& operator=(const PythonEmailCheck&) = delete;
  ~PythonEmailCheck();  // removes the temporary files

  // Writes `eml` to a temporary file and queues it for checking.
  void add(const std::string& eml, EmailExpectation expectation = {});
  // Runs the checker over everything added. Returns its output; `ok` tells success.
  std::string run(bool& ok) const;

 private:
  struct Case {
    std::string path;
    EmailExpectation expectation;
    std::vector<std::pair<std::string, std::string>> attachment_files;  // name, path
  };
  std::vector<Case> cases_;
  mutable std::vector<std::string> files_;
};

}  // namespace ostfs::render::testing
