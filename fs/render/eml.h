// Rendering of mail-like items as RFC 5322 + MIME (.eml). Pure: model in, bytes out.
#pragma once

#include <cstdint>
#include <string>

#include "parser/model.h"

namespace ostfs::render {

struct EmlOptions {};

// Renders `message` as an .eml file. Attachment data must be loaded (data_loaded) for
// attachments with data; embedded messages are rendered recursively as message/rfc822.
// Output is deterministic: the same message always gives the same bytes.
std::string render_eml(const model::Message& message, const EmlOptions& options = {});

// The exact size render_eml() returns for this message, computed from the attachments'
// data_size without their data, so that `stat` does not need to read attachments.
uint64_t measure_eml(const model::Message& message, const EmlOptions& options = {});

}  // namespace ostfs::render
