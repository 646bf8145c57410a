// The recurrence blobs of calendar items and tasks: RecurrencePattern and
// AppointmentRecurrencePattern ([MS-OXOCAL] 2.2.1.44), decoded field by field with the
// spec's names. Times inside are minutes since 1601-01-01 on the series' wall clock.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ostfs::render::recurrence {

struct RecurrenceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// RecurFrequency values.
inline constexpr uint16_t kDaily = 0x200A;
inline constexpr uint16_t kWeekly = 0x200B;
inline constexpr uint16_t kMonthly = 0x200C;
inline constexpr uint16_t kYearly = 0x200D;
// PatternType values.
inline constexpr uint16_t kPatternDay = 0x0000;
inline constexpr uint16_t kPatternWeek = 0x0001;
inline constexpr uint16_t kPatternMonth = 0x0002;
inline constexpr uint16_t kPatternMonthNth = 0x0003;
inline constexpr uint16_t kPatternMonthEnd = 0x0004;
inline constexpr uint16_t kPatternHjMonth = 0x000A;
inline constexpr uint16_t kPatternHjMonthNth = 0x000B;
inline constexpr uint16_t kPatternHjMonthEnd = 0x000C;
// EndType values (0xFFFFFFFF also means "never").
inline constexpr uint32_t kEndAfterDate = 0x2021;
inline constexpr uint32_t kEndAfterNOccurrences = 0x2022;
inline constexpr uint32_t kNeverEnd = 0x2023;
// ExceptionInfo OverrideFlags.
inline constexpr uint16_t ARO_SUBJECT = 0x0001;
inline constexpr uint16_t ARO_MEETINGTYPE = 0x0002;
inline constexpr uint16_t ARO_REMINDERDELTA = 0x0004;
inline constexpr uint16_t ARO_REMINDER = 0x0008;
inline constexpr uint16_t ARO_LOCATION = 0x0010;
inline constexpr uint16_t ARO_BUSYSTATUS = 0x0020;
inline constexpr uint16_t ARO_ATTACHMENT = 0x0040;
inline constexpr uint16_t ARO_SUBTYPE = 0x0080;
inline constexpr uint16_t ARO_APPTCOLOR = 0x0100;
inline constexpr uint16_t ARO_EXCEPTIONAL_BODY = 0x0200;

// [MS-OXOCAL] 2.2.1.44.1.
struct RecurrencePattern {
  uint16_t ReaderVersion = 0, WriterVersion = 0;
  uint16_t RecurFrequency = 0, PatternType = 0, CalendarType = 0;
  uint32_t FirstDateTime = 0, Period = 0, SlidingFlag = 0;
  // PatternTypeSpecific: the day mask (Week, MonthNth: bit 0 Sunday .. bit 6 Saturday)
  // or day of month (Month, MonthEnd, HjMonth*), and N (MonthNth: 1..4, 5 = last).
  uint32_t DayMask = 0, DayOfMonth = 0, N = 0;
  uint32_t EndType = 0, OccurrenceCount = 0, FirstDOW = 0;
  std::vector<uint32_t> DeletedInstanceDates, ModifiedInstanceDates;
  uint32_t StartDate = 0, EndDate = 0;

  bool never_ends() const { return EndType != kEndAfterDate && EndType != kEndAfterNOccurrences; }
};

// [MS-OXOCAL] 2.2.1.44.3 with the wide strings of its ExtendedException (2.2.1.44.4),
// which replace the 8-bit ones when present.
struct ExceptionInfo {
  uint32_t StartDateTime = 0, EndDateTime = 0, OriginalStartDate = 0;
  uint16_t OverrideFlags = 0;
  std::optional<std::string> Subject, Location;  // UTF-8
  std::optional<uint32_t> MeetingType, ReminderDelta, ReminderSet, BusyStatus, Attachment, SubType, AppointmentColor;
};

// [MS-OXOCAL] 2.2.1.44.2.
struct AppointmentRecurrencePattern {
  recurrence::RecurrencePattern RecurrencePattern;
  uint32_t ReaderVersion2 = 0, WriterVersion2 = 0;
  uint32_t StartTimeOffset = 0, EndTimeOffset = 0;  // minutes after midnight of each instance
  std::vector<recurrence::ExceptionInfo> ExceptionInfo;
  // Set when the blob ends or breaks inside the exceptions: the pattern is still usable,
  // exceptions after the break are missing.
  std::optional<std::string> exceptions_error;
};

// Decodes a RecurrencePattern (the whole of PidLidTaskRecurrence, the start of
// PidLidAppointmentRecur). `consumed` receives its size. Throws RecurrenceError naming the
// field when the blob is truncated or has an unknown version, frequency or pattern type.
RecurrencePattern parse_recurrence_pattern(std::span<const uint8_t> blob, size_t* consumed = nullptr);

// Decodes PidLidAppointmentRecur. 8-bit exception strings are decoded with `codepage`.
// Throws RecurrenceError when the RecurrencePattern or the fields up to ExceptionCount
// cannot be read; damage after that is reported in exceptions_error.
AppointmentRecurrencePattern parse_appointment_recurrence(std::span<const uint8_t> blob, uint32_t codepage);

}  // namespace ostfs::render::recurrence
