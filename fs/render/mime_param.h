// MIME header parameters (name="report.pdf") written by our own encoder.
//
// GMime 3.2 cuts long RFC 2231 values into continuations at a fixed byte count, which can
// fall inside a UTF-8 character ("%E3;" ends one piece, "%83%A1" starts the next). Each
// piece then holds bytes that are not UTF-8 on their own, and readers that decode piece by
// piece (Python's email flags UndecodableBytesDefect) show garbage. We cut only between
// characters.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ostfs::render {

// Longest header line we write, without its line end ([RFC 5322] 2.1.1 recommends 78).
inline constexpr size_t kHeaderLineLimit = 78;

// `value` (UTF-8; invalid sequences become U+FFFD) as parameter text, in the first form
// that fits:
//   name=value                    value is a non-empty [RFC 2045] token;
//   name="value"                  value is printable ASCII (quotes and backslashes escaped)
//                                 and the piece fits on a folded line;
//   name*=UTF-8''%E2%82%AC...     [RFC 2231] 4: percent-encoded UTF-8, when it fits;
//   name*0*=UTF-8''...  name*1*=...   [RFC 2231] 3-4: continuations, each at most
//                                 kHeaderLineLimit - 2 characters with its ";" and the
//                                 folding tab, cut only between characters.
// Returns the pieces in order; each is a complete "attribute=value".
std::vector<std::string> encode_parameter(std::string_view name, std::string_view value);

// The raw value of a header field "Field: main; p1=v1; ..." as GMime stores raw values:
// a leading space, the main value, each parameter piece after "; " when the line stays
// within kHeaderLineLimit and after ";\n\t" otherwise, then a final "\n".
std::string header_with_parameters(std::string_view field, std::string_view main_value,
                                   const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace ostfs::render
