#include "fs/render/vcard_writer.h"

#include "parser/text.h"

namespace ostfs::render::vcard {

std::string escape_text(std::string_view value) {
  const std::string clean = text::sanitize_utf8(value);
  std::string out;
  out.reserve(clean.size());
  for (size_t i = 0; i < clean.size(); ++i) {
    const char c = clean[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ',':
        out += "\\,";
        break;
      case ';':
        out += "\\;";
        break;
      case '\r':
        out += "\\n";
        if (i + 1 < clean.size() && clean[i + 1] == '\n') ++i;
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) break;
        out += c;
    }
  }
  return out;
}

std::string param_value(std::string_view value) {
  const std::string clean = text::sanitize_utf8(value);
  std::string out;
  bool quote = false;
  for (char c : clean) {
    if (c == '"') {
      out += ' ';
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
      continue;
    } else {
      if (c == ':' || c == ';' || c == ',') quote = true;
      out += c;
    }
  }
  return quote ? "\"" + out + "\"" : out;
}

std::string fold(std::string_view line) {
  constexpr size_t kMax = 75;
  std::string out;
  out.reserve(line.size() + line.size() / 70 * 3 + 2);
  size_t pos = 0;
  size_t room = kMax;  // the first line has 75 octets; continuations 74 after their space
  while (line.size() - pos > room) {
    size_t cut = pos + room;
    // Back up to the start of a UTF-8 sequence so that no character is split.
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == pos) cut = pos + room;  // not UTF-8 at all: cut anyway rather than loop
    out.append(line.substr(pos, cut - pos));
    out += "\r\n ";
    pos = cut;
    room = kMax - 1;
  }
  out.append(line.substr(pos));
  out += "\r\n";
  return out;
}

Writer::Writer(int version) : version_(version == 4 ? 4 : 3) {
  out_ = "BEGIN:VCARD\r\n";
  out_ += version_ == 4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n";
}

void Writer::add(std::string_view name, std::string_view params, std::string_view value) {
  std::string line(name);
  if (!params.empty()) {
    line += ';';
    line += params;
  }
  line += ':';
  line += value;
  out_ += fold(line);
}

void Writer::add_text(std::string_view name, std::string_view params, std::string_view value) {
  if (value.empty()) return;
  add(name, params, escape_text(value));
}

void Writer::add_uri(std::string_view name, std::string_view params, std::string_view uri) {
  std::string clean;
  for (char c : text::sanitize_utf8(uri))
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) clean += c;
  if (!clean.empty()) add(name, params, clean);
}

void Writer::add_structured(std::string_view name, std::string_view params,
                            const std::vector<std::string>& components) {
  std::string value;
  for (size_t i = 0; i < components.size(); ++i) {
    if (i) value += ';';
    value += escape_text(components[i]);
  }
  add(name, params, value);
}

std::string Writer::finish() const {
  return out_ + "END:VCARD\r\n";
}

}  // namespace ostfs::render::vcard
