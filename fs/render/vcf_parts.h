// Pieces shared by the contact and distribution-list halves of render_vcf().
#pragma once

#include <string>
#include <vector>

#include "fs/render/vcard_writer.h"
#include "fs/render/vcf.h"
#include "parser/model.h"

namespace ostfs::render::vcf {

// Writes the lines every card has after VERSION: PRODID, UID, REV.
void add_common_head(vcard::Writer& card, const model::Message& message);
// Writes CATEGORIES, NOTE and one X-OSTFS-WARNING per entry of `warnings` and of the
// message's own read warnings.
void add_common_tail(vcard::Writer& card, const model::Message& message, const std::vector<std::string>& warnings);

// The body of a contact card (everything between the head and the tail).
void add_contact(vcard::Writer& card, const model::Message& message, std::vector<std::string>& warnings);
// The body of a distribution-list card; `resolve` (may be empty) reads members that only
// point at a store item.
void add_distribution_list(vcard::Writer& card, const model::Message& message, const MemberResolver& resolve,
                           std::vector<std::string>& warnings);

// "mailto:" plus `address` with the characters a URI cannot hold percent-encoded.
std::string mailto(const std::string& address);

}  // namespace ostfs::render::vcf
