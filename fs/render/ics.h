// Calendar items (IPM.Appointment), tasks (IPM.Task) and journal entries (IPM.Activity)
// as iCalendar ([RFC 5545]), built with libical. Pure: model in, bytes out; CRLF line
// ends, lines folded at 75 octets, deterministic (DTSTAMP is the item's last-modification
// time, UIDs come from the item).
#pragma once

#include <string>

#include "fs/render/conversion.h"
#include "parser/model.h"

namespace ostfs::render {

// Renders `message` as a VCALENDAR holding one VTODO (IPM.Task*), one VJOURNAL
// (IPM.Activity*) or, for every other class, a VEVENT, plus the VTIMEZONEs its times use.
// A recurring appointment gets its RRULE, EXDATEs and one more VEVENT per modified
// occurrence (RECURRENCE-ID). Attachment data must be loaded to be embedded; attachments
// that are not are listed in X-OSTFS-WARNING lines, as is anything else that could not
// be rendered fully. Throws only std::bad_alloc. Thread-safe.
std::string render_ics(const model::Message& message);

// render_ics(), with what the file could not carry (see conversion.h): the message's read
// warnings, unreadable recurrence or exceptions, attachments not loaded, times out of
// range. The same bytes as render_ics().
Conversion convert_ics(const model::Message& message);

}  // namespace ostfs::render
