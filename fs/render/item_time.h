// Calendar arithmetic on the proleptic Gregorian calendar, for the item renderers: no
// time zone database and no clock, so results depend on the item only.
#pragma once

#include <cstdint>
#include <string>

namespace ostfs::render::item {

struct CivilTime {
  int year = 1970, month = 1, day = 1;  // month 1..12, day 1..31
  int hour = 0, minute = 0, second = 0;
  bool operator==(const CivilTime&) const = default;
};

// Days since 1970-01-01 for a date (month and day may be out of range: they carry).
int64_t days_from_civil(int year, int month, int day);
// Seconds since 1970-01-01T00:00:00 for a wall-clock time (no zone attached).
int64_t seconds_from_civil(const CivilTime& t);
CivilTime civil_from_seconds(int64_t seconds);
// 0 = Sunday .. 6 = Saturday.
int weekday_of_days(int64_t days);
int days_in_month(int year, int month);

// Minutes since 1601-01-01T00:00 (the unit of [MS-OXOCAL] recurrence blobs) as seconds
// since 1970 in the same (local) frame.
int64_t seconds_from_minutes_1601(uint32_t minutes);

// "YYYYMMDD" and "YYYYMMDDTHHMMSS" (iCalendar / vCard 4 basic forms), "YYYY-MM-DD" and
// "YYYY-MM-DDTHH:MM:SSZ" (vCard 3 extended forms).
std::string basic_date(const CivilTime& t);
std::string basic_date_time(const CivilTime& t);
std::string extended_date(const CivilTime& t);
std::string extended_date_time_utc(const CivilTime& t);

}  // namespace ostfs::render::item
