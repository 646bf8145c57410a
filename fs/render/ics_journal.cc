// VJOURNAL for journal entries ([MS-OXOJRNL]).
#include "fs/render/ics_parts.h"
#include "fs/render/item_props.h"
#include "parser/props.h"

namespace ostfs::render::ics {

void add_journal(icalcomponent* calendar, Context& ctx) {
  const model::Message& m = ctx.message;
  icalcomponent* journal = icalcomponent_new_vjournal();
  icalcomponent_add_component(calendar, journal);
  add_common(journal, ctx, item::stable_uid(m));
  if (auto start = item::named_time(m, props::PSETID_Log, props::PidLidLogStart))
    add_time(journal, ctx, ICAL_DTSTART_PROPERTY, When::utc(*start));
  // VJOURNAL has no end or duration property; the entry's type and end stay as X- lines.
  if (auto type = item::named_text(m, props::PSETID_Log, props::PidLidLogType))
    add_x(journal, "X-OSTFS-JOURNAL-TYPE", *type);
  if (auto description = item::named_text(m, props::PSETID_Log, props::PidLidLogTypeDesc))
    add_x(journal, "X-OSTFS-JOURNAL-TYPE-DESCRIPTION", *description);
  if (auto end = item::named_time(m, props::PSETID_Log, props::PidLidLogEnd))
    add_x(journal, "X-OSTFS-JOURNAL-END", When::utc(*end).value());
  if (auto minutes = item::named_int32(m, props::PSETID_Log, props::PidLidLogDuration))
    add_x(journal, "X-OSTFS-JOURNAL-DURATION-MINUTES", std::to_string(*minutes));
  add_attachments(journal, ctx, m, {});
}

}  // namespace ostfs::render::ics
