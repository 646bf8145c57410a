// VTIMEZONE components ([RFC 5545] 3.6.5) from Outlook time zone rules.
#pragma once

#include "fs/render/ics_component.h"
#include "fs/render/timezone.h"

namespace ostfs::render::ics {

// A VTIMEZONE with TZID `zone.name` covering the years from `first_year` on: the rule in
// force from then on gets a yearly RRULE without end; rules that a later one replaces
// list their transitions as RDATEs (an RRULE with UNTIL would do, but common parsers,
// Python's icalendar among them, reject a UTC UNTIL beside a floating DTSTART). Rules
// that end before `first_year` are left out.
ComponentPtr vtimezone(const tz::TimeZone& zone, int first_year);

// The earliest year of any property value of `calendar`'s components written with
// TZID `tzid`; nullopt when none is.
std::optional<int> earliest_year(icalcomponent* calendar, const std::string& tzid);

}  // namespace ostfs::render::ics
