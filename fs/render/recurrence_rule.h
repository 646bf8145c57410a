// A RecurrencePattern as an iCalendar RRULE ([RFC 5545] 3.3.10).
#pragma once

#include <optional>
#include <string>

#include "fs/render/recurrence.h"

namespace ostfs::render::recurrence {

struct RuleText {
  std::optional<std::string> rrule;  // "FREQ=...", without "RRULE:"
  std::string why_not;               // set when rrule is empty: why the pattern has no RRULE form
};

// The RRULE for `pattern`. `until` is the UNTIL value to use when the series ends by date
// (a UTC date-time "YYYYMMDDTHHMMSSZ", or a date "YYYYMMDD" for all-day series), computed
// by the caller, who knows the zone. Gregorian patterns of every kind have a form;
// Hijri-calendar and other lunar patterns, and malformed fields (no days, zero period),
// do not.
RuleText rrule_for(const RecurrencePattern& pattern, const std::string& until);

}  // namespace ostfs::render::recurrence
