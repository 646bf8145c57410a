#include "fs/render/entry_id.h"

#include <algorithm>
#include <array>
#include <vector>

#include "parser/text.h"

namespace ostfs::render::entry_id {
namespace {

// Provider UIDs ([MS-OXCDATA] 2.2.5.1, 2.2.5.2; [MS-OXOCNTC] 2.2.2.2.1), in stored byte order.
constexpr std::array<uint8_t, 16> kOneOffProvider = {0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                                     0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02};
constexpr std::array<uint8_t, 16> kWrappedProvider = {0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11,
                                                      0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4};
constexpr std::array<uint8_t, 16> kAddressBookProvider = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                                          0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
// One-off flag: strings are UTF-16LE rather than 8-bit.
constexpr uint16_t kOneOffUnicode = 0x8000;

bool has_provider(std::span<const uint8_t> id, const std::array<uint8_t, 16>& provider) {
  return id.size() >= 20 && std::equal(provider.begin(), provider.end(), id.begin() + 4);
}

// Reads a NUL-terminated string at `pos`, advancing it past the terminator.
std::optional<std::string> read_string(std::span<const uint8_t> data, size_t& pos, bool unicode) {
  if (unicode) {
    for (size_t i = pos; i + 1 < data.size(); i += 2) {
      if (data[i] == 0 && data[i + 1] == 0) {
        std::string s = text::utf16le_to_utf8(data.subspan(pos, i - pos));
        pos = i + 2;
        return s;
      }
    }
    return std::nullopt;
  }
  for (size_t i = pos; i < data.size(); ++i) {
    if (data[i] == 0) {
      // 8-bit one-off strings are in the writer's ANSI code page; 1252 is the common case.
      std::string s = text::codepage_to_utf8(data.subspan(pos, i - pos), 1252);
      pos = i + 1;
      return s;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<OneOff> parse_one_off(std::span<const uint8_t> id) {
  if (!has_provider(id, kOneOffProvider) || id.size() < 24) return std::nullopt;
  const uint16_t flags = static_cast<uint16_t>(id[22] | id[23] << 8);
  const bool unicode = (flags & kOneOffUnicode) != 0;
  size_t pos = 24;
  OneOff out;
  auto name = read_string(id, pos, unicode);
  auto type = name ? read_string(id, pos, unicode) : std::nullopt;
  auto address = type ? read_string(id, pos, unicode) : std::nullopt;
  if (!address) return std::nullopt;
  out.display_name = std::move(*name);
  out.address_type = std::move(*type);
  out.address = std::move(*address);
  return out;
}

std::optional<Wrapped> parse_wrapped(std::span<const uint8_t> id) {
  if (!has_provider(id, kWrappedProvider) || id.size() < 21) return std::nullopt;
  return Wrapped{id[20], id.subspan(21)};
}

std::optional<std::string> address_book_dn(std::span<const uint8_t> id) {
  // Flags(4), provider(16), Version(4), Type(4), X500DN (NUL-terminated).
  if (!has_provider(id, kAddressBookProvider) || id.size() < 29) return std::nullopt;
  size_t pos = 28;
  return read_string(id, pos, false);
}

std::optional<std::vector<StreamMember>> parse_distribution_list_stream(std::span<const uint8_t> stream,
                                                                        std::string* why) {
  auto fail = [&](const std::string& what) -> std::optional<std::vector<StreamMember>> {
    if (why) *why = what;
    return std::nullopt;
  };
  auto u32_at = [&](size_t at) {
    return static_cast<uint32_t>(stream[at] | stream[at + 1] << 8 | stream[at + 2] << 16 |
                                 static_cast<uint32_t>(stream[at + 3]) << 24);
  };
  // StreamVersion(2), Reserved(2), BuildVersion(4), DistListStreamFlags(4), CountOfEntries(4),
  // TotalEntryIDSize(4), TotalOneOffSize(4), TotalExtraSize(4).
  constexpr size_t kHeaderSize = 28;
  if (stream.size() < kHeaderSize) return fail("PidLidDistributionListStream ends inside its header");
  const uint16_t version = static_cast<uint16_t>(stream[0] | stream[1] << 8);
  if (version != 0x0001) return fail("PidLidDistributionListStream has StreamVersion " + std::to_string(version));
  const uint32_t count = u32_at(12);
  // Each DistListMemberInfo takes at least its three 4-byte sizes.
  if (count > (stream.size() - kHeaderSize) / 12)
    return fail("PidLidDistributionListStream CountOfEntries " + std::to_string(count) + " exceeds the stream");
  std::vector<StreamMember> members;
  members.reserve(count);
  size_t at = kHeaderSize;
  // Reads one size-prefixed field of member `n`: EntryIdData, one-offEntryIdData or
  // ExtraMemberInfoData. Returns what is wrong, or an empty string.
  auto sized = [&](const char* size_field, uint32_t n, std::span<const uint8_t>& out) -> std::string {
    const std::string where = std::string("PidLidDistributionListStream member ") + std::to_string(n) + " ";
    if (stream.size() - at < 4) return where + "ends before its " + size_field;
    const uint32_t size = u32_at(at);
    at += 4;
    if (size > stream.size() - at) return where + size_field + " " + std::to_string(size) + " exceeds the stream";
    out = stream.subspan(at, size);
    at += size;
    return "";
  };
  for (uint32_t i = 0; i < count; ++i) {
    StreamMember m;
    std::span<const uint8_t> extra;
    for (auto [field, out] : {std::pair<const char*, std::span<const uint8_t>*>{"EntryIdSize", &m.entry_id},
                              {"one-offEntryIdSize", &m.one_off},
                              {"ExtraMemberInfoSize", &extra}}) {
      if (std::string error = sized(field, i + 1, *out); !error.empty()) return fail(error);
    }
    members.push_back(m);
  }
  return members;
}

std::optional<uint32_t> message_nid(std::span<const uint8_t> id) {
  if (id.size() != 24) return std::nullopt;
  return static_cast<uint32_t>(id[20] | id[21] << 8 | id[22] << 16 | static_cast<uint32_t>(id[23]) << 24);
}

}  // namespace ostfs::render::entry_id
