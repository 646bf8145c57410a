// The Content-Type of an attachment part, from what Outlook stored or the file name.
#pragma once

#include <string>
#include <string_view>

namespace ostfs::render {

struct MimeType {
  std::string type;     // lower case, e.g. "image"
  std::string subtype;  // lower case, e.g. "png"
  bool operator==(const MimeType&) const = default;
};

// `mime_tag` (PR_ATTACH_MIME_TAG, may be empty) when it is a well-formed "type/subtype"
// (parameters after ';' are ignored); else the type our fixed table gives for the
// extension of `filename`; else application/octet-stream. multipart/* and message/* tags
// give application/octet-stream, as those types cannot carry base64. The table is built
// in, not read from the system, so an attachment gets the same type on every machine.
MimeType attachment_mime_type(std::string_view mime_tag, std::string_view filename);

}  // namespace ostfs::render
