#include "fs/render/item_props.h"

#include <cstring>

#include "fs/render/eml_body.h"
#include "fs/render/mv_strings.h"
#include "parser/text.h"

namespace ostfs::render::item {
namespace {

uint64_t read_le(std::span<const uint8_t> bytes, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) v |= static_cast<uint64_t>(bytes[i]) << (8 * i);
  return v;
}

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  const size_t first = s.find_first_not_of(ws);
  if (first == std::string::npos) return {};
  const size_t last = s.find_last_not_of(ws);
  return s.substr(first, last - first + 1);
}

std::optional<std::string> non_empty(std::optional<std::string> s) {
  if (!s) return std::nullopt;
  std::string t = trim(std::move(*s));
  if (t.empty()) return std::nullopt;
  return t;
}

// Outlook writes 4501-01-01 for "no date"; anything from 4500 on is that or damage.
constexpr int64_t kNoDateFrom = 79728220800;  // 4500-01-01T00:00:00Z in Unix seconds

std::optional<int64_t> usable_time(std::optional<uint64_t> filetime) {
  if (!filetime || *filetime == 0) return std::nullopt;
  const int64_t t = model::filetime_to_unix(*filetime);
  if (t >= kNoDateFrom) return std::nullopt;
  return t;
}

}  // namespace

std::optional<std::string> string_of(const model::Property* p, uint32_t codepage) {
  if (!p) return std::nullopt;
  if (p->type == props::type::Unicode) return text::utf16le_to_utf8(p->value);
  if (p->type == props::type::String8) return text::codepage_to_utf8(p->value, codepage);
  return std::nullopt;
}

std::optional<int32_t> int32_of(const model::Property* p) {
  if (!p) return std::nullopt;
  if ((p->type == props::type::Int32 || p->type == props::type::Error) && p->value.size() >= 4)
    return static_cast<int32_t>(read_le(p->value, 4));
  if (p->type == props::type::Int16 && p->value.size() >= 2) return static_cast<int16_t>(read_le(p->value, 2));
  return std::nullopt;
}

std::optional<bool> bool_of(const model::Property* p) {
  if (!p || p->value.empty()) return std::nullopt;
  if (p->type == props::type::Boolean) return p->value[0] != 0;
  if (p->type == props::type::Int32) return int32_of(p).value_or(0) != 0;
  return std::nullopt;
}

std::optional<uint64_t> filetime_of(const model::Property* p) {
  if (!p || p->type != props::type::SysTime || p->value.size() < 8) return std::nullopt;
  return read_le(p->value, 8);
}

std::optional<double> double_of(const model::Property* p) {
  if (!p) return std::nullopt;
  if (p->type == props::type::Double && p->value.size() >= 8) {
    const uint64_t bits = read_le(p->value, 8);
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  if (p->type == props::type::Float && p->value.size() >= 4) {
    const uint32_t bits = static_cast<uint32_t>(read_le(p->value, 4));
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  return std::nullopt;
}

const std::vector<uint8_t>* binary_of(const model::Property* p) {
  if (!p || p->type != props::type::Binary) return nullptr;
  return &p->value;
}

std::optional<std::string> text(const model::Message& message, uint16_t id) {
  return non_empty(string_of(message.props.find(id), message.codepage));
}

std::optional<std::string> named_text(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  return non_empty(string_of(message.props.find_named(guid, lid), message.codepage));
}

std::optional<int32_t> named_int32(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  return int32_of(message.props.find_named(guid, lid));
}

std::optional<bool> named_bool(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  return bool_of(message.props.find_named(guid, lid));
}

std::optional<double> named_double(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  return double_of(message.props.find_named(guid, lid));
}

const std::vector<uint8_t>* named_binary(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  return binary_of(message.props.find_named(guid, lid));
}

std::optional<int64_t> named_time(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  return usable_time(filetime_of(message.props.find_named(guid, lid)));
}

std::optional<int64_t> time(const model::Message& message, uint16_t id) {
  return usable_time(filetime_of(message.props.find(id)));
}

std::vector<std::string> categories(const model::Message& message) {
  std::vector<std::string> out;
  const model::Property* p = message.props.find_named(props::PS_PUBLIC_STRINGS, props::PidNameKeywords);
  if (!p) return out;
  if (p->type == props::type::Unicode || p->type == props::type::String8) {
    // Some writers store a single category as a plain string.
    if (auto one = non_empty(string_of(p, message.codepage))) out.push_back(*one);
    return out;
  }
  for (auto& s : multi_strings(*p, message.codepage))
    if (auto t = non_empty(std::move(s))) out.push_back(*t);
  return out;
}

std::string plain_body(const model::Message& message) {
  std::string body = to_lf(message_bodies(message).plain.value_or(""));
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ' || body.back() == '\t')) body.pop_back();
  return body;
}

std::vector<std::vector<uint8_t>> multi_binary(const model::Property& property) {
  if (property.type != props::type::MvBinary) return {};
  const std::span<const uint8_t> value(property.value);
  if (value.size() < 4) return {};
  const uint64_t count = read_le(value, 4);
  const uint64_t table_end = 4 + 4 * count;
  if (table_end > value.size()) return {};
  std::vector<uint64_t> offsets;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t offset = read_le(value.subspan(4 + 4 * i), 4);
    if (offset < table_end || offset > value.size()) return {};
    if (!offsets.empty() && offset < offsets.back()) return {};
    offsets.push_back(offset);
  }
  offsets.push_back(value.size());
  std::vector<std::vector<uint8_t>> out;
  for (uint64_t i = 0; i < count; ++i) out.emplace_back(value.begin() + offsets[i], value.begin() + offsets[i + 1]);
  return out;
}

std::string hex(std::span<const uint8_t> bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::string base64(std::span<const uint8_t> bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = bytes[i] << 16;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

uint64_t fnv1a64(std::span<const uint8_t> bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::optional<int64_t> stamp_time(const model::Message& message) {
  for (uint16_t id : {props::PidTagLastModificationTime, props::PidTagCreationTime, props::PidTagClientSubmitTime,
                      props::PidTagMessageDeliveryTime})
    if (auto t = time(message, id)) return t;
  return std::nullopt;
}

std::string stable_uid(const model::Message& message) {
  // The UID must stay the same when the item is exported to a new PST and read back, so it
  // comes from what every copy keeps: the search key, else the item's own texts and times
  // (never its node id or record key, which belong to one file).
  const std::vector<uint8_t>* key = message.props.binary(props::PidTagSearchKey);
  if (key && key->size() == 16) {
    const std::string h = hex(*key);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
  }
  std::string identity = message.message_class();
  if (key) identity += "|" + hex(*key);
  for (uint16_t id : {props::PidTagSubject, props::PidTagDisplayName, props::PidTagBody})
    identity += "|" + message.text(id).value_or("");
  for (uint16_t id : {props::PidTagCreationTime, props::PidTagLastModificationTime})
    identity += "|" + std::to_string(message.props.filetime(id).value_or(0));
  const std::vector<uint8_t> bytes(identity.begin(), identity.end());
  char digest[20];
  std::snprintf(digest, sizeof digest, "%016llX", static_cast<unsigned long long>(fnv1a64(bytes)));
  return std::string("ostfs-") + digest;
}

std::string to_lf(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string image_type(std::span<const uint8_t> data) {
  auto starts = [&](std::initializer_list<uint8_t> magic) {
    if (data.size() < magic.size()) return false;
    size_t i = 0;
    for (uint8_t b : magic)
      if (data[i++] != b) return false;
    return true;
  };
  if (starts({0xFF, 0xD8, 0xFF})) return "JPEG";
  if (starts({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return "PNG";
  if (starts({'G', 'I', 'F', '8'})) return "GIF";
  if (starts({'B', 'M'})) return "BMP";
  return "";
}

}  // namespace ostfs::render::item
