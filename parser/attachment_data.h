// An attachment's data read piece by piece: a message with attachments of hundreds of
// megabytes is read through the mount without holding them (Store::attachment_data).
#pragma once

#include <cstdint>
#include <span>

namespace ostfs::parser {

class AttachmentData {
 public:
  virtual ~AttachmentData() = default;
  virtual uint64_t size() const = 0;
  // Fills `out` with the bytes from `offset`. Throws ItemError when the range is not inside
  // the data or a block of it cannot be read. Safe to call from several threads at once.
  virtual void read(uint64_t offset, std::span<uint8_t> out) const = 0;
};

}  // namespace ostfs::parser
