// Signed and encrypted mail (IPM.Note.SMIME*, [MS-OXOSMIME]). Outlook keeps the original
// protected MIME entity as the message's only attachment: the whole multipart/signed
// entity of a clear-signed message (2.1.3.2.1), or the CMS blob of an opaque-signed or
// encrypted one (2.1.3.2.2). A client can verify or decrypt only that entity, so the .eml
// is that entity with the message's header fields on top.
#pragma once

#include <cstddef>
#include <optional>

#include "parser/model.h"

namespace ostfs::render {

enum class SmimeKind {
  // The attachment data is the multipart/signed entity, its header fields included; it
  // is written byte for byte (its line ends too), as any change breaks the signature.
  MultipartSigned,
  // The attachment data is the DER of a CMS object; it becomes the body of an
  // application/pkcs7-mime part.
  Pkcs7Mime,
};

struct SmimeEntity {
  SmimeKind kind;
  size_t attachment;  // index into Message::attachments
};

// The protected entity of a message of class IPM.Note.SMIME or a class derived from it
// (case-insensitive), decided from properties only (never from attachment data, which
// measure_eml() does not have): the message must have exactly one attachment, by value,
// whose PidTagAttachMimeTag is multipart/signed, or application/pkcs7-mime or
// application/x-pkcs7-mime (or, without a tag, whose file name ends in ".p7m").
// nullopt otherwise: the message is then rendered like any other.
std::optional<SmimeEntity> smime_entity(const model::Message& message);

}  // namespace ostfs::render
