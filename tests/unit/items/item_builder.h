// Builders for synthetic contacts, calendar items, tasks and notes: properties are
// encoded the way the reader stores them (UTF-16LE strings, little-endian numbers,
// FILETIMEs, named properties with their property set and LID).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "parser/model.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render::testing {

inline std::vector<uint8_t> le(uint64_t v, size_t size) {
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

inline std::vector<uint8_t> utf16(std::string_view utf8) {
  const std::string s = text::utf8_to_utf16le(utf8);
  return {s.begin(), s.end()};
}

inline uint64_t filetime_of(int64_t unix_seconds) {
  return static_cast<uint64_t>(unix_seconds + 11644473600LL) * 10000000ULL;
}

// Minutes since 1601 for a Unix time (the unit of recurrence blobs).
inline uint32_t minutes_1601(int64_t unix_seconds) {
  return static_cast<uint32_t>((unix_seconds + 11644473600LL) / 60);
}

// Appends little-endian integers and raw bytes: for recurrence and time zone blobs.
class Blob {
 public:
  Blob& u8(uint8_t v) { return raw(le(v, 1)); }
  Blob& u16(uint16_t v) { return raw(le(v, 2)); }
  Blob& u32(uint32_t v) { return raw(le(v, 4)); }
  Blob& raw(const std::vector<uint8_t>& v) {
    bytes.insert(bytes.end(), v.begin(), v.end());
    return *this;
  }
  std::vector<uint8_t> bytes;
};

class ItemBuilder {
 public:
  explicit ItemBuilder(std::string_view message_class, uint32_t nid = 0x200044) {
    message_.nid = nid;
    unicode(props::PidTagMessageClass, message_class);
  }

  ItemBuilder& unicode(uint16_t id, std::string_view v) { return add({id, props::type::Unicode, utf16(v), {}}); }
  ItemBuilder& int32(uint16_t id, int32_t v) { return add({id, props::type::Int32, le(uint32_t(v), 4), {}}); }
  ItemBuilder& boolean(uint16_t id, bool v) { return add({id, props::type::Boolean, {uint8_t(v)}, {}}); }
  ItemBuilder& time(uint16_t id, int64_t unix_seconds) {
    return add({id, props::type::SysTime, le(filetime_of(unix_seconds), 8), {}});
  }
  ItemBuilder& binary(uint16_t id, std::vector<uint8_t> v) { return add({id, props::type::Binary, std::move(v), {}}); }

  ItemBuilder& named_unicode(const props::Guid& g, uint32_t lid, std::string_view v) {
    return named(g, lid, props::type::Unicode, utf16(v));
  }
  ItemBuilder& named_int32(const props::Guid& g, uint32_t lid, int32_t v) {
    return named(g, lid, props::type::Int32, le(uint32_t(v), 4));
  }
  ItemBuilder& named_bool(const props::Guid& g, uint32_t lid, bool v) {
    return named(g, lid, props::type::Boolean, {uint8_t(v)});
  }
  ItemBuilder& named_time(const props::Guid& g, uint32_t lid, int64_t unix_seconds) {
    return named(g, lid, props::type::SysTime, le(filetime_of(unix_seconds), 8));
  }
  ItemBuilder& named_double(const props::Guid& g, uint32_t lid, double v) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return named(g, lid, props::type::Double, le(bits, 8));
  }
  ItemBuilder& named_binary(const props::Guid& g, uint32_t lid, std::vector<uint8_t> v) {
    return named(g, lid, props::type::Binary, std::move(v));
  }
  ItemBuilder& named(const props::Guid& g, uint32_t lid, uint16_t type, std::vector<uint8_t> v) {
    model::Property p{next_npid_++, type, std::move(v), model::NamedId{g, lid, {}}};
    return add(std::move(p));
  }
  // PidNameKeywords as PT_MV_UNICODE in the on-disk multi-valued layout.
  ItemBuilder& keywords(const std::vector<std::string>& values) {
    std::vector<std::vector<uint8_t>> encoded;
    for (const auto& v : values) encoded.push_back(utf16(v));
    model::Property p{next_npid_++, props::type::MvUnicode, mv_layout(encoded), {}};
    p.named = model::NamedId{props::PS_PUBLIC_STRINGS, std::nullopt, props::PidNameKeywords};
    return add(std::move(p));
  }
  static std::vector<uint8_t> mv_layout(const std::vector<std::vector<uint8_t>>& values) {
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

  ItemBuilder& recipient(model::Recipient r) {
    message_.recipients.push_back(std::move(r));
    return *this;
  }
  ItemBuilder& attachment(model::Attachment a) {
    message_.attachments.push_back(std::move(a));
    return *this;
  }
  ItemBuilder& add(model::Property p) {
    message_.props.props.push_back(std::move(p));
    return *this;
  }
  model::Message build() { return std::move(message_); }

 private:
  model::Message message_;
  uint16_t next_npid_ = 0x8000;
};

inline model::Recipient attendee(int32_t type, std::string_view name, std::string_view smtp, int32_t track_status,
                                 int32_t flags = 1) {
  model::Recipient r;
  auto add = [&](model::Property p) { r.props.props.push_back(std::move(p)); };
  add({props::PidTagRecipientType, props::type::Int32, le(uint32_t(type), 4), {}});
  add({props::PidTagDisplayName, props::type::Unicode, utf16(name), {}});
  add({props::PidTagAddressType, props::type::Unicode, utf16("SMTP"), {}});
  add({props::PidTagEmailAddress, props::type::Unicode, utf16(smtp), {}});
  add({props::PidTagRecipientTrackStatus, props::type::Int32, le(uint32_t(track_status), 4), {}});
  add({props::PidTagRecipientFlags, props::type::Int32, le(uint32_t(flags), 4), {}});
  return r;
}

inline model::Attachment file_attachment(std::string_view name, std::vector<uint8_t> data) {
  model::Attachment a;
  a.method = model::AttachMethod::ByValue;
  a.props.props.push_back({props::PidTagAttachLongFilename, props::type::Unicode, utf16(name), {}});
  a.data_size = data.size();
  a.data = std::move(data);
  a.data_loaded = true;
  return a;
}

// A TZDEFINITION ([MS-OXOCAL] 2.2.1.41) with one TZRULE per entry of `rules`:
// {year, bias, standard month/week/hour, daylight month/week/hour} (Sunday transitions,
// daylight bias -60). A month of 0 gives a rule without daylight saving time.
struct RuleSpec {
  uint16_t year;
  int32_t bias;
  uint16_t std_month, std_week, std_hour, dst_month, dst_week, dst_hour;
};
inline std::vector<uint8_t> tz_definition(std::string_view key, const std::vector<RuleSpec>& rules) {
  Blob b;
  const std::vector<uint8_t> name = utf16(key);
  b.u8(0x02).u8(0x01).u16(static_cast<uint16_t>(2 + 2 + name.size() + 2)).u16(0x0002);
  b.u16(static_cast<uint16_t>(name.size() / 2)).raw(name).u16(static_cast<uint16_t>(rules.size()));
  for (const RuleSpec& r : rules) {
    b.u8(0x02).u8(0x01).u16(0x003E).u16(0x0002).u16(r.year);
    for (int i = 0; i < 14; ++i) b.u8(0);
    b.u32(static_cast<uint32_t>(r.bias)).u32(0).u32(r.dst_month ? static_cast<uint32_t>(-60) : 0);
    b.u16(0).u16(r.std_month).u16(0).u16(r.std_week).u16(r.std_hour).u16(0).u16(0).u16(0);
    b.u16(0).u16(r.dst_month).u16(0).u16(r.dst_week).u16(r.dst_hour).u16(0).u16(0).u16(0);
  }
  return b.bytes;
}

// US Eastern time since 2007: UTC-5, DST from the 2nd Sunday of March to the 1st of November.
inline std::vector<uint8_t> eastern_definition() {
  return tz_definition("Eastern Standard Time", {{2007, 300, 11, 1, 2, 3, 2, 2}});
}

}  // namespace ostfs::render::testing
