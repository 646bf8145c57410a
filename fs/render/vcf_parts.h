// Pieces shared by the contact and distribution-list halves of render_vcf().
#pragma once

#include <string>
#include <vector>

#include "fs/render/conversion.h"
#include "fs/render/vcard_writer.h"
#include "fs/render/vcf.h"
#include "parser/model.h"

namespace ostfs::render::vcf {

// Writes the lines every card has after VERSION: PRODID, UID, REV.
void add_common_head(vcard::Writer& card, const model::Message& message);
// Writes CATEGORIES, NOTE and one X-OSTFS-WARNING per read warning of the message and per
// loss and remark in `notes`.
void add_common_tail(vcard::Writer& card, const model::Message& message, const ConversionNotes& notes);

// The body of a contact card (everything between the head and the tail).
void add_contact(vcard::Writer& card, const model::Message& message, ConversionNotes& notes);
// The body of a distribution-list card; `resolve` (may be empty) reads members that only
// point at a store item.
void add_distribution_list(vcard::Writer& card, const model::Message& message, const MemberResolver& resolve,
                           ConversionNotes& notes);

// "mailto:" plus `address` with the characters a URI cannot hold percent-encoded.
std::string mailto(const std::string& address);

}  // namespace ostfs::render::vcf
