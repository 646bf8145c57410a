#include "fs/render/recurrence.h"

#include "parser/text.h"

namespace ostfs::render::recurrence {
namespace {

// Limits above which a count is damage: Outlook caps a series' exceptions far below this.
constexpr uint32_t kMaxInstanceDates = 100000;

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  size_t pos() const { return pos_; }
  size_t left() const { return data_.size() - pos_; }

  uint16_t u16(const char* field) {
    need(2, field);
    const uint16_t v = static_cast<uint16_t>(data_[pos_] | data_[pos_ + 1] << 8);
    pos_ += 2;
    return v;
  }
  uint32_t u32(const char* field) {
    need(4, field);
    const uint32_t v = static_cast<uint32_t>(data_[pos_] | data_[pos_ + 1] << 8 | data_[pos_ + 2] << 16 |
                                             static_cast<uint32_t>(data_[pos_ + 3]) << 24);
    pos_ += 4;
    return v;
  }
  std::span<const uint8_t> bytes(size_t n, const char* field) {
    need(n, field);
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  void skip(size_t n, const char* field) { bytes(n, field); }

 private:
  void need(size_t n, const char* field) {
    if (left() < n)
      throw RecurrenceError(std::string("recurrence blob ends inside ") + field + " (offset " + std::to_string(pos_) +
                            ")");
  }
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

std::vector<uint32_t> read_dates(Reader& r, const char* count_field, const char* field) {
  const uint32_t count = r.u32(count_field);
  if (count > kMaxInstanceDates || count > r.left() / 4)
    throw RecurrenceError(std::string(count_field) + " " + std::to_string(count) + " exceeds the blob");
  std::vector<uint32_t> dates;
  dates.reserve(count);
  for (uint32_t i = 0; i < count; ++i) dates.push_back(r.u32(field));
  return dates;
}

// ExceptionInfo strings: a length, the same length again, then that many 8-bit characters.
std::string read_ansi_string(Reader& r, uint32_t codepage, const char* field) {
  const uint16_t length = r.u16(field);
  const uint16_t length2 = r.u16(field);
  if (length2 + 1 != length && length2 != length)
    throw RecurrenceError(std::string(field) + " lengths disagree (" + std::to_string(length) + ", " +
                          std::to_string(length2) + ")");
  return text::codepage_to_utf8(r.bytes(length2, field), codepage);
}

ExceptionInfo read_exception_info(Reader& r, uint32_t codepage) {
  ExceptionInfo e;
  e.StartDateTime = r.u32("ExceptionInfo.StartDateTime");
  e.EndDateTime = r.u32("ExceptionInfo.EndDateTime");
  e.OriginalStartDate = r.u32("ExceptionInfo.OriginalStartDate");
  e.OverrideFlags = r.u16("ExceptionInfo.OverrideFlags");
  if (e.OverrideFlags & ARO_SUBJECT) e.Subject = read_ansi_string(r, codepage, "ExceptionInfo.Subject");
  if (e.OverrideFlags & ARO_MEETINGTYPE) e.MeetingType = r.u32("ExceptionInfo.MeetingType");
  if (e.OverrideFlags & ARO_REMINDERDELTA) e.ReminderDelta = r.u32("ExceptionInfo.ReminderDelta");
  if (e.OverrideFlags & ARO_REMINDER) e.ReminderSet = r.u32("ExceptionInfo.ReminderSet");
  if (e.OverrideFlags & ARO_LOCATION) e.Location = read_ansi_string(r, codepage, "ExceptionInfo.Location");
  if (e.OverrideFlags & ARO_BUSYSTATUS) e.BusyStatus = r.u32("ExceptionInfo.BusyStatus");
  if (e.OverrideFlags & ARO_ATTACHMENT) e.Attachment = r.u32("ExceptionInfo.Attachment");
  if (e.OverrideFlags & ARO_SUBTYPE) e.SubType = r.u32("ExceptionInfo.SubType");
  if (e.OverrideFlags & ARO_APPTCOLOR) e.AppointmentColor = r.u32("ExceptionInfo.AppointmentColor");
  return e;
}

std::string read_wide_string(Reader& r, const char* field) {
  const uint16_t chars = r.u16(field);
  return text::utf16le_to_utf8(r.bytes(size_t{chars} * 2, field));
}

void read_extended_exception(Reader& r, uint32_t writer_version2, ExceptionInfo& e) {
  // ChangeHighlight exists from WriterVersion2 0x3009 on.
  if (writer_version2 >= 0x3009) {
    const uint32_t size = r.u32("ExtendedException.ChangeHighlightSize");
    r.skip(size, "ExtendedException.ChangeHighlight");
  }
  r.skip(r.u32("ExtendedException.ReservedBlockEE1Size"), "ExtendedException.ReservedBlockEE1");
  if (!(e.OverrideFlags & (ARO_SUBJECT | ARO_LOCATION))) return;
  r.skip(12, "ExtendedException.StartDateTime/EndDateTime/OriginalStartDate");
  if (e.OverrideFlags & ARO_SUBJECT) e.Subject = read_wide_string(r, "ExtendedException.WideCharSubject");
  if (e.OverrideFlags & ARO_LOCATION) e.Location = read_wide_string(r, "ExtendedException.WideCharLocation");
  r.skip(r.u32("ExtendedException.ReservedBlockEE2Size"), "ExtendedException.ReservedBlockEE2");
}

}  // namespace

RecurrencePattern parse_recurrence_pattern(std::span<const uint8_t> blob, size_t* consumed) {
  Reader r(blob);
  RecurrencePattern p;
  p.ReaderVersion = r.u16("ReaderVersion");
  p.WriterVersion = r.u16("WriterVersion");
  if (p.ReaderVersion != 0x3004 || p.WriterVersion != 0x3004)
    throw RecurrenceError("unknown RecurrencePattern version " + std::to_string(p.ReaderVersion) + "/" +
                          std::to_string(p.WriterVersion));
  p.RecurFrequency = r.u16("RecurFrequency");
  if (p.RecurFrequency < kDaily || p.RecurFrequency > kYearly)
    throw RecurrenceError("unknown RecurFrequency " + std::to_string(p.RecurFrequency));
  p.PatternType = r.u16("PatternType");
  p.CalendarType = r.u16("CalendarType");
  p.FirstDateTime = r.u32("FirstDateTime");
  p.Period = r.u32("Period");
  p.SlidingFlag = r.u32("SlidingFlag");
  switch (p.PatternType) {
    case kPatternDay:
      break;
    case kPatternWeek:
      p.DayMask = r.u32("PatternTypeSpecific.WeekRecurrencePattern");
      break;
    case kPatternMonth:
    case kPatternMonthEnd:
    case kPatternHjMonth:
    case kPatternHjMonthEnd:
      p.DayOfMonth = r.u32("PatternTypeSpecific.Day");
      break;
    case kPatternMonthNth:
    case kPatternHjMonthNth:
      p.DayMask = r.u32("PatternTypeSpecific.MonthNthRecurrencePattern.WeekRecurrencePattern");
      p.N = r.u32("PatternTypeSpecific.MonthNthRecurrencePattern.N");
      break;
    default:
      throw RecurrenceError("unknown PatternType " + std::to_string(p.PatternType));
  }
  p.EndType = r.u32("EndType");
  p.OccurrenceCount = r.u32("OccurrenceCount");
  p.FirstDOW = r.u32("FirstDOW");
  p.DeletedInstanceDates = read_dates(r, "DeletedInstanceCount", "DeletedInstanceDates");
  p.ModifiedInstanceDates = read_dates(r, "ModifiedInstanceCount", "ModifiedInstanceDates");
  p.StartDate = r.u32("StartDate");
  p.EndDate = r.u32("EndDate");
  if (consumed) *consumed = r.pos();
  return p;
}

AppointmentRecurrencePattern parse_appointment_recurrence(std::span<const uint8_t> blob, uint32_t codepage) {
  AppointmentRecurrencePattern a;
  size_t used = 0;
  a.RecurrencePattern = parse_recurrence_pattern(blob, &used);
  Reader r(blob.subspan(used));
  a.ReaderVersion2 = r.u32("ReaderVersion2");
  a.WriterVersion2 = r.u32("WriterVersion2");
  a.StartTimeOffset = r.u32("StartTimeOffset");
  a.EndTimeOffset = r.u32("EndTimeOffset");
  const uint16_t count = r.u16("ExceptionCount");
  try {
    for (uint16_t i = 0; i < count; ++i) a.ExceptionInfo.push_back(read_exception_info(r, codepage));
    r.skip(r.u32("ReservedBlock1Size"), "ReservedBlock1");
    // Writers before Outlook 2003 (WriterVersion2 below 0x3009) may stop here; later ones
    // always write the ExtendedException list and ReservedBlock2Size.
    if (a.WriterVersion2 >= 0x3009 || r.left() > 4) {
      for (auto& e : a.ExceptionInfo) read_extended_exception(r, a.WriterVersion2, e);
      r.skip(r.u32("ReservedBlock2Size"), "ReservedBlock2");
    }
  } catch (const RecurrenceError& e) {
    a.exceptions_error = e.what();
  }
  return a;
}

}  // namespace ostfs::render::recurrence
