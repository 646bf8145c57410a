// Meeting messages and reports: readable summaries, and the text/calendar part.
#include "fs/render/eml_meeting.h"

#include <gtest/gtest.h>

#include "fs/render/eml.h"
#include "fs/render/eml_report.h"
#include "fs/render/ics.h"
#include "message_builder.h"
#include "python_email_check.h"

namespace ostfs::render {
namespace {

using namespace testing;

constexpr int64_t kStart = 1316470200;  // Mon 2011-09-19 22:10:00 UTC

model::Message meeting(std::string_view cls = "IPM.Schedule.Meeting.Request") {
  model::Message m = simple_message();
  m.props.props.front() = unicode(props::PidTagMessageClass, cls);
  m.props.props.push_back(
      named(systime(0, kStart), props::PSETID_Appointment, props::PidLidAppointmentStartWhole));
  m.props.props.push_back(
      named(systime(0, kStart + 1800), props::PSETID_Appointment, props::PidLidAppointmentEndWhole));
  m.props.props.push_back(named(unicode(0, "Room 4"), props::PSETID_Appointment, props::PidLidLocation));
  return m;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

void expect_python_ok(const PythonEmailCheck& check) {
  bool ok = false;
  const std::string output = check.run(ok);
  EXPECT_TRUE(ok) << output;
}

constexpr std::string_view kFakeIcs =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

TEST(MeetingSummary, RequestShowsTimePlaceAndOrganizer) {
  const auto summary = meeting_summary(meeting());
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->method, "REQUEST");
  EXPECT_EQ(summary->text,
            "Meeting request\n"
            "When: Mon 2011-09-19 22:10 to 22:40 UTC\n"
            "Where: Room 4\n"
            "Organizer: Alice Example <alice@example.com>\n");
}

TEST(MeetingSummary, SpansDaysAllDayAndRecurrence) {
  model::Message m = meeting("IPM.Schedule.Meeting.Canceled");
  m.props.props.push_back(
      named(systime(0, kStart + 86400 * 2), props::PSETID_Appointment, props::PidLidAppointmentEndWhole));
  m.props.props.erase(m.props.props.end() - 3);  // the first end time
  m.props.props.push_back(named(boolean(0, true), props::PSETID_Appointment, props::PidLidAppointmentSubType));
  m.props.props.push_back(named(boolean(0, true), props::PSETID_Appointment, props::PidLidRecurring));
  const auto summary = meeting_summary(m);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->method, "CANCEL");
  EXPECT_TRUE(contains(summary->text, "When: Mon 2011-09-19 22:10 UTC to Wed 2011-09-21 22:10 UTC (all-day event)\n"))
      << summary->text;
  EXPECT_TRUE(contains(summary->text, "Recurring: yes")) << summary->text;
}

TEST(MeetingSummary, ClassesAndMethods) {
  struct Case {
    const char* cls;
    std::optional<std::string> method;
    const char* title;
  };
  for (const Case& c : {Case{"IPM.Schedule.Meeting.Resp.Pos", "REPLY", "Meeting accepted"},
                        Case{"ipm.schedule.meeting.resp.neg", "REPLY", "Meeting declined"},
                        Case{"IPM.Schedule.Meeting.Resp.Tent.Custom", "REPLY", "Meeting tentatively accepted"},
                        Case{"IPM.Schedule.Meeting.Notification.Forward", std::nullopt, "Meeting message"}}) {
    const auto summary = meeting_summary(meeting(c.cls));
    ASSERT_TRUE(summary) << c.cls;
    EXPECT_EQ(summary->method, c.method) << c.cls;
    EXPECT_EQ(summary->text.substr(0, summary->text.find('\n')), c.title) << c.cls;
  }
  EXPECT_TRUE(contains(meeting_summary(meeting("IPM.Schedule.Meeting.Resp.Pos"))->text, "From: Alice"));
  EXPECT_FALSE(meeting_summary(meeting("IPM.Note")));
  EXPECT_FALSE(meeting_summary(meeting("IPM.Schedule.MeetingX")));
  EXPECT_FALSE(meeting_summary(meeting("IPM.Appointment")));
}

TEST(MeetingSummary, MissingDataLeavesLinesOut) {
  model::Message m = simple_message();
  m.props.props.front() = unicode(props::PidTagMessageClass, "IPM.Schedule.Meeting.Request");
  m.props.props.push_back(named(unicode(0, "  "), props::PSETID_Appointment, props::PidLidLocation));
  m.props.props.push_back(
      named(int32(0, 5), props::PSETID_Appointment, props::PidLidAppointmentStartWhole));  // wrong type
  EXPECT_EQ(meeting_summary(m)->text, "Meeting request\nOrganizer: Alice Example <alice@example.com>\n");
}

TEST(WithItipMethod, AddsMethodFirst) {
  EXPECT_EQ(with_itip_method(std::string(kFakeIcs), "REQUEST"),
            "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n");
  EXPECT_EQ(with_itip_method("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "REPLY"),
            "BEGIN:VCALENDAR\nMETHOD:REPLY\nEND:VCALENDAR\n");
  EXPECT_EQ(with_itip_method("garbage", "REPLY"), "garbage");
  EXPECT_EQ(with_itip_method("BEGIN:VCALENDARX\r\n", "REPLY"), "BEGIN:VCALENDARX\r\n");
}

TEST(RenderMeeting, DetailsAndCalendarAfterTheBody) {
  model::Message m = meeting();
  m.attachments.push_back(file("agenda.pdf", pattern(5000)));
  size_t attachments_seen = 99;
  EmlOptions options;
  options.calendar = [&](const model::Message& item) {
    attachments_seen = item.attachments.size();
    EXPECT_EQ(item.message_class(), "IPM.Schedule.Meeting.Request");
    return std::string(kFakeIcs);
  };
  const std::string eml = render_eml(m, options);
  EXPECT_EQ(attachments_seen, 0u);
  EXPECT_TRUE(contains(eml, "Content-Type: text/calendar; charset=utf-8; method=REQUEST\n")) << eml;
  EXPECT_TRUE(contains(eml, "Content-Disposition: attachment; filename=meeting.ics\n")) << eml;
  EXPECT_TRUE(contains(eml, "BEGIN:VCALENDAR\nMETHOD:REQUEST\nVERSION:2.0\n")) << eml;
  EXPECT_TRUE(contains(eml, "Content-Description: Meeting details\n")) << eml;
  EXPECT_TRUE(contains(eml, "\nWhen: Mon 2011-09-19 22:10 to 22:40 UTC\nWhere: Room 4\n")) << eml;
  PythonEmailCheck check;
  check.add(eml, {.attachments = {{"agenda.pdf", pattern(5000)}},
                  .structure = std::vector<std::string>{"multipart/mixed", "text/plain", "text/plain",
                                                        "application/pdf", "text/calendar"},
                  .body = "Hello Bob,\nthe numbers are attached.\n"});
  expect_python_ok(check);

  // Exact size without attachment data, as at `stat` time.
  model::Message unloaded = meeting();
  model::Attachment agenda = file("agenda.pdf", {});
  agenda.data_size = 5000;
  agenda.data_loaded = false;
  unloaded.attachments.push_back(std::move(agenda));
  EXPECT_EQ(measure_eml(unloaded, options), eml.size());
}

TEST(RenderMeeting, WithoutCalendarRendererOnlyTheDetails) {
  const std::string eml = render_eml(meeting());
  EXPECT_FALSE(contains(eml, "text/calendar"));
  EXPECT_TRUE(contains(eml, "Where: Room 4\n"));
  EXPECT_EQ(measure_eml(meeting()), eml.size());
}

TEST(RenderMeeting, CalendarFailureBecomesAWarning) {
  EmlOptions options;
  options.calendar = [](const model::Message&) -> std::string { throw std::runtime_error("broken item"); };
  const std::string eml = render_eml(meeting(), options);
  EXPECT_TRUE(contains(eml, "X-Ostfs-Warning: the meeting's calendar file could not be made: broken item\n"))
      << eml;
  EXPECT_FALSE(contains(eml, "text/calendar"));
  EXPECT_EQ(measure_eml(meeting(), options), eml.size());
}

TEST(RenderMeeting, RealIcsRendererGivesAnInvitation) {
  EmlOptions options;
  options.calendar = render_ics;
  const std::string eml = render_eml(meeting(), options);
  const size_t calendar = eml.find("BEGIN:VCALENDAR\nMETHOD:REQUEST\n");
  ASSERT_NE(calendar, std::string::npos) << eml;
  const std::string ics = eml.substr(calendar);
  EXPECT_TRUE(contains(ics, "\nBEGIN:VEVENT\n")) << ics;
  EXPECT_TRUE(contains(ics, "\nLOCATION:Room 4\n")) << ics;
  EXPECT_TRUE(contains(ics, "20110919T221000Z")) << ics;
  EXPECT_EQ(ics.find('\r'), std::string::npos);
  EXPECT_EQ(measure_eml(meeting(), options), eml.size());
}

model::Message report(std::string_view cls) {
  model::Message m = simple_message();
  m.props.props.front() = unicode(props::PidTagMessageClass, cls);
  m.recipients.clear();
  return m;
}

TEST(ReportSummary, NonDeliveryListsEachRecipientWithItsTexts) {
  model::Message m = report("REPORT.IPM.Note.NotSupportedICal.NDR");
  m.props.props.push_back(unicode(props::PidTagOriginalSubject, "Budget"));
  m.props.props.push_back(systime(props::PidTagOriginalSubmitTime, kStart));
  m.props.props.push_back(unicode(props::PidTagOriginalDisplayTo, "Bob; Carol"));
  model::Recipient bob = recipient(props::RecipientTo, "Bob", "bob@example.com");
  bob.props.props.push_back(unicode(props::PidTagReportText, "Could not deliver the message in time."));
  bob.props.props.push_back(unicode(props::PidTagSupplementaryInfo, "< #4.4.7 smtp;550 4.4.7 QUEUE.Expired>"));
  bob.props.props.push_back(int32(props::PidTagNonDeliveryReportStatusCode, 447));
  bob.props.props.push_back(int32(props::PidTagNonDeliveryReportDiagCode, 5));
  m.recipients.push_back(bob);
  model::Recipient carol = recipient(props::RecipientTo, "Carol", "/O=ORG/CN=CAROL", "EX");
  carol.props.props.push_back(systime(props::PidTagDeliverTime, kStart + 60));
  m.recipients.push_back(carol);
  EXPECT_EQ(report_summary(m),
            "Delivery report: not delivered\n"
            "Original subject: Budget\n"
            "Original message sent: Mon 2011-09-19 22:10 UTC\n"
            "Original recipients: Bob; Carol\n"
            "\n"
            "Recipients:\n"
            "- Bob <bob@example.com>: not delivered\n"
            "  Could not deliver the message in time.\n"
            "  < #4.4.7 smtp;550 4.4.7 QUEUE.Expired>\n"
            "  Status code 447, diagnostic code 5\n"
            "- Carol: delivered Mon 2011-09-19 22:11 UTC\n");
}

TEST(ReportSummary, OriginalSubjectFromTheEmbeddedOriginal) {
  model::Message m = report("REPORT.IPM.Note.DR");
  model::Attachment original;
  original.method = model::AttachMethod::EmbeddedMessage;
  original.embedded = std::make_unique<model::Message>(simple_message());
  m.attachments.push_back(std::move(original));
  m.recipients.push_back(recipient(props::RecipientTo, "Bob", "bob@example.com"));
  EXPECT_EQ(report_summary(m),
            "Delivery report: delivered\n"
            "Original subject: Quarterly numbers\n"
            "\n"
            "Recipients:\n"
            "- Bob <bob@example.com>: delivered\n");
}

TEST(ReportSummary, ReadReceiptNamesTheReaderNotTheRows) {
  model::Message m = report("REPORT.IPM.Note.IPNRN");
  m.recipients.push_back(recipient(props::RecipientTo, "Bob", "bob@example.com"));
  EXPECT_EQ(report_summary(m), "Read receipt: read\nRead by: Alice Example <alice@example.com>\n");
  EXPECT_EQ(report_summary(report("report.ipm.note.ipnnrn")),
            "Read receipt: not read\nNot read by: Alice Example <alice@example.com>\n");
  EXPECT_EQ(report_summary(report("REPORT.IPM.Note.Relayed")), "Report: reported\n");
  EXPECT_FALSE(report_summary(report("IPM.Note")));
  EXPECT_FALSE(report_summary(report("REPORTS.IPM.Note.DR")));
}

TEST(RenderReport, DetailsPartAfterTheBody) {
  model::Message m = report("REPORT.IPM.Note.NDR");
  m.props.props.push_back(unicode(props::PidTagOriginalSubject, "Budget \xE2\x82\xAC"));
  m.recipients.push_back(recipient(props::RecipientTo, "Bob", "bob@example.com"));
  const std::string eml = render_eml(m);
  EXPECT_TRUE(contains(eml, "Content-Description: Report details\n")) << eml;
  EXPECT_TRUE(contains(eml, "Original subject: Budget \xE2\x82\xAC\n")) << eml;
  PythonEmailCheck check;
  check.add(eml, {.structure = std::vector<std::string>{"multipart/mixed", "text/plain", "text/plain"},
                  .body = "Hello Bob,\nthe numbers are attached.\n"});
  expect_python_ok(check);
  EXPECT_EQ(measure_eml(m), eml.size());
}

}  // namespace
}  // namespace ostfs::render
