#include "fs/render/ics_component.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "fs/render/item_props.h"
#include "parser/text.h"

namespace ostfs::render::ics {
namespace {

icaltimetype to_icaltime(const When& w) {
  icaltimetype t = icaltime_null_time();
  t.year = w.time.year;
  t.month = w.time.month;
  t.day = w.time.day;
  if (w.kind == When::Kind::Date) {
    t.is_date = 1;
    return t;
  }
  t.hour = w.time.hour;
  t.minute = w.time.minute;
  t.second = w.time.second;
  if (w.kind == When::Kind::Utc) t.zone = icaltimezone_get_utc_timezone();
  return t;
}

}  // namespace

void init_libical() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

std::string clean_text(std::string_view s) {
  const std::string lf = item::to_lf(text::sanitize_utf8(s));
  std::string out;
  out.reserve(lf.size());
  for (char c : lf)
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
  return out;
}

When When::utc(int64_t unix_seconds) {
  return {Kind::Utc, item::civil_from_seconds(unix_seconds), ""};
}
When When::local(int64_t local_seconds, std::string tzid) {
  return {Kind::Local, item::civil_from_seconds(local_seconds), std::move(tzid)};
}
When When::date(int64_t day_seconds) {
  return {Kind::Date, item::civil_from_seconds(day_seconds), ""};
}

std::string When::value() const {
  switch (kind) {
    case Kind::Date:
      return item::basic_date(time);
    case Kind::Local:
      return item::basic_date_time(time);
    case Kind::Utc:
      break;
  }
  return item::basic_date_time(time) + "Z";
}

void add_text(icalcomponent* c, icalproperty_kind kind, std::string_view value) {
  const std::string clean = clean_text(value);
  if (clean.empty()) return;
  icalproperty* p = icalproperty_new(kind);
  icalproperty_set_value(p, icalvalue_new_text(clean.c_str()));
  icalcomponent_add_property(c, p);
}

void add_x(icalcomponent* c, const char* name, std::string_view value) {
  // libical escapes backslashes and line breaks of X- values itself; commas and
  // semicolons stay as they are, which TEXT readers accept.
  const std::string clean = clean_text(value);
  if (clean.empty()) return;
  icalproperty* p = icalproperty_new_x(clean.c_str());
  icalproperty_set_x_name(p, name);
  icalcomponent_add_property(c, p);
}

bool add_when(icalcomponent* c, icalproperty_kind kind, const When& when) {
  if (when.time.year < kFirstYear || when.time.year > kLastYear) return false;
  icalproperty* p = icalproperty_new(kind);
  const icaltimetype t = to_icaltime(when);
  icalproperty_set_value(p, when.kind == When::Kind::Date ? icalvalue_new_date(t) : icalvalue_new_datetime(t));
  if (when.kind == When::Kind::Date) icalproperty_add_parameter(p, icalparameter_new_value(ICAL_VALUE_DATE));
  if (when.kind == When::Kind::Local && !when.tzid.empty())
    icalproperty_add_parameter(p, icalparameter_new_tzid(when.tzid.c_str()));
  icalcomponent_add_property(c, p);
  return true;
}

bool add_categories(icalcomponent* c, const std::vector<std::string>& categories) {
  // libical 3.0 can write no escaped comma inside CATEGORIES (it doubles the backslash),
  // and Python's icalendar splits on every comma: a comma inside a category becomes
  // U+FF0C FULLWIDTH COMMA so that the category stays one.
  std::string value;
  bool replaced = false;
  for (const auto& category : categories) {
    if (!value.empty()) value += ',';
    for (char ch : clean_text(category)) {
      if (ch == ',') {
        value += "\xEF\xBC\x8C";
        replaced = true;
      } else if (ch != '\n') {
        value += ch;
      }
    }
  }
  if (!value.empty()) icalcomponent_add_property(c, icalproperty_new_categories(value.c_str()));
  return replaced;
}

void add_display_alarm(icalcomponent* c, int64_t minutes_before, std::string_view description) {
  icalcomponent* alarm = icalcomponent_new_valarm();
  icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
  icaltriggertype trigger = icaltriggertype_from_int(static_cast<int>(-minutes_before * 60));
  icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
  add_text(alarm, ICAL_DESCRIPTION_PROPERTY, description.empty() ? "Reminder" : description);
  icalcomponent_add_component(c, alarm);
}

bool add_display_alarm_at(icalcomponent* c, int64_t at, std::string_view description) {
  const When when = When::utc(at);
  if (when.time.year < kFirstYear || when.time.year > kLastYear) return false;
  icalcomponent* alarm = icalcomponent_new_valarm();
  icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
  icaltriggertype trigger = icaltriggertype_from_int(0);
  trigger.time = to_icaltime(when);
  icalproperty* p = icalproperty_new_trigger(trigger);
  icalproperty_add_parameter(p, icalparameter_new_value(ICAL_VALUE_DATETIME));
  icalcomponent_add_property(alarm, p);
  add_text(alarm, ICAL_DESCRIPTION_PROPERTY, description.empty() ? "Reminder" : description);
  icalcomponent_add_component(c, alarm);
  return true;
}

void add_binary_attach(icalcomponent* c, std::span<const uint8_t> data, const std::string& mime_type,
                       const std::string& filename) {
  // libical keeps a pointer to the text and calls the free function when the attach dies.
  char* encoded = strdup(item::base64(data).c_str());
  if (!encoded) throw std::bad_alloc();
  icalattach* attach = icalattach_new_from_data(
      encoded, [](char* d, void*) { std::free(d); }, nullptr);
  icalproperty* p = icalproperty_new_attach(attach);
  icalattach_unref(attach);
  if (!mime_type.empty()) icalproperty_add_parameter(p, icalparameter_new_fmttype(mime_type.c_str()));
  icalproperty_add_parameter(p, icalparameter_new_encoding(ICAL_ENCODING_BASE64));
  icalproperty_add_parameter(p, icalparameter_new_value(ICAL_VALUE_BINARY));
  const std::string name = clean_text(filename);
  if (!name.empty()) {
    std::string quoted_safe;
    for (char ch : name) quoted_safe += (ch == '"' || ch == '\n' || ch == '\t') ? ' ' : ch;
    icalparameter* x = icalparameter_new_x(quoted_safe.c_str());
    icalparameter_set_xname(x, "X-FILENAME");
    icalproperty_add_parameter(p, x);
  }
  icalcomponent_add_property(c, p);
}

void add_warnings(icalcomponent* c, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) add_x(c, "X-OSTFS-WARNING", w);
}

std::string serialise(icalcomponent* calendar) {
  char* text = icalcomponent_as_ical_string_r(calendar);
  if (!text) throw std::bad_alloc();
  std::string out(text);
  std::free(text);
  return out;
}

}  // namespace ostfs::render::ics
