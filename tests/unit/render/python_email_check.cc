#include "python_email_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace ostfs::render::testing {
namespace {

std::string temp_path(const std::string& suffix) {
  static std::atomic<int> counter{0};
  return ::testing::TempDir() + "ostfs_render_" + std::to_string(getpid()) + "_" +
         std::to_string(counter++) + suffix;
}

void write_file(const std::string& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

PythonEmailCheck::~PythonEmailCheck() {
  if (std::getenv("OSTFS_KEEP_TEST_FILES")) return;  // to look at a failing case by hand
  for (const auto& f : files_) std::remove(f.c_str());
}

void PythonEmailCheck::add(const std::string& eml, EmailExpectation expectation) {
  Case c;
  c.path = temp_path(".eml");
  write_file(c.path, eml.data(), eml.size());
  files_.push_back(c.path);
  for (const auto& [name, bytes] : expectation.attachments) {
    const std::string path = temp_path(".bin");
    write_file(path, bytes.data(), bytes.size());
    files_.push_back(path);
    c.attachment_files.emplace_back(name, path);
  }
  c.expectation = std::move(expectation);
  cases_.push_back(std::move(c));
}

std::string PythonEmailCheck::run(bool& ok) const {
  std::string json = "[";
  for (const auto& c : cases_) {
    if (json.size() > 1) json += ",";
    json += "{\"eml\":" + json_string(c.path);
    json += ",\"header_defects\":" + std::string(c.expectation.header_defects ? "true" : "false");
    json += ",\"headers\":{";
    bool first = true;
    for (const auto& [name, value] : c.expectation.headers) {
      json += (first ? "" : ",") + json_string(name) + ":" + json_string(value);
      first = false;
    }
    json += "},\"attachments\":{";
    first = true;
    for (const auto& [name, path] : c.attachment_files) {
      json += (first ? "" : ",") + json_string(name) + ":" + json_string(path);
      first = false;
    }
    json += "}";
    if (c.expectation.structure) {
      json += ",\"structure\":[";
      first = true;
      for (const auto& t : *c.expectation.structure) {
        json += (first ? "" : ",") + json_string(t);
        first = false;
      }
      json += "]";
    }
    if (c.expectation.body) json += ",\"body\":" + json_string(*c.expectation.body);
    json += "}";
  }
  json += "]";
  const std::string manifest = temp_path(".json");
  write_file(manifest, json.data(), json.size());
  files_.push_back(manifest);

  const std::string command =
      std::string("/usr/bin/python3 ") + OSTFS_RENDER_CHECK_SCRIPT + " " + manifest + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) output.append(buf.data(), n);
  const int status = pclose(pipe.release());
  ok = status == 0;
  return output;
}

}  // namespace ostfs::render::testing
