#include "fs/render/eml_meeting.h"

#include <array>

#include "fs/render/eml_address.h"
#include "fs/render/eml_props.h"
#include "parser/props.h"

namespace ostfs::render {
namespace {

struct Kind {
  std::string_view message_class;
  std::string_view title;
  std::optional<std::string_view> method;
};

// [MS-OXOCAL] 2.2.6-2.2.8 classes, most specific first.
constexpr std::array<Kind, 6> kKinds = {{
    {"IPM.Schedule.Meeting.Request", "Meeting request", "REQUEST"},
    {"IPM.Schedule.Meeting.Canceled", "Meeting canceled", "CANCEL"},
    {"IPM.Schedule.Meeting.Resp.Pos", "Meeting accepted", "REPLY"},
    {"IPM.Schedule.Meeting.Resp.Neg", "Meeting declined", "REPLY"},
    {"IPM.Schedule.Meeting.Resp.Tent", "Meeting tentatively accepted", "REPLY"},
    {"IPM.Schedule.Meeting", "Meeting message", std::nullopt},
}};

}  // namespace

std::optional<MeetingSummary> meeting_summary(
    const model::Message& message,
    const std::function<std::optional<std::string>(const model::Message&)>& local_time) {
  const std::string cls = message.message_class();
  const Kind* kind = nullptr;
  for (const Kind& k : kKinds) {
    if (derives_from_class(cls, k.message_class)) {
      kind = &k;
      break;
    }
  }
  if (!kind) return std::nullopt;

  MeetingSummary out;
  if (kind->method) out.method = std::string(*kind->method);
  out.text = std::string(kind->title) + "\n";
  const auto& guid = props::PSETID_Appointment;
  const auto start = named_time(message, guid, props::PidLidAppointmentStartWhole);
  const auto end = named_time(message, guid, props::PidLidAppointmentEndWhole);
  if (start) {
    const bool all_day = named_bool(message, guid, props::PidLidAppointmentSubType).value_or(false);
    const std::string utc = end ? readable_span(*start, *end) : readable_time(*start);
    const std::optional<std::string> local = local_time ? local_time(message) : std::nullopt;
    out.text += "When: " + (local ? *local : utc) + (all_day ? " (all-day event)" : "") + "\n";
    if (local) out.text += "When (UTC): " + utc + "\n";
  }
  if (named_bool(message, guid, props::PidLidRecurring).value_or(false))
    out.text += "Recurring: yes (the attached calendar file has the pattern)\n";
  if (auto where = named_line_text(message, guid, props::PidLidLocation))
    out.text += "Where: " + *where + "\n";
  if (auto organizer = author(message)) {
    const std::string who = party_text(*organizer);
    if (!who.empty()) out.text += (out.method == "REPLY" ? "From: " : "Organizer: ") + who + "\n";
  }
  return out;
}

std::string with_itip_method(std::string ics, std::string_view method) {
  constexpr std::string_view kBegin = "BEGIN:VCALENDAR";
  if (ics.compare(0, kBegin.size(), kBegin) != 0) return ics;
  size_t at = kBegin.size();
  std::string_view eol;
  if (ics.compare(at, 2, "\r\n") == 0)
    eol = "\r\n";
  else if (ics.compare(at, 1, "\n") == 0)
    eol = "\n";
  else
    return ics;
  at += eol.size();
  ics.insert(at, "METHOD:" + std::string(method) + std::string(eol));
  return ics;
}

}  // namespace ostfs::render
