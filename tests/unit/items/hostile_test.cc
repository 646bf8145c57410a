// Damaged items: every renderer must render what it can, never throw, and still write
// output that parsers accept.
#include <gtest/gtest.h>

#include "blobs.h"
#include "fs/render/ics.h"
#include "fs/render/note.h"
#include "fs/render/vcf.h"
#include "ical_check.h"
#include "item_builder.h"
#include "python_check.h"

namespace ostfs::render {
namespace {

using testing::ItemBuilder;

// A small deterministic generator, so that a failure repeats exactly.
class Bytes {
 public:
  explicit Bytes(uint32_t seed) : state_(seed * 2654435761u + 1) {}
  uint8_t next() {
    state_ = state_ * 1664525u + 1013904223u;
    return static_cast<uint8_t>(state_ >> 24);
  }
  std::vector<uint8_t> take(size_t n) {
    std::vector<uint8_t> out(n);
    for (auto& b : out) b = next();
    return out;
  }
  // `prefix` then random bytes: gets past the first checks into the deeper fields.
  std::vector<uint8_t> after(std::vector<uint8_t> prefix, size_t n) {
    auto rest = take(n);
    prefix.insert(prefix.end(), rest.begin(), rest.end());
    return prefix;
  }

 private:
  uint32_t state_;
};

model::Message hostile_appointment(uint32_t seed) {
  Bytes r(seed);
  const auto real = testing::dist_list_recur();
  // Keep a random-length prefix of the real blob, so damage starts at every depth.
  std::vector<uint8_t> recur(real.begin(), real.begin() + r.next() % real.size());
  auto tail = r.take(r.next() % 64);
  recur.insert(recur.end(), tail.begin(), tail.end());
  ItemBuilder b("IPM.Appointment", 0x200000 + seed);
  b.unicode(props::PidTagSubject, std::string("Bad\x01\x02 \xFF subject ") + std::to_string(seed))
      .named_binary(props::PSETID_Appointment, props::PidLidAppointmentRecur, recur)
      .named_binary(props::PSETID_Appointment, props::PidLidTimeZoneStruct, r.take(48))
      .named_binary(props::PSETID_Appointment, props::PidLidAppointmentTimeZoneDefinitionStartDisplay,
                    r.after({0x02, 0x01}, r.next()))
      .named(props::PSETID_Appointment, props::PidLidAppointmentStartWhole, props::type::SysTime, r.take(8))
      .named(props::PSETID_Appointment, props::PidLidAppointmentEndWhole, props::type::SysTime, r.take(8))
      .named(props::PSETID_Appointment, props::PidLidBusyStatus, props::type::Int32, r.take(4))
      .named(props::PSETID_Appointment, props::PidLidLocation, props::type::Binary, r.take(9))  // wrong type
      .named_binary(props::PSETID_Meeting, props::PidLidGlobalObjectId, r.take(r.next() % 80))
      .named(props::PSETID_Common, props::PidLidReminderDelta, props::type::Int32, r.take(4))
      .named_bool(props::PSETID_Common, props::PidLidReminderSet, true)
      .recipient(testing::attendee(r.next() % 5, "Who\never", "not an address", r.next()));
  b.add({props::PidTagLastModificationTime, props::type::SysTime, r.take(8), {}});
  return b.build();
}

model::Message hostile_contact(uint32_t seed) {
  Bytes r(seed);
  ItemBuilder b(seed % 2 ? "IPM.Contact" : "IPM.DistList", 0x300000 + seed);
  b.add({props::PidTagDisplayName, props::type::Unicode, r.take(r.next() % 40), {}})
      .add({props::PidTagBirthday, props::type::SysTime, r.take(8), {}})
      .add({props::PidTagSurname, props::type::String8, r.take(7), {}})
      .named(props::PSETID_Address, props::PidLidEmail1EmailAddress, props::type::Unicode, r.take(r.next() % 30))
      .named(props::PSETID_Address, props::PidLidDistributionListMembers, props::type::MvBinary,
             r.after({2, 0, 0, 0, 12, 0, 0, 0}, r.next()))
      .named(props::PSETID_Address, props::PidLidDistributionListOneOffMembers, props::type::MvBinary,
             ItemBuilder::mv_layout({r.after({0,    0,    0,    0,    0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3,
                                              0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02},
                                             r.next() % 60)}));
  b.keywords({"a\\b", std::string("c\x01,d")});
  return b.build();
}

model::Message hostile_task(uint32_t seed) {
  Bytes r(seed);
  const auto real = testing::dist_list_recur();
  std::vector<uint8_t> recur(real.begin(), real.begin() + r.next() % 80);  // the RecurrencePattern part
  auto tail = r.take(r.next() % 40);
  recur.insert(recur.end(), tail.begin(), tail.end());
  ItemBuilder b(seed % 3 ? "IPM.Task" : "IPM.Activity", 0x400000 + seed);
  b.named_bool(props::PSETID_Task, props::PidLidTaskFRecurring, true)
      .named_binary(props::PSETID_Task, props::PidLidTaskRecurrence, recur)
      .named(props::PSETID_Task, props::PidLidTaskStartDate, props::type::SysTime, r.take(8))
      .named(props::PSETID_Task, props::PidLidTaskDueDate, props::type::SysTime, r.take(8))
      .named(props::PSETID_Task, props::PidLidPercentComplete, props::type::Double, r.take(8))
      .named(props::PSETID_Task, props::PidLidTaskStatus, props::type::Int32, r.take(4))
      .named(props::PSETID_Log, props::PidLidLogStart, props::type::SysTime, r.take(8))
      .named(props::PSETID_Common, props::PidLidReminderTime, props::type::SysTime, r.take(8))
      .named_bool(props::PSETID_Common, props::PidLidReminderSet, true);
  return b.build();
}

TEST(HostileInput, RenderersNeverThrowAndOutputStillParses) {
  std::vector<std::pair<std::string, std::string>> files;
  for (uint32_t seed = 0; seed < 150; ++seed) {
    const model::Message appointment = hostile_appointment(seed);
    std::string ics;
    ASSERT_NO_THROW(ics = render_ics(appointment)) << seed;
    auto cal = testing::parse_ical(ics);
    ASSERT_TRUE(cal) << seed;
    EXPECT_EQ(testing::lic_errors(cal.get()), 0) << seed << "\n" << ics;
    files.push_back({".ics", ics});

    const model::Message contact = hostile_contact(seed);
    std::string vcf;
    ASSERT_NO_THROW(vcf = render_vcf(contact, {.version = 3 + static_cast<int>(seed % 2)})) << seed;
    files.push_back({".vcf", vcf});
    ASSERT_NO_THROW(render_note(contact)) << seed;
    ASSERT_NO_THROW(render_ics(contact)) << seed;  // a contact handed to the wrong renderer

    std::string todo;
    ASSERT_NO_THROW(todo = render_ics(hostile_task(seed))) << seed;
    auto todo_cal = testing::parse_ical(todo);
    ASSERT_TRUE(todo_cal) << seed;
    EXPECT_EQ(testing::lic_errors(todo_cal.get()), 0) << seed << "\n" << todo;
    files.push_back({".ics", todo});
  }
  const auto r = testing::python_check(files);
  EXPECT_TRUE(r.ok) << r.output.substr(0, 4000);
}

TEST(HostileInput, EmbeddedMessageAttachmentBecomesRfc822) {
  model::Attachment a;
  a.method = model::AttachMethod::EmbeddedMessage;
  a.props.props.push_back({props::PidTagDisplayName, props::type::Unicode, testing::utf16("Forwarded"), {}});
  ItemBuilder inner("IPM.Note", 0x200064);
  inner.unicode(props::PidTagSubject, "Inner mail").unicode(props::PidTagBody, "hello");
  a.embedded = std::make_unique<model::Message>(inner.build());
  a.data_loaded = true;
  ItemBuilder b("IPM.Appointment");
  b.attachment(std::move(a));
  const std::string ics = render_ics(b.build());
  EXPECT_NE(ics.find("FMTTYPE=message/rfc822"), std::string::npos) << ics;
  EXPECT_NE(ics.find("X-FILENAME=Forwarded.eml"), std::string::npos) << ics;
  EXPECT_TRUE(testing::python_check_one(".ics", ics).ok);
}

}  // namespace
}  // namespace ostfs::render
