#include "fs/render/recurrence.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include "blobs.h"
#include "fs/render/item_time.h"
#include "fs/render/recurrence_rule.h"
#include "item_builder.h"

namespace ostfs::render::recurrence {
namespace {

using testing::minutes_1601;

int64_t day(int y, int m, int d) {
  return item::days_from_civil(y, m, d) * 86400;
}

TEST(ParseAppointmentRecurrence, RealWeeklySeriesWithExceptions) {
  const AppointmentRecurrencePattern a = parse_appointment_recurrence(testing::dist_list_recur(), 1252);
  const RecurrencePattern& p = a.RecurrencePattern;
  EXPECT_EQ(p.RecurFrequency, kWeekly);
  EXPECT_EQ(p.PatternType, kPatternWeek);
  EXPECT_EQ(p.Period, 1u);
  EXPECT_EQ(p.DayMask, 0x04u);  // Tuesday
  EXPECT_EQ(p.EndType, kNeverEnd);
  EXPECT_EQ(p.FirstDOW, 0u);
  EXPECT_EQ(p.StartDate, minutes_1601(day(2016, 8, 2)));
  ASSERT_EQ(p.DeletedInstanceDates.size(), 3u);
  EXPECT_EQ(p.DeletedInstanceDates[0], minutes_1601(day(2016, 8, 9)));
  EXPECT_EQ(p.DeletedInstanceDates[1], minutes_1601(day(2016, 8, 23)));
  EXPECT_EQ(p.DeletedInstanceDates[2], minutes_1601(day(2016, 8, 30)));
  ASSERT_EQ(p.ModifiedInstanceDates.size(), 2u);
  EXPECT_EQ(a.StartTimeOffset, 480u);
  EXPECT_EQ(a.EndTimeOffset, 510u);
  EXPECT_EQ(a.WriterVersion2, 0x3009u);
  ASSERT_EQ(a.ExceptionInfo.size(), 2u);
  EXPECT_EQ(a.ExceptionInfo[0].OriginalStartDate, minutes_1601(day(2016, 8, 23) + 8 * 3600));
  EXPECT_EQ(a.ExceptionInfo[0].StartDateTime, minutes_1601(day(2016, 8, 23) + 9 * 3600));
  EXPECT_EQ(a.ExceptionInfo[1].StartDateTime, minutes_1601(day(2016, 8, 30) + 10 * 3600));
  EXPECT_EQ(a.ExceptionInfo[0].OverrideFlags, ARO_EXCEPTIONAL_BODY);
  EXPECT_FALSE(a.ExceptionInfo[0].Subject);
  EXPECT_FALSE(a.exceptions_error);
}

// Every truncation of the real blob either throws (inside the pattern or the fixed fields
// after it) or keeps the pattern and reports the damage to the exceptions.
TEST(ParseAppointmentRecurrence, EveryTruncationIsReported) {
  const auto blob = testing::dist_list_recur();
  size_t pattern_size = 0;
  parse_recurrence_pattern(blob, &pattern_size);
  const size_t fixed_end = pattern_size + 18;  // ReaderVersion2 .. ExceptionCount
  for (size_t n = 0; n < blob.size(); ++n) {
    std::span<const uint8_t> prefix(blob.data(), n);
    if (n < fixed_end) {
      EXPECT_THROW(parse_appointment_recurrence(prefix, 1252), RecurrenceError) << n;
    } else {
      const auto a = parse_appointment_recurrence(prefix, 1252);
      EXPECT_TRUE(a.exceptions_error) << n;
      EXPECT_EQ(a.RecurrencePattern.StartDate, minutes_1601(day(2016, 8, 2)));
    }
  }
}

TEST(ParseRecurrencePattern, RejectsUnknownVersionsAndKinds) {
  auto blob = testing::dist_list_recur();
  auto bad_version = blob;
  bad_version[0] = 0x05;
  EXPECT_THROW(parse_recurrence_pattern(bad_version), RecurrenceError);
  auto bad_frequency = blob;
  bad_frequency[4] = 0x0F;
  EXPECT_THROW(parse_recurrence_pattern(bad_frequency), RecurrenceError);
  auto bad_pattern = blob;
  bad_pattern[6] = 0x09;
  EXPECT_THROW(parse_recurrence_pattern(bad_pattern), RecurrenceError);
  auto huge_count = blob;
  huge_count[38] = 0xFF;  // DeletedInstanceCount low byte
  huge_count[41] = 0x7F;
  EXPECT_THROW(parse_recurrence_pattern(huge_count), RecurrenceError);
}

// PatternType values as [MS-OXOCAL] 2.2.1.44.1 numbers them, written as literals so that
// a swapped constant cannot agree with itself: 0x0003 MonthNth carries a day mask and N,
// 0x0004 MonthEnd carries a day of month.
TEST(ParseRecurrencePattern, MonthNthAndMonthEndBySpecNumbers) {
  auto blob = [](uint16_t pattern_type, std::vector<uint32_t> specific) {
    testing::Blob b;
    b.u16(0x3004).u16(0x3004).u16(0x200C).u16(pattern_type).u16(0).u32(0).u32(1).u32(0);
    for (uint32_t v : specific) b.u32(v);
    b.u32(0x2022).u32(10).u32(0).u32(0).u32(0);
    b.u32(minutes_1601(day(2021, 1, 21))).u32(minutes_1601(day(2021, 10, 21)));
    return b.bytes;
  };
  size_t used = 0;
  const RecurrencePattern nth = parse_recurrence_pattern(blob(0x0003, {0x10, 3}), &used);  // 3rd Thursday
  EXPECT_EQ(nth.DayMask, 0x10u);
  EXPECT_EQ(nth.N, 3u);
  EXPECT_EQ(nth.OccurrenceCount, 10u);
  EXPECT_EQ(used, blob(0x0003, {0x10, 3}).size());
  EXPECT_EQ(rrule_for(nth, "").rrule, "FREQ=MONTHLY;BYDAY=3TH;COUNT=10");
  const RecurrencePattern end = parse_recurrence_pattern(blob(0x0004, {31}), &used);
  EXPECT_EQ(end.DayOfMonth, 31u);
  EXPECT_EQ(end.OccurrenceCount, 10u);
  EXPECT_EQ(used, blob(0x0004, {31}).size());
  EXPECT_EQ(rrule_for(end, "").rrule, "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=10");
}

// A blob with one exception that overrides subject and location: the 8-bit strings are
// replaced by the ExtendedException's UTF-16 ones.
std::vector<uint8_t> blob_with_named_exception(bool extended) {
  testing::Blob b;
  b.u16(0x3004).u16(0x3004).u16(kDaily).u16(kPatternDay).u16(0).u32(0).u32(1440).u32(0);
  b.u32(kEndAfterNOccurrences).u32(5).u32(0);
  b.u32(1).u32(minutes_1601(day(2020, 1, 3)));  // deleted
  b.u32(1).u32(minutes_1601(day(2020, 1, 3)));  // modified
  b.u32(minutes_1601(day(2020, 1, 1))).u32(minutes_1601(day(2020, 1, 5)));
  // Writers before 0x3009 may leave the ExtendedException list out.
  b.u32(0x3006).u32(extended ? 0x3009 : 0x3006).u32(600).u32(660).u16(1);
  b.u32(minutes_1601(day(2020, 1, 3) + 12 * 3600)).u32(minutes_1601(day(2020, 1, 3) + 13 * 3600));
  b.u32(minutes_1601(day(2020, 1, 3) + 10 * 3600)).u16(ARO_SUBJECT | ARO_LOCATION | ARO_BUSYSTATUS);
  b.u16(6).u16(5).raw({'L', 'u', 'n', 'c', 'h'});
  b.u16(5).u16(4).raw({'C', 'a', 'f', 0xE9});  // "Café" in windows-1252
  b.u32(3);                                    // BusyStatus: out of office
  b.u32(0);                                    // ReservedBlock1Size
  if (extended) {
    b.u32(4).u32(0).u32(0);                  // ChangeHighlight, ReservedBlockEE1Size
    b.u32(1).u32(2).u32(3);                  // StartDateTime, EndDateTime, OriginalStartDate (repeated)
    b.u16(7).raw(testing::utf16("Lunch🚀"));  // UTF-16 code units
    b.u16(4).raw(testing::utf16("Café"));
    b.u32(0);
  }
  b.u32(0);  // ReservedBlock2Size
  return b.bytes;
}

TEST(ParseAppointmentRecurrence, ExceptionStringsAnsiThenWide) {
  const auto ansi = parse_appointment_recurrence(blob_with_named_exception(false), 1252);
  ASSERT_EQ(ansi.ExceptionInfo.size(), 1u);
  EXPECT_EQ(ansi.ExceptionInfo[0].Subject, "Lunch");
  EXPECT_EQ(ansi.ExceptionInfo[0].Location, "Caf\xC3\xA9");
  EXPECT_EQ(ansi.ExceptionInfo[0].BusyStatus, 3u);
  EXPECT_FALSE(ansi.exceptions_error);
  const auto wide = parse_appointment_recurrence(blob_with_named_exception(true), 1252);
  ASSERT_EQ(wide.ExceptionInfo.size(), 1u);
  EXPECT_EQ(wide.ExceptionInfo[0].Subject, "Lunch🚀");
  EXPECT_EQ(wide.ExceptionInfo[0].Location, "Café");
  EXPECT_FALSE(wide.exceptions_error);
}

struct RuleCase {
  const char* name;
  RecurrencePattern pattern;
  std::string until;
  std::string expected;  // empty: no RRULE form
};

RecurrencePattern pattern(uint16_t frequency, uint16_t type, uint32_t period) {
  RecurrencePattern p;
  p.ReaderVersion = p.WriterVersion = 0x3004;
  p.RecurFrequency = frequency;
  p.PatternType = type;
  p.Period = period;
  p.EndType = kNeverEnd;
  p.StartDate = minutes_1601(day(2021, 6, 14));
  return p;
}

RecurrencePattern with(RecurrencePattern p, uint32_t mask, uint32_t day_of_month, uint32_t n) {
  p.DayMask = mask;
  p.DayOfMonth = day_of_month;
  p.N = n;
  return p;
}

RecurrencePattern ending(RecurrencePattern p, uint32_t end_type, uint32_t count) {
  p.EndType = end_type;
  p.OccurrenceCount = count;
  return p;
}

class RruleFor : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RruleFor, GivesExpectedRule) {
  const RuleText text = rrule_for(GetParam().pattern, GetParam().until);
  if (GetParam().expected.empty()) {
    EXPECT_FALSE(text.rrule) << *text.rrule;
    EXPECT_FALSE(text.why_not.empty());
    return;
  }
  ASSERT_TRUE(text.rrule) << text.why_not;
  EXPECT_EQ(*text.rrule, GetParam().expected);
  // libical must accept it as written.
  EXPECT_NE(icalrecurrencetype_from_string(text.rrule->c_str()).freq, ICAL_NO_RECURRENCE);
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, RruleFor,
    ::testing::Values(
        RuleCase{"daily", pattern(kDaily, kPatternDay, 1440), "", "FREQ=DAILY"},
        RuleCase{"every_3_days_count", ending(pattern(kDaily, kPatternDay, 3 * 1440), kEndAfterNOccurrences, 7), "",
                 "FREQ=DAILY;INTERVAL=3;COUNT=7"},
        RuleCase{"every_weekday", with(pattern(kDaily, kPatternWeek, 1), 0x3E, 0, 0), "",
                 "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"},
        RuleCase{"weekly_two_days_until", ending(with(pattern(kWeekly, kPatternWeek, 2), 0x0A, 0, 0), kEndAfterDate, 9),
                 "20211231T080000Z", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU;UNTIL=20211231T080000Z"},
        RuleCase{"monthly_15th", with(pattern(kMonthly, kPatternMonth, 1), 0, 15, 0), "", "FREQ=MONTHLY;BYMONTHDAY=15"},
        RuleCase{"monthly_31st_clamps", with(pattern(kMonthly, kPatternMonth, 2), 0, 31, 0), "",
                 "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"},
        RuleCase{"month_end", with(pattern(kMonthly, kPatternMonthEnd, 1), 0, 31, 0), "", "FREQ=MONTHLY;BYMONTHDAY=-1"},
        RuleCase{"second_tuesday", with(pattern(kMonthly, kPatternMonthNth, 1), 0x04, 0, 2), "",
                 "FREQ=MONTHLY;BYDAY=2TU"},
        RuleCase{"last_weekday", with(pattern(kMonthly, kPatternMonthNth, 1), 0x3E, 0, 5), "",
                 "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"},
        RuleCase{"yearly_june_14", with(pattern(kYearly, kPatternMonth, 12), 0, 14, 0), "",
                 "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=14"},
        RuleCase{"yearly_nth_every_2_years", with(pattern(kYearly, kPatternMonthNth, 24), 0x02, 0, 3), "",
                 "FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYDAY=3MO"},
        RuleCase{"hijri", with(pattern(kMonthly, kPatternHjMonth, 1), 0, 3, 0), "", ""},
        RuleCase{"weekly_without_days", with(pattern(kWeekly, kPatternWeek, 1), 0, 0, 0), "", ""},
        RuleCase{"daily_partial_day", pattern(kDaily, kPatternDay, 600), "", ""},
        RuleCase{"count_zero", ending(pattern(kDaily, kPatternDay, 1440), kEndAfterNOccurrences, 0), "", ""},
        RuleCase{"until_missing", ending(pattern(kDaily, kPatternDay, 1440), kEndAfterDate, 3), "", ""}),
    [](const auto& info) { return info.param.name; });

TEST(RruleFor, LunarCalendarHasNoForm) {
  RecurrencePattern p = with(pattern(kYearly, kPatternMonth, 12), 0, 1, 0);
  p.CalendarType = 0x0F;  // a lunar calendar
  EXPECT_FALSE(rrule_for(p, "").rrule);
  p.CalendarType = 0x03;  // Japanese era: Gregorian months
  EXPECT_TRUE(rrule_for(p, "").rrule);
}

// The clamped 31st, expanded by libical, falls on each month's last day.
TEST(RruleFor, ClampedMonthDayExpandsToMonthEnds) {
  const auto text = rrule_for(with(pattern(kMonthly, kPatternMonth, 1), 0, 31, 0), "");
  ASSERT_TRUE(text.rrule);
  icalrecur_iterator* it = icalrecur_iterator_new(icalrecurrencetype_from_string(text.rrule->c_str()),
                                                  icaltime_from_string("20210131T090000"));
  ASSERT_TRUE(it);
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) got.push_back(icaltime_as_ical_string(icalrecur_iterator_next(it)));
  icalrecur_iterator_free(it);
  EXPECT_EQ(got,
            (std::vector<std::string>{"20210131T090000", "20210228T090000", "20210331T090000", "20210430T090000"}));
}

}  // namespace
}  // namespace ostfs::render::recurrence
