// Sticky notes (IPM.StickyNote) as plain UTF-8 text.
#pragma once

#include <string>

#include "fs/render/conversion.h"
#include "parser/model.h"

namespace ostfs::render {

// A short header, a blank line, then the note's text:
//   Color: yellow
//   Created: 2021-03-04 10:20:30 UTC
//   Modified: 2021-03-04 10:25:00 UTC
//
//   <body>
// Header lines whose property is missing are left out. Line ends are LF; the body keeps
// its text exactly otherwise (invalid UTF-8 replaced by U+FFFD) and ends with one LF.
// A note whose body could not be read gets a "Warning: ..." header line. Throws only
// std::bad_alloc. Thread-safe.
std::string render_note(const model::Message& message);

// render_note(), with the message's read warnings as losses (see conversion.h).
Conversion convert_note(const model::Message& message);

}  // namespace ostfs::render
