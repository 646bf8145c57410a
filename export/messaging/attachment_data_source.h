// Where the writer reads the data of an attachment that the model does not hold (a large
// one), a block at a time as it writes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace ostfs::pstw {

// `path` leads to the attachment: its index in Message::attachments, after those of the
// embedded messages it is in. Fills `out` with the attachment's bytes from `offset`.
using AttachmentDataSource =
    std::function<void(std::span<const size_t> path, uint64_t offset, std::span<uint8_t> out)>;

}  // namespace ostfs::pstw
