// A mail file too large to hold, as a plan: its bytes without the base64 of its large
// attachments, and where each of those goes. Any range of the file is made from the plan
// and the attachments' data, reading only the data that the range encodes, so a message of
// hundreds of megabytes is read through the mount without being held in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace ostfs::render {

struct EmlPlan {
  // An attachment whose base64 is not in `text`.
  struct Streamed {
    uint64_t offset = 0;  // in `text`: where its base64 goes
    // Its index in Message::attachments, after those of the embedded messages it is in.
    std::vector<size_t> attachment_path;
    uint64_t data_size = 0;
  };
  std::string text;
  std::vector<Streamed> streamed;  // by offset

  // The size of the file the plan makes.
  uint64_t size() const;
};

// Fills `out` with data bytes [offset, offset + out.size()) of the attachment of
// `plan.streamed[part]`.
using AttachmentReader = std::function<void(size_t part, uint64_t offset, std::span<uint8_t> out)>;

// Bytes [offset, offset + out.size()) of the file `plan` makes, the same bytes render_eml()
// gives for the message with all its data; fewer at the file's end. Returns how many.
// Whatever `read_data` throws goes through.
size_t read_eml_plan(const EmlPlan& plan, uint64_t offset, std::span<char> out, const AttachmentReader& read_data);

}  // namespace ostfs::render
