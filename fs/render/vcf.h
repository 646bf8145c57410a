// Contacts (IPM.Contact) and personal distribution lists (IPM.DistList) as vCard.
// Pure: model in, bytes out. Output is UTF-8 with CRLF line ends, lines folded at 75
// octets, and deterministic (REV and UID come from the item, never from the clock).
#pragma once

#include <string>

#include "parser/model.h"

namespace ostfs::render {

struct VcfOptions {
  int version = 3;  // 3 ([RFC 2426]) or 4 ([RFC 6350]); any other value means 3
};

// Renders `message` as one vCard. Distribution lists (class IPM.DistList*) become group
// cards (4.0: KIND:group and MEMBER; 3.0: X-ADDRESSBOOKSERVER-KIND/-MEMBER); every other
// class is read as a contact. Never throws on odd data: what cannot be rendered becomes
// an X-OSTFS-WARNING line saying why. Throws only std::bad_alloc. Thread-safe.
std::string render_vcf(const model::Message& message, const VcfOptions& options = {});

}  // namespace ostfs::render
