// What the vCard, iCalendar and note conversions report as lost, and how an item whose
// conversion lost something becomes mail (item_as_mail).
#include <gtest/gtest.h>

#include "blobs.h"
#include "fs/render/eml.h"
#include "fs/render/ics.h"
#include "fs/render/item_as_mail.h"
#include "fs/render/note.h"
#include "fs/render/vcf.h"
#include "item_builder.h"

namespace ostfs::render {
namespace {

using props::PSETID_Appointment;
using testing::ItemBuilder;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

bool any_starts_with(const std::vector<std::string>& lines, const std::string& prefix) {
  for (const auto& l : lines)
    if (l.starts_with(prefix)) return true;
  return false;
}

model::Message broken_series() {
  auto blob = testing::dist_list_recur();
  blob.resize(20);
  ItemBuilder b("IPM.Appointment");
  b.unicode(props::PidTagSubject, "Standup")
      .named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, 1470150000)
      .named_binary(PSETID_Appointment, props::PidLidAppointmentRecur, blob);
  return b.build();
}

TEST(Conversion, UnreadableRecurrenceIsALoss) {
  const model::Message item = broken_series();
  const Conversion c = convert_ics(item);
  EXPECT_FALSE(c.complete());
  EXPECT_TRUE(any_starts_with(c.notes.losses, "recurrence not read: ")) << c.bytes;
  EXPECT_EQ(c.bytes, render_ics(item));
}

TEST(Conversion, ACommaInACategoryIsOnlyARemark) {
  ItemBuilder b("IPM.Appointment");
  b.unicode(props::PidTagSubject, "Review")
      .named_time(PSETID_Appointment, props::PidLidAppointmentStartWhole, 1470150000)
      .named_time(PSETID_Appointment, props::PidLidAppointmentEndWhole, 1470153600)
      .keywords({"Q3, planning"});
  const Conversion c = convert_ics(b.build());
  EXPECT_TRUE(c.complete()) << c.bytes;
  EXPECT_TRUE(any_starts_with(c.notes.remarks, "a category name holds a comma")) << c.bytes;
  EXPECT_TRUE(contains(c.bytes, "X-OSTFS-WARNING:a category name holds a comma")) << c.bytes;
}

TEST(Conversion, AContactWithoutANameIsCompleteAPhotoNotLoadedIsNot) {
  const Conversion nameless = convert_vcf(ItemBuilder("IPM.Contact").build());
  EXPECT_TRUE(nameless.complete());
  EXPECT_TRUE(any_starts_with(nameless.notes.remarks, "the contact has no name"));

  auto photo = testing::file_attachment("p.jpg", {});
  photo.data_size = 100;
  photo.data_loaded = false;
  photo.props.props.push_back({props::PidTagAttachmentContactPhoto, props::type::Boolean, {1}, {}});
  ItemBuilder b("IPM.Contact");
  b.unicode(props::PidTagDisplayName, "X").attachment(std::move(photo));
  const Conversion with_photo = convert_vcf(b.build());
  EXPECT_FALSE(with_photo.complete());
  EXPECT_EQ(with_photo.notes.losses, std::vector<std::string>{"contact photo not loaded"});
}

TEST(Conversion, WhatCouldNotBeReadIsALossInEveryFormat) {
  for (const char* cls : {"IPM.Contact", "IPM.Appointment", "IPM.StickyNote"}) {
    model::Message item = ItemBuilder(cls).unicode(props::PidTagSubject, "s").build();
    item.warnings.push_back("attachment 1: cannot read");
    const ItemFormat format = format_for_class(cls);
    const Conversion c = format == ItemFormat::Vcf   ? convert_vcf(item)
                         : format == ItemFormat::Ics ? convert_ics(item)
                                                     : convert_note(item);
    EXPECT_FALSE(c.complete()) << cls;
    EXPECT_TRUE(any_starts_with(c.notes.losses, std::string(kReadLossPrefix) + "attachment 1: cannot read")) << cls;
  }
}

TEST(ItemAsMail, AttachesThePartialConversionAndSaysWhatWasLost) {
  model::Message item = broken_series();
  item.warnings.push_back("property 0x1234 unreadable");
  const Conversion c = convert_ics(item);
  const size_t attachments_before = item.attachments.size();
  const model::Message mail = item_as_mail(std::move(item), c, ItemFormat::Ics);

  ASSERT_EQ(mail.attachments.size(), attachments_before + 1);
  const model::Attachment& part = mail.attachments.back();
  EXPECT_EQ(part.props.string(props::PidTagAttachLongFilename), "item.ics");
  EXPECT_EQ(part.props.string(props::PidTagAttachMimeTag), "text/calendar");
  EXPECT_TRUE(part.data_loaded);
  EXPECT_EQ(std::string(part.data.begin(), part.data.end()), c.bytes);
  EXPECT_EQ(part.data_size, c.bytes.size());

  ASSERT_GE(mail.warnings.size(), 3u);
  EXPECT_TRUE(mail.warnings[0].starts_with("shown as mail: the item could not be converted fully to iCalendar"))
      << mail.warnings[0];
  EXPECT_TRUE(any_starts_with(mail.warnings, "recurrence not read: "));
  // The read warning is there once, as read, not again with the conversion's prefix.
  EXPECT_EQ(std::count(mail.warnings.begin(), mail.warnings.end(), "property 0x1234 unreadable"), 1);
  EXPECT_FALSE(any_starts_with(mail.warnings, std::string(kReadLossPrefix)));

  const std::string eml = render_eml(mail);
  EXPECT_TRUE(contains(eml, "Subject: Standup")) << eml;
  EXPECT_TRUE(contains(eml, "X-Ostfs-Warning: shown as mail")) << eml;
  EXPECT_TRUE(contains(eml, "item.ics")) << eml;
  EXPECT_TRUE(contains(eml, "Content-Type: text/calendar")) << eml;
  EXPECT_EQ(measure_eml(mail), eml.size());
}

TEST(ItemAsMail, NamesThePartByFormat) {
  EXPECT_EQ(partial_conversion_name(ItemFormat::Vcf), "item.vcf");
  EXPECT_EQ(partial_conversion_name(ItemFormat::Ics), "item.ics");
  EXPECT_EQ(partial_conversion_name(ItemFormat::Txt), "item.txt");
}

}  // namespace
}  // namespace ostfs::render
