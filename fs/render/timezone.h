// Outlook time zone definitions ([MS-OXOCAL] 2.2.1.39 PidLidTimeZoneStruct, 2.2.1.41
// TZDEFINITION / TZRULE) and conversion between UTC and the zone's wall clock. No time
// zone database is used: the item's own rules are the truth for the item.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "parser/model.h"

namespace ostfs::render::tz {

// SYSTEMTIME as the rules use it: wYear == 0 means "the wDay-th (5 = last) wDayOfWeek of
// wMonth, every year"; otherwise an absolute date.
struct SystemTime {
  uint16_t wYear = 0, wMonth = 0, wDayOfWeek = 0, wDay = 0, wHour = 0, wMinute = 0, wSecond = 0, wMilliseconds = 0;
  bool operator==(const SystemTime&) const = default;
};

// One TZRULE (or the single rule of a TimeZoneStruct). Offsets are Windows biases in
// minutes: UTC = local + lBias + (lStandardBias or lDaylightBias).
struct TzRule {
  uint16_t wYear = 0;  // first year the rule applies to
  int32_t lBias = 0, lStandardBias = 0, lDaylightBias = 0;
  SystemTime stStandardDate, stDaylightDate;
  bool has_dst() const { return stStandardDate.wMonth != 0 && stDaylightDate.wMonth != 0; }
  // Minutes east of UTC (the iCalendar sign) in standard and daylight time.
  int standard_offset() const { return -(lBias + lStandardBias); }
  int daylight_offset() const { return -(lBias + lDaylightBias); }
  bool operator==(const TzRule&) const = default;
};

struct TimeZone {
  std::string name;           // the key name ("Pacific Standard Time") or a description
  std::vector<TzRule> rules;  // by wYear, ascending; never empty

  // The rule for `year`: the last one starting at or before it (the first for earlier years).
  const TzRule& rule_for_year(int year) const;
  // UTC <-> wall clock, both as seconds since 1970 (the wall clock in its own frame).
  int64_t to_local(int64_t utc) const;
  // A wall-clock time that falls in the spring-forward gap is read with the standard
  // offset; one that occurs twice (autumn) gives the first (daylight) instant.
  int64_t to_utc(int64_t local) const;
  // The UTC instants of the two transitions of `year` (nullopt without DST).
  std::optional<std::pair<int64_t, int64_t>> transitions_utc(int year) const;  // {daylight start, standard start}
  bool operator==(const TimeZone&) const = default;
};

// Parses a 48-byte TimeZoneStruct. nullopt when too short or holding impossible values.
std::optional<TimeZone> parse_time_zone_struct(std::span<const uint8_t> data, std::string name);
// Parses a TZDEFINITION stream. nullopt when malformed or without rules.
std::optional<TimeZone> parse_tz_definition(std::span<const uint8_t> data);

// The local date and time of a transition rule `st` in `year` (seconds since 1970 on the
// wall clock that is in force before the transition).
std::optional<int64_t> transition_local(const SystemTime& st, int year);

// Which of an appointment's zones to read.
enum class Purpose { Start, End, Recurrence };
// The zone [MS-OXOCAL] 3.1.4.5.x assigns for `purpose`: for recurrences
// PidLidAppointmentTimeZoneDefinitionRecur, else PidLidTimeZoneStruct (named by
// PidLidTimeZoneDescription), else the start display zone; for start and end the
// StartDisplay / EndDisplay definitions, falling back to each other and to the recurrence
// zone. nullopt when the item has none that parses.
std::optional<TimeZone> time_zone_for(const model::Message& message, Purpose purpose);

}  // namespace ostfs::render::tz
