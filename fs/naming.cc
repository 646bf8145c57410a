#include "fs/naming.h"

#include <ctime>

#include "parser/text.h"

namespace ostfs::fs {
namespace {

// Decodes the code point of a valid UTF-8 sequence starting at s[i] (input is sanitized).
char32_t decode_at(std::string_view s, size_t i, size_t& len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) { len = 1; return b0; }
  if ((b0 & 0xE0) == 0xC0) { len = 2; return ((b0 & 0x1F) << 6) | (s[i + 1] & 0x3F); }
  if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    return ((b0 & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
  }
  len = 4;
  return ((b0 & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
}

bool is_invisible_or_control(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||  // C0, DEL, C1
         (cp >= 0x200B && cp <= 0x200F) ||                          // zero-width, LRM/RLM
         (cp >= 0x202A && cp <= 0x202E) ||                          // bidi embeddings/overrides
         (cp >= 0x2066 && cp <= 0x2069) ||                          // bidi isolates
         cp == 0xFEFF;                                              // BOM
}

bool is_space(char32_t cp) { return cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A); }

}  // namespace

std::string truncate_utf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut));
}

std::string sanitize_component(std::string_view text, std::string_view fallback) {
  const std::string clean = text::sanitize_utf8(text);
  std::string out;
  out.reserve(clean.size());
  bool pending_space = false;
  for (size_t i = 0; i < clean.size();) {
    size_t len = 1;
    const char32_t cp = decode_at(clean, i, len);
    const std::string_view bytes(clean.data() + i, len);
    i += len;
    if (cp == '\t' || cp == '\n' || cp == '\r' || is_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (is_invisible_or_control(cp)) continue;
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    switch (cp) {
      case '/': case '\\': case ':': case '*': case '?': case '"': case '<': case '>': case '|':
        out.push_back('-');
        break;
      default:
        out.append(bytes);
    }
  }
  if (!out.empty() && out[0] == '.') out.insert(0, "_");
  out = truncate_utf8(out, kMaxNameBytes);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) return std::string(fallback);
  return out;
}

std::string message_file_stem(std::optional<int64_t> unix_time, std::string_view subject) {
  std::string stem;
  if (unix_time) {
    const time_t t = static_cast<time_t>(*unix_time);
    struct tm tm{};
    if (gmtime_r(&t, &tm) && tm.tm_year + 1900 >= 1 && tm.tm_year + 1900 <= 9999) {
      char buffer[32];
      std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H.%M", &tm);
      stem = buffer;
    }
  }
  const std::string safe_subject = sanitize_component(subject, "(no subject)");
  if (stem.empty()) return safe_subject;
  return sanitize_component(stem + " " + safe_subject, "(no subject)");
}

std::string_view NameArena::add(std::string_view name) {
  char* at = static_cast<char*>(pages_.allocate(name.size() + 1, 1));
  std::copy(name.begin(), name.end(), at);
  at[name.size()] = '\0';
  return {at, name.size()};
}

std::string unique_name(std::string_view stem, std::string_view extension,
                        const std::function<bool(std::string_view)>& taken) {
  for (unsigned n = 1;; ++n) {
    const std::string suffix = n == 1 ? std::string() : " (" + std::to_string(n) + ")";
    const size_t room = kMaxNameBytes - suffix.size() - extension.size();
    std::string name = truncate_utf8(stem, room);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    name += suffix;
    name += extension;
    if (!taken(name)) return name;
  }
}

}  // namespace ostfs::fs
