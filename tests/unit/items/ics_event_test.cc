#include <gtest/gtest.h>

#include <algorithm>

#include "blobs.h"
#include "fs/render/ics.h"
#include "fs/render/item_time.h"
#include "ical_check.h"
#include "item_builder.h"
#include "python_check.h"

namespace ostfs::render {
namespace {

using props::PSETID_Appointment;
using props::PSETID_Common;
using testing::ItemBuilder;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
int64_t utc(int y, int mo, int d, int h, int mi = 0) {
  return item::seconds_from_civil({y, mo, d, h, mi, 0});
}

std::vector<uint8_t> global_object_id(uint8_t instance_year_high) {
  testing::Blob b;
  b.raw({0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08});
  b.u8(instance_year_high).u8(0xE4).u8(7).u8(1);  // instance date (set on exceptions)
  b.raw(std::vector<uint8_t>(16, 0)).u32(4).raw({0xDE, 0xAD, 0xBE, 0xEF});
  return b.bytes;
}

// A meeting in New York: 2021-07-01 10:00-11:00 EDT (14:00-15:00 UTC).
ItemBuilder meeting() {
  ItemBuilder b("IPM.Appointment");
  b.unicode(props::PidTagSubject, "Planning; Q3, final")
      .unicode(props::PidTagBody, "Agenda:\r\n1. Budget\r\n")
      .unicode(props::PidTagSentRepresentingName, "Olga Organizer")
      .unicode(props::PidTagSentRepresentingAddressType, "SMTP")
      .unicode(props::PidTagSentRepresentingEmailAddress, "olga@example.com")
      .int32(props::PidTagSensitivity, 2)
      .int32(props::PidTagImportance, 2)
      .time(props::PidTagCreationTime, utc(2021, 6, 1, 8))
      .time(props::PidTagLastModificationTime, utc(2021, 6, 2, 9, 30))
      .named_unicode(PSETID_Appointment, props::PidLidLocation, "Room 1")
      .named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, utc(2021, 7, 1, 14))
      .named_time(PSETID_Appointment, props::PidLidAppointmentEndWhole, utc(2021, 7, 1, 15))
      .named_int32(PSETID_Appointment, props::PidLidBusyStatus, 1)
      .named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionStartDisplay,
                    testing::eastern_definition())
      .named_bool(PSETID_Common, props::PidLidReminderSet, true)
      .named_int32(PSETID_Common, props::PidLidReminderDelta, 30)
      .named_binary(props::PSETID_Meeting, props::PidLidGlobalObjectId, global_object_id(0x07))
      .keywords({"Work", "Q3, planning"})
      .recipient(testing::attendee(props::RecipientTo, "Rita Required", "rita@example.com", 3))
      .recipient(testing::attendee(props::RecipientCc, "Otto Optional", "otto@example.com", 4))
      .recipient(testing::attendee(props::RecipientResource, "Room 1", "room1@example.com", 2))
      .recipient(testing::attendee(props::RecipientTo, "Olga Organizer", "olga@example.com", 1, 3))
      .attachment(testing::file_attachment("minutes.txt", {'h', 'i', '\n'}));
  return b;
}

TEST(RenderIcsEvent, MeetingFieldsReadByPython) {
  const std::string ics = render_ics(meeting().build());
  const auto r = testing::python_check_one(".ics", ics);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("VEVENT.SUMMARY=Planning; Q3, final")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DESCRIPTION=Agenda:\\n1. Budget")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.LOCATION=Room 1")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTSTART[TZID=Eastern Standard Time]=20210701T100000")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTEND[TZID=Eastern Standard Time]=20210701T110000")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTSTAMP=20210602T093000Z")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.CLASS=PRIVATE")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.PRIORITY=1")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.TRANSP=OPAQUE")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.X-MICROSOFT-CDO-BUSYSTATUS=TENTATIVE")) << r.output;
  EXPECT_TRUE(
      r.has("VEVENT.UID=040000008200E00074C5B7101A82E0080000000000000000000000000000000000000000"
            "04000000DEADBEEF"))
      << r.output;
  EXPECT_TRUE(r.has("VEVENT.ORGANIZER[CN=Olga Organizer]=mailto:olga@example.com")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.ATTENDEE[CN=Rita Required;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT]=mailto:rita@example.com"))
      << r.output;
  EXPECT_TRUE(r.has("VEVENT.ATTENDEE[CN=Otto Optional;PARTSTAT=DECLINED;ROLE=OPT-PARTICIPANT]=mailto:otto@example.com"))
      << r.output;
  EXPECT_TRUE(r.has(
      "VEVENT.ATTENDEE[CN=Room 1;CUTYPE=RESOURCE;PARTSTAT=TENTATIVE;ROLE=NON-PARTICIPANT]=mailto:room1@example.com"))
      << r.output;
  EXPECT_EQ(r.lines_starting("VEVENT.ATTENDEE").size(), 3u) << r.output;  // the organizer row is ORGANIZER
  EXPECT_TRUE(r.has("VALARM.TRIGGER=-PT30M")) << r.output;
  EXPECT_TRUE(r.has("VALARM.ACTION=DISPLAY")) << r.output;
  EXPECT_TRUE(r.has("VTIMEZONE.TZID=Eastern Standard Time")) << r.output;
  EXPECT_TRUE(contains(ics, "CATEGORIES:Work,Q3\xEF\xBC\x8C planning\r\n")) << ics;
  EXPECT_TRUE(contains(ics, "X-OSTFS-WARNING:a category name holds a comma")) << ics;
  EXPECT_TRUE(contains(ics, "X-FILENAME=minutes.txt")) << ics;
  EXPECT_TRUE(contains(ics, ":aGkK\r\n")) << ics;
  EXPECT_TRUE(contains(ics, "FMTTYPE=text/plain")) << ics;
}

TEST(RenderIcsEvent, LibicalParsesWithoutErrorsAndConvertsToUtc) {
  const std::string ics = render_ics(meeting().build());
  auto cal = testing::parse_ical(ics);
  ASSERT_TRUE(cal);
  EXPECT_EQ(testing::lic_errors(cal.get()), 0) << ics;
  auto events = testing::components(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_EQ(events.size(), 1u);
  const icaltimetype start = icalcomponent_get_dtstart(events[0]);
  EXPECT_EQ(icaltime_as_timet_with_zone(start, start.zone), utc(2021, 7, 1, 14));
}

TEST(RenderIcsEvent, AllDayUsesDatesInTheEventZone) {
  // All-day on 2021-12-24 in Tokyo (UTC+9): stored as 2021-12-23T15:00Z .. 2021-12-24T15:00Z.
  ItemBuilder b("IPM.Appointment");
  b.unicode(props::PidTagSubject, "Holiday")
      .named_bool(PSETID_Appointment, props::PidLidAppointmentSubType, true)
      .named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, utc(2021, 12, 23, 15))
      .named_time(PSETID_Appointment, props::PidLidAppointmentEndWhole, utc(2021, 12, 24, 15))
      .named_int32(PSETID_Appointment, props::PidLidBusyStatus, 0)
      .named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionStartDisplay,
                    testing::tz_definition("Tokyo Standard Time", {{0, -540, 0, 0, 0, 0, 0, 0}}));
  const std::string ics = render_ics(b.build());
  EXPECT_TRUE(contains(ics, "DTSTART;VALUE=DATE:20211224\r\n")) << ics;
  EXPECT_TRUE(contains(ics, "DTEND;VALUE=DATE:20211225\r\n")) << ics;
  EXPECT_TRUE(contains(ics, "TRANSP:TRANSPARENT\r\n")) << ics;
  EXPECT_FALSE(contains(ics, "BEGIN:VTIMEZONE")) << "no time refers to the zone: " << ics;
  EXPECT_TRUE(testing::python_check_one(".ics", ics).ok);
}

// Outlook's StartDisplay and EndDisplay often hold the same zone with different rule
// histories: DTEND then shares DTSTART's TZID (one VTIMEZONE). A really different end zone
// keeps its own.
TEST(RenderIcsEvent, EndZoneThatReadsTheEndAlikeSharesTheStartTzid) {
  auto same = meeting();
  same.named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionEndDisplay,
                    testing::tz_definition("Eastern Standard Time",
                                           {{2000, 300, 10, 5, 2, 4, 1, 2}, {2007, 300, 11, 1, 2, 3, 2, 2}}));
  const std::string ics = render_ics(same.build());
  EXPECT_TRUE(contains(ics, "DTEND;TZID=Eastern Standard Time:20210701T110000\r\n")) << ics;
  EXPECT_FALSE(contains(ics, "(2)")) << ics;
  const auto cal = testing::parse_ical(ics);
  ASSERT_TRUE(cal);
  EXPECT_EQ(testing::components(cal.get(), ICAL_VTIMEZONE_COMPONENT).size(), 1u);

  auto other = meeting();
  other.named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionEndDisplay,
                     testing::tz_definition("Pacific Standard Time", {{2007, 480, 11, 1, 2, 3, 2, 2}}));
  const std::string ics2 = render_ics(other.build());
  EXPECT_TRUE(contains(ics2, "DTEND;TZID=Pacific Standard Time:20210701T080000\r\n")) << ics2;
  const auto cal2 = testing::parse_ical(ics2);
  ASSERT_TRUE(cal2);
  EXPECT_EQ(testing::components(cal2.get(), ICAL_VTIMEZONE_COMPONENT).size(), 2u);
}

TEST(RenderIcsEvent, NoZoneGivesUtcAndOddDataGivesWarnings) {
  ItemBuilder b("IPM.Appointment");
  b.named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, utc(2021, 1, 1, 10))
      .named_time(PSETID_Appointment, props::PidLidAppointmentEndWhole, utc(2021, 1, 1, 9));
  auto m = b.build();
  m.warnings.push_back("attachment 2: cannot read");
  const std::string ics = render_ics(m);
  EXPECT_TRUE(contains(ics, "DTSTART:20210101T100000Z\r\n")) << ics;
  EXPECT_FALSE(contains(ics, "\r\nDTEND")) << ics;
  EXPECT_TRUE(contains(ics, "X-OSTFS-WARNING:end time before start time")) << ics;
  EXPECT_TRUE(contains(ics, "X-OSTFS-WARNING:reading the item: attachment 2: cannot read")) << ics;
  EXPECT_TRUE(contains(ics, "X-OSTFS-WARNING:the item has no usable modification or creation time")) << ics;
  EXPECT_TRUE(testing::python_check_one(".ics", ics).ok);
}

TEST(RenderIcsEvent, VcalUidIsUnwrapped) {
  testing::Blob id;
  id.raw({0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08});
  id.raw(std::vector<uint8_t>(20, 0)).u32(34);
  const std::string marker = "vCal-Uid";
  id.raw({marker.begin(), marker.end()}).u32(1);
  const std::string uid = "abc-123@example.com";
  id.raw({uid.begin(), uid.end()}).u8(0);
  ItemBuilder b("IPM.Appointment");
  b.named_binary(props::PSETID_Meeting, props::PidLidGlobalObjectId, id.bytes);
  EXPECT_TRUE(contains(render_ics(b.build()), "UID:abc-123@example.com\r\n"));
}

TEST(RenderIcsEvent, UnloadedAndLinkedAttachmentsAreWarnings) {
  auto unloaded = testing::file_attachment("big.bin", {});
  unloaded.data_size = 5000;
  unloaded.data_loaded = false;
  auto link = testing::file_attachment("linked.doc", {});
  link.method = model::AttachMethod::ByReference;
  ItemBuilder b("IPM.Appointment");
  b.attachment(std::move(unloaded)).attachment(std::move(link));
  const std::string ics = render_ics(b.build());
  EXPECT_FALSE(contains(ics, "ATTACH")) << ics;
  EXPECT_TRUE(contains(ics, "X-OSTFS-WARNING:attachment \"big.bin\" (5000 bytes) was not loaded")) << ics;
  EXPECT_TRUE(contains(ics, "X-OSTFS-WARNING:attachment \"linked.doc\" is a link")) << ics;
}

// --- recurrence ---

// The real series of dist-list.pst with its zone, plus exception messages like Outlook's.
model::Message weekly_series() {
  ItemBuilder exception("IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}", 0x2000C4);
  exception.unicode(props::PidTagBody, "This is the appointment at 9\r\n")
      .named_time(PSETID_Appointment, props::PidLidExceptionReplaceTime, utc(2016, 8, 23, 15))
      .named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, utc(2016, 8, 23, 16));
  model::Attachment embedded;
  embedded.method = model::AttachMethod::EmbeddedMessage;
  embedded.props.props.push_back({props::PidTagAttachmentHidden, props::type::Boolean, {1}, {}});
  embedded.embedded = std::make_unique<model::Message>(exception.build());
  embedded.data_loaded = true;

  ItemBuilder b("IPM.Appointment");
  b.unicode(props::PidTagSubject, "Test appointment")
      .unicode(props::PidTagBody, "This is a complete test")
      .time(props::PidTagLastModificationTime, utc(2016, 8, 2, 2, 50))
      .named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, utc(2016, 8, 2, 15))
      .named_time(PSETID_Appointment, props::PidLidAppointmentEndWhole, utc(2016, 8, 2, 15, 30))
      .named_bool(PSETID_Appointment, props::PidLidRecurring, true)
      .named_binary(PSETID_Appointment, props::PidLidAppointmentRecur, testing::dist_list_recur())
      .named_binary(PSETID_Appointment, props::PidLidTimeZoneStruct, testing::dist_list_time_zone_struct())
      .named_unicode(PSETID_Appointment, props::PidLidTimeZoneDescription, "(UTC-08:00) Pacific Time (US & Canada)")
      .attachment(std::move(embedded));
  return b.build();
}

TEST(RenderIcsRecurrence, WeeklySeriesWithDeletedAndModifiedOccurrences) {
  const std::string ics = render_ics(weekly_series());
  const auto r = testing::python_check_one(".ics", ics);
  ASSERT_TRUE(r.ok) << r.output;
  const std::string tzid = "[TZID=(UTC-08:00) Pacific Time (US & Canada)]";
  EXPECT_TRUE(r.has("VEVENT.RRULE=FREQ=WEEKLY;BYDAY=TU;WKST=SU")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTSTART" + tzid + "=20160802T080000")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTEND" + tzid + "=20160802T083000")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.EXDATE" + tzid + "=20160809T080000")) << r.output;
  EXPECT_EQ(r.lines_starting("VEVENT.EXDATE").size(), 1u) << r.output;  // moved ones are not deleted
  EXPECT_TRUE(r.has("VEVENT.RECURRENCE-ID" + tzid + "=20160823T080000")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTSTART" + tzid + "=20160823T090000")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DESCRIPTION=This is the appointment at 9")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.RECURRENCE-ID" + tzid + "=20160830T080000")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTSTART" + tzid + "=20160830T100000")) << r.output;
  EXPECT_EQ(r.lines_starting("VEVENT.SUMMARY=Test appointment").size(), 3u) << r.output;
  EXPECT_FALSE(contains(ics, "ATTACH")) << "exception messages are not attachments: " << ics;

  // libical expands the master: first occurrence is the item's own start, 08-09 is gone.
  auto cal = testing::parse_ical(ics);
  ASSERT_TRUE(cal);
  EXPECT_EQ(testing::lic_errors(cal.get()), 0);
  auto events = testing::components(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(testing::occurrences(events[0], 4),
            (std::vector<std::string>{"20160802T080000", "20160816T080000", "20160823T080000", "20160830T080000"}));
  const icaltimetype start = icalcomponent_get_dtstart(events[0]);
  EXPECT_EQ(icaltime_as_timet_with_zone(start, start.zone), utc(2016, 8, 2, 15));  // = PidLidAppointmentStartWhole
}

TEST(RenderIcsRecurrence, ExceptionSubjectLocationAndEndByDate) {
  // Daily 10:00-11:00 UTC from 2020-01-01, 5 occurrences; 01-03 moved to 12:00 "Lunch🚀" at "Café".
  testing::Blob b;
  auto m1601 = [](int64_t t) { return testing::minutes_1601(t); };
  const int64_t day0 = utc(2020, 1, 1, 0);
  b.u16(0x3004).u16(0x3004).u16(0x200A).u16(0).u16(0).u32(0).u32(1440).u32(0);
  b.u32(0x2021).u32(5).u32(0);
  b.u32(1).u32(m1601(day0 + 2 * 86400)).u32(1).u32(m1601(day0 + 2 * 86400));
  b.u32(m1601(day0)).u32(m1601(day0 + 4 * 86400));
  b.u32(0x3006).u32(0x3009).u32(600).u32(660).u16(1);
  b.u32(m1601(day0 + 2 * 86400 + 12 * 3600)).u32(m1601(day0 + 2 * 86400 + 13 * 3600));
  b.u32(m1601(day0 + 2 * 86400 + 10 * 3600)).u16(0x0011);
  b.u16(6).u16(5).raw({'L', 'u', 'n', 'c', 'h'}).u16(5).u16(4).raw({'C', 'a', 'f', 0xE9});
  b.u32(0).u32(4).u32(0).u32(0).u32(0).u32(0).u32(0);
  b.u16(7).raw(testing::utf16("Lunch🚀")).u16(4).raw(testing::utf16("Café")).u32(0).u32(0);
  ItemBuilder item("IPM.Appointment");
  item.unicode(props::PidTagSubject, "Standup")
      .named_binary(PSETID_Appointment, props::PidLidAppointmentRecur, b.bytes)
      .named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionRecur,
                    testing::tz_definition("Test Zone", {{0, 0, 0, 0, 0, 0, 0, 0}}));
  const std::string ics = render_ics(item.build());
  const auto r = testing::python_check_one(".ics", ics);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("VEVENT.RRULE=FREQ=DAILY;UNTIL=20200105T100000Z")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.SUMMARY=Lunch🚀")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.LOCATION=Café")) << r.output;
  EXPECT_TRUE(r.has("VEVENT.DTSTART[TZID=Test Zone]=20200103T120000")) << r.output;
  auto cal = testing::parse_ical(ics);
  ASSERT_TRUE(cal);
  auto events = testing::components(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(testing::occurrences(events[0], 10).size(), 5u);  // UNTIL includes the last one
}

TEST(RenderIcsRecurrence, BrokenBlobStillRendersTheFirstOccurrence) {
  auto blob = testing::dist_list_recur();
  blob.resize(20);
  ItemBuilder b("IPM.Appointment");
  b.named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, utc(2016, 8, 2, 15))
      .named_binary(PSETID_Appointment, props::PidLidAppointmentRecur, blob);
  const std::string ics = render_ics(b.build());
  EXPECT_TRUE(contains(ics, "DTSTART:20160802T150000Z\r\n")) << ics;
  EXPECT_FALSE(contains(ics, "RRULE")) << ics;
  EXPECT_TRUE(contains(ics, "X-OSTFS-WARNING:recurrence not read: recurrence blob ends inside")) << ics;
}

TEST(RenderIcs, Deterministic) {
  EXPECT_EQ(render_ics(weekly_series()), render_ics(weekly_series()));
}

}  // namespace
}  // namespace ostfs::render
