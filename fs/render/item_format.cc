#include "fs/render/item_format.h"

namespace ostfs::render {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool is_message_class(std::string_view cls, std::string_view base) {
  if (cls.size() < base.size()) return false;
  for (size_t i = 0; i < base.size(); ++i)
    if (lower(cls[i]) != lower(base[i])) return false;
  return cls.size() == base.size() || cls[base.size()] == '.';
}

ItemFormat format_for_class(std::string_view message_class) {
  if (is_message_class(message_class, "IPM.Contact") || is_message_class(message_class, "IPM.DistList"))
    return ItemFormat::Vcf;
  // IPM.TaskRequest* are task assignment mails; "IPM.Task" only matches IPM.Task[.x].
  if (is_message_class(message_class, "IPM.Appointment") || is_message_class(message_class, "IPM.Task") ||
      is_message_class(message_class, "IPM.Activity"))
    return ItemFormat::Ics;
  if (is_message_class(message_class, "IPM.StickyNote")) return ItemFormat::Txt;
  return ItemFormat::Eml;
}

const char* extension_for(ItemFormat format) {
  switch (format) {
    case ItemFormat::Vcf:
      return ".vcf";
    case ItemFormat::Ics:
      return ".ics";
    case ItemFormat::Txt:
      return ".txt";
    case ItemFormat::Eml:
      break;
  }
  return ".eml";
}

}  // namespace ostfs::render
