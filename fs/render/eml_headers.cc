#include "fs/render/eml_headers.h"

#include <array>

#include "fs/render/eml_address.h"
#include "fs/render/gmime_support.h"
#include "fs/render/mime_text.h"
#include "fs/render/mv_strings.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render {
namespace {

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower_ascii(s[i]) != lower_ascii(prefix[i])) return false;
  return true;
}

// The fields we always write ourselves, so a copy in the transport headers is dropped.
constexpr std::array<std::string_view, 4> kOwnFields = {"x-ms-message-class", "x-ms-categories",
                                                        "x-ms-flag", "mime-version"};

bool is_kept_field(std::string_view lower_name) {
  if (starts_with_nocase(lower_name, "content-")) return false;
  for (auto own : kOwnFields)
    if (lower_name == own) return false;
  return true;
}

// The field name of a header line ("Name:" with [RFC 5322] 3.6.8 ftext characters, i.e.
// printable ASCII except ':'), or empty when the line does not start a field.
std::string_view field_name(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] >= 33 && line[i] <= 126 && line[i] != ':') ++i;
  if (i == 0 || i >= line.size() || line[i] != ':') return {};
  return line.substr(0, i);
}

std::optional<std::string> message_id(const model::Message& message) {
  auto raw = message.text(props::PidTagInternetMessageId);
  if (!raw) return std::nullopt;
  std::string id = clean_header_value(*raw);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  if (!is_msg_id_content(id) || id.find('@') == std::string::npos) return std::nullopt;
  return id;
}

// The message ids in a References/In-Reply-To style property, as "<a> <b>".
std::optional<std::string> id_list(const model::Message& message, uint16_t tag) {
  auto raw = message.text(tag);
  if (!raw) return std::nullopt;
  const std::string cleaned = clean_header_value(*raw);
  gmime::ReferencesPtr refs(g_mime_references_parse(nullptr, cleaned.c_str()));
  if (!refs) return std::nullopt;
  std::string joined;
  const int count = g_mime_references_length(refs.get());
  for (int i = 0; i < count; ++i) {
    const std::string_view id = g_mime_references_get_message_id(refs.get(), i);
    if (!is_msg_id_content(id) || id.find('@') == std::string_view::npos) continue;
    if (!joined.empty()) joined += ' ';
    joined.append("<").append(id).append(">");
  }
  if (joined.empty()) return std::nullopt;
  return joined;
}

const char* field_name(GMimeAddressType type) {
  switch (type) {
    case GMIME_ADDRESS_TYPE_SENDER:
      return "Sender";
    case GMIME_ADDRESS_TYPE_FROM:
      return "From";
    case GMIME_ADDRESS_TYPE_REPLY_TO:
      return "Reply-To";
    case GMIME_ADDRESS_TYPE_TO:
      return "To";
    case GMIME_ADDRESS_TYPE_CC:
      return "Cc";
    case GMIME_ADDRESS_TYPE_BCC:
      return "Bcc";
  }
  return "To";
}

void add_parties(GMimeMessage* mime, GMimeAddressType type, const std::vector<Party>& parties) {
  if (parties.empty()) return;
  // Filled apart and appended once: every change to the message's own list re-encodes
  // the whole header field, which would make long recipient lists quadratic.
  gmime::Ptr<InternetAddressList> list(internet_address_list_new());
  for (const auto& party : parties) {
    const char* name = party.name.empty() ? nullptr : party.name.c_str();
    // A party without a usable address (an Exchange DN without SMTP address) becomes an
    // empty group, "Name: ;", the one form [RFC 5322] 3.4 has for a name alone.
    gmime::Ptr<InternetAddress> address(
        party.address.empty() ? internet_address_group_new(name)
                              : internet_address_mailbox_new(name, party.address.c_str()));
    internet_address_set_charset(address.get(), "utf-8");
    internet_address_list_add(list.get(), address.get());
  }
  internet_address_list_append(g_mime_message_get_addresses(mime, type), list.get());

  // GMime writes a group name that needed encoding right before its colon,
  // "=?UTF-8?b?...?=: ;". RFC 2047 allows that, but parsers such as Python's want
  // whitespace after an encoded-word, so we add it. "?=:" cannot occur elsewhere in the
  // field: our addresses are dot-atoms, which hold no ':'.
  bool has_group = false;
  for (const auto& party : parties) has_group = has_group || party.address.empty();
  if (!has_group) return;
  GMimeHeader* header = g_mime_header_list_get_header(
      g_mime_object_get_header_list(GMIME_OBJECT(mime)), field_name(type));
  if (!header || !g_mime_header_get_raw_value(header)) return;
  const std::string_view raw = g_mime_header_get_raw_value(header);
  std::string fixed;
  size_t done = 0;
  for (size_t at = raw.find("?=:"); at != std::string_view::npos; at = raw.find("?=:", at + 3)) {
    fixed.append(raw.substr(done, at + 2 - done)).append(" ");
    done = at + 2;
  }
  if (done == 0) return;
  fixed.append(raw.substr(done));
  g_mime_header_set_raw_value(header, fixed.c_str());
}

// The text of a named property, which PropertyBag::string() cannot look up by name.
std::optional<std::string> property_text(const model::Property& p, uint32_t codepage) {
  if (p.type == props::type::Unicode) return text::utf16le_to_utf8(p.value);
  if (p.type == props::type::String8) return text::codepage_to_utf8(p.value, codepage);
  return std::nullopt;
}

void add_text_field(GMimeMessage* mime, const char* name, const std::string& value) {
  g_mime_object_append_header(GMIME_OBJECT(mime), name, value.c_str(), "utf-8");
}

}  // namespace

bool is_msg_id_content(std::string_view id) {
  if (id.empty() || id.size() > 900) return false;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '<' || c == '>' || c == '"' || c == '\\') return false;
  }
  return true;
}

bool TransportHeaders::has(std::string_view name) const {
  const std::string key = lower(name);
  for (const auto& n : names)
    if (n == key) return true;
  return false;
}

std::optional<TransportHeaders> transport_headers(const model::Message& message) {
  auto raw = message.text(props::PidTagTransportMessageHeaders);
  if (!raw) return std::nullopt;
  std::string text = normalize_newlines(*raw);
  for (char& c : text)
    if (c == '\0') c = ' ';

  TransportHeaders out;
  bool keeping = false;  // whether the field the current line belongs to is kept
  std::string_view rest(text);
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (line.empty()) break;  // end of the header section
    if (line.front() == ' ' || line.front() == '\t') {
      if (keeping) out.text.append(line).push_back('\n');
      continue;
    }
    const std::string_view name = field_name(line);
    const std::string lower_name = lower(name);
    keeping = !name.empty() && is_kept_field(lower_name);
    if (!keeping) continue;
    out.text.append(line).push_back('\n');
    out.names.push_back(lower_name);
  }
  if (out.names.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> subject(const model::Message& message) {
  auto raw = message.text(props::PidTagSubject);
  if (!raw) return std::nullopt;
  std::string_view s(*raw);
  // The marker is U+0001 followed by one character holding the prefix length.
  if (s.size() >= 2 && s[0] == '\x01') {
    size_t len = 1;
    const auto lead = static_cast<unsigned char>(s[1]);
    if (lead >= 0xF0)
      len = 4;
    else if (lead >= 0xE0)
      len = 3;
    else if (lead >= 0xC0)
      len = 2;
    s.remove_prefix(std::min(s.size(), 1 + len));
  }
  return clean_header_value(s);
}

std::optional<int64_t> message_date(const model::Message& message) {
  constexpr int64_t kYear1900 = -2208988800;    // 1900-01-01T00:00:00Z
  constexpr int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z
  for (uint16_t tag : {props::PidTagClientSubmitTime, props::PidTagMessageDeliveryTime,
                       props::PidTagCreationTime}) {
    const auto filetime = message.props.filetime(tag);
    if (!filetime) continue;
    const int64_t unix_time = model::filetime_to_unix(*filetime);
    if (unix_time >= kYear1900 && unix_time < kYear10000) return unix_time;
  }
  return std::nullopt;
}

std::vector<std::string> categories(const model::Message& message) {
  const model::Property* p =
      message.props.find_named(props::PS_PUBLIC_STRINGS, props::PidNameKeywords);
  if (!p) return {};
  std::vector<std::string> out;
  for (auto& c : multi_strings(*p, message.codepage)) {
    std::string cleaned = clean_header_value(c);
    if (!cleaned.empty()) out.push_back(std::move(cleaned));
  }
  return out;
}

std::optional<std::string> follow_up_flag(const model::Message& message) {
  const auto status = message.props.int32(props::PidTagFlagStatus);
  if (status == props::FlagStatusComplete) return "Completed";
  if (status != props::FlagStatusFlagged) return std::nullopt;
  std::string value = "Flagged";
  if (const model::Property* p =
          message.props.find_named(props::PSETID_Common, props::PidLidFlagRequest)) {
    if (auto request = property_text(*p, message.codepage)) {
      const std::string cleaned = clean_header_value(*request);
      if (!cleaned.empty()) value += ": " + cleaned;
    }
  }
  return value;
}

void add_header_fields(GMimeMessage* mime, const model::Message& message,
                       const TransportHeaders* transport) {
  auto wanted = [&](std::string_view field) { return !transport || !transport->has(field); };

  const Parties people = parties(message);
  if (wanted("from") && people.author) add_parties(mime, GMIME_ADDRESS_TYPE_FROM, {*people.author});
  if (wanted("sender") && people.sender_if_different)
    add_parties(mime, GMIME_ADDRESS_TYPE_SENDER, {*people.sender_if_different});
  const Recipients& rcpt = people.recipients;
  if (wanted("to")) add_parties(mime, GMIME_ADDRESS_TYPE_TO, rcpt.to);
  if (wanted("cc")) add_parties(mime, GMIME_ADDRESS_TYPE_CC, rcpt.cc);
  if (wanted("bcc")) add_parties(mime, GMIME_ADDRESS_TYPE_BCC, rcpt.bcc);

  if (wanted("subject"))
    if (auto s = subject(message); s && !s->empty())
      g_mime_message_set_subject(mime, s->c_str(), "utf-8");
  if (wanted("date"))
    if (auto seconds = message_date(message)) {
      gmime::DateTimePtr date(g_date_time_new_from_unix_utc(*seconds));
      if (date) g_mime_message_set_date(mime, date.get());
    }
  if (wanted("message-id"))
    if (auto id = message_id(message)) g_mime_message_set_message_id(mime, id->c_str());
  if (wanted("in-reply-to"))
    if (auto ids = id_list(message, props::PidTagInReplyToId))
      add_text_field(mime, "In-Reply-To", *ids);
  if (wanted("references"))
    if (auto ids = id_list(message, props::PidTagInternetReferences))
      add_text_field(mime, "References", *ids);

  // [MS-OXCMAIL] 2.2.3.2.4-2.2.3.2.6; the normal values are the default and not written.
  const auto importance = message.props.int32(props::PidTagImportance);
  if (importance == 0 || importance == 2) {
    if (wanted("importance")) add_text_field(mime, "Importance", importance == 2 ? "high" : "low");
    if (wanted("x-priority"))
      add_text_field(mime, "X-Priority", importance == 2 ? "1 (Highest)" : "5 (Lowest)");
  }
  const auto priority = message.props.int32(props::PidTagPriority);
  if ((priority == 1 || priority == -1) && wanted("priority"))
    add_text_field(mime, "Priority", priority == 1 ? "urgent" : "non-urgent");
  const auto sensitivity = message.props.int32(props::PidTagSensitivity);
  if (sensitivity && *sensitivity >= 1 && *sensitivity <= 3 && wanted("sensitivity")) {
    static constexpr std::array<const char*, 4> kNames = {"", "Personal", "Private",
                                                          "Company-Confidential"};
    add_text_field(mime, "Sensitivity", kNames[*sensitivity]);
  }

  add_text_field(mime, "X-MS-Message-Class", clean_header_value(message.message_class()));
  if (auto list = categories(message); !list.empty()) {
    std::string joined;
    for (const auto& c : list) {
      if (!joined.empty()) joined += ", ";
      joined += c;
    }
    add_text_field(mime, "X-MS-Categories", clean_header_value(joined));
  }
  if (auto flag = follow_up_flag(message)) add_text_field(mime, "X-MS-Flag", *flag);
}

}  // namespace ostfs::render
