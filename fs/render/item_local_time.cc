#include "fs/render/item_local_time.h"

#include <cstdio>
#include <cstdlib>

#include "fs/render/item_props.h"
#include "fs/render/item_time.h"
#include "fs/render/timezone.h"
#include "parser/props.h"

namespace ostfs::render {
namespace {

constexpr int64_t kDay = 86400;
const char* const kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

std::string date_text(int64_t local) {
  const item::CivilTime c = item::civil_from_seconds(local);
  return std::string(kWeekdays[item::weekday_of_days(floor_div(local, kDay))]) + " " + item::extended_date(c);
}

std::string clock_text(int64_t local) {
  const item::CivilTime c = item::civil_from_seconds(local);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", c.hour, c.minute);
  return buf;
}

// "(Pacific Standard Time, UTC-07:00)": the zone's name and the offset in force then.
std::string zone_text(const tz::TimeZone& zone, int64_t utc) {
  const int64_t offset_minutes = (zone.to_local(utc) - utc) / 60;
  const int64_t magnitude = std::llabs(offset_minutes);
  char buf[32];
  std::snprintf(buf, sizeof buf, "UTC%c%02lld:%02lld", offset_minutes < 0 ? '-' : '+',
                static_cast<long long>(magnitude / 60), static_cast<long long>(magnitude % 60));
  return "(" + zone.name + ", " + buf + ")";
}

// The date an all-day boundary stands for: the nearest local midnight, as the .ics has it.
int64_t nearest_midnight(int64_t local) { return floor_div(local + kDay / 2, kDay) * kDay; }

}  // namespace

std::optional<std::string> appointment_local_span(const model::Message& m) {
  const auto& guid = props::PSETID_Appointment;
  const auto start = item::named_time(m, guid, props::PidLidAppointmentStartWhole);
  if (!start) return std::nullopt;
  const auto start_zone = tz::time_zone_for(m, tz::Purpose::Start);
  if (!start_zone) return std::nullopt;
  // An end before the start is damage: the start alone is shown then.
  const auto stored_end = item::named_time(m, guid, props::PidLidAppointmentEndWhole);
  const bool has_end = stored_end && *stored_end >= *start;
  const int64_t end = has_end ? *stored_end : *start;
  std::optional<tz::TimeZone> end_zone;
  if (has_end) end_zone = tz::time_zone_for(m, tz::Purpose::End);
  const tz::TimeZone& end_clock = end_zone ? *end_zone : *start_zone;
  const int64_t local_start = start_zone->to_local(*start);

  if (item::named_bool(m, guid, props::PidLidAppointmentSubType).value_or(false)) {
    const int64_t first_day = nearest_midnight(local_start);
    std::string out = date_text(first_day);
    if (has_end) {
      const int64_t last_day = nearest_midnight(end_clock.to_local(end)) - kDay;
      if (last_day > first_day) out += " to " + date_text(last_day);
    }
    return out;
  }

  const std::string start_zone_text = zone_text(*start_zone, *start);
  std::string out = date_text(local_start) + " " + clock_text(local_start);
  if (!has_end) return out + " " + start_zone_text;
  const int64_t local_end = end_clock.to_local(end);
  const std::string end_zone_text = zone_text(end_clock, end);
  if (end_zone_text != start_zone_text) {
    return out + " " + start_zone_text + " to " + date_text(local_end) + " " + clock_text(local_end) + " " +
           end_zone_text;
  }
  out += " to ";
  if (floor_div(local_end, kDay) != floor_div(local_start, kDay)) out += date_text(local_end) + " ";
  return out + clock_text(local_end) + " " + start_zone_text;
}

}  // namespace ostfs::render
