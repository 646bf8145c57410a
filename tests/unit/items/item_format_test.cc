#include "fs/render/item_format.h"

#include <gtest/gtest.h>

namespace ostfs::render {
namespace {

struct ClassCase {
  const char* message_class;
  ItemFormat format;
};

class FormatForClass : public ::testing::TestWithParam<ClassCase> {};

TEST_P(FormatForClass, MapsClassToFormat) {
  EXPECT_EQ(format_for_class(GetParam().message_class), GetParam().format) << GetParam().message_class;
}

INSTANTIATE_TEST_SUITE_P(
    Classes, FormatForClass,
    ::testing::Values(ClassCase{"IPM.Contact", ItemFormat::Vcf}, ClassCase{"ipm.contact", ItemFormat::Vcf},
                      ClassCase{"IPM.Contact.MyForm", ItemFormat::Vcf}, ClassCase{"IPM.DistList", ItemFormat::Vcf},
                      ClassCase{"IPM.Appointment", ItemFormat::Ics},
                      ClassCase{"IPM.Appointment.Occurrence", ItemFormat::Ics}, ClassCase{"IPM.Task", ItemFormat::Ics},
                      ClassCase{"IPM.TASK.Custom", ItemFormat::Ics}, ClassCase{"IPM.TaskRequest", ItemFormat::Eml},
                      ClassCase{"IPM.TaskRequest.Accept", ItemFormat::Eml}, ClassCase{"IPM.Activity", ItemFormat::Ics},
                      ClassCase{"IPM.StickyNote", ItemFormat::Txt}, ClassCase{"IPM.Note", ItemFormat::Eml},
                      ClassCase{"IPM.Schedule.Meeting.Request", ItemFormat::Eml},
                      ClassCase{"REPORT.IPM.Note.NDR", ItemFormat::Eml}, ClassCase{"IPM.ContactX", ItemFormat::Eml},
                      ClassCase{"IPM", ItemFormat::Eml}, ClassCase{"", ItemFormat::Eml}));

TEST(ExtensionFor, GivesDottedExtension) {
  EXPECT_STREQ(extension_for(ItemFormat::Eml), ".eml");
  EXPECT_STREQ(extension_for(ItemFormat::Vcf), ".vcf");
  EXPECT_STREQ(extension_for(ItemFormat::Ics), ".ics");
  EXPECT_STREQ(extension_for(ItemFormat::Txt), ".txt");
}

}  // namespace
}  // namespace ostfs::render
