#include "fs/render/eml_props.h"

#include <array>
#include <cstdio>

#include "fs/render/mime_text.h"
#include "parser/text.h"

namespace ostfs::render {
namespace {

constexpr int64_t kYear4501 = 79365398400;  // 4501-01-01T00:00:00Z

std::optional<std::string> cleaned(std::optional<std::string> raw) {
  if (!raw) return std::nullopt;
  std::string line = clean_header_value(*raw);
  if (line.empty()) return std::nullopt;
  return line;
}

std::optional<std::string> text_of(const model::Property* p, uint32_t codepage) {
  if (!p) return std::nullopt;
  if (p->type == props::type::Unicode) return text::utf16le_to_utf8(p->value);
  if (p->type == props::type::String8) return text::codepage_to_utf8(p->value, codepage);
  return std::nullopt;
}

std::optional<int64_t> unix_of(const model::Property* p) {
  if (!p || p->type != props::type::SysTime || p->value.size() != 8) return std::nullopt;
  uint64_t filetime = 0;
  for (int i = 7; i >= 0; --i) filetime = filetime << 8 | p->value[static_cast<size_t>(i)];
  if (filetime == 0) return std::nullopt;
  const int64_t seconds = model::filetime_to_unix(filetime);
  if (seconds >= kYear4501) return std::nullopt;
  return seconds;
}

struct Civil {
  int64_t year;
  int month, day, weekday;  // weekday 0 = Sunday
};

// Days since 1970-01-01 to the proleptic Gregorian date, counted in 400-year eras that
// start on March 1st so that leap days fall at the end of each year.
Civil civil_from_days(int64_t z) {
  const int weekday = static_cast<int>(((z % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day, weekday};
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

std::string date_part(int64_t unix_seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const Civil c = civil_from_days(floor_div(unix_seconds, 86400));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %04lld-%02d-%02d", kDays[static_cast<size_t>(c.weekday)],
                static_cast<long long>(c.year), c.month, c.day);
  return buf;
}

std::string clock_part(int64_t unix_seconds) {
  const int64_t in_day = unix_seconds - floor_div(unix_seconds, 86400) * 86400;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(in_day / 3600),
                static_cast<int>(in_day % 3600 / 60));
  return buf;
}

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool derives_from_class(std::string_view cls, std::string_view base) {
  if (cls.size() < base.size()) return false;
  for (size_t i = 0; i < base.size(); ++i)
    if (lower_ascii(cls[i]) != lower_ascii(base[i])) return false;
  return cls.size() == base.size() || cls[base.size()] == '.';
}

std::optional<std::string> line_text(const model::Message& message, uint16_t id) {
  return line_text(message, message.props, id);
}

std::optional<std::string> line_text(const model::Message& message, const model::PropertyBag& props,
                                     uint16_t id) {
  return cleaned(text_of(props.find(id), message.codepage));
}

std::optional<std::string> named_line_text(const model::Message& message, const props::Guid& guid,
                                           uint32_t lid) {
  return cleaned(text_of(message.props.find_named(guid, lid), message.codepage));
}

std::optional<int64_t> time_of(const model::PropertyBag& props, uint16_t id) {
  return unix_of(props.find(id));
}

std::optional<int64_t> named_time(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  return unix_of(message.props.find_named(guid, lid));
}

std::optional<bool> named_bool(const model::Message& message, const props::Guid& guid, uint32_t lid) {
  const model::Property* p = message.props.find_named(guid, lid);
  if (!p || p->type != props::type::Boolean || p->value.empty()) return std::nullopt;
  return p->value[0] != 0;
}

std::string readable_time(int64_t unix_seconds) {
  return date_part(unix_seconds) + " " + clock_part(unix_seconds) + " UTC";
}

std::string readable_span(int64_t start, int64_t end) {
  if (floor_div(start, 86400) == floor_div(end, 86400) && end >= start)
    return date_part(start) + " " + clock_part(start) + " to " + clock_part(end) + " UTC";
  return readable_time(start) + " to " + readable_time(end);
}

}  // namespace ostfs::render
