#include "fs/render/mime_param.h"

#include "parser/text.h"

namespace ostfs::render {
namespace {

constexpr std::string_view kTspecials = "()<>@,;:\\\"/[]?=";

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && kTspecials.find(c) == std::string_view::npos;
}

// [RFC 2231] 7 attribute-char: token characters except '*', '\'' and '%'.
bool is_attribute_char(char c) { return is_token_char(c) && c != '*' && c != '\'' && c != '%'; }

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_token_char(c)) return false;
  return true;
}

bool is_printable_ascii(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) return false;
  }
  return true;
}

// The length of the UTF-8 character starting at s[i] (1 for a stray byte; the input is
// sanitized, so that only guards the end of the string).
size_t char_length(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return std::min(n, s.size() - i);
}

std::string percent_encoded(std::string_view utf8_char) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : utf8_char) {
    if (is_attribute_char(c)) {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> encode_parameter(std::string_view name, std::string_view value) {
  const std::string clean = text::sanitize_utf8(value);
  const std::string n(name);
  // The folding tab before a piece and the ';' after it share the line with it.
  const size_t room = kHeaderLineLimit - 2;

  if (is_token(clean) && n.size() + 1 + clean.size() <= room) return {n + "=" + clean};
  if (is_printable_ascii(clean)) {
    std::string quoted = n + "=\"";
    for (char c : clean) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    quoted += '"';
    if (quoted.size() <= room) return {quoted};
  }

  std::string whole = n + "*=UTF-8''";
  for (size_t i = 0; i < clean.size();) {
    const size_t len = char_length(clean, i);
    whole += percent_encoded(std::string_view(clean).substr(i, len));
    i += len;
  }
  if (whole.size() <= room) return {whole};

  std::vector<std::string> pieces;
  std::string piece;
  auto start_piece = [&] {
    piece = n + "*" + std::to_string(pieces.size()) + "*=";
    if (pieces.empty()) piece += "UTF-8''";
  };
  start_piece();
  size_t prefix = piece.size();
  for (size_t i = 0; i < clean.size();) {
    const size_t len = char_length(clean, i);
    const std::string encoded = percent_encoded(std::string_view(clean).substr(i, len));
    if (piece.size() > prefix && piece.size() + encoded.size() > room) {
      pieces.push_back(std::move(piece));
      start_piece();
      prefix = piece.size();
    }
    piece += encoded;
    i += len;
  }
  pieces.push_back(std::move(piece));
  return pieces;
}

std::string header_with_parameters(std::string_view field, std::string_view main_value,
                                   const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = " ";
  out += main_value;
  size_t column = field.size() + 1 + out.size();  // "Field:" then the value
  for (const auto& [name, value] : params) {
    for (const std::string& piece : encode_parameter(name, value)) {
      // "; piece" must leave room for the ';' that may follow it.
      if (column + 2 + piece.size() + 1 <= kHeaderLineLimit) {
        out += "; ";
        column += 2;
      } else {
        out += ";\n\t";
        column = 1;
      }
      out += piece;
      column += piece.size();
    }
  }
  out += '\n';
  return out;
}

}  // namespace ostfs::render
