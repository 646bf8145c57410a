// The header section of a rendered message: fields kept from the transport headers
// Outlook stored, and fields we build from MAPI properties.
#pragma once

#include <gmime/gmime.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/model.h"

namespace ostfs::render {

// The fields of PR_TRANSPORT_MESSAGE_HEADERS we keep: everything except the fields that
// describe the original MIME structure (MIME-Version, Content-*), which we rebuild, and
// our own X-MS-* fields, which we always write ourselves.
struct TransportHeaders {
  // The kept fields byte for byte, except that CRLF and CR became LF and NUL a space;
  // each field ends with LF. Lines that are not header fields (no "name:" and not a
  // continuation), and everything after the first empty line, are dropped.
  std::string text;
  std::vector<std::string> names;  // names of the kept fields, lower case

  // Case-insensitive.
  bool has(std::string_view name) const;
};

// The kept transport header fields, or nullopt when the message has none (property
// missing or nothing left after filtering).
std::optional<TransportHeaders> transport_headers(const model::Message& message);

// PR_SUBJECT without the "\x01 + length" prefix marker some subjects start with
// ([MS-OXCMSG] 2.2.1.46), cleaned for a header.
std::optional<std::string> subject(const model::Message& message);

// The time for the Date field, in Unix seconds: PR_CLIENT_SUBMIT_TIME, else
// PR_MESSAGE_DELIVERY_TIME, else PR_CREATION_TIME; times outside the years 1900..9999
// (which [RFC 5322] dates cannot express or which only damage produces) are skipped.
std::optional<int64_t> message_date(const model::Message& message);

// The categories (named property Keywords), cleaned; empty when there are none.
std::vector<std::string> categories(const model::Message& message);

// The X-MS-Flag value for the follow-up flag: "Flagged" (with PidLidFlagRequest's text,
// e.g. "Flagged: Follow up") or "Completed"; nullopt when the message is not flagged.
std::optional<std::string> follow_up_flag(const model::Message& message);

// True when `id` can be written as a message id or content id "<id>": printable ASCII
// without spaces, angle brackets, quotes or backslashes, at most 900 bytes.
bool is_msg_id_content(std::string_view id);

// Appends our header fields to `mime`: From, Sender, To, Cc, Bcc, Subject, Date,
// Message-Id, In-Reply-To, References (message ids without '@' are left out), Importance,
// X-Priority, Priority, Sensitivity, each when the message has the data and `transport` (may be
// null) does not already carry that field; then always X-MS-Message-Class, and X-MS-Categories and
// X-MS-Flag when there are any. Text is RFC 2047-encoded (UTF-8) by GMime where needed.
void add_header_fields(GMimeMessage* mime, const model::Message& message,
                       const TransportHeaders* transport);

}  // namespace ostfs::render
