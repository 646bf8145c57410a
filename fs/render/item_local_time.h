// An appointment's time as its organizer saw it: on the wall clock of the item's own time
// zone ([MS-OXOCAL] 2.2.1.41-2.2.1.43), for texts people read (meeting messages as mail).
#pragma once

#include <optional>
#include <string>

#include "parser/model.h"

namespace ostfs::render {

// PidLidAppointmentStartWhole/EndWhole on the item's start and end zones (the StartDisplay
// / EndDisplay definitions, else the recurrence zone: tz::time_zone_for), for example
//   "Tue 2016-08-02 08:00 to 08:30 (Pacific Standard Time, UTC-07:00)"
//   "Sat 2016-11-05 23:00 (Pacific Standard Time, UTC-07:00) to Sun 2016-11-06 01:00
//    (Pacific Standard Time, UTC-08:00)"   (one line; the offsets differ)
//   "Tue 2016-08-02 to Thu 2016-08-04"   (all day, PidLidAppointmentSubType: the last day
//                                         is the one before the exclusive end)
// A missing or earlier end gives the start alone. nullopt when the item has no start, or
// no time zone that parses (the caller then shows UTC); all-day items need a zone too,
// because Outlook stores their local midnights as UTC instants. Pure; throws only
// std::bad_alloc.
std::optional<std::string> appointment_local_span(const model::Message& message);

}  // namespace ostfs::render
