// Thin C++ helpers over libical for building the components render_ics() writes: RAII
// ownership, text sanitising, and the date-time forms we use (UTC, local with TZID, date).
#pragma once

#include <libical/ical.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fs/render/item_time.h"

namespace ostfs::render::ics {

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

// Makes libical report errors instead of aborting; call before building anything.
void init_libical();

// Valid UTF-8 without the control characters iCalendar cannot carry (TAB and line
// breaks are kept; libical escapes the line breaks).
std::string clean_text(std::string_view s);

// The years a time written through libical can have: FILETIMEs start in 1601, and
// libical 3.0 writes any year after 3000 as "00000000T000000".
inline constexpr int kFirstYear = 1601;
inline constexpr int kLastYear = 3000;

// A moment as iCalendar writes it.
struct When {
  enum class Kind { Utc, Local, Date } kind = Kind::Utc;
  item::CivilTime time;  // UTC, wall clock of `tzid`, or a date
  std::string tzid;      // for Local
  static When utc(int64_t unix_seconds);
  static When local(int64_t local_seconds, std::string tzid);
  static When date(int64_t day_seconds);
  // The value text: "YYYYMMDDTHHMMSSZ", "YYYYMMDDTHHMMSS" or "YYYYMMDD".
  std::string value() const;
};

// Adds a TEXT property of `kind` (SUMMARY, LOCATION, DESCRIPTION...) unless `value` is empty.
void add_text(icalcomponent* c, icalproperty_kind kind, std::string_view value);
// Adds an X- property holding TEXT.
void add_x(icalcomponent* c, const char* name, std::string_view value);
// Adds a DATE-TIME or DATE property (DTSTART, DTEND, DUE, RECURRENCE-ID, EXDATE...).
// A Local time with an empty tzid is written floating (as VTIMEZONE observances need).
// Returns false, adding nothing, when the time lies outside the years kFirstYear..kLastYear
// (a damaged item can hold any number).
bool add_when(icalcomponent* c, icalproperty_kind kind, const When& when);
// One CATEGORIES property listing `categories`. Returns true when a comma inside a
// category had to be replaced (see the definition).
bool add_categories(icalcomponent* c, const std::vector<std::string>& categories);
// A VALARM that displays `minutes_before` the start (or due time).
void add_display_alarm(icalcomponent* c, int64_t minutes_before, std::string_view description);
// A VALARM that displays at the UTC moment `at`; false (nothing added) when `at` is out
// of range like add_when().
bool add_display_alarm_at(icalcomponent* c, int64_t at, std::string_view description);
// ATTACH;FMTTYPE=..;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=..:<base64>.
void add_binary_attach(icalcomponent* c, std::span<const uint8_t> data, const std::string& mime_type,
                       const std::string& filename);
// X-OSTFS-WARNING for each entry.
void add_warnings(icalcomponent* c, const std::vector<std::string>& warnings);

// The bytes of `calendar` as libical serialises it (CRLF, folded at 75 octets).
std::string serialise(icalcomponent* calendar);

}  // namespace ostfs::render::ics
