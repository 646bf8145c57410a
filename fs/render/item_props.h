// Typed reads of the properties that contacts, calendar items, tasks and notes keep,
// named ones included, for the .vcf/.ics/.txt renderers. Every read returns nullopt (or
// an empty value) when the property is missing or has an unexpected type: the renderers
// then leave the field out instead of failing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parser/model.h"
#include "parser/props.h"

namespace ostfs::render::item {

// Decoders for one property value (nullptr gives nullopt).
std::optional<std::string> string_of(const model::Property* p, uint32_t codepage);
std::optional<int32_t> int32_of(const model::Property* p);
std::optional<bool> bool_of(const model::Property* p);
std::optional<uint64_t> filetime_of(const model::Property* p);
std::optional<double> double_of(const model::Property* p);
const std::vector<uint8_t>* binary_of(const model::Property* p);

// A string property of `message` by tag, trimmed of surrounding white space; nullopt when
// missing or empty after trimming (Outlook stores many empty strings).
std::optional<std::string> text(const model::Message& message, uint16_t id);
// The same for a named property with a numeric LID.
std::optional<std::string> named_text(const model::Message& message, const props::Guid& guid, uint32_t lid);
std::optional<int32_t> named_int32(const model::Message& message, const props::Guid& guid, uint32_t lid);
std::optional<bool> named_bool(const model::Message& message, const props::Guid& guid, uint32_t lid);
std::optional<double> named_double(const model::Message& message, const props::Guid& guid, uint32_t lid);
const std::vector<uint8_t>* named_binary(const model::Message& message, const props::Guid& guid, uint32_t lid);
// A PT_SYSTIME as Unix seconds; nullopt when missing, zero, or Outlook's "none" value
// (4501-01-01, FILETIME 0x0CB34557A3DD4000) or later.
std::optional<int64_t> named_time(const model::Message& message, const props::Guid& guid, uint32_t lid);
std::optional<int64_t> time(const model::Message& message, uint16_t id);

// The categories (PidNameKeywords, multi-valued), empty strings left out.
std::vector<std::string> categories(const model::Message& message);

// The message's plain-text body as UTF-8 with LF line ends (PR_BODY, else the text of
// the RTF or HTML body), without trailing blank lines; empty when there is none.
std::string plain_body(const model::Message& message);

// The strings of a PT_MV_BINARY property in the multi-valued on-disk layout
// ([MS-PST] 2.3.3.4.2): count, offsets, values. Malformed layouts give an empty list.
std::vector<std::vector<uint8_t>> multi_binary(const model::Property& property);

// Upper-case hexadecimal of `bytes`.
std::string hex(std::span<const uint8_t> bytes);
// Standard base64 ([RFC 4648] 4) without line breaks.
std::string base64(std::span<const uint8_t> bytes);
// 64-bit FNV-1a: a short stable digest for identifiers derived from long keys.
uint64_t fnv1a64(std::span<const uint8_t> bytes);

// The last-modification time (else creation, else submit or delivery time) as Unix
// seconds; nullopt when the item has none.
std::optional<int64_t> stamp_time(const model::Message& message);

// A stable identifier for items that carry no UID of their own: the 16-byte
// PidTagSearchKey as a UUID when present, else a digest of the search key or record key
// plus the node id.
std::string stable_uid(const model::Message& message);

// Returns `s` with CRLF and lone CR turned into LF.
std::string to_lf(std::string_view s);

// Image type of `data` by its magic bytes: "JPEG", "PNG", "GIF", "BMP", or "" when unknown.
std::string image_type(std::span<const uint8_t> data);

}  // namespace ostfs::render::item
