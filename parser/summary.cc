#include "parser/summary.h"

#include <string>

#include "parser/props.h"

namespace ostfs::parser {
namespace {

std::string subject_without_prefix_marker(std::string subject) {
  // [MS-PST] 2.5.3.1.1: a subject may start with 0x01 and a length byte.
  if (subject.size() >= 2 && subject[0] == '\x01') subject.erase(0, 2);
  return subject;
}

}  // namespace

void fill_summary(MessageSummary& summary, const model::PropertyBag& bag, uint32_t codepage) {
  summary.subject = subject_without_prefix_marker(bag.string(props::PidTagSubject, codepage).value_or(""));
  summary.message_class = bag.string(props::PidTagMessageClass, codepage).value_or("IPM.Note");
  if (summary.message_class.empty()) summary.message_class = "IPM.Note";
  for (uint16_t tag : {props::PidTagMessageDeliveryTime, props::PidTagClientSubmitTime,
                       props::PidTagLastModificationTime, props::PidTagCreationTime}) {
    if (auto ft = bag.filetime(tag); ft && *ft != 0) {
      summary.time = model::filetime_to_unix(*ft);
      break;
    }
  }
}

}  // namespace ostfs::parser
