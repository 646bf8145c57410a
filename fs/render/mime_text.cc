#include "fs/render/mime_text.h"

#include <algorithm>
#include <cstring>

#include "parser/text.h"

namespace ostfs::render {
namespace {

constexpr size_t kMaxLine = 998;  // [RFC 5322] 2.1.1, [RFC 2045] 2.8

// Length of the UTF-8 sequence starting with `lead` (valid UTF-8 assumed).
size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

bool longest_line_fits(std::string_view text) {
  size_t line = 0;
  for (char c : text) {
    if (c == '\n') {
      line = 0;
    } else if (++line > kMaxLine) {
      return false;
    }
  }
  return true;
}

constexpr size_t kQpLine = 76;  // [RFC 2045] 6.7 rule 5, the '=' of a soft break included

// Appends one line of text (without its line end), encoded, with soft breaks.
void encode_qp_line(std::string_view line, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string current;
  size_t after_space = 0;  // length of `current` up to its last literal space or tab
  for (size_t i = 0; i < line.size(); ++i) {
    const auto u = static_cast<unsigned char>(line[i]);
    const bool blank = u == ' ' || u == '\t';
    const bool literal = (u >= 33 && u <= 126 && u != '=') || (blank && i + 1 < line.size());
    char token[3] = {static_cast<char>(u), 0, 0};
    size_t token_size = 1;
    if (!literal) {
      token[0] = '=';
      token[1] = kHex[u >> 4];
      token[2] = kHex[u & 0xF];
      token_size = 3;
    }
    while (current.size() + token_size > kQpLine - 1) {
      const size_t cut = after_space > 0 ? after_space : current.size();
      out.append(current, 0, cut).append("=\n");
      current.erase(0, cut);
      after_space = 0;
    }
    current.append(token, token_size);
    if (blank && literal) after_space = current.size();
  }
  out += current;
}

}  // namespace

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t pos = 0;
  for (;;) {
    const size_t eol = text.find('\n', pos);
    encode_qp_line(text.substr(pos, eol == std::string_view::npos ? eol : eol - pos), out);
    if (eol == std::string_view::npos) break;
    out += '\n';
    pos = eol + 1;
  }
  return out;
}

std::string clean_header_value(std::string_view utf8) {
  const std::string valid = text::sanitize_utf8(utf8);
  std::string out;
  out.reserve(std::min(valid.size(), kMaxHeaderValue));
  for (size_t i = 0; i < valid.size();) {
    const auto lead = static_cast<unsigned char>(valid[i]);
    const size_t len = std::min(sequence_length(lead), valid.size() - i);
    const std::string_view seq(valid.data() + i, len);
    i += len;
    const bool control = lead < 0x20 || lead == 0x7F;
    const bool line_break = seq == "\xC2\x85" || seq == "\xE2\x80\xA8" || seq == "\xE2\x80\xA9";
    if (control || line_break) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    if (out.size() + len > kMaxHeaderValue) break;
    if (seq == " " && out.empty()) continue;
    out.append(seq);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string normalize_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_8bit(std::string_view text) {
  return text.find('\0') == std::string_view::npos && longest_line_fits(text);
}

bool is_7bit(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0' || c == '\r') return false;
  return longest_line_fits(text);
}

TextEncoding text_encoding(std::string_view text) {
  return is_8bit(text) ? TextEncoding::EightBit : TextEncoding::QuotedPrintable;
}

namespace {
constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Two base64 characters for every 12-bit value: a 3-byte group is two lookups.
struct Base64Pairs {
  char pairs[4096][2];
  constexpr Base64Pairs() : pairs() {
    for (int v = 0; v < 4096; ++v) {
      pairs[v][0] = kBase64Alphabet[v >> 6];
      pairs[v][1] = kBase64Alphabet[v & 0x3F];
    }
  }
};
constexpr Base64Pairs kBase64Pairs;
}  // namespace

size_t base64_line(std::span<const uint8_t> data, uint64_t line, char* out) {
  constexpr uint64_t kBytesPerLine = 57;
  const uint64_t first = line * kBytesPerLine;
  if (first >= data.size()) return 0;
  const uint8_t* in = data.data() + first;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(kBytesPerLine, data.size() - first));
  char* at = out;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = uint32_t{in[i]} << 16 | uint32_t{in[i + 1]} << 8 | in[i + 2];
    std::memcpy(at, kBase64Pairs.pairs[v >> 12], 2);
    std::memcpy(at + 2, kBase64Pairs.pairs[v & 0xFFF], 2);
    at += 4;
  }
  if (i < n) {
    const uint32_t v = uint32_t{in[i]} << 16 | (i + 1 < n ? uint32_t{in[i + 1]} << 8 : 0);
    at[0] = kBase64Alphabet[v >> 18];
    at[1] = kBase64Alphabet[(v >> 12) & 0x3F];
    at[2] = i + 1 < n ? kBase64Alphabet[(v >> 6) & 0x3F] : '=';
    at[3] = '=';
    at += 4;
  }
  *at++ = '\n';
  return static_cast<size_t>(at - out);
}

uint64_t base64_encoded_size(uint64_t n) {
  constexpr uint64_t kBytesPerLine = 57;  // 76 characters
  const uint64_t characters = (n + 2) / 3 * 4;
  const uint64_t lines = (n + kBytesPerLine - 1) / kBytesPerLine;
  return characters + lines;
}

}  // namespace ostfs::render
