#include "fs/render/recurrence_rule.h"

#include "fs/render/item_time.h"

namespace ostfs::render::recurrence {
namespace {

const char* const kDayNames[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

std::string by_day(uint32_t mask) {
  std::string out;
  for (int d = 0; d < 7; ++d) {
    if (!(mask & (1u << d))) continue;
    if (!out.empty()) out += ',';
    out += kDayNames[d];
  }
  return out;
}

int day_count(uint32_t mask) {
  int n = 0;
  for (int d = 0; d < 7; ++d) n += (mask >> d) & 1;
  return n;
}

// Calendars whose months are the Gregorian ones (only the era or year numbering differs):
// default, Gregorian variants, Japanese, Taiwan, Korean, Thai ([MS-OXOCAL] 2.2.1.44.1).
bool gregorian_months(uint16_t calendar_type) {
  switch (calendar_type) {
    case 0x0:
    case 0x1:
    case 0x2:
    case 0x3:
    case 0x4:
    case 0x5:
    case 0x7:
    case 0x9:
    case 0xA:
    case 0xB:
    case 0xC:
      return true;
    default:
      return false;
  }
}

// The month-day part. Outlook moves day 29..31 to the month's last day in shorter months;
// RRULE's BYMONTHDAY would skip those months, so "the last of days 28..d" says it exactly.
std::string month_day_part(const RecurrencePattern& p, std::string& why_not) {
  switch (p.PatternType) {
    case kPatternMonth:
      if (p.DayOfMonth < 1 || p.DayOfMonth > 31) {
        why_not = "day of month " + std::to_string(p.DayOfMonth) + " is out of range";
        return "";
      }
      if (p.DayOfMonth <= 28) return "BYMONTHDAY=" + std::to_string(p.DayOfMonth);
      {
        std::string days;
        for (uint32_t d = 28; d <= p.DayOfMonth; ++d) days += (days.empty() ? "" : ",") + std::to_string(d);
        return "BYMONTHDAY=" + days + ";BYSETPOS=-1";
      }
    case kPatternMonthEnd:
      return "BYMONTHDAY=-1";
    case kPatternMonthNth: {
      if (day_count(p.DayMask & 0x7F) == 0 || p.N < 1 || p.N > 5) {
        why_not = "month-nth pattern without days or with N " + std::to_string(p.N);
        return "";
      }
      const int n = p.N == 5 ? -1 : static_cast<int>(p.N);
      if (day_count(p.DayMask & 0x7F) == 1) return "BYDAY=" + std::to_string(n) + by_day(p.DayMask & 0x7F);
      return "BYDAY=" + by_day(p.DayMask & 0x7F) + ";BYSETPOS=" + std::to_string(n);
    }
    case kPatternHjMonth:
    case kPatternHjMonthEnd:
    case kPatternHjMonthNth:
      why_not = "Hijri-calendar recurrence has no iCalendar RRULE form";
      return "";
    default:
      why_not = "pattern type " + std::to_string(p.PatternType) + " does not fit a monthly or yearly series";
      return "";
  }
}

}  // namespace

RuleText rrule_for(const RecurrencePattern& p, const std::string& until) {
  RuleText out;
  std::string rule;
  switch (p.RecurFrequency) {
    case kDaily:
      if (p.PatternType == kPatternWeek) {
        // "Every weekday" is stored as a daily frequency with a week pattern.
        if (day_count(p.DayMask & 0x7F) == 0) {
          out.why_not = "weekday pattern without days";
          return out;
        }
        rule = "FREQ=WEEKLY;BYDAY=" + by_day(p.DayMask & 0x7F);
        if (p.Period > 1) rule += ";INTERVAL=" + std::to_string(p.Period);
        break;
      }
      if (p.Period < 1440 || p.Period % 1440 != 0) {
        out.why_not = "daily period of " + std::to_string(p.Period) + " minutes is not whole days";
        return out;
      }
      rule = "FREQ=DAILY";
      if (p.Period > 1440) rule += ";INTERVAL=" + std::to_string(p.Period / 1440);
      break;
    case kWeekly:
      if (day_count(p.DayMask & 0x7F) == 0 || p.Period == 0) {
        out.why_not = "weekly pattern without days or period";
        return out;
      }
      rule = "FREQ=WEEKLY";
      if (p.Period > 1) rule += ";INTERVAL=" + std::to_string(p.Period);
      rule += ";BYDAY=" + by_day(p.DayMask & 0x7F);
      if (p.FirstDOW <= 6) rule += std::string(";WKST=") + kDayNames[p.FirstDOW];
      break;
    case kMonthly:
    case kYearly: {
      if (!gregorian_months(p.CalendarType)) {
        out.why_not = "calendar type " + std::to_string(p.CalendarType) + " has no iCalendar RRULE form";
        return out;
      }
      if (p.Period == 0) {
        out.why_not = "monthly pattern with period 0";
        return out;
      }
      const std::string days = month_day_part(p, out.why_not);
      if (days.empty()) return out;
      // Yearly series store their period in months (12); any period of whole years is yearly.
      if (p.Period % 12 == 0) {
        rule = "FREQ=YEARLY";
        if (p.Period > 12) rule += ";INTERVAL=" + std::to_string(p.Period / 12);
        const item::CivilTime start = item::civil_from_seconds(item::seconds_from_minutes_1601(p.StartDate));
        rule += ";BYMONTH=" + std::to_string(start.month);
      } else {
        rule = "FREQ=MONTHLY";
        if (p.Period > 1) rule += ";INTERVAL=" + std::to_string(p.Period);
      }
      rule += ";" + days;
      break;
    }
    default:
      out.why_not = "unknown frequency";
      return out;
  }
  if (p.EndType == kEndAfterNOccurrences) {
    if (p.OccurrenceCount == 0) {
      out.why_not = "series ends after 0 occurrences";
      return out;
    }
    rule += ";COUNT=" + std::to_string(p.OccurrenceCount);
  } else if (p.EndType == kEndAfterDate) {
    if (until.empty()) {
      out.why_not = "series end date could not be converted";
      return out;
    }
    rule += ";UNTIL=" + until;
  }
  out.rrule = rule;
  return out;
}

}  // namespace ostfs::render::recurrence
