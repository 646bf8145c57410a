// VTODO for tasks ([MS-OXOTASK]).
#include <algorithm>
#include <cmath>

#include "fs/render/ics_parts.h"
#include "fs/render/item_props.h"
#include "fs/render/recurrence.h"
#include "fs/render/recurrence_rule.h"
#include "parser/props.h"

namespace ostfs::render::ics {
namespace {

using props::PSETID_Task;
constexpr int64_t kDay = 86400;

// Task start and due dates are the user's local date at midnight, stored as if UTC
// ([MS-OXOTASK] 2.2.2.2.4, 2.2.2.2.5): the date is read directly (rounded to the nearest
// day against writers that stored true UTC).
When task_date(int64_t t) {
  int64_t rounded = t + kDay / 2;
  rounded -= ((rounded % kDay) + kDay) % kDay;
  return When::date(rounded);
}

void add_status(icalcomponent* todo, Context& ctx) {
  const model::Message& m = ctx.message;
  const auto status = item::named_int32(m, PSETID_Task, props::PidLidTaskStatus);
  const bool complete = item::named_bool(m, PSETID_Task, props::PidLidTaskComplete).value_or(false);
  // PidLidTaskStatus: 0 not started, 1 in progress, 2 complete, 3 waiting on others, 4 deferred.
  if (complete || status == 2) {
    icalcomponent_add_property(todo, icalproperty_new_status(ICAL_STATUS_COMPLETED));
  } else if (status == 1) {
    icalcomponent_add_property(todo, icalproperty_new_status(ICAL_STATUS_INPROCESS));
  } else if (status) {
    icalcomponent_add_property(todo, icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
    if (*status == 3) add_x(todo, "X-OSTFS-TASK-STATUS", "waiting on someone else");
    if (*status == 4) add_x(todo, "X-OSTFS-TASK-STATUS", "deferred");
  }
}

void add_task_recurrence(icalcomponent* todo, Context& ctx, bool has_start) {
  const model::Message& m = ctx.message;
  if (!item::named_bool(m, PSETID_Task, props::PidLidTaskFRecurring).value_or(false)) return;
  const auto* blob = item::named_binary(m, PSETID_Task, props::PidLidTaskRecurrence);
  if (!blob) return;
  try {
    const recurrence::RecurrencePattern p = recurrence::parse_recurrence_pattern(*blob);
    const int64_t first = item::seconds_from_minutes_1601(p.StartDate);
    // An RRULE needs a DTSTART: the series' first date stands in when the task has none.
    if (!has_start) add_time(todo, ctx, ICAL_DTSTART_PROPERTY, When::date(first));
    const std::string until = item::basic_date(item::civil_from_seconds(item::seconds_from_minutes_1601(p.EndDate)));
    const recurrence::RuleText rule = recurrence::rrule_for(p, until);
    if (!rule.rrule) {
      ctx.notes.losses.push_back("task recurrence not expressed as RRULE: " + rule.why_not);
      return;
    }
    const icalrecurrencetype recur = icalrecurrencetype_from_string(rule.rrule->c_str());
    if (recur.freq == ICAL_NO_RECURRENCE) {
      ctx.notes.losses.push_back("libical rejected the recurrence rule " + *rule.rrule);
      return;
    }
    icalcomponent_add_property(todo, icalproperty_new_rrule(recur));
  } catch (const recurrence::RecurrenceError& e) {
    ctx.notes.losses.push_back(std::string("task recurrence not read: ") + e.what());
  }
}

}  // namespace

void add_todo(icalcomponent* calendar, Context& ctx) {
  const model::Message& m = ctx.message;
  icalcomponent* todo = icalcomponent_new_vtodo();
  icalcomponent_add_component(calendar, todo);
  add_common(todo, ctx, item::stable_uid(m));
  const auto start = item::named_time(m, PSETID_Task, props::PidLidTaskStartDate);
  const auto due = item::named_time(m, PSETID_Task, props::PidLidTaskDueDate);
  if (start) add_time(todo, ctx, ICAL_DTSTART_PROPERTY, task_date(*start));
  if (due) add_time(todo, ctx, ICAL_DUE_PROPERTY, task_date(*due));
  if (auto done = item::named_time(m, PSETID_Task, props::PidLidTaskDateCompleted))
    add_time(todo, ctx, ICAL_COMPLETED_PROPERTY, When::utc(*done));
  add_status(todo, ctx);
  if (auto percent = item::named_double(m, PSETID_Task, props::PidLidPercentComplete);
      percent && std::isfinite(*percent))
    icalcomponent_add_property(
        todo, icalproperty_new_percentcomplete(static_cast<int>(std::lround(std::clamp(*percent, 0.0, 1.0) * 100))));
  if (auto owner = item::named_text(m, PSETID_Task, props::PidLidTaskOwner)) add_x(todo, "X-OSTFS-TASK-OWNER", *owner);
  if (item::named_bool(m, props::PSETID_Common, props::PidLidReminderSet).value_or(false)) {
    // Task reminders are absolute times ([MS-OXORMDR] 2.2.1.4 PidLidReminderTime).
    if (auto at = item::named_time(m, props::PSETID_Common, props::PidLidReminderTime)) {
      if (!add_display_alarm_at(todo, *at, item::text(m, props::PidTagSubject).value_or("Reminder")))
        ctx.notes.losses.push_back("the reminder time is out of range");
    } else {
      add_reminder(todo, m);
    }
  }
  add_task_recurrence(todo, ctx, start.has_value());
  add_attachments(todo, ctx, m, {});
}

}  // namespace ostfs::render::ics
