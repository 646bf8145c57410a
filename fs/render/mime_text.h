// Text rules shared by the .eml builder: cleaning of header values, line ends, and the
// choice of content transfer encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ostfs::render {

// Longest header value we write. Longer values only come from damaged properties, and
// some mail readers refuse header fields of hundreds of kilobytes.
inline constexpr size_t kMaxHeaderValue = 32 * 1024;

// `utf8` made safe as one header value: C0 controls (CR, LF, NUL, TAB...), DEL, U+0085,
// U+2028 and U+2029 become spaces, so no property can start a new header line; invalid
// UTF-8 becomes U+FFFD; leading and trailing spaces are trimmed; the result is cut to
// kMaxHeaderValue bytes without splitting a character.
std::string clean_header_value(std::string_view utf8);

// `text` with CRLF and lone CR turned into LF: our .eml files use LF throughout.
std::string normalize_newlines(std::string_view text);

enum class TextEncoding { EightBit, QuotedPrintable };

// 8bit, unless a line is longer than 998 octets or the text holds NUL, which 8bit does not
// allow ([RFC 2045] 2.8); then quoted-printable.
TextEncoding text_encoding(std::string_view text);

// True when every byte is ASCII, no line exceeds 998 octets and there is no NUL or CR:
// what [RFC 2045] 2.7 calls 7bit data.
bool is_7bit(std::string_view text);

// True when no line exceeds 998 octets and there is no NUL ([RFC 2045] 2.8).
bool is_8bit(std::string_view text);

// `text` (LF line ends) as quoted-printable ([RFC 2045] 6.7) with LF line ends. Encoded
// lines stay within 76 characters; a soft line break goes after the last space or tab
// that fits, so that ASCII words stay whole and `grep` finds them in the .eml. Only a run
// of more than 75 characters without white space is cut elsewhere (never inside an =XX).
std::string quoted_printable(std::string_view text);

// The number of characters GMime's base64 encoder writes for `n` input bytes: 4 for each
// started group of 3 bytes, plus one LF after each line of 76 characters (57 bytes) and
// after the last, partial line.
uint64_t base64_encoded_size(uint64_t n);

// Lines of base64 as GMime's encoder writes them: each line encodes 57 input bytes as 76
// characters and ends in LF, the last line encodes the rest (padded with '='). A line is
// kBase64LineSize characters with its LF except the last. base64_line() writes line
// `line` of the encoding of `data` to `out` (room for kBase64LineSize) and returns its
// length; the same bytes GMime writes, faster (an attachment's encoding was a tenth of a
// full read through the mount).
inline constexpr size_t kBase64LineSize = 77;
// Full lines are encoded with AVX2 where the CPU has it.
size_t base64_line(std::span<const uint8_t> data, uint64_t line, char* out);

namespace detail {
// base64_line without vector instructions: what tests compare the fast path with.
size_t base64_line_bytewise(std::span<const uint8_t> data, uint64_t line, char* out);
}  // namespace detail

}  // namespace ostfs::render
