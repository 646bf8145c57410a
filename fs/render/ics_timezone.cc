#include "fs/render/ics_timezone.h"

#include <algorithm>

#include "fs/render/item_time.h"

namespace ostfs::render::ics {
namespace {

const char* const kDayNames[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

icaltimetype floating(int64_t local) {
  const item::CivilTime c = item::civil_from_seconds(local);
  icaltimetype t = icaltime_null_time();
  t.year = c.year;
  t.month = c.month;
  t.day = c.day;
  t.hour = c.hour;
  t.minute = c.minute;
  t.second = c.second;
  return t;
}

// One STANDARD or DAYLIGHT observance for years `from`..`last` (or on, without `last`).
icalcomponent* observance(bool daylight, const tz::SystemTime& st, int from, std::optional<int> last, int offset_from,
                          int offset_to) {
  std::vector<int64_t> starts;
  if (st.wYear != 0) {
    // An absolute date: one transition in that year only.
    if (auto t = tz::transition_local(st, st.wYear)) starts.push_back(*t);
  } else {
    const int end = last.value_or(from);
    for (int year = from; year <= end; ++year)
      if (auto t = tz::transition_local(st, year)) starts.push_back(*t);
  }
  if (starts.empty()) return nullptr;
  icalcomponent* c = daylight ? icalcomponent_new_xdaylight() : icalcomponent_new_xstandard();
  icalcomponent_add_property(c, icalproperty_new_dtstart(floating(starts.front())));
  icalcomponent_add_property(c, icalproperty_new_tzoffsetfrom(offset_from * 60));
  icalcomponent_add_property(c, icalproperty_new_tzoffsetto(offset_to * 60));
  if (st.wYear == 0 && !last) {
    const int n = st.wDay >= 5 ? -1 : st.wDay;
    const std::string rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(st.wMonth) + ";BYDAY=" + std::to_string(n) +
                             kDayNames[st.wDayOfWeek % 7];
    icalcomponent_add_property(c, icalproperty_new_rrule(icalrecurrencetype_from_string(rule.c_str())));
  } else {
    for (size_t i = 1; i < starts.size(); ++i) {
      icaldatetimeperiodtype rdate{};
      rdate.time = floating(starts[i]);
      rdate.period = icalperiodtype_null_period();
      icalcomponent_add_property(c, icalproperty_new_rdate(rdate));
    }
  }
  return c;
}

}  // namespace

ComponentPtr vtimezone(const tz::TimeZone& zone, int first_year) {
  ComponentPtr c(icalcomponent_new_vtimezone());
  icalcomponent_add_property(c.get(), icalproperty_new_tzid(zone.name.c_str()));
  bool any = false;
  for (size_t i = 0; i < zone.rules.size(); ++i) {
    const tz::TzRule& r = zone.rules[i];
    const std::optional<int> last =
        i + 1 < zone.rules.size() ? std::optional<int>(zone.rules[i + 1].wYear - 1) : std::nullopt;
    // The first rule also stands for the years before it.
    const int from = i == 0 ? first_year : std::max<int>(r.wYear, first_year);
    if (last && *last < from) continue;
    if (r.has_dst()) {
      icalcomponent* standard =
          observance(false, r.stStandardDate, from, last, r.daylight_offset(), r.standard_offset());
      icalcomponent* daylight =
          observance(true, r.stDaylightDate, from, last, r.standard_offset(), r.daylight_offset());
      if (standard) icalcomponent_add_component(c.get(), standard);
      if (daylight) icalcomponent_add_component(c.get(), daylight);
      any = any || standard || daylight;
      if (standard && daylight) continue;
    }
    // Without daylight saving time, one observance from the start of the period.
    icalcomponent* standard = icalcomponent_new_xstandard();
    icalcomponent_add_property(standard, icalproperty_new_dtstart(floating(item::days_from_civil(from, 1, 1) * 86400)));
    const int previous = i > 0 ? zone.rules[i - 1].standard_offset() : r.standard_offset();
    icalcomponent_add_property(standard, icalproperty_new_tzoffsetfrom(previous * 60));
    icalcomponent_add_property(standard, icalproperty_new_tzoffsetto(r.standard_offset() * 60));
    icalcomponent_add_component(c.get(), standard);
    any = true;
  }
  if (!any) {
    // Every rule ended before the first year used: the last one describes the zone.
    const tz::TzRule& r = zone.rules.back();
    icalcomponent* standard = icalcomponent_new_xstandard();
    icalcomponent_add_property(standard,
                               icalproperty_new_dtstart(floating(item::days_from_civil(first_year, 1, 1) * 86400)));
    icalcomponent_add_property(standard, icalproperty_new_tzoffsetfrom(r.standard_offset() * 60));
    icalcomponent_add_property(standard, icalproperty_new_tzoffsetto(r.standard_offset() * 60));
    icalcomponent_add_component(c.get(), standard);
  }
  return c;
}

std::optional<int> earliest_year(icalcomponent* calendar, const std::string& tzid) {
  std::optional<int> out;
  for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_next_component(calendar, ICAL_ANY_COMPONENT)) {
    for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
      icalparameter* param = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
      if (!param || tzid != icalparameter_get_tzid(param)) continue;
      const icalvalue* v = icalproperty_get_value(p);
      if (!v || icalvalue_isa(v) != ICAL_DATETIME_VALUE) continue;
      const int year = icalvalue_get_datetime(v).year;
      if (!out || year < *out) out = year;
    }
  }
  return out;
}

}  // namespace ostfs::render::ics
