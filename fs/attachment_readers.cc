#include "fs/attachment_readers.h"

#include <stdexcept>
#include <string>

namespace ostfs::cli {

void AttachmentReaders::collect(const model::Message& message, Path& path, std::vector<Path>& out) const {
  for (size_t i = 0; i < message.attachments.size(); ++i) {
    const model::Attachment& attachment = message.attachments[i];
    path.push_back(i);
    if (attachment.embedded) collect(*attachment.embedded, path, out);
    else if (!attachment.data_loaded && attachment.data_size > 0) out.push_back(path);
    path.pop_back();
  }
}

std::optional<AttachmentReaders> AttachmentReaders::open(parser::Store& store, const model::Message& message) {
  AttachmentReaders readers;
  std::vector<Path> unloaded;
  Path path;
  readers.collect(message, path, unloaded);
  for (const Path& p : unloaded) {
    const std::optional<std::vector<uint32_t>> subnodes = message.attachment_subnodes(p);
    if (!subnodes) return std::nullopt;
    std::unique_ptr<const parser::AttachmentData> data = store.attachment_data(message.nid, *subnodes);
    if (!data) return std::nullopt;
    readers.data_.emplace(p, std::move(data));
  }
  return readers;
}

pstw::AttachmentDataSource AttachmentReaders::source() const {
  return [this](std::span<const size_t> path, uint64_t offset, std::span<uint8_t> out) {
    auto it = data_.find(Path(path.begin(), path.end()));
    if (it == data_.end()) throw std::logic_error("AttachmentReaders: no attachment data was opened for this path");
    it->second->read(offset, out);
  };
}

}  // namespace ostfs::cli
