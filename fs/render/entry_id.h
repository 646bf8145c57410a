// The entry ids a personal distribution list stores for its members ([MS-OXCDATA] 2.2.5,
// [MS-OXOCNTC] 2.2.2.2): one-off entry ids carry a name and an address themselves;
// wrapped entry ids point at a contact or list in the store; address book entry ids name
// an Exchange directory object by its X500 DN.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ostfs::render::entry_id {

// One-Off EntryID ([MS-OXCDATA] 2.2.5.1).
struct OneOff {
  std::string display_name;  // UTF-8
  std::string address_type;  // "SMTP", "EX", "FAX", ...
  std::string address;
};
// Parses a one-off entry id; nullopt when `id` is not one (other provider UID, truncated).
std::optional<OneOff> parse_one_off(std::span<const uint8_t> id);

// WrappedEntryId ([MS-OXOCNTC] 2.2.2.2.1): the member's kind and the entry id inside.
struct Wrapped {
  uint8_t type = 0;                   // low nibble: 3 contact, 4 distribution list, 5 GAL user, 6 GAL list
  std::span<const uint8_t> embedded;  // the wrapped entry id (points into the input)
};
std::optional<Wrapped> parse_wrapped(std::span<const uint8_t> id);

// The X500 DN of an Address Book EntryID ([MS-OXCDATA] 2.2.5.2); nullopt when `id` is
// not one.
std::optional<std::string> address_book_dn(std::span<const uint8_t> id);

// One DistListMemberInfo of PidLidDistributionListStream ([MS-OXOCNTC] 2.2.2.2.4.1): the
// member's entry id (one-off or wrapped) and its one-off entry id (empty when it has none).
// Both point into the stream.
struct StreamMember {
  std::span<const uint8_t> entry_id;
  std::span<const uint8_t> one_off;
};
// Parses PidLidDistributionListStream ([MS-OXOCNTC] 2.2.2.2.4): StreamVersion 1, then
// CountOfEntries DistListMemberInfo structures. nullopt when the version is unknown or a
// size points past the end; `why` (when given) then says which field of which member.
std::optional<std::vector<StreamMember>> parse_distribution_list_stream(std::span<const uint8_t> stream,
                                                                        std::string* why);

// The NID of a PST message entry id (flags, 16-byte store UID, NID: [MS-PST] 2.4.3.2).
std::optional<uint32_t> message_nid(std::span<const uint8_t> id);

}  // namespace ostfs::render::entry_id
