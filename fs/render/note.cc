#include "fs/render/note.h"

#include <cstdio>

#include "fs/render/item_props.h"
#include "fs/render/item_time.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render {
namespace {

// PidLidNoteColor ([MS-OXONOTE] 2.2.1.1).
const char* color_name(int32_t color) {
  switch (color) {
    case 0:
      return "blue";
    case 1:
      return "green";
    case 2:
      return "pink";
    case 3:
      return "yellow";
    case 4:
      return "white";
    default:
      return nullptr;
  }
}

std::string utc_text(int64_t t) {
  const item::CivilTime c = item::civil_from_seconds(t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d UTC", c.year, c.month, c.day, c.hour, c.minute,
                c.second);
  return buf;
}

}  // namespace

std::string render_note(const model::Message& message) {
  std::string out;
  if (auto color = item::named_int32(message, props::PSETID_Note, props::PidLidNoteColor)) {
    const char* name = color_name(*color);
    out += "Color: " + (name ? std::string(name) : "unknown (" + std::to_string(*color) + ")") + "\n";
  }
  if (auto created = item::time(message, props::PidTagCreationTime)) out += "Created: " + utc_text(*created) + "\n";
  if (auto modified = item::time(message, props::PidTagLastModificationTime))
    out += "Modified: " + utc_text(*modified) + "\n";
  for (const auto& w : message.warnings) out += "Warning: " + item::to_lf(w) + "\n";
  // The body is the note: keep its text as typed, without trimming leading white space.
  std::string body = item::plain_body(message);
  if (body.empty()) {
    // A note without a body shows its subject (Outlook derives it from the first line).
    body = item::text(message, props::PidTagSubject).value_or("");
  }
  out += "\n";
  out += text::sanitize_utf8(body);
  if (!body.empty()) out += "\n";
  return out;
}

Conversion convert_note(const model::Message& message) {
  Conversion out{render_note(message), {}};
  for (const auto& w : message.warnings) out.notes.losses.push_back(std::string(kReadLossPrefix) + w);
  return out;
}

}  // namespace ostfs::render
