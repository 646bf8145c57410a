#include "fs/render/eml_address.h"

#include <algorithm>
#include <array>
#include <span>
#include <unordered_map>

#include "fs/render/mime_text.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render {
namespace {

bool is_atext(char c) {
  constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kSpecials.find(c) != std::string_view::npos;
}

bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!is_atext(s[i])) {
      return false;
    }
  }
  return true;
}

bool is_domain(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
    for (char c : s.substr(1, s.size() - 2))
      if (c <= 0x20 || c == '[' || c == ']' || c == '\\' || c == 0x7F) return false;
    return true;
  }
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    const bool ok = u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                    (u >= '0' && u <= '9') || u == '-' || (u == '.' && s[i + 1] != '.');
    if (!ok) return false;
  }
  return true;
}

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

std::string folded(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold(c);
  return out;
}

bool equal_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != fold(b[i])) return false;
  return true;
}

std::string address_candidate(const std::optional<std::string>& s) {
  if (!s) return {};
  std::string_view v(*s);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return is_addr_spec(v) ? std::string(v) : std::string();
}

// Provider UIDs in stored byte order: One-Off EntryID ([MS-OXCDATA] 2.2.5.1) and
// Address Book EntryID ([MS-OXCDATA] 2.2.5.2).
constexpr std::array<uint8_t, 16> kOneOffProvider = {0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                                     0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02};
constexpr std::array<uint8_t, 16> kAddressBookProvider = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                                          0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
// One-Off EntryID flag: the strings are UTF-16LE (MAPI_UNICODE).
constexpr uint16_t kOneOffUnicode = 0x8000;

bool has_provider(std::span<const uint8_t> id, const std::array<uint8_t, 16>& provider) {
  return id.size() >= 20 && std::equal(provider.begin(), provider.end(), id.begin() + 4);
}

// A NUL-terminated string of an entry id at `pos`; advances `pos` past the terminator.
std::optional<std::string> entry_id_string(std::span<const uint8_t> id, size_t& pos, bool unicode,
                                           uint32_t codepage) {
  if (unicode) {
    for (size_t i = pos; i + 1 < id.size(); i += 2) {
      if (id[i] == 0 && id[i + 1] == 0) {
        std::string s = text::utf16le_to_utf8(id.subspan(pos, i - pos));
        pos = i + 2;
        return s;
      }
    }
    return std::nullopt;
  }
  for (size_t i = pos; i < id.size(); ++i) {
    if (id[i] == 0) {
      std::string s = text::codepage_to_utf8(id.subspan(pos, i - pos), codepage);
      pos = i + 1;
      return s;
    }
  }
  return std::nullopt;
}

struct OneOff {
  std::string name, type, address;
};

// Layout: Flags(4) ProviderUID(16) Version(2) Flags(2), then display name, address type
// and address, each NUL-terminated.
std::optional<OneOff> parse_one_off(std::span<const uint8_t> id, uint32_t codepage) {
  if (!has_provider(id, kOneOffProvider) || id.size() < 24) return std::nullopt;
  const bool unicode = ((id[22] | id[23] << 8) & kOneOffUnicode) != 0;
  size_t pos = 24;
  auto name = entry_id_string(id, pos, unicode, codepage);
  auto type = name ? entry_id_string(id, pos, unicode, codepage) : std::nullopt;
  auto address = type ? entry_id_string(id, pos, unicode, codepage) : std::nullopt;
  if (!address) return std::nullopt;
  return OneOff{std::move(*name), std::move(*type), std::move(*address)};
}

// Layout: Flags(4) ProviderUID(16) Version(4) Type(4), then the X500 DN, NUL-terminated.
std::optional<std::string> address_book_dn(std::span<const uint8_t> id) {
  if (!has_provider(id, kAddressBookProvider) || id.size() < 29) return std::nullopt;
  size_t pos = 28;
  return entry_id_string(id, pos, false, 1252);
}

// What one object (the message, for sender and the like, or a recipient row) says about
// one party, before resolution.
struct Mention {
  std::optional<std::string> name, type, address, smtp;
  std::vector<const std::vector<uint8_t>*> entry_ids;

  bool is_exchange() const { return type && equal_nocase(*type, "EX"); }

  // The DN an EX party goes by: its e-mail address, else the DN of its Address Book
  // EntryID.
  std::optional<std::string> dn() const {
    if (!is_exchange()) return std::nullopt;
    if (address && !address->empty()) return address;
    for (const auto* id : entry_ids)
      if (auto found = address_book_dn(*id); found && !found->empty()) return found;
    return std::nullopt;
  }
};

struct Tags {
  uint16_t name, type, address, smtp, entry_id;
};
constexpr Tags kSenderTags{props::PidTagSenderName, props::PidTagSenderAddressType,
                           props::PidTagSenderEmailAddress, props::PidTagSenderSmtpAddress,
                           props::PidTagSenderEntryId};
constexpr Tags kSentRepresentingTags{
    props::PidTagSentRepresentingName, props::PidTagSentRepresentingAddressType,
    props::PidTagSentRepresentingEmailAddress, props::PidTagSentRepresentingSmtpAddress,
    props::PidTagSentRepresentingEntryId};

Mention message_mention(const model::Message& m, const Tags& tags) {
  Mention out{m.text(tags.name), m.text(tags.type), m.text(tags.address), m.text(tags.smtp), {}};
  if (const auto* id = m.props.binary(tags.entry_id)) out.entry_ids.push_back(id);
  return out;
}

Mention row_mention(const model::Message& m, const model::Recipient& r) {
  const auto& p = r.props;
  const uint32_t cp = m.codepage;
  Mention out{p.string(props::PidTagDisplayName, cp), p.string(props::PidTagAddressType, cp),
              p.string(props::PidTagEmailAddress, cp), p.string(props::PidTagSmtpAddress, cp), {}};
  for (uint16_t tag : {props::PidTagEntryId, props::PidTagRecipientEntryId})
    if (const auto* id = p.binary(tag)) out.entry_ids.push_back(id);
  return out;
}

// Steps 1-3 of the header comment: what the mention itself says.
std::string own_smtp(const Mention& mention, uint32_t codepage) {
  if (std::string a = address_candidate(mention.smtp); !a.empty()) return a;
  if (!mention.is_exchange())
    if (std::string a = address_candidate(mention.address); !a.empty()) return a;
  for (const auto* id : mention.entry_ids) {
    const auto one_off = parse_one_off(*id, codepage);
    if (one_off && equal_nocase(one_off->type, "SMTP"))
      if (std::string a = address_candidate(one_off->address); !a.empty()) return a;
  }
  return {};
}

// Every DN of the message whose SMTP address the message itself records, keyed by the
// case-folded DN (step 4).
class Directory {
 public:
  explicit Directory(const model::Message& m) : codepage_(m.codepage) {
    add(message_mention(m, kSenderTags));
    add(message_mention(m, kSentRepresentingTags));
    add(Mention{std::nullopt, m.text(props::PidTagReceivedByAddressType),
                m.text(props::PidTagReceivedByEmailAddress), m.text(props::PidTagReceivedBySmtpAddress),
                {}});
    add(Mention{std::nullopt, m.text(props::PidTagReceivedRepresentingAddressType),
                m.text(props::PidTagReceivedRepresentingEmailAddress),
                m.text(props::PidTagReceivedRepresentingSmtpAddress), {}});
    for (const auto& r : m.recipients) add(row_mention(m, r));
  }

  std::optional<Party> resolve(const Mention& mention) const {
    Party party;
    party.name = mention.name ? clean_header_value(*mention.name) : std::string();
    party.address = own_smtp(mention, codepage_);
    if (party.address.empty())
      if (auto dn = mention.dn())
        if (auto it = smtp_by_dn_.find(folded(*dn)); it != smtp_by_dn_.end()) party.address = it->second;
    if (party.name.empty() && party.address.empty()) return std::nullopt;
    return party;
  }

 private:
  void add(const Mention& mention) {
    const auto dn = mention.dn();
    if (!dn) return;
    if (std::string smtp = own_smtp(mention, codepage_); !smtp.empty())
      smtp_by_dn_.emplace(folded(*dn), std::move(smtp));  // the first party that names it wins
  }

  uint32_t codepage_;
  std::unordered_map<std::string, std::string> smtp_by_dn_;
};

bool same_party(const Party& a, const Party& b) {
  if (!a.address.empty() || !b.address.empty()) return equal_nocase(a.address, b.address);
  return a.name == b.name;
}

}  // namespace

std::string party_text(const Party& party) {
  if (party.address.empty()) return party.name;
  if (party.name.empty()) return party.address;
  return party.name + " <" + party.address + ">";
}

bool is_addr_spec(std::string_view s) {
  const size_t at = s.rfind('@');
  if (at == std::string_view::npos || s.size() > 998) return false;
  return is_dot_atom(s.substr(0, at)) && is_domain(s.substr(at + 1));
}

namespace {

std::optional<Party> author_in(const Directory& directory, const model::Message& message) {
  if (auto party = directory.resolve(message_mention(message, kSentRepresentingTags))) return party;
  return directory.resolve(message_mention(message, kSenderTags));
}

std::optional<Party> sender_if_different_in(const Directory& directory, const model::Message& message) {
  auto from = directory.resolve(message_mention(message, kSentRepresentingTags));
  auto actual = directory.resolve(message_mention(message, kSenderTags));
  if (!from || !actual || same_party(*from, *actual)) return std::nullopt;
  return actual;
}

Recipients recipients_in(const Directory& directory, const model::Message& message) {
  Recipients out;
  for (const auto& r : message.recipients) {
    auto party = directory.resolve(row_mention(message, r));
    if (!party) continue;
    switch (r.props.int32(props::PidTagRecipientType).value_or(0)) {
      case props::RecipientTo:
        out.to.push_back(std::move(*party));
        break;
      case props::RecipientCc:
        out.cc.push_back(std::move(*party));
        break;
      case props::RecipientBcc:
        out.bcc.push_back(std::move(*party));
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace

std::optional<Party> author(const model::Message& message) { return author_in(Directory(message), message); }

std::optional<Party> sender_if_different(const model::Message& message) {
  return sender_if_different_in(Directory(message), message);
}

std::optional<Party> recipient_party(const model::Message& message, const model::Recipient& row) {
  return Directory(message).resolve(row_mention(message, row));
}

Recipients recipients(const model::Message& message) { return recipients_in(Directory(message), message); }

Parties parties(const model::Message& message) {
  const Directory directory(message);
  return {author_in(directory, message), sender_if_different_in(directory, message), recipients_in(directory, message)};
}

}  // namespace ostfs::render
