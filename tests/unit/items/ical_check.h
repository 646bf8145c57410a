// libical's own parser and recurrence expansion over render_ics() output.
#pragma once

#include <libical/ical.h>

#include <memory>
#include <string>
#include <vector>

namespace ostfs::render::testing {

struct CalendarDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Calendar = std::unique_ptr<icalcomponent, CalendarDeleter>;

// Parses `ics`; nullptr when libical cannot.
inline Calendar parse_ical(const std::string& ics) {
  return Calendar(icalparser_parse_string(ics.c_str()));
}

// The components of `kind` directly inside `calendar`.
inline std::vector<icalcomponent*> components(icalcomponent* calendar, icalcomponent_kind kind) {
  std::vector<icalcomponent*> out;
  for (icalcomponent* c = icalcomponent_get_first_component(calendar, kind); c;
       c = icalcomponent_get_next_component(calendar, kind))
    out.push_back(c);
  return out;
}

// Number of properties libical flagged as errors (X-LIC-ERROR) anywhere in `c`.
inline int lic_errors(icalcomponent* c) {
  int n = 0;
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY))
    ++n;
  for (icalcomponent* sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub;
       sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
    n += lic_errors(sub);
  return n;
}

// The first `count` occurrence starts of `event`'s RRULE (DTSTART's wall clock), with
// EXDATEs removed, as "YYYYMMDDTHHMMSS" or "YYYYMMDD".
inline std::vector<std::string> occurrences(icalcomponent* event, size_t count) {
  std::vector<std::string> exdates;
  for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY))
    exdates.push_back(icaltime_as_ical_string(icalproperty_get_exdate(p)));
  const icaltimetype start = icalcomponent_get_dtstart(event);
  icalproperty* rrule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
  std::vector<std::string> out;
  if (!rrule) {
    out.push_back(icaltime_as_ical_string(start));
    return out;
  }
  icalrecur_iterator* it = icalrecur_iterator_new(icalproperty_get_rrule(rrule), start);
  for (icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t) && out.size() < count;
       t = icalrecur_iterator_next(it)) {
    std::string s = icaltime_as_ical_string(t);
    if (std::find(exdates.begin(), exdates.end(), s) == exdates.end()) out.push_back(s);
  }
  icalrecur_iterator_free(it);
  return out;
}

}  // namespace ostfs::render::testing
