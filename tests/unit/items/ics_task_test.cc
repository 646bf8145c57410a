#include <gtest/gtest.h>

#include "fs/render/ics.h"
#include "fs/render/item_time.h"
#include "ical_check.h"
#include "item_builder.h"
#include "python_check.h"

namespace ostfs::render {
namespace {

using props::PSETID_Task;
using testing::ItemBuilder;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
int64_t utc(int y, int mo, int d, int h = 0, int mi = 0) {
  return item::seconds_from_civil({y, mo, d, h, mi, 0});
}

TEST(RenderIcsTask, FieldsReadByPython) {
  ItemBuilder b("IPM.Task");
  b.unicode(props::PidTagSubject, "File taxes")
      .unicode(props::PidTagBody, "Forms A, B")
      .int32(props::PidTagImportance, 0)
      .time(props::PidTagLastModificationTime, utc(2022, 3, 1, 12))
      .named_time(PSETID_Task, props::PidLidTaskStartDate, utc(2022, 3, 1))
      .named_time(PSETID_Task, props::PidLidTaskDueDate, utc(2022, 4, 15))
      .named_int32(PSETID_Task, props::PidLidTaskStatus, 1)
      .named_double(PSETID_Task, props::PidLidPercentComplete, 0.25)
      .named_unicode(PSETID_Task, props::PidLidTaskOwner, "Tom Owner")
      .named_bool(props::PSETID_Common, props::PidLidReminderSet, true)
      .named_time(props::PSETID_Common, props::PidLidReminderTime, utc(2022, 4, 14, 8));
  const std::string ics = render_ics(b.build());
  const auto r = testing::python_check_one(".ics", ics);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("VTODO.SUMMARY=File taxes")) << r.output;
  EXPECT_TRUE(r.has("VTODO.DESCRIPTION=Forms A, B")) << r.output;
  EXPECT_TRUE(r.has("VTODO.DTSTART[VALUE=DATE]=20220301")) << r.output;
  EXPECT_TRUE(r.has("VTODO.DUE[VALUE=DATE]=20220415")) << r.output;
  EXPECT_TRUE(r.has("VTODO.STATUS=IN-PROCESS")) << r.output;
  EXPECT_TRUE(r.has("VTODO.PERCENT-COMPLETE=25")) << r.output;
  EXPECT_TRUE(r.has("VTODO.PRIORITY=9")) << r.output;
  EXPECT_TRUE(r.has("VTODO.X-OSTFS-TASK-OWNER=Tom Owner")) << r.output;
  EXPECT_TRUE(r.has("VALARM.TRIGGER[VALUE=DATE-TIME]=20220414T080000Z")) << r.output;
  auto cal = testing::parse_ical(ics);
  ASSERT_TRUE(cal);
  EXPECT_EQ(testing::lic_errors(cal.get()), 0) << ics;
}

TEST(RenderIcsTask, CompletedAndStatuses) {
  ItemBuilder done("IPM.Task");
  done.named_bool(PSETID_Task, props::PidLidTaskComplete, true)
      .named_time(PSETID_Task, props::PidLidTaskDateCompleted, utc(2022, 5, 2));
  const std::string ics = render_ics(done.build());
  EXPECT_TRUE(contains(ics, "STATUS:COMPLETED\r\n")) << ics;
  EXPECT_TRUE(contains(ics, "COMPLETED:20220502T000000Z\r\n")) << ics;
  ItemBuilder deferred("IPM.Task");
  deferred.named_int32(PSETID_Task, props::PidLidTaskStatus, 4);
  const std::string d = render_ics(deferred.build());
  EXPECT_TRUE(contains(d, "STATUS:NEEDS-ACTION\r\n")) << d;
  EXPECT_TRUE(contains(d, "X-OSTFS-TASK-STATUS:deferred\r\n")) << d;
  // Outlook's "no date" (4501-01-01) is no date.
  ItemBuilder none("IPM.Task");
  none.named(PSETID_Task, props::PidLidTaskDueDate, props::type::SysTime, testing::le(0x0CB34557A3DD4000ULL, 8));
  EXPECT_FALSE(contains(render_ics(none.build()), "DUE"));
}

TEST(RenderIcsTask, RecurringTaskGetsRrule) {
  // Every 2 weeks on Friday, 3 times, from 2022-01-07 (the task recurrence blob has no
  // appointment part).
  testing::Blob b;
  const int64_t first = utc(2022, 1, 7);
  b.u16(0x3004).u16(0x3004).u16(0x200B).u16(1).u16(0).u32(0).u32(2).u32(0).u32(0x20);
  b.u32(0x2022)
      .u32(3)
      .u32(1)
      .u32(0)
      .u32(0)
      .u32(testing::minutes_1601(first))
      .u32(testing::minutes_1601(utc(2022, 2, 4)));
  ItemBuilder task("IPM.Task");
  task.unicode(props::PidTagSubject, "Payroll")
      .named_bool(PSETID_Task, props::PidLidTaskFRecurring, true)
      .named_binary(PSETID_Task, props::PidLidTaskRecurrence, b.bytes);
  const std::string ics = render_ics(task.build());
  const auto r = testing::python_check_one(".ics", ics);
  ASSERT_TRUE(r.ok) << r.output;
  // FirstDOW 1 is Monday, iCalendar's default week start, which libical leaves out.
  EXPECT_TRUE(r.has("VTODO.RRULE=FREQ=WEEKLY;COUNT=3;INTERVAL=2;BYDAY=FR")) << r.output;
  EXPECT_TRUE(r.has("VTODO.DTSTART[VALUE=DATE]=20220107")) << r.output;
  auto cal = testing::parse_ical(ics);
  ASSERT_TRUE(cal);
  auto todos = testing::components(cal.get(), ICAL_VTODO_COMPONENT);
  ASSERT_EQ(todos.size(), 1u);
  EXPECT_EQ(testing::occurrences(todos[0], 10), (std::vector<std::string>{"20220107", "20220121", "20220204"}));
}

TEST(RenderIcsJournal, JournalEntry) {
  ItemBuilder b("IPM.Activity");
  b.unicode(props::PidTagSubject, "Call with Bob")
      .unicode(props::PidTagBody, "Discussed the plan")
      .named_time(props::PSETID_Log, props::PidLidLogStart, utc(2021, 2, 4, 12, 1))
      .named_time(props::PSETID_Log, props::PidLidLogEnd, utc(2021, 2, 4, 12, 31))
      .named_unicode(props::PSETID_Log, props::PidLidLogType, "Phone call");
  const std::string ics = render_ics(b.build());
  const auto r = testing::python_check_one(".ics", ics);
  ASSERT_TRUE(r.ok) << r.output;
  EXPECT_TRUE(r.has("VJOURNAL.SUMMARY=Call with Bob")) << r.output;
  EXPECT_TRUE(r.has("VJOURNAL.DESCRIPTION=Discussed the plan")) << r.output;
  EXPECT_TRUE(r.has("VJOURNAL.DTSTART=20210204T120100Z")) << r.output;
  EXPECT_TRUE(r.has("VJOURNAL.X-OSTFS-JOURNAL-TYPE=Phone call")) << r.output;
  EXPECT_TRUE(r.has("VJOURNAL.X-OSTFS-JOURNAL-END=20210204T123100Z")) << r.output;
}

}  // namespace
}  // namespace ostfs::render
