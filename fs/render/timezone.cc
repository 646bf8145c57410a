#include "fs/render/timezone.h"

#include <algorithm>

#include "fs/render/item_props.h"
#include "fs/render/item_time.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render::tz {
namespace {

uint16_t u16(std::span<const uint8_t> d, size_t at) {
  return static_cast<uint16_t>(d[at] | d[at + 1] << 8);
}
int32_t i32(std::span<const uint8_t> d, size_t at) {
  return static_cast<int32_t>(d[at] | d[at + 1] << 8 | d[at + 2] << 16 | static_cast<uint32_t>(d[at + 3]) << 24);
}

SystemTime read_system_time(std::span<const uint8_t> d, size_t at) {
  return {u16(d, at),     u16(d, at + 2),  u16(d, at + 4),  u16(d, at + 6),
          u16(d, at + 8), u16(d, at + 10), u16(d, at + 12), u16(d, at + 14)};
}

bool plausible(const SystemTime& st) {
  if (st.wMonth == 0) return true;  // "no transition"
  return st.wMonth <= 12 && st.wDayOfWeek <= 6 && st.wDay >= 1 && st.wDay <= 31 && st.wHour <= 23 && st.wMinute <= 59 &&
         st.wSecond <= 59;
}

bool plausible(const TzRule& r) {
  // Biases beyond a day, or a rule with only one transition, are damage.
  auto small = [](int32_t v) { return v > -24 * 60 && v < 24 * 60; };
  return small(r.lBias) && small(r.lStandardBias) && small(r.lDaylightBias) && plausible(r.stStandardDate) &&
         plausible(r.stDaylightDate) && (r.stStandardDate.wMonth == 0) == (r.stDaylightDate.wMonth == 0);
}

// lBias, lStandardBias, lDaylightBias, stStandardDate, stDaylightDate as a TZRULE lays them
// out (the TimeZoneStruct has wStandardYear / wDaylightYear words in between).
constexpr size_t kTzRuleSize = 66;

}  // namespace

std::optional<int64_t> transition_local(const SystemTime& st, int year) {
  if (st.wMonth < 1 || st.wMonth > 12) return std::nullopt;
  int64_t day;
  if (st.wYear != 0) {
    if (st.wYear != year) return std::nullopt;
    day = item::days_from_civil(year, st.wMonth, std::min<int>(st.wDay, item::days_in_month(year, st.wMonth)));
  } else {
    const int64_t first = item::days_from_civil(year, st.wMonth, 1);
    const int shift = (st.wDayOfWeek - item::weekday_of_days(first) + 7) % 7;
    day = first + shift + 7 * (std::clamp<int>(st.wDay, 1, 5) - 1);
    // Week 5 means "the last one": step back while past the month's end.
    while (day >= first + item::days_in_month(year, st.wMonth)) day -= 7;
  }
  return day * 86400 + st.wHour * 3600 + st.wMinute * 60 + st.wSecond;
}

const TzRule& TimeZone::rule_for_year(int year) const {
  const TzRule* found = &rules.front();
  for (const TzRule& r : rules)
    if (r.wYear <= year) found = &r;
  return *found;
}

std::optional<std::pair<int64_t, int64_t>> TimeZone::transitions_utc(int year) const {
  const TzRule& r = rule_for_year(year);
  if (!r.has_dst()) return std::nullopt;
  // Each transition is given on the wall clock in force before it.
  const auto daylight_start = transition_local(r.stDaylightDate, year);
  const auto standard_start = transition_local(r.stStandardDate, year);
  if (!daylight_start || !standard_start) return std::nullopt;
  return std::make_pair(*daylight_start - r.standard_offset() * 60, *standard_start - r.daylight_offset() * 60);
}

int64_t TimeZone::to_local(int64_t utc) const {
  const int utc_year = item::civil_from_seconds(utc).year;
  const int year = item::civil_from_seconds(utc + rule_for_year(utc_year).standard_offset() * 60).year;
  const TzRule& r = rule_for_year(year);
  const auto t = transitions_utc(year);
  bool daylight = false;
  if (t) {
    const auto [start, end] = *t;
    daylight = start < end ? (utc >= start && utc < end)   // northern hemisphere
                           : (utc >= start || utc < end);  // southern: DST spans the new year
  }
  return utc + (daylight ? r.daylight_offset() : r.standard_offset()) * 60;
}

int64_t TimeZone::to_utc(int64_t local) const {
  const TzRule& r = rule_for_year(item::civil_from_seconds(local).year);
  const int64_t as_daylight = local - r.daylight_offset() * 60;
  const int64_t as_standard = local - r.standard_offset() * 60;
  if (r.has_dst() && to_local(as_daylight) == local) return as_daylight;
  return as_standard;
}

std::optional<TimeZone> parse_time_zone_struct(std::span<const uint8_t> d, std::string name) {
  if (d.size() < 48) return std::nullopt;
  TzRule r;
  r.lBias = i32(d, 0);
  r.lStandardBias = i32(d, 4);
  r.lDaylightBias = i32(d, 8);
  r.stStandardDate = read_system_time(d, 14);  // after wStandardYear
  r.stDaylightDate = read_system_time(d, 32);  // after wDaylightYear
  if (!plausible(r)) return std::nullopt;
  return TimeZone{std::move(name), {r}};
}

std::optional<TimeZone> parse_tz_definition(std::span<const uint8_t> d) {
  // bMajorVersion, bMinorVersion, cbHeader, wReserved, cchKeyName, KeyName, cRules.
  if (d.size() < 6 || d[0] != 0x02) return std::nullopt;
  const size_t header_end = 4 + u16(d, 2);
  if (header_end > d.size() || header_end < 8) return std::nullopt;
  const size_t key_chars = u16(d, 6);
  if (8 + 2 * key_chars + 2 > header_end) return std::nullopt;
  TimeZone zone;
  zone.name = text::utf16le_to_utf8(d.subspan(8, 2 * key_chars));
  const size_t rule_count = u16(d, 8 + 2 * key_chars);
  size_t at = header_end;
  // Each rule applies from its wYear on (TZRULE_FLAG_EFFECTIVE_TZREG only marks the one in
  // force when the item was saved).
  for (size_t i = 0; i < rule_count; ++i, at += kTzRuleSize) {
    if (at + kTzRuleSize > d.size()) return std::nullopt;
    // bMajorVersion, bMinorVersion, wReserved, wTZRuleFlags, wYear, X[14], then the biases.
    TzRule r;
    r.wYear = u16(d, at + 6);
    r.lBias = i32(d, at + 22);
    r.lStandardBias = i32(d, at + 26);
    r.lDaylightBias = i32(d, at + 30);
    r.stStandardDate = read_system_time(d, at + 34);
    r.stDaylightDate = read_system_time(d, at + 50);
    if (!plausible(r)) return std::nullopt;
    zone.rules.push_back(r);
  }
  if (zone.rules.empty()) return std::nullopt;
  std::stable_sort(zone.rules.begin(), zone.rules.end(),
                   [](const TzRule& a, const TzRule& b) { return a.wYear < b.wYear; });
  if (zone.name.empty()) zone.name = "Custom";
  return zone;
}

std::optional<TimeZone> time_zone_for(const model::Message& m, Purpose purpose) {
  auto definition = [&](uint32_t lid) -> std::optional<TimeZone> {
    const auto* data = item::named_binary(m, props::PSETID_Appointment, lid);
    return data ? parse_tz_definition(*data) : std::nullopt;
  };
  auto recurrence_zone = [&]() -> std::optional<TimeZone> {
    if (auto z = definition(props::PidLidAppointmentTimeZoneDefinitionRecur)) return z;
    if (const auto* data = item::named_binary(m, props::PSETID_Appointment, props::PidLidTimeZoneStruct)) {
      std::string name =
          item::named_text(m, props::PSETID_Appointment, props::PidLidTimeZoneDescription).value_or("Custom");
      if (auto z = parse_time_zone_struct(*data, std::move(name))) return z;
    }
    return std::nullopt;
  };
  switch (purpose) {
    case Purpose::Recurrence:
      if (auto z = recurrence_zone()) return z;
      return definition(props::PidLidAppointmentTimeZoneDefinitionStartDisplay);
    case Purpose::Start:
      if (auto z = definition(props::PidLidAppointmentTimeZoneDefinitionStartDisplay)) return z;
      if (auto z = definition(props::PidLidAppointmentTimeZoneDefinitionEndDisplay)) return z;
      return recurrence_zone();
    case Purpose::End:
      if (auto z = definition(props::PidLidAppointmentTimeZoneDefinitionEndDisplay)) return z;
      if (auto z = definition(props::PidLidAppointmentTimeZoneDefinitionStartDisplay)) return z;
      return recurrence_zone();
  }
  return std::nullopt;
}

}  // namespace ostfs::render::tz
