#include "fs/render/ics.h"

#include <algorithm>

#include "fs/render/eml.h"
#include "fs/render/ics_parts.h"
#include "fs/render/ics_timezone.h"
#include "fs/render/item_format.h"
#include "fs/render/item_props.h"
#include "fs/render/mime_type.h"
#include "parser/props.h"

namespace ostfs::render {
namespace ics {
namespace {

// PidTagSensitivity ([MS-OXCMSG] 2.2.1.13) -> CLASS.
icalproperty_class class_for(int32_t sensitivity) {
  switch (sensitivity) {
    case 1:  // personal
    case 2:
      return ICAL_CLASS_PRIVATE;
    case 3:
      return ICAL_CLASS_CONFIDENTIAL;
    default:
      return ICAL_CLASS_PUBLIC;
  }
}

std::string attachment_name(const model::Attachment& a, size_t index, uint32_t codepage) {
  for (uint16_t tag : {props::PidTagAttachLongFilename, props::PidTagAttachFilename, props::PidTagDisplayName})
    if (auto name = item::string_of(a.props.find(tag), codepage); name && !name->empty()) return *name;
  return "attachment-" + std::to_string(index + 1);
}

}  // namespace

std::string Context::use_zone(const tz::TimeZone& zone) {
  for (const auto& z : zones)
    if (z == zone) return z.name;
  tz::TimeZone named = zone;
  int suffix = 1;
  auto taken = [&](const std::string& n) {
    return std::any_of(zones.begin(), zones.end(), [&](const tz::TimeZone& z) { return z.name == n; });
  };
  while (taken(named.name)) named.name = zone.name + " (" + std::to_string(++suffix) + ")";
  zones.push_back(named);
  return named.name;
}

void add_time(icalcomponent* c, Context& ctx, icalproperty_kind kind, const When& when) {
  if (!add_when(c, kind, when))
    ctx.notes.losses.push_back(std::string(icalproperty_kind_to_string(kind)) + " is out of range (year " +
                           std::to_string(when.time.year) + ") and left out");
}

void add_common(icalcomponent* c, Context& ctx, const std::string& uid) {
  const model::Message& m = ctx.message;
  icalcomponent_add_property(c, icalproperty_new_uid(clean_text(uid).c_str()));
  const auto stamp = item::stamp_time(m);
  if (!stamp || !add_when(c, ICAL_DTSTAMP_PROPERTY, When::utc(*stamp))) {
    // DTSTAMP is required; an item without any time gets the Unix epoch, flagged.
    add_when(c, ICAL_DTSTAMP_PROPERTY, When::utc(0));
    ctx.notes.remarks.push_back("the item has no usable modification or creation time; DTSTAMP is a placeholder");
  }
  if (auto created = item::time(m, props::PidTagCreationTime))
    add_time(c, ctx, ICAL_CREATED_PROPERTY, When::utc(*created));
  if (auto modified = item::time(m, props::PidTagLastModificationTime))
    add_time(c, ctx, ICAL_LASTMODIFIED_PROPERTY, When::utc(*modified));
  add_text(c, ICAL_SUMMARY_PROPERTY, item::text(m, props::PidTagSubject).value_or(""));
  add_text(c, ICAL_DESCRIPTION_PROPERTY, item::plain_body(m));
  if (auto sensitivity = m.props.int32(props::PidTagSensitivity))
    icalcomponent_add_property(c, icalproperty_new_class(class_for(*sensitivity)));
  if (auto importance = m.props.int32(props::PidTagImportance)) {
    // PidTagImportance 0 low, 1 normal, 2 high -> PRIORITY 9, 5, 1 ([RFC 5545] 3.8.1.9).
    const int priority = *importance >= 2 ? 1 : *importance <= 0 ? 9 : 5;
    icalcomponent_add_property(c, icalproperty_new_priority(priority));
  }
  if (add_categories(c, item::categories(m)))
    ctx.notes.remarks.push_back("a category name holds a comma, written as a full-width comma");
}

void add_attachments(icalcomponent* c, Context& ctx, const model::Message& m,
                     const std::vector<const model::Attachment*>& skip) {
  for (size_t i = 0; i < m.attachments.size(); ++i) {
    const model::Attachment& a = m.attachments[i];
    if (std::find(skip.begin(), skip.end(), &a) != skip.end()) continue;
    const std::string name = attachment_name(a, i, m.codepage);
    if (a.method == model::AttachMethod::EmbeddedMessage) {
      if (!a.embedded) {
        ctx.notes.losses.push_back("attachment \"" + name + "\": the embedded message could not be read");
        continue;
      }
      try {
        const std::string eml = render_eml(*a.embedded);
        const auto* bytes = reinterpret_cast<const uint8_t*>(eml.data());
        add_binary_attach(c, std::span<const uint8_t>(bytes, eml.size()), "message/rfc822",
                          name.size() >= 4 && name.ends_with(".eml") ? name : name + ".eml");
      } catch (const std::bad_alloc&) {
        throw;
      } catch (const std::exception& e) {
        ctx.notes.losses.push_back("attachment \"" + name + "\": " + e.what());
      }
      continue;
    }
    if (a.method == model::AttachMethod::ByReference || a.method == model::AttachMethod::ByReferenceResolve ||
        a.method == model::AttachMethod::ByReferenceOnly) {
      const auto path = item::string_of(a.props.find(props::PidTagAttachLongPathname), m.codepage);
      ctx.notes.remarks.push_back("attachment \"" + name + "\" is a link to " + path.value_or("a file") +
                                  ", not stored in the item");
      continue;
    }
    if (!a.data_loaded || a.data.size() != a.data_size) {
      ctx.notes.losses.push_back("attachment \"" + name + "\" (" + std::to_string(a.data_size) + " bytes) was not loaded");
      continue;
    }
    const auto tag = item::string_of(a.props.find(props::PidTagAttachMimeTag), m.codepage).value_or("");
    const MimeType type = attachment_mime_type(tag, name);
    add_binary_attach(c, a.data, type.type + "/" + type.subtype, name);
  }
}

void add_reminder(icalcomponent* c, const model::Message& m) {
  if (!item::named_bool(m, props::PSETID_Common, props::PidLidReminderSet).value_or(false)) return;
  const int32_t minutes = item::named_int32(m, props::PSETID_Common, props::PidLidReminderDelta).value_or(15);
  add_display_alarm(c, std::max(minutes, 0), item::text(m, props::PidTagSubject).value_or("Reminder"));
}

}  // namespace ics

Conversion convert_ics(const model::Message& message) {
  ics::init_libical();
  ics::Context ctx{message, {}, {}};
  ics::ComponentPtr calendar(icalcomponent_new_vcalendar());
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//ostfs//ostfs//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));

  ics::ComponentPtr body(icalcomponent_new_vcalendar());  // collects the items, moved below the zones
  const std::string cls = message.message_class();
  if (is_message_class(cls, "IPM.Task"))
    ics::add_todo(body.get(), ctx);
  else if (is_message_class(cls, "IPM.Activity"))
    ics::add_journal(body.get(), ctx);
  else
    ics::add_event(body.get(), ctx);

  // VTIMEZONEs go first so that readers meet each TZID's definition before its use.
  // A zone no time refers to (all-day items use dates) is left out.
  for (const auto& zone : ctx.zones) {
    if (const auto first_year = ics::earliest_year(body.get(), zone.name))
      icalcomponent_add_component(calendar.get(), ics::vtimezone(zone, std::max(*first_year, 1601)).release());
  }
  while (icalcomponent* item = icalcomponent_get_first_component(body.get(), ICAL_ANY_COMPONENT)) {
    icalcomponent_remove_component(body.get(), item);
    icalcomponent_add_component(calendar.get(), item);
  }
  // Warnings that concern no single component go on the first one.
  const ConversionNotes& notes = ctx.notes;
  if (!notes.losses.empty() || !notes.remarks.empty() || !message.warnings.empty()) {
    icalcomponent* first = nullptr;
    for (icalcomponent_kind kind : {ICAL_VEVENT_COMPONENT, ICAL_VTODO_COMPONENT, ICAL_VJOURNAL_COMPONENT})
      if (!first) first = icalcomponent_get_first_component(calendar.get(), kind);
    if (first) {
      for (const auto& w : message.warnings) ics::add_x(first, "X-OSTFS-WARNING", "reading the item: " + w);
      ics::add_warnings(first, notes.losses);
      ics::add_warnings(first, notes.remarks);
    }
  }
  Conversion out{ics::serialise(calendar.get()), std::move(ctx.notes)};
  std::vector<std::string> read_losses;
  for (const auto& w : message.warnings) read_losses.push_back(std::string(kReadLossPrefix) + w);
  out.notes.losses.insert(out.notes.losses.begin(), read_losses.begin(), read_losses.end());
  return out;
}

std::string render_ics(const model::Message& message) { return convert_ics(message).bytes; }

}  // namespace ostfs::render
