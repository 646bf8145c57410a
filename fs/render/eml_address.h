// Who sent and who received a message, as the names and SMTP addresses the From, Sender,
// To, Cc and Bcc header fields need.
//
// Exchange (address type "EX") stores an X.500 distinguished name where Internet mail has
// an address. A DN such as /O=ORG/OU=.../CN=RECIPIENTS/CN=ALICE names a directory object
// and says nothing about its SMTP address, so we never derive an address from it. The
// SMTP address comes, best first, from:
//   1. the SMTP property of that party (PR_SENDER_SMTP_ADDRESS 0x5D01,
//      PR_SENT_REPRESENTING_SMTP_ADDRESS 0x5D02, PR_RECEIVED_BY_SMTP_ADDRESS 0x5D07,
//      PR_RCVD_REPRESENTING_SMTP_ADDRESS 0x5D08, a recipient's PR_SMTP_ADDRESS 0x39FE);
//   2. its e-mail address when the address type is not EX and it is an addr-spec;
//   3. a One-Off EntryID ([MS-OXCDATA] 2.2.5.1) of type SMTP among its entry ids
//      (PR_SENDER_ENTRYID, PR_SENT_REPRESENTING_ENTRYID, a recipient's PR_ENTRYID and
//      PidTagRecipientEntryId);
//   4. for an EX party, another party of the same message with the same DN (compared
//      case-insensitively, as Exchange does) whose SMTP address steps 1-3 found: a
//      message in Sent Items names its author by DN only, but the author is often also a
//      recipient, with PR_SMTP_ADDRESS.
// A party with none of these keeps its display name alone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/model.h"

namespace ostfs::render {

struct Party {
  std::string name;     // display name, cleaned for a header; may be empty
  std::string address;  // an addr-spec ("user@example.com"); empty when none is known
  bool operator==(const Party&) const = default;
};

// A party as people write it in text: "Name <address>", or whichever of the two is known.
std::string party_text(const Party& party);

// True for a plain addr-spec we can write unquoted: dot-atom local part, '@', and a
// domain of letters, digits, '-', '.' (or non-ASCII, for IDN) or a [literal].
bool is_addr_spec(std::string_view s);

// The author (From): PR_SENT_REPRESENTING_* when present, else PR_SENDER_*.
std::optional<Party> author(const model::Message& message);

// The party that actually sent (PR_SENDER_*), when it differs from author(): the Sender
// field of [RFC 5322] 3.6.2.
std::optional<Party> sender_if_different(const model::Message& message);

struct Recipients {
  std::vector<Party> to, cc, bcc;
};

// The recipient table split by PR_RECIPIENT_TYPE; rows of another type, or with neither
// a name nor an address, are left out.
Recipients recipients(const model::Message& message);

// The party of one recipient row, resolved as above within `message`; nullopt when the
// row has neither a name nor an address.
std::optional<Party> recipient_party(const model::Message& message, const model::Recipient& row);

// author(), sender_if_different() and recipients() at once: the message's addresses are
// gathered once for all three (a message's header needs them all).
struct Parties {
  std::optional<Party> author;
  std::optional<Party> sender_if_different;
  Recipients recipients;
};
Parties parties(const model::Message& message);

}  // namespace ostfs::render
