// RTF bodies: decompression of PR_RTF_COMPRESSED ([MS-OXRTFCP]) and de-encapsulation of
// HTML and plain text from RTF ([MS-OXRTFEX]).
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ostfs::rtf {

struct RtfError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Decompresses a PR_RTF_COMPRESSED stream (LZFu "compressed" or MELA "uncompressed").
// Throws RtfError when the header is malformed, the stream is truncated or the CRC
// does not match.
std::string decompress(std::span<const uint8_t> compressed);

enum class BodyKind { Html, Text, Rtf };

struct Deencapsulated {
  BodyKind kind = BodyKind::Rtf;
  // UTF-8. For Html: the original HTML; for Text: the original plain text;
  // for Rtf: a readable plain-text rendering of the RTF. Line breaks that come from
  // \par or \line are CRLF, as [MS-OXRTFEX] specifies.
  std::string content;
};

// De-encapsulates per [MS-OXRTFEX]: `\fromhtml1` gives back the HTML, `\fromtext` the plain
// text; any other RTF is converted to plain text. Text is decoded with the RTF's
// \ansicpg (else `default_codepage`) and \uN escapes. Never throws on odd RTF: it
// converts what it can.
Deencapsulated deencapsulate(std::string_view rtf, uint32_t default_codepage = 1252);

}  // namespace ostfs::rtf
