// Contacts (IPM.Contact) and personal distribution lists (IPM.DistList) as vCard.
// Pure: model in, bytes out. Output is UTF-8 with CRLF line ends, lines folded at 75
// octets, and deterministic (REV and UID come from the item, never from the clock).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "fs/render/conversion.h"
#include "parser/model.h"

namespace ostfs::render {

// A distribution-list member that points at an item of the same store (a WrappedEntryId,
// [MS-OXOCNTC] 2.2.2.2.4.1.1, with no one-off entry id beside it).
struct MemberLink {
  uint32_t nid = 0;         // node id of the contact or list
  uint8_t kind = 0;         // Type's low nibble: 3 contact, 4 personal distribution list
  uint8_t email_index = 0;  // Type's bits 4-6 for contacts: 0-2 Email1-3, 3-5 Fax1-3
};

// What a group card says about one member.
struct DistListMember {
  std::string name;
  std::string address_type;  // "SMTP", "EX", "FAX", ...; empty for a nested list
  std::string address;
  std::string uid;  // a nested list's card UID (its MEMBER is urn:uuid:<uid>)
};

// Loads the item a MemberLink points at and describes it (member_from_item does the
// describing); nullopt when the item cannot be read. Called during render_vcf(), so it
// must be thread-safe when renders run in parallel.
using MemberResolver = std::function<std::optional<DistListMember>(const MemberLink&)>;

struct VcfOptions {
  int version = 3;  // 3 ([RFC 2426]) or 4 ([RFC 6350]); any other value means 3
  // Unset: members that only point at a store item get an X-OSTFS-WARNING instead.
  MemberResolver resolve_member = nullptr;
};

// The member `link` stands for, read from the item it points at: for a contact the e-mail
// or fax slot `link.email_index` names (an Exchange address in its SMTP form when Outlook
// kept one), with the contact's name (else PidLidEmailNDisplayName); for a distribution
// list its name and card UID. nullopt when the slot is empty. Pure; throws only
// std::bad_alloc.
std::optional<DistListMember> member_from_item(const model::Message& item, const MemberLink& link);

// Renders `message` as one vCard. Distribution lists (class IPM.DistList*) become group
// cards (4.0: KIND:group and MEMBER; 3.0: X-ADDRESSBOOKSERVER-KIND/-MEMBER); every other
// class is read as a contact. Members come from PidLidDistributionListStream when the
// list has one ([MS-OXOCNTC] 2.2.2.2.4), else from PidLidDistributionListMembers and
// -OneOffMembers. Never throws on odd data: what cannot be rendered becomes
// an X-OSTFS-WARNING line saying why. Throws only std::bad_alloc. Thread-safe.
std::string render_vcf(const model::Message& message, const VcfOptions& options = {});

// render_vcf(), with what the card could not carry (see conversion.h): the message's read
// warnings, a photo that was not loaded, members that cannot be resolved. The same bytes.
Conversion convert_vcf(const model::Message& message, const VcfOptions& options = {});

}  // namespace ostfs::render
