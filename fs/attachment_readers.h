// The attachments of a message that a limited load left without their data, open for reading
// piece by piece (Store::attachment_data): the export writes them a block at a time, so that
// a message with attachments of hundreds of megabytes is copied in little memory.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "export/messaging/attachment_data_source.h"
#include "parser/reader.h"

namespace ostfs::cli {

class AttachmentReaders {
 public:
  // Every attachment of `message` (embedded messages' included) whose data is not loaded;
  // nullopt when one of them cannot be read piece by piece (the message must be loaded
  // whole then). Throws parser::ItemError as Store::attachment_data does.
  static std::optional<AttachmentReaders> open(parser::Store& store, const model::Message& message);
  // What PstWriter::add_message reads them through; valid while this lives.
  pstw::AttachmentDataSource source() const;

 private:
  using Path = std::vector<size_t>;
  void collect(const model::Message& message, Path& path, std::vector<Path>& out) const;
  std::map<Path, std::unique_ptr<const parser::AttachmentData>> data_;
};

}  // namespace ostfs::cli
