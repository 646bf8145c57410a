// Real property values from rjohnsondev__java-libpst__dist-list.pst's recurring
// appointment "Test appointment" (weekly on Tuesdays 8:00-8:30 Pacific, from 2016-08-02,
// no end; 2016-08-09 deleted; 2016-08-23 moved to 9:00 and 2016-08-30 moved to 10:00).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ostfs::render::testing {

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c & ~0x20) - 'A' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  return out;
}

// PidLidAppointmentRecur.
inline std::vector<uint8_t> dist_list_recur() {
  return from_hex(
      "043004300B2001000000C0210000010000000000000004000000232000000A0000000000000003000000805C070D40AB"
      "070DA0D2070D0200000040AB070DA0D2070D2035070DDF80E95A0630000009300000E0010000FE01000002005CAD070D"
      "7AAD070D20AD070D0002F8D4070D16D5070D80D4070D0002000000000400000000000000000000000400000000000000"
      "0000000000000000");
}

// PidLidTimeZoneStruct.
inline std::vector<uint8_t> dist_list_time_zone_struct() {
  return from_hex("E001000000000000C4FFFFFF000000000B00000001000200000000000000000000000300000002000200000000000000");
}

// PidLidAppointmentTimeZoneDefinitionEndDisplay: Pacific Standard Time, rules for 2006 and 2007.
inline std::vector<uint8_t> dist_list_tz_definition() {
  return from_hex(
      "0201300002001500500061006300690066006900630020005300740061006E0064006100720064002000540069006D00"
      "6500020002013E000000D6070100000001000000000000000000E001000000000000C4FFFFFF00000A00000005000200"
      "0000000000000000040000000100020000000000000002013E000200D7070100000001000000000000000000E0010000"
      "00000000C4FFFFFF00000B0000000100020000000000000000000300000002000200000000000000");
}

}  // namespace ostfs::render::testing
