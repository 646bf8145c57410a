#include "fs/render/eml_address.h"

#include "fs/render/mime_text.h"
#include "parser/props.h"

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

std::string address_candidate(std::optional<std::string> s) {
  if (!s) return {};
  std::string_view v(*s);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return is_addr_spec(v) ? std::string(v) : std::string();
}

bool is_exchange(const std::optional<std::string>& address_type) {
  return address_type && (*address_type == "EX" || *address_type == "ex");
}

// Builds a party from a name, an SMTP address property, and an address of some type:
// the SMTP property wins; the typed address is used only when it is not an Exchange DN
// and parses as an addr-spec.
std::optional<Party> make_party(std::optional<std::string> name, std::optional<std::string> smtp,
                                std::optional<std::string> address,
                                const std::optional<std::string>& address_type) {
  Party party;
  party.name = name ? clean_header_value(*name) : std::string();
  party.address = address_candidate(std::move(smtp));
  if (party.address.empty() && !is_exchange(address_type))
    party.address = address_candidate(std::move(address));
  if (party.name.empty() && party.address.empty()) return std::nullopt;
  return party;
}

std::optional<Party> sent_representing(const model::Message& m) {
  return make_party(m.text(props::PidTagSentRepresentingName),
                    m.text(props::PidTagSentRepresentingSmtpAddress),
                    m.text(props::PidTagSentRepresentingEmailAddress),
                    m.text(props::PidTagSentRepresentingAddressType));
}

std::optional<Party> sender(const model::Message& m) {
  return make_party(m.text(props::PidTagSenderName), m.text(props::PidTagSenderSmtpAddress),
                    m.text(props::PidTagSenderEmailAddress),
                    m.text(props::PidTagSenderAddressType));
}

bool same_party(const Party& a, const Party& b) {
  if (!a.address.empty() || !b.address.empty()) {
    if (a.address.size() != b.address.size()) return false;
    for (size_t i = 0; i < a.address.size(); ++i) {
      auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
      if (fold(a.address[i]) != fold(b.address[i])) return false;
    }
    return true;
  }
  return a.name == b.name;
}

}  // namespace

bool is_addr_spec(std::string_view s) {
  const size_t at = s.rfind('@');
  if (at == std::string_view::npos || s.size() > 998) return false;
  return is_dot_atom(s.substr(0, at)) && is_domain(s.substr(at + 1));
}

std::optional<Party> author(const model::Message& message) {
  if (auto party = sent_representing(message)) return party;
  return sender(message);
}

std::optional<Party> sender_if_different(const model::Message& message) {
  auto from = sent_representing(message);
  auto actual = sender(message);
  if (!from || !actual || same_party(*from, *actual)) return std::nullopt;
  return actual;
}

Recipients recipients(const model::Message& message) {
  Recipients out;
  for (const auto& r : message.recipients) {
    const auto& p = r.props;
    const uint32_t cp = message.codepage;
    auto party =
        make_party(p.string(props::PidTagDisplayName, cp), p.string(props::PidTagSmtpAddress, cp),
                   p.string(props::PidTagEmailAddress, cp), p.string(props::PidTagAddressType, cp));
    if (!party) continue;
    switch (p.int32(props::PidTagRecipientType).value_or(0)) {
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

}  // namespace ostfs::render
