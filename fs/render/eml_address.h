// Who sent and who received a message, as the names and SMTP addresses the From, Sender,
// To, Cc and Bcc header fields need.
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

}  // namespace ostfs::render
