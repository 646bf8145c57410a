// Rendering of mail-like items as RFC 5322 + MIME (.eml). Pure: model in, bytes out.
//
// The output uses LF line ends throughout (text bodies are converted; attachments are
// base64 and keep their exact bytes), except inside the signed entity of a clear-signed
// S/MIME message, which is kept byte for byte (see eml_smime.h). MIME boundaries are derived from the message's nid
// and the part's place in the tree, so the same message always gives the same bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "fs/render/eml_plan.h"
#include "parser/model.h"

namespace ostfs::render {

// Renders a calendar item as an iCalendar VCALENDAR (CRLF or LF line ends). The .eml of a
// meeting message attaches its output. It is passed in rather than called directly because
// the iCalendar renderer (render_ics in ics.h) lives in ostfs_items, which links this
// library: a direct call would make the two depend on each other.
using CalendarRenderer = std::function<std::string(const model::Message&)>;

// Formats an appointment's start and end in the item's own time zone, or nullopt when it has
// no readable zone. Passed in for the same reason (appointment_local_span in
// item_local_time.h, also in ostfs_items).
using LocalTimeFormatter = std::function<std::optional<std::string>(const model::Message&)>;

struct EmlOptions {
  // Embedded messages nested deeper than this are replaced by a short text part saying
  // so, which bounds recursion on damaged files.
  int max_embedded_depth = 32;
  // When set, meeting messages with an iTIP method (see eml_meeting.h) get a
  // text/calendar part: this function's output for the message without its attachments
  // (they are in the .eml already, and measure_eml() does not have their data), with
  // METHOD added. Must be deterministic and thread-safe; the mount passes render_ics.
  CalendarRenderer calendar;
  // When set, meeting summaries give the time in the meeting's own zone first, then in UTC.
  LocalTimeFormatter local_time;
};

// Renders `message` as an .eml file. Attachment data must be loaded (data_loaded) for
// attachments with data; embedded messages are rendered recursively as message/rfc822.
// Meeting messages and reports get a readable summary part after their body
// (eml_meeting.h, eml_report.h); S/MIME messages become their protected entity
// (eml_smime.h).
// Output is deterministic: the same message always gives the same bytes.
// Throws std::invalid_argument when an attachment with data_size > 0 is not loaded, and
// std::bad_alloc when memory runs out. Damaged properties never throw: what cannot be
// decoded is left out or replaced by U+FFFD. Safe to call from several threads at once.
std::string render_eml(const model::Message& message, const EmlOptions& options = {});

// The exact size render_eml() returns for this message, computed from the attachments'
// data_size without their data, so that `stat` does not need to read attachments.
// (An attachment whose data is loaded counts with data.size(), which is what
// render_eml() writes.) Never touches or allocates attachment-sized buffers.
// render_eml() for a message some of whose attachments' data (its own, or its embedded
// messages') is not loaded: those go into the plan as streamed parts (read_eml_plan() makes
// the bytes with their data). The plan's file is the one render_eml() makes once all the data
// is loaded. nullopt when data that is not loaded is needed elsewhere: in a clear-signed S/MIME
// entity, which is written as stored, or in an embedded message whose text has CR (S/MIME
// again). Throws as render_eml() does otherwise.
std::optional<EmlPlan> plan_eml(const model::Message& message, const EmlOptions& options = {});

uint64_t measure_eml(const model::Message& message, const EmlOptions& options = {});

}  // namespace ostfs::render
