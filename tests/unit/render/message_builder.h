// Builders for synthetic messages in the renderer tests: properties are encoded the way
// the reader stores them (UTF-16LE strings, little-endian numbers, raw MV layouts).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parser/model.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render::testing {

inline std::vector<uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

inline std::vector<uint8_t> le(uint64_t v, size_t size) {
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

inline model::Property unicode(uint16_t id, std::string_view utf8) {
  return {id, props::type::Unicode, bytes_of(text::utf8_to_utf16le(utf8)), std::nullopt};
}

inline model::Property string8(uint16_t id, std::string_view raw) {
  return {id, props::type::String8, bytes_of(raw), std::nullopt};
}

inline model::Property int32(uint16_t id, int32_t v) {
  return {id, props::type::Int32, le(static_cast<uint32_t>(v), 4), std::nullopt};
}

inline model::Property binary(uint16_t id, std::vector<uint8_t> value) {
  return {id, props::type::Binary, std::move(value), std::nullopt};
}

inline uint64_t filetime_of(int64_t unix_seconds) {
  return static_cast<uint64_t>(unix_seconds + 11644473600LL) * 10000000ULL;
}

inline model::Property systime(uint16_t id, int64_t unix_seconds) {
  return {id, props::type::SysTime, le(filetime_of(unix_seconds), 8), std::nullopt};
}

// The on-disk layout of a multi-valued variable-size property: count, offsets, values.
inline std::vector<uint8_t> mv_layout(const std::vector<std::string>& values) {
  std::vector<uint8_t> out = le(values.size(), 4);
  uint64_t offset = 4 + 4 * values.size();
  for (const auto& v : values) {
    auto o = le(offset, 4);
    out.insert(out.end(), o.begin(), o.end());
    offset += v.size();
  }
  for (const auto& v : values) out.insert(out.end(), v.begin(), v.end());
  return out;
}

inline model::Property keywords(const std::vector<std::string>& utf8_values) {
  std::vector<std::string> utf16;
  for (const auto& v : utf8_values) utf16.push_back(text::utf8_to_utf16le(v));
  model::Property p{0x8010, props::type::MvUnicode, mv_layout(utf16), std::nullopt};
  model::NamedId name;
  name.guid = props::PS_PUBLIC_STRINGS;
  name.name = props::PidNameKeywords;
  p.named = name;
  return p;
}

// A property named by GUID and LID, stored under an arbitrary NPID as the reader does.
inline model::Property named(model::Property p, const props::Guid& guid, uint32_t lid) {
  model::NamedId name;
  name.guid = guid;
  name.lid = lid;
  p.id = static_cast<uint16_t>(0x8000 + (lid & 0x0FFF));
  p.named = name;
  return p;
}

inline model::Property boolean(uint16_t id, bool v) {
  return {id, props::type::Boolean, {static_cast<uint8_t>(v ? 1 : 0)}, std::nullopt};
}

inline model::Recipient recipient(int32_t type, std::string_view name, std::string_view address,
                                  std::string_view address_type = "SMTP",
                                  std::string_view smtp = "") {
  model::Recipient r;
  r.props.props.push_back(int32(props::PidTagRecipientType, type));
  if (!name.empty()) r.props.props.push_back(unicode(props::PidTagDisplayName, name));
  if (!address.empty()) r.props.props.push_back(unicode(props::PidTagEmailAddress, address));
  if (!address_type.empty())
    r.props.props.push_back(unicode(props::PidTagAddressType, address_type));
  if (!smtp.empty()) r.props.props.push_back(unicode(props::PidTagSmtpAddress, smtp));
  return r;
}

inline model::Attachment file(std::string_view name, std::vector<uint8_t> data,
                              std::string_view mime_tag = "", std::string_view content_id = "") {
  model::Attachment a;
  a.method = model::AttachMethod::ByValue;
  a.props.props.push_back(int32(props::PidTagAttachMethod, 1));
  if (!name.empty()) a.props.props.push_back(unicode(props::PidTagAttachLongFilename, name));
  if (!mime_tag.empty()) a.props.props.push_back(unicode(props::PidTagAttachMimeTag, mime_tag));
  if (!content_id.empty())
    a.props.props.push_back(unicode(props::PidTagAttachContentId, content_id));
  a.data_size = data.size();
  a.data = std::move(data);
  a.data_loaded = true;
  return a;
}

// An attachment holding `message` as an embedded message (a forwarded one).
inline model::Attachment embedded_message(model::Message message) {
  model::Attachment a;
  a.method = model::AttachMethod::EmbeddedMessage;
  a.props.props.push_back(int32(props::PidTagAttachMethod, 5));
  a.embedded = std::make_unique<model::Message>(std::move(message));
  a.data_loaded = true;
  return a;
}

// Bytes 0..255 repeated, so every byte value and misplaced byte shows.
inline std::vector<uint8_t> pattern(size_t n, uint8_t seed = 0) {
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i * 7 + seed + (i >> 8));
  return out;
}

// A plain message from alice to bob with a subject, a date and a plain-text body.
inline model::Message simple_message(uint32_t nid = 0x200024) {
  model::Message m;
  m.nid = nid;
  m.props.props.push_back(unicode(props::PidTagMessageClass, "IPM.Note"));
  m.props.props.push_back(unicode(props::PidTagSubject, "Quarterly numbers"));
  m.props.props.push_back(unicode(props::PidTagSenderName, "Alice Example"));
  m.props.props.push_back(unicode(props::PidTagSenderAddressType, "SMTP"));
  m.props.props.push_back(unicode(props::PidTagSenderEmailAddress, "alice@example.com"));
  m.props.props.push_back(systime(props::PidTagClientSubmitTime, 1700000000));
  m.props.props.push_back(
      unicode(props::PidTagBody, "Hello Bob,\r\nthe numbers are attached.\r\n"));
  m.props.props.push_back(unicode(props::PidTagInternetMessageId, "<q3@example.com>"));
  m.recipients.push_back(recipient(props::RecipientTo, "Bob Example", "bob@example.com"));
  return m;
}

// A PR_RTF_COMPRESSED value in the uncompressed ("MELA") form of [MS-OXRTFCP] 2.1.3.1.
inline std::vector<uint8_t> mela(std::string_view rtf) {
  std::vector<uint8_t> out = le(rtf.size() + 12, 4);  // COMPSIZE
  auto append = [&](const std::vector<uint8_t>& v) { out.insert(out.end(), v.begin(), v.end()); };
  append(le(rtf.size(), 4));  // RAWSIZE
  append(le(0x414C454D, 4));  // COMPTYPE "MELA"
  append(le(0, 4));           // CRC, zero for MELA
  out.insert(out.end(), rtf.begin(), rtf.end());
  return out;
}

}  // namespace ostfs::render::testing
