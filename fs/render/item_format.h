// Which file format an item is shown as, from its message class.
#pragma once

#include <cstdint>
#include <string_view>

namespace ostfs::render {

enum class ItemFormat : uint8_t { Eml, Vcf, Ics, Txt };

// The format for an item of PR_MESSAGE_CLASS `message_class`, matched case-insensitively
// by prefix ([MS-OXCMSG] 2.2.1.3 classes are case-insensitive):
//   IPM.Contact*, IPM.DistList*                      -> Vcf
//   IPM.Appointment*, IPM.Task* (not IPM.TaskRequest*), IPM.Activity* -> Ics
//   IPM.StickyNote*                                  -> Txt
//   everything else (IPM.Note, IPM.Schedule.Meeting.*, REPORT.*, unknown) -> Eml
// A prefix matches only whole class components: "IPM.Contact" and "IPM.Contact.Custom"
// match IPM.Contact, "IPM.ContactX" does not.
ItemFormat format_for_class(std::string_view message_class);

// True when `message_class` is `base` or a class derived from it ("base.something"),
// compared case-insensitively.
bool is_message_class(std::string_view message_class, std::string_view base);

// The file name extension for `format`, with its dot: ".eml", ".vcf", ".ics", ".txt".
const char* extension_for(ItemFormat format);

}  // namespace ostfs::render
