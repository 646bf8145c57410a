#include "fs/render/item_local_time.h"

#include <gtest/gtest.h>

#include "fs/render/item_time.h"
#include "item_builder.h"

namespace ostfs::render {
namespace {

using props::PSETID_Appointment;
using testing::ItemBuilder;

int64_t utc(int y, int mo, int d, int h, int mi) { return item::seconds_from_civil({y, mo, d, h, mi, 0}); }

// A meeting request in US Eastern time (UTC-5, daylight UTC-4 from the 2nd Sunday of March
// to the 1st Sunday of November).
ItemBuilder meeting(int64_t start, std::optional<int64_t> end) {
  ItemBuilder b("IPM.Schedule.Meeting.Request");
  b.named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, start)
      .named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionStartDisplay,
                    testing::eastern_definition());
  if (end) b.named_time(PSETID_Appointment, props::PidLidAppointmentEndWhole, *end);
  return b;
}

TEST(AppointmentLocalSpan, SummerAndWinterOffsets) {
  EXPECT_EQ(appointment_local_span(meeting(utc(2021, 7, 5, 13, 30), utc(2021, 7, 5, 14, 0)).build()),
            "Mon 2021-07-05 09:30 to 10:00 (Eastern Standard Time, UTC-04:00)");
  EXPECT_EQ(appointment_local_span(meeting(utc(2021, 1, 4, 14, 30), utc(2021, 1, 4, 15, 0)).build()),
            "Mon 2021-01-04 09:30 to 10:00 (Eastern Standard Time, UTC-05:00)");
}

TEST(AppointmentLocalSpan, LocalDateDiffersFromTheUtcDate) {
  // 02:00Z on the 6th is 22:00 on the 5th in New York.
  EXPECT_EQ(appointment_local_span(meeting(utc(2021, 7, 6, 2, 0), utc(2021, 7, 6, 3, 0)).build()),
            "Mon 2021-07-05 22:00 to 23:00 (Eastern Standard Time, UTC-04:00)");
  EXPECT_EQ(appointment_local_span(meeting(utc(2021, 7, 6, 2, 0), utc(2021, 7, 6, 5, 0)).build()),
            "Mon 2021-07-05 22:00 to Tue 2021-07-06 01:00 (Eastern Standard Time, UTC-04:00)");
}

TEST(AppointmentLocalSpan, AcrossTheAutumnChangeEachEndHasItsOffset) {
  // 2021-11-07 06:00Z is 01:00 EST, after the 02:00 EDT -> 01:00 EST change.
  EXPECT_EQ(appointment_local_span(meeting(utc(2021, 11, 7, 3, 0), utc(2021, 11, 7, 7, 0)).build()),
            "Sat 2021-11-06 23:00 (Eastern Standard Time, UTC-04:00) to Sun 2021-11-07 02:00 "
            "(Eastern Standard Time, UTC-05:00)");
}

TEST(AppointmentLocalSpan, EndZoneOfItsOwn) {
  auto b = meeting(utc(2021, 7, 5, 13, 0), utc(2021, 7, 5, 20, 0));
  b.named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionEndDisplay,
                 testing::tz_definition("Pacific Standard Time", {{2007, 480, 11, 1, 2, 3, 2, 2}}));
  EXPECT_EQ(appointment_local_span(b.build()),
            "Mon 2021-07-05 09:00 (Eastern Standard Time, UTC-04:00) to Mon 2021-07-05 13:00 "
            "(Pacific Standard Time, UTC-07:00)");
}

TEST(AppointmentLocalSpan, AllDayShowsLocalDates) {
  // Local midnights of 2021-07-05 and 2021-07-07 (exclusive end): two days.
  auto two_days = meeting(utc(2021, 7, 5, 4, 0), utc(2021, 7, 7, 4, 0));
  two_days.named_bool(PSETID_Appointment, props::PidLidAppointmentSubType, true);
  EXPECT_EQ(appointment_local_span(two_days.build()), "Mon 2021-07-05 to Tue 2021-07-06");
  auto one_day = meeting(utc(2021, 1, 4, 5, 0), utc(2021, 1, 5, 5, 0));
  one_day.named_bool(PSETID_Appointment, props::PidLidAppointmentSubType, true);
  EXPECT_EQ(appointment_local_span(one_day.build()), "Mon 2021-01-04");
}

TEST(AppointmentLocalSpan, MissingOrEarlierEndGivesTheStartAlone) {
  EXPECT_EQ(appointment_local_span(meeting(utc(2021, 7, 5, 13, 30), std::nullopt).build()),
            "Mon 2021-07-05 09:30 (Eastern Standard Time, UTC-04:00)");
  EXPECT_EQ(appointment_local_span(meeting(utc(2021, 7, 5, 13, 30), utc(2021, 7, 5, 13, 0)).build()),
            "Mon 2021-07-05 09:30 (Eastern Standard Time, UTC-04:00)");
}

TEST(AppointmentLocalSpan, NoStartOrNoZoneGivesNothing) {
  ItemBuilder no_zone("IPM.Schedule.Meeting.Request");
  no_zone.named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, utc(2021, 7, 5, 13, 30));
  EXPECT_FALSE(appointment_local_span(no_zone.build()));
  ItemBuilder no_start("IPM.Schedule.Meeting.Request");
  no_start.named_binary(PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionStartDisplay,
                        testing::eastern_definition());
  EXPECT_FALSE(appointment_local_span(no_start.build()));
}

}  // namespace
}  // namespace ostfs::render
