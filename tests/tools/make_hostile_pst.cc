// Writes a PST whose folder names, subjects and attachment names try to escape or confuse a
// file system view: path separators, dot names, control and bidi characters, over-long names,
// names that collide once made safe. Used by tests/integration/test_hostile.py.
#include <iostream>
#include <string>
#include <vector>

#include "export/pst_writer.h"
#include "parser/props.h"
#include "parser/text.h"

namespace {

using ostfs::model::Property;

Property unicode(uint16_t id, const std::string& utf8) {
  const std::string u16 = ostfs::text::utf8_to_utf16le(utf8);
  return {id, ostfs::props::type::Unicode, {u16.begin(), u16.end()}, std::nullopt};
}

Property int32(uint16_t id, int32_t v) {
  std::vector<uint8_t> b(4);
  for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(static_cast<uint32_t>(v) >> (8 * i));
  return {id, ostfs::props::type::Int32, b, std::nullopt};
}

// Each is used as a folder name, a subject and an attachment name.
const std::vector<std::string> kHostile = {
    "..",
    ".",
    "../../../../etc/passwd",
    "a/b/c",
    "a-b-c",  // what "a/b/c" becomes: must not merge with it
    ".hidden",
    "tab\there\nnewline\rcr",
    "\x1b[31mred\x1b[0m",
    "right\xE2\x80\xAEtxt.exe",  // U+202E RIGHT-TO-LEFT OVERRIDE
    "zero\xE2\x80\x8Bwidth",       // U+200B
    std::string(300, 'L'),
    std::string(100, 'x') + std::string(60, '\xE6') ,  // invalid UTF-8 tail
    "   ",
    "",
    "CON",
    "quote\"star*colon:pipe|lt<gt>q?",
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_hostile_pst OUT.pst\n";
    return 1;
  }
  try {
    ostfs::pstw::PstWriter writer(argv[1], {});
    for (size_t f = 0; f < kHostile.size(); ++f) {
      ostfs::model::Folder folder;
      folder.name = kHostile[f];
      folder.props.props.push_back(unicode(ostfs::props::PidTagDisplayName, kHostile[f]));
      const auto ref = writer.add_folder(writer.ipm_subtree(), folder);
      for (size_t m = 0; m < kHostile.size(); ++m) {
        ostfs::model::Message message;
        message.props.props.push_back(unicode(ostfs::props::PidTagMessageClass, "IPM.Note"));
        message.props.props.push_back(unicode(ostfs::props::PidTagSubject, kHostile[m]));
        message.props.props.push_back(unicode(ostfs::props::PidTagBody, "body " + std::to_string(f) + "/" + std::to_string(m)));
        ostfs::model::Attachment attachment;
        attachment.method = ostfs::model::AttachMethod::ByValue;
        attachment.data = {'d', 'a', 't', 'a', static_cast<uint8_t>('0' + m % 10)};
        attachment.data_size = attachment.data.size();
        attachment.data_loaded = true;
        attachment.props.props.push_back(unicode(ostfs::props::PidTagAttachLongFilename, kHostile[m]));
        attachment.props.props.push_back(int32(ostfs::props::PidTagAttachMethod, 1));
        message.attachments.push_back(std::move(attachment));
        writer.add_message(ref, message);
      }
    }
    // A contact with nothing to name it by: its card says so, and errors.log lists it.
    ostfs::model::Folder contacts;
    contacts.name = "Contacts";
    contacts.props.props.push_back(unicode(ostfs::props::PidTagDisplayName, "Contacts"));
    contacts.props.props.push_back(unicode(ostfs::props::PidTagContainerClass, "IPF.Contact"));
    const auto contacts_ref = writer.add_folder(writer.ipm_subtree(), contacts);
    ostfs::model::Message nameless;
    nameless.props.props.push_back(unicode(ostfs::props::PidTagMessageClass, "IPM.Contact"));
    writer.add_message(contacts_ref, nameless);

    // A recurring appointment whose recurrence blob is garbage: iCalendar cannot carry the
    // series, so the mount shows it as .eml with the partial .ics attached.
    ostfs::model::Folder calendar;
    calendar.name = "Calendar";
    calendar.props.props.push_back(unicode(ostfs::props::PidTagDisplayName, "Calendar"));
    calendar.props.props.push_back(unicode(ostfs::props::PidTagContainerClass, "IPF.Appointment"));
    const auto calendar_ref = writer.add_folder(writer.ipm_subtree(), calendar);
    ostfs::model::Message series;
    series.props.props.push_back(unicode(ostfs::props::PidTagMessageClass, "IPM.Appointment"));
    series.props.props.push_back(unicode(ostfs::props::PidTagSubject, "Broken series"));
    Property recur{0x8001, ostfs::props::type::Binary, {0x04, 0x30, 0x04, 0x30, 0x0B, 0x20, 0xFF}, std::nullopt};
    recur.named = ostfs::model::NamedId{ostfs::props::PSETID_Appointment, ostfs::props::PidLidAppointmentRecur, {}};
    series.props.props.push_back(recur);
    Property recurring{0x8002, ostfs::props::type::Boolean, {1, 0}, std::nullopt};
    recurring.named = ostfs::model::NamedId{ostfs::props::PSETID_Appointment, ostfs::props::PidLidRecurring, {}};
    series.props.props.push_back(recurring);
    writer.add_message(calendar_ref, series);
    writer.finish();
  } catch (const std::exception& e) {
    std::cerr << "make_hostile_pst: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
