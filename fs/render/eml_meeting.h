// Meeting messages (IPM.Schedule.Meeting.*) as mail: what a person needs to read in the
// text (when, where, who organizes, the response) and the iTIP method ([RFC 5546] 1.4)
// of the text/calendar part a calendar client acts on.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "parser/model.h"

namespace ostfs::render {

struct MeetingSummary {
  // "REQUEST", "REPLY" or "CANCEL"; nullopt for meeting classes without an iTIP method
  // (e.g. IPM.Schedule.Meeting.Notification.Forward), which get the text only.
  std::optional<std::string> method;
  // Lines of plain text, LF-terminated, e.g.
  //   Meeting request
  //   When: Mon 2011-09-19 22:10 to 22:40 UTC
  //   Where: Room 4
  //   Organizer: Administrator <administrator@example.com>
  std::string text;
};

// For a message of class IPM.Schedule.Meeting.* (case-insensitive): the summary, built
// from PidLidAppointmentStartWhole/EndWhole (0x820D/0x820E), PidLidLocation (0x8208),
// PidLidAppointmentSubType (all day) and PidLidRecurring in PSETID_Appointment, and the
// author; lines whose data is missing are left out. nullopt for other classes.
// `local_time`, when set, formats the start and end in the meeting's own zone (see
// EmlOptions::local_time); the UTC time follows it.
std::optional<MeetingSummary> meeting_summary(const model::Message& message,
                                              const std::function<std::optional<std::string>(const model::Message&)>&
                                                  local_time = nullptr);

// `ics` (a VCALENDAR) with "METHOD:<method>" added as its first property, as iTIP
// requires of a calendar sent by mail; unchanged when it does not start with
// "BEGIN:VCALENDAR" and a line end.
std::string with_itip_method(std::string ics, std::string_view method);

}  // namespace ostfs::render
