#include "fs/file_content.h"

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>

namespace ostfs::fs {

std::string_view FileContent::read(uint64_t offset, size_t n, std::string& scratch) const {
  const uint64_t size = this->size();
  if (offset >= size) return {};
  n = static_cast<size_t>(std::min<uint64_t>(n, size - offset));
  if (bytes_) return std::string_view(*bytes_).substr(static_cast<size_t>(offset), n);
  if (scratch.size() < n) scratch.resize(n);
  auto read_data = [this](size_t part, uint64_t from, std::span<uint8_t> out) {
    const std::unique_ptr<const parser::AttachmentData>& data = data_.at(part);
    if (!data) throw std::logic_error("FileContent: no data for the plan's streamed part " + std::to_string(part));
    data->read(from, out);
  };
  const size_t made = render::read_eml_plan(plan_, offset, std::span(scratch.data(), n), read_data);
  return std::string_view(scratch).substr(0, made);
}

}  // namespace ostfs::fs
