// VEVENT for calendar items ([MS-OXOCAL]), recurring series and their exceptions included.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "fs/render/eml_address.h"
#include "fs/render/ics_parts.h"
#include "fs/render/item_props.h"
#include "fs/render/recurrence.h"
#include "fs/render/recurrence_rule.h"
#include "parser/props.h"

namespace ostfs::render::ics {
namespace {

using props::PSETID_Appointment;

constexpr int64_t kDay = 86400;
constexpr int32_t kStateCanceled = 0x4;  // asfCanceled in PidLidAppointmentStateFlags

// A wall clock: the zone's when the item has one, else UTC (times then written with Z).
struct Clock {
  std::optional<tz::TimeZone> zone;
  std::string tzid;
  When at(int64_t local) const { return zone ? When::local(local, tzid) : When::utc(local); }
  int64_t to_utc(int64_t local) const { return zone ? zone->to_utc(local) : local; }
  int64_t to_local(int64_t utc) const { return zone ? zone->to_local(utc) : utc; }
};

Clock clock_for(Context& ctx, tz::Purpose purpose) {
  Clock c;
  c.zone = tz::time_zone_for(ctx.message, purpose);
  if (c.zone) c.tzid = ctx.use_zone(*c.zone);
  return c;
}

// The date an all-day boundary stands for. Outlook stores local midnight; rounding to the
// nearest midnight also absorbs a zone that is off by less than 12 hours.
When day_of(int64_t local) {
  int64_t rounded = local + kDay / 2;
  rounded -= ((rounded % kDay) + kDay) % kDay;
  return When::date(rounded);
}

int64_t local_of_minutes(uint32_t minutes) {
  return item::seconds_from_minutes_1601(minutes);
}
int64_t day_start(int64_t local) {
  return local - (((local % kDay) + kDay) % kDay);
}

// PidLidGlobalObjectId ([MS-OXOCAL] 2.2.1.27): the instance date bytes are cleared so that
// every occurrence shares the series UID; an id that wraps an iCalendar UID gives it back.
std::optional<std::string> global_object_uid(const model::Message& m) {
  const auto* id = item::named_binary(m, props::PSETID_Meeting, props::PidLidCleanGlobalObjectId);
  if (!id || id->size() < 40) id = item::named_binary(m, props::PSETID_Meeting, props::PidLidGlobalObjectId);
  if (!id || id->size() < 40) return std::nullopt;
  std::vector<uint8_t> clean(*id);
  std::fill(clean.begin() + 16, clean.begin() + 20, 0);
  static const char kVcalMarker[] = "vCal-Uid\x01\x00\x00\x00";
  constexpr size_t kMarkerSize = sizeof kVcalMarker - 1;
  if (clean.size() > 40 + kMarkerSize && std::memcmp(clean.data() + 40, kVcalMarker, kMarkerSize) == 0) {
    std::string uid;
    for (size_t i = 40 + kMarkerSize; i < clean.size() && clean[i] != 0; ++i) uid += static_cast<char>(clean[i]);
    if (!uid.empty()) return uid;
  }
  return item::hex(clean);
}

void add_busy_status(icalcomponent* ev, int32_t busy) {
  static const char* const kNames[] = {"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"};
  icalcomponent_add_property(ev, icalproperty_new_transp(busy == 0 ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
  if (busy >= 0 && busy <= 4) add_x(ev, "X-MICROSOFT-CDO-BUSYSTATUS", kNames[busy]);
}

std::string smtp_of(const model::Recipient& r, uint32_t codepage) {
  if (auto smtp = item::string_of(r.props.find(props::PidTagSmtpAddress), codepage); smtp && is_addr_spec(*smtp))
    return *smtp;
  const auto address = item::string_of(r.props.find(props::PidTagEmailAddress), codepage);
  if (address && is_addr_spec(*address)) return *address;
  return "";
}

icalparameter_partstat partstat_for(int32_t track_status) {
  // PidTagRecipientTrackStatus ([MS-OXOCAL] 2.2.4.10.1): 1 organizer, 2 tentative,
  // 3 accepted, 4 declined, 0/5 no response.
  switch (track_status) {
    case 1:
    case 3:
      return ICAL_PARTSTAT_ACCEPTED;
    case 2:
      return ICAL_PARTSTAT_TENTATIVE;
    case 4:
      return ICAL_PARTSTAT_DECLINED;
    default:
      return ICAL_PARTSTAT_NEEDSACTION;
  }
}

icalproperty* cal_address(icalproperty* p, const std::string& name) {
  if (!name.empty()) icalproperty_add_parameter(p, icalparameter_new_cn(clean_text(name).c_str()));
  return p;
}

void add_people(icalcomponent* ev, Context& ctx) {
  const model::Message& m = ctx.message;
  if (m.recipients.empty()) return;
  std::optional<Party> organizer = author(m);
  if (organizer && organizer->address.empty()) organizer.reset();
  for (const model::Recipient& r : m.recipients) {
    const auto flags = r.props.int32(props::PidTagRecipientFlags).value_or(0);
    const std::string name = item::string_of(r.props.find(props::PidTagDisplayName), m.codepage).value_or("");
    const std::string address = smtp_of(r, m.codepage);
    if (flags & props::RecipientFlagOrganizer) {
      if (!organizer && !address.empty()) organizer = Party{name, address};
      continue;
    }
    if (address.empty()) {
      ctx.notes.remarks.push_back("attendee \"" + name + "\" has no SMTP address");
      continue;
    }
    icalproperty* p = cal_address(icalproperty_new_attendee(("mailto:" + address).c_str()), name);
    const int32_t type = r.props.int32(props::PidTagRecipientType).value_or(props::RecipientTo);
    if (type == props::RecipientResource) {
      icalproperty_add_parameter(p, icalparameter_new_cutype(ICAL_CUTYPE_RESOURCE));
      icalproperty_add_parameter(p, icalparameter_new_role(ICAL_ROLE_NONPARTICIPANT));
    } else {
      icalproperty_add_parameter(
          p, icalparameter_new_role(type == props::RecipientCc ? ICAL_ROLE_OPTPARTICIPANT : ICAL_ROLE_REQPARTICIPANT));
    }
    const int32_t track = r.props.int32(props::PidTagRecipientTrackStatus).value_or(0);
    icalproperty_add_parameter(p, icalparameter_new_partstat(partstat_for(track)));
    icalcomponent_add_property(ev, p);
  }
  if (organizer)
    icalcomponent_add_property(
        ev, cal_address(icalproperty_new_organizer(("mailto:" + organizer->address).c_str()), organizer->name));
}

void replace_text(icalcomponent* c, icalproperty_kind kind, const std::string& value) {
  while (icalproperty* p = icalcomponent_get_first_property(c, kind)) {
    icalcomponent_remove_property(c, p);
    icalproperty_free(p);
  }
  add_text(c, kind, value);
}

// The exception's embedded message: the attachment whose PidLidExceptionReplaceTime is
// the occurrence's original start ([MS-OXOCAL] 2.2.10.1.3).
const model::Attachment* exception_attachment(const model::Message& m, int64_t original_utc, int64_t start_utc) {
  const model::Attachment* by_start = nullptr;
  for (const model::Attachment& a : m.attachments) {
    if (!a.embedded) continue;
    if (auto replace = item::named_time(*a.embedded, PSETID_Appointment, props::PidLidExceptionReplaceTime);
        replace && std::llabs(*replace - original_utc) < 60)
      return &a;
    if (auto start = item::named_time(*a.embedded, PSETID_Appointment, props::PidLidAppointmentStartWhole);
        start && *start == start_utc && !by_start)
      by_start = &a;
  }
  return by_start;
}

// A series whose own fields are impossible (damage) is not written as one.
bool plausible_series(const recurrence::AppointmentRecurrencePattern& a) {
  const int year = item::civil_from_seconds(local_of_minutes(a.RecurrencePattern.StartDate)).year;
  return year >= kFirstYear && year <= kLastYear && a.StartTimeOffset < 1440 && a.EndTimeOffset >= a.StartTimeOffset &&
         a.EndTimeOffset - a.StartTimeOffset <= 5 * 366 * 1440;
}

struct Series {
  recurrence::AppointmentRecurrencePattern pattern;
  Clock clock;
  bool all_day = false;
};

void add_exception(icalcomponent* calendar, Context& ctx, const Series& s, const recurrence::ExceptionInfo& e,
                   const std::string& uid, const model::Attachment* embedded) {
  const model::Message& m = ctx.message;
  const int64_t original = local_of_minutes(e.OriginalStartDate);
  const int64_t start = local_of_minutes(e.StartDateTime), end = local_of_minutes(e.EndDateTime);
  auto in_range = [](int64_t t) {
    const int year = item::civil_from_seconds(t).year;
    return year >= kFirstYear && year <= kLastYear;
  };
  if (!in_range(original) || !in_range(start) || !in_range(end)) {
    ctx.notes.losses.push_back("a modified occurrence has dates out of range and is left out");
    return;
  }
  icalcomponent* ev = icalcomponent_new_vevent();
  icalcomponent_add_component(calendar, ev);
  add_common(ev, ctx, uid);
  add_when(ev, ICAL_RECURRENCEID_PROPERTY, s.all_day ? day_of(original) : s.clock.at(original));
  const bool all_day = e.SubType ? *e.SubType != 0 : s.all_day;
  add_when(ev, ICAL_DTSTART_PROPERTY, all_day ? day_of(start) : s.clock.at(start));
  if (end >= start) add_when(ev, ICAL_DTEND_PROPERTY, all_day ? day_of(end) : s.clock.at(end));
  if (e.Subject) replace_text(ev, ICAL_SUMMARY_PROPERTY, *e.Subject);
  const std::string location =
      e.Location ? *e.Location : item::named_text(m, PSETID_Appointment, props::PidLidLocation).value_or("");
  add_text(ev, ICAL_LOCATION_PROPERTY, location);
  if (embedded && embedded->embedded) {
    const std::string body = item::plain_body(*embedded->embedded);
    if (!body.empty()) replace_text(ev, ICAL_DESCRIPTION_PROPERTY, body);
    add_attachments(ev, ctx, *embedded->embedded, {});
  }
  const auto busy = e.BusyStatus ? std::optional<int32_t>(static_cast<int32_t>(*e.BusyStatus))
                                 : item::named_int32(m, PSETID_Appointment, props::PidLidBusyStatus);
  if (busy) add_busy_status(ev, *busy);
  add_people(ev, ctx);
  const bool reminder = e.ReminderSet
                            ? *e.ReminderSet != 0
                            : item::named_bool(m, props::PSETID_Common, props::PidLidReminderSet).value_or(false);
  if (reminder) {
    const int64_t delta = e.ReminderDelta
                              ? static_cast<int32_t>(*e.ReminderDelta)
                              : item::named_int32(m, props::PSETID_Common, props::PidLidReminderDelta).value_or(15);
    add_display_alarm(ev, std::max<int64_t>(delta, 0),
                      e.Subject.value_or(item::text(m, props::PidTagSubject).value_or("")));
  }
}

// RRULE, EXDATE and the exception VEVENTs of a series whose master is `ev`.
void add_recurrence(icalcomponent* calendar, icalcomponent* ev, Context& ctx, const Series& s, const std::string& uid,
                    std::vector<const model::Attachment*>& exception_attachments) {
  const recurrence::RecurrencePattern& p = s.pattern.RecurrencePattern;
  const int64_t start_offset = int64_t{s.pattern.StartTimeOffset} * 60;
  std::string until;
  if (p.EndType == recurrence::kEndAfterDate) {
    const int64_t last_local = local_of_minutes(p.EndDate) + start_offset;
    until = s.all_day ? item::basic_date(item::civil_from_seconds(local_of_minutes(p.EndDate)))
                      : When::utc(s.clock.to_utc(last_local)).value();
  }
  const recurrence::RuleText rule = recurrence::rrule_for(p, until);
  if (!rule.rrule) {
    ctx.notes.losses.push_back("recurrence not expressed as RRULE: " + rule.why_not +
                           "; only the first occurrence is shown");
    return;
  }
  const icalrecurrencetype recur = icalrecurrencetype_from_string(rule.rrule->c_str());
  if (recur.freq == ICAL_NO_RECURRENCE) {
    ctx.notes.losses.push_back("libical rejected the recurrence rule " + *rule.rrule);
    return;
  }
  icalcomponent_add_property(ev, icalproperty_new_rrule(recur));

  // DeletedInstanceDates lists modified occurrences too; those get a VEVENT instead.
  std::vector<int64_t> modified_days;
  for (const auto& e : s.pattern.ExceptionInfo)
    modified_days.push_back(day_start(local_of_minutes(e.OriginalStartDate)));
  for (uint32_t date : p.DeletedInstanceDates) {
    const int64_t day = day_start(local_of_minutes(date));
    if (std::find(modified_days.begin(), modified_days.end(), day) != modified_days.end()) continue;
    if (!add_when(ev, ICAL_EXDATE_PROPERTY, s.all_day ? When::date(day) : s.clock.at(day + start_offset)))
      ctx.notes.losses.push_back("a deleted occurrence's date is out of range");
  }
  if (s.pattern.exceptions_error) ctx.notes.losses.push_back("recurrence exceptions: " + *s.pattern.exceptions_error);

  for (const model::Attachment& a : ctx.message.attachments)
    if (a.embedded && item::named_time(*a.embedded, PSETID_Appointment, props::PidLidExceptionReplaceTime))
      exception_attachments.push_back(&a);
  for (const auto& e : s.pattern.ExceptionInfo) {
    const int64_t original_utc = s.clock.to_utc(local_of_minutes(e.OriginalStartDate));
    const int64_t start_utc = s.clock.to_utc(local_of_minutes(e.StartDateTime));
    const model::Attachment* embedded = exception_attachment(ctx.message, original_utc, start_utc);
    if (embedded &&
        std::find(exception_attachments.begin(), exception_attachments.end(), embedded) == exception_attachments.end())
      exception_attachments.push_back(embedded);
    add_exception(calendar, ctx, s, e, uid, embedded);
  }
}

}  // namespace

void add_event(icalcomponent* calendar, Context& ctx) {
  const model::Message& m = ctx.message;
  icalcomponent* ev = icalcomponent_new_vevent();
  icalcomponent_add_component(calendar, ev);
  const std::string uid = global_object_uid(m).value_or(item::stable_uid(m));
  add_common(ev, ctx, uid);
  add_text(ev, ICAL_LOCATION_PROPERTY, item::named_text(m, PSETID_Appointment, props::PidLidLocation).value_or(""));

  const bool all_day = item::named_bool(m, PSETID_Appointment, props::PidLidAppointmentSubType).value_or(false);
  std::optional<Series> series;
  const auto* blob = item::named_binary(m, PSETID_Appointment, props::PidLidAppointmentRecur);
  if (blob && item::named_bool(m, PSETID_Appointment, props::PidLidRecurring).value_or(true)) {
    try {
      series = Series{recurrence::parse_appointment_recurrence(*blob, m.codepage),
                      clock_for(ctx, tz::Purpose::Recurrence), all_day};
      if (!plausible_series(series->pattern)) {
        ctx.notes.losses.push_back("recurrence not used: its start date or times are out of range");
        series.reset();
      } else if (!series->clock.zone) {
        ctx.notes.remarks.push_back("recurring item without a time zone; times are taken as UTC");
      }
    } catch (const recurrence::RecurrenceError& e) {
      ctx.notes.losses.push_back(std::string("recurrence not read: ") + e.what());
    }
  }

  if (series) {
    // The series' own fields define the first occurrence on its wall clock.
    const int64_t first =
        local_of_minutes(series->pattern.RecurrencePattern.StartDate) + int64_t{series->pattern.StartTimeOffset} * 60;
    const int64_t last = first + (int64_t{series->pattern.EndTimeOffset} - series->pattern.StartTimeOffset) * 60;
    add_time(ev, ctx, ICAL_DTSTART_PROPERTY, all_day ? day_of(first) : series->clock.at(first));
    if (last >= first) add_time(ev, ctx, ICAL_DTEND_PROPERTY, all_day ? day_of(last) : series->clock.at(last));
  } else {
    const auto start = item::named_time(m, PSETID_Appointment, props::PidLidAppointmentStartWhole);
    const auto end = item::named_time(m, PSETID_Appointment, props::PidLidAppointmentEndWhole);
    if (start) {
      const Clock start_clock = clock_for(ctx, tz::Purpose::Start);
      add_time(ev, ctx, ICAL_DTSTART_PROPERTY,
               all_day ? day_of(start_clock.to_local(*start)) : start_clock.at(start_clock.to_local(*start)));
      if (end && *end >= *start) {
        Clock end_clock = clock_for(ctx, tz::Purpose::End);
        // Outlook often stores the same zone twice with different rule histories (the
        // StartDisplay and EndDisplay definitions). When both read the end alike, DTEND
        // takes DTSTART's TZID: one VTIMEZONE, and clients that match TZIDs by name (khal)
        // are not misled by a second zone of nearly the same name.
        if (end_clock.zone && start_clock.zone && end_clock.tzid != start_clock.tzid &&
            end_clock.zone->to_local(*end) == start_clock.zone->to_local(*end))
          end_clock = start_clock;
        add_time(ev, ctx, ICAL_DTEND_PROPERTY,
                 all_day ? day_of(end_clock.to_local(*end)) : end_clock.at(end_clock.to_local(*end)));
      } else if (end) {
        ctx.notes.losses.push_back("end time before start time; DTEND left out");
      }
    } else {
      ctx.notes.remarks.push_back("the appointment has no start time");
    }
  }

  if (auto busy = item::named_int32(m, PSETID_Appointment, props::PidLidBusyStatus)) add_busy_status(ev, *busy);
  if (item::named_int32(m, PSETID_Appointment, props::PidLidAppointmentStateFlags).value_or(0) & kStateCanceled)
    icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
  add_people(ev, ctx);
  add_reminder(ev, m);
  std::vector<const model::Attachment*> exception_attachments;
  if (series) add_recurrence(calendar, ev, ctx, *series, uid, exception_attachments);
  add_attachments(ev, ctx, m, exception_attachments);
}

}  // namespace ostfs::render::ics
