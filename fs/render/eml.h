// Rendering of mail-like items as RFC 5322 + MIME (.eml). Pure: model in, bytes out.
//
// The output uses LF line ends throughout (text bodies are converted; attachments are
// base64 and keep their exact bytes). MIME boundaries are derived from the message's nid
// and the part's place in the tree, so the same message always gives the same bytes.
#pragma once

#include <cstdint>
#include <string>

#include "parser/model.h"

namespace ostfs::render {

struct EmlOptions {
  // Embedded messages nested deeper than this are replaced by a short text part saying
  // so, which bounds recursion on damaged files.
  int max_embedded_depth = 32;
};

// Renders `message` as an .eml file. Attachment data must be loaded (data_loaded) for
// attachments with data; embedded messages are rendered recursively as message/rfc822.
// Output is deterministic: the same message always gives the same bytes.
// Throws std::invalid_argument when an attachment with data_size > 0 is not loaded, and
// std::bad_alloc when memory runs out. Damaged properties never throw: what cannot be
// decoded is left out or replaced by U+FFFD. Safe to call from several threads at once.
std::string render_eml(const model::Message& message, const EmlOptions& options = {});

// The exact size render_eml() returns for this message, computed from the attachments'
// data_size without their data, so that `stat` does not need to read attachments.
// (An attachment whose data is loaded counts with data.size(), which is what
// render_eml() writes.) Never touches or allocates attachment-sized buffers.
uint64_t measure_eml(const model::Message& message, const EmlOptions& options = {});

}  // namespace ostfs::render
