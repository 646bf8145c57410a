// What converting an item to its own format (vCard, iCalendar, note text) gives besides the
// bytes: what the file could not carry. The mount shows an item whose conversion lost
// something as .eml instead (item_as_mail.h), so nothing of it is hidden in a file that
// looks complete.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ostfs::render {

// Losses that come from reading the item (model::Message::warnings) start with this.
inline constexpr std::string_view kReadLossPrefix = "reading the item: ";

struct ConversionNotes {
  // Parts of the item the file leaves out or could not express: an unreadable recurrence,
  // an attachment or photo that could not be loaded, a member that cannot be resolved, a
  // property the item could not be read for.
  std::vector<std::string> losses;
  // Said in the file, but nothing of the item is lost: the item itself lacks something
  // (an attendee without an SMTP address, a contact without a name) or a value was
  // written in a slightly different form (a comma in a category name).
  std::vector<std::string> remarks;
};

struct Conversion {
  std::string bytes;
  ConversionNotes notes;
  bool complete() const { return notes.losses.empty(); }
};

}  // namespace ostfs::render
