// What READs of a file are served from: its rendered bytes, or, for a mail file whose
// attachments are too large to hold, its plan (render/eml_plan.h) and the attachments' data
// in the source file. A plan holds the message's text parts only, and READs of one file
// encode their own ranges, on as many threads as the kernel sends them on.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fs/render/eml_plan.h"
#include "parser/attachment_data.h"

namespace ostfs::fs {

class FileContent {
 public:
  using Bytes = std::shared_ptr<const std::string>;
  using Data = std::vector<std::unique_ptr<const parser::AttachmentData>>;

  explicit FileContent(Bytes bytes) : bytes_(std::move(bytes)) {}
  // `data` for each of the plan's streamed parts, in order.
  FileContent(render::EmlPlan plan, Data data) : plan_(std::move(plan)), data_(std::move(data)) {}
  static std::shared_ptr<const FileContent> of(Bytes bytes) {
    return std::make_shared<const FileContent>(std::move(bytes));
  }

  uint64_t size() const { return bytes_ ? bytes_->size() : plan_.size(); }
  // The memory it holds.
  uint64_t held_bytes() const { return bytes_ ? bytes_->capacity() : plan_.text.capacity(); }
  // The rendered bytes; null for a plan.
  const Bytes& bytes() const { return bytes_; }
  // Up to `n` bytes from `offset` (none past the end): a view of the bytes, or made in
  // `scratch`. Throws parser::ItemError when attachment data cannot be read.
  std::string_view read(uint64_t offset, size_t n, std::string& scratch) const;

 private:
  Bytes bytes_;
  render::EmlPlan plan_;
  Data data_;
};

}  // namespace ostfs::fs
