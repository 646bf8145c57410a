#include "fs/render/timezone.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include "blobs.h"
#include "fs/render/ics_timezone.h"
#include "fs/render/item_time.h"
#include "item_builder.h"

namespace ostfs::render::tz {
namespace {

int64_t utc(int y, int mo, int d, int h, int mi = 0) {
  return item::seconds_from_civil({y, mo, d, h, mi, 0});
}

TEST(ParseTimeZoneStruct, RealPacificValue) {
  const auto zone = parse_time_zone_struct(testing::dist_list_time_zone_struct(), "Pacific");
  ASSERT_TRUE(zone);
  ASSERT_EQ(zone->rules.size(), 1u);
  const TzRule& r = zone->rules[0];
  EXPECT_EQ(r.lBias, 480);
  EXPECT_EQ(r.lStandardBias, 0);
  EXPECT_EQ(r.lDaylightBias, -60);
  EXPECT_EQ(r.stStandardDate, (SystemTime{0, 11, 0, 1, 2, 0, 0, 0}));
  EXPECT_EQ(r.stDaylightDate, (SystemTime{0, 3, 0, 2, 2, 0, 0, 0}));
  EXPECT_EQ(r.standard_offset(), -480);
  EXPECT_EQ(r.daylight_offset(), -420);
}

TEST(ParseTzDefinition, RealPacificDefinitionWithTwoRules) {
  const auto zone = parse_tz_definition(testing::dist_list_tz_definition());
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->name, "Pacific Standard Time");
  ASSERT_EQ(zone->rules.size(), 2u);
  EXPECT_EQ(zone->rules[0].wYear, 2006);
  EXPECT_EQ(zone->rules[0].stStandardDate.wMonth, 10);
  EXPECT_EQ(zone->rules[0].stStandardDate.wDay, 5);
  EXPECT_EQ(zone->rules[0].stDaylightDate.wMonth, 4);
  EXPECT_EQ(zone->rules[1].wYear, 2007);
  EXPECT_EQ(zone->rules[1].stDaylightDate.wDay, 2);
}

struct Malformed {
  const char* name;
  std::vector<uint8_t> bytes;
};
class ParseTzDefinitionMalformed : public ::testing::TestWithParam<Malformed> {};
TEST_P(ParseTzDefinitionMalformed, GivesNullopt) {
  EXPECT_FALSE(parse_tz_definition(GetParam().bytes));
}
std::vector<Malformed> malformed_definitions() {
  const auto good = testing::dist_list_tz_definition();
  std::vector<Malformed> out{{"empty", {}},
                             {"wrong_major", {0x03, 0x01, 0x02, 0x00, 0x02, 0x00}},
                             {"header_past_end", {0x02, 0x01, 0xFF, 0x00, 0x02, 0x00, 0x00, 0x00}},
                             {"truncated_rule", {good.begin(), good.end() - 1}},
                             {"header_only", {good.begin(), good.begin() + 52}}};
  auto bad_month = good;
  bad_month[52 + 34 + 2] = 13;  // first rule's stStandardDate.wMonth
  out.push_back({"month_13", bad_month});
  return out;
}
INSTANTIATE_TEST_SUITE_P(Cases, ParseTzDefinitionMalformed, ::testing::ValuesIn(malformed_definitions()),
                         [](const auto& info) { return info.param.name; });

TEST(TimeZone, PacificConversionsAroundTransitions) {
  const auto zone = parse_tz_definition(testing::dist_list_tz_definition());
  ASSERT_TRUE(zone);
  // 2016 (rule 2007): DST from 2016-03-13 02:00 PST to 2016-11-06 02:00 PDT.
  EXPECT_EQ(zone->to_local(utc(2016, 3, 13, 9, 59)), utc(2016, 3, 13, 1, 59));
  EXPECT_EQ(zone->to_local(utc(2016, 3, 13, 10, 0)), utc(2016, 3, 13, 3, 0));
  EXPECT_EQ(zone->to_local(utc(2016, 11, 6, 8, 59)), utc(2016, 11, 6, 1, 59));
  EXPECT_EQ(zone->to_local(utc(2016, 11, 6, 9, 0)), utc(2016, 11, 6, 1, 0));
  // 2005 (rule 2006 also covers earlier years): DST from the first Sunday of April.
  EXPECT_EQ(zone->to_local(utc(2005, 3, 20, 12, 0)), utc(2005, 3, 20, 4, 0));
  EXPECT_EQ(zone->to_local(utc(2005, 4, 10, 12, 0)), utc(2005, 4, 10, 5, 0));
  // Back again, and the gap and the repeated hour.
  EXPECT_EQ(zone->to_utc(utc(2016, 8, 2, 8, 0)), utc(2016, 8, 2, 15, 0));
  EXPECT_EQ(zone->to_utc(utc(2016, 1, 5, 8, 0)), utc(2016, 1, 5, 16, 0));
  EXPECT_EQ(zone->to_utc(utc(2016, 3, 13, 2, 30)), utc(2016, 3, 13, 10, 30));  // gap: standard offset
  EXPECT_EQ(zone->to_utc(utc(2016, 11, 6, 1, 30)), utc(2016, 11, 6, 8, 30));   // twice: the first one
}

TEST(TimeZone, SouthernHemisphere) {
  // AUS Eastern: UTC+10, DST (UTC+11) from the 1st Sunday of October to the 1st Sunday of April.
  const auto zone =
      parse_tz_definition(testing::tz_definition("AUS Eastern Standard Time", {{2008, -600, 4, 1, 3, 10, 1, 2}}));
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->to_local(utc(2016, 1, 15, 0)), utc(2016, 1, 15, 11));
  EXPECT_EQ(zone->to_local(utc(2016, 7, 15, 0)), utc(2016, 7, 15, 10));
  EXPECT_EQ(zone->to_local(utc(2016, 12, 15, 0)), utc(2016, 12, 15, 11));
  EXPECT_EQ(zone->to_utc(utc(2016, 12, 15, 11)), utc(2016, 12, 15, 0));
}

TEST(TimeZone, NoDaylightSavingTime) {
  const auto zone = parse_tz_definition(testing::tz_definition("India Standard Time", {{0, -330, 0, 0, 0, 0, 0, 0}}));
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->to_local(utc(2020, 6, 1, 0)), utc(2020, 6, 1, 5, 30));
  EXPECT_EQ(zone->to_utc(utc(2020, 6, 1, 5, 30)), utc(2020, 6, 1, 0));
}

// libical, reading the VTIMEZONE we write, must convert exactly as our own code does,
// hour by hour across the 2006 -> 2007 rule change.
TEST(Vtimezone, LibicalAgreesWithOurConversion) {
  const auto zone = parse_tz_definition(testing::dist_list_tz_definition());
  ASSERT_TRUE(zone);
  ics::ComponentPtr component = ics::vtimezone(*zone, 2004);
  icaltimezone* lib = icaltimezone_new();
  ASSERT_TRUE(icaltimezone_set_component(lib, icalcomponent_new_clone(component.get())));
  int checked = 0;
  for (int64_t t = utc(2004, 1, 1, 0); t < utc(2009, 1, 1, 0); t += 3 * 3600 + 17 * 60) {
    icaltimetype u = icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, icaltimezone_get_utc_timezone());
    icaltimetype local = icaltime_convert_to_zone(u, lib);
    const item::CivilTime ours = item::civil_from_seconds(zone->to_local(t));
    ASSERT_EQ((item::CivilTime{local.year, local.month, local.day, local.hour, local.minute, local.second}), ours)
        << "at " << t;
    ++checked;
  }
  EXPECT_GT(checked, 10000);
  icaltimezone_free(lib, 1);
}

TEST(TimeZoneFor, PrefersRecurrenceZoneThenStruct) {
  testing::ItemBuilder b("IPM.Appointment");
  b.named_binary(props::PSETID_Appointment, props::PidLidTimeZoneStruct, testing::dist_list_time_zone_struct())
      .named_unicode(props::PSETID_Appointment, props::PidLidTimeZoneDescription, "(UTC-08:00) Pacific")
      .named_binary(props::PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionStartDisplay,
                    testing::eastern_definition());
  const auto m = b.build();
  EXPECT_EQ(time_zone_for(m, Purpose::Recurrence)->name, "(UTC-08:00) Pacific");
  EXPECT_EQ(time_zone_for(m, Purpose::Start)->name, "Eastern Standard Time");
  EXPECT_EQ(time_zone_for(m, Purpose::End)->name, "Eastern Standard Time");
  EXPECT_FALSE(time_zone_for(testing::ItemBuilder("IPM.Appointment").build(), Purpose::Start));
}

}  // namespace
}  // namespace ostfs::render::tz
