// Pieces shared by the VEVENT, VTODO and VJOURNAL builders of render_ics().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fs/render/conversion.h"
#include "fs/render/ics_component.h"
#include "fs/render/timezone.h"
#include "parser/model.h"

namespace ostfs::render::ics {

// Everything one render collects besides the component itself.
struct Context {
  const model::Message& message;
  ConversionNotes notes;  // written as X-OSTFS-WARNING lines on the first component
  std::vector<tz::TimeZone> zones;  // VTIMEZONEs to write, distinct by name

  // Registers `zone` for a VTIMEZONE and returns its TZID. Two different zones with the
  // same name get distinct TZIDs.
  std::string use_zone(const tz::TimeZone& zone);
};

// UID, DTSTAMP, CREATED, LAST-MODIFIED, SUMMARY, DESCRIPTION, CLASS, PRIORITY, CATEGORIES.
// `uid` is the item's UID (the caller knows which kind of item it is).
void add_common(icalcomponent* c, Context& ctx, const std::string& uid);
// ATTACH for every attachment of `message` except those in `skip` (exception data).
void add_attachments(icalcomponent* c, Context& ctx, const model::Message& message,
                     const std::vector<const model::Attachment*>& skip);
// add_when(), with a warning naming the property when the time is out of range.
void add_time(icalcomponent* c, Context& ctx, icalproperty_kind kind, const When& when);
// VALARM from PidLidReminderSet / PidLidReminderDelta.
void add_reminder(icalcomponent* c, const model::Message& message);

// The component builders.
void add_event(icalcomponent* calendar, Context& ctx);
void add_todo(icalcomponent* calendar, Context& ctx);
void add_journal(icalcomponent* calendar, Context& ctx);

}  // namespace ostfs::render::ics
