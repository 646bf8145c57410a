// The item model as bytes, for the pipe between the reader and its libpff worker process
// (pff_worker.h). Both ends are the same build, so the encoding is plain: little-endian
// integers, length-prefixed byte strings, no versioning. The decoder still checks every length:
// a worker that dies mid-write must never make the reader read past a buffer.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "parser/model.h"
#include "parser/pff_description.h"
#include "parser/reader.h"

namespace ostfs::parser::wire {

struct WireError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Writer {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u32(uint32_t v);
  void u64(uint64_t v);
  void bytes(std::span<const uint8_t> v);
  void str(std::string_view v);

  std::vector<uint8_t>& data() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint8_t u8();
  uint32_t u32();
  uint64_t u64();
  std::vector<uint8_t> bytes();
  std::string str();
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::span<const uint8_t> take(size_t n);
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

void put(Writer& w, const model::PropertyBag& bag);
void put(Writer& w, const model::Message& message);
void put(Writer& w, const model::Folder& folder);
void put(Writer& w, const MessageSummary& summary);
void put(Writer& w, const PffDescription& description);

model::PropertyBag get_bag(Reader& r);
model::Message get_message(Reader& r);
model::Folder get_folder(Reader& r);
MessageSummary get_summary(Reader& r);
PffDescription get_description(Reader& r);

}  // namespace ostfs::parser::wire
