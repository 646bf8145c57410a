// Property reads shared by the readable summaries of meeting messages and reports:
// named properties by LID, times, and times written for people.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parser/model.h"
#include "parser/props.h"

namespace ostfs::render {

// A string property (by tag, or named by GUID and LID), cleaned for one line of text
// (clean_header_value); nullopt when missing, of another type, or empty once cleaned.
std::optional<std::string> line_text(const model::Message& message, uint16_t id);
std::optional<std::string> line_text(const model::Message& message, const model::PropertyBag& props,
                                     uint16_t id);
std::optional<std::string> named_line_text(const model::Message& message, const props::Guid& guid,
                                           uint32_t lid);

// A PT_SYSTIME property as Unix seconds; nullopt when missing, of another type, or
// outside the years 1601..4500 (Outlook writes 4501-01-01 for "none").
std::optional<int64_t> time_of(const model::PropertyBag& props, uint16_t id);
std::optional<int64_t> named_time(const model::Message& message, const props::Guid& guid, uint32_t lid);

// A PT_BOOLEAN named property; nullopt when missing or of another type.
std::optional<bool> named_bool(const model::Message& message, const props::Guid& guid, uint32_t lid);

// True when message class `cls` is `base` or derived from it ("base.more"), compared
// case-insensitively as [MS-OXCMSG] 2.2.1.3 says.
bool derives_from_class(std::string_view cls, std::string_view base);

// "Mon 2011-09-19 22:10 UTC": the same text in every locale.
std::string readable_time(int64_t unix_seconds);

// A time span for people: "Mon 2011-09-19 22:10 to 22:40 UTC" when both ends fall on the
// same day, else both ends in full.
std::string readable_span(int64_t start, int64_t end);

}  // namespace ostfs::render
