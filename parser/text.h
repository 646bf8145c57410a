// Text conversion done by our own code rather than libpff's (which mangles characters
// outside the BMP; see ../shared/docs/libpff-limits.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ostfs::text {

// Decodes UTF-16LE bytes to UTF-8. Surrogate pairs become one code point; an unpaired
// surrogate becomes U+FFFD so the damage stays visible. A trailing odd byte is dropped.
// Trailing NUL characters (some writers store them) are removed.
std::string utf16le_to_utf8(std::span<const uint8_t> bytes);

// Encodes UTF-8 as UTF-16LE bytes (invalid sequences become U+FFFD).
std::string utf8_to_utf16le(std::string_view utf8);

// Converts 8-bit text in Windows code page `codepage` (e.g. 1252, 932, 65001) to UTF-8.
// Bytes that cannot be converted become U+FFFD. Trailing NULs are removed.
std::string codepage_to_utf8(std::span<const uint8_t> bytes, uint32_t codepage);

// Appends code point `cp` (at most U+10FFFF, not a surrogate) to `out` as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// Returns `s` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string sanitize_utf8(std::string_view s);

}  // namespace ostfs::text
