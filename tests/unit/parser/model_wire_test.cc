#include "parser/model_wire.h"

#include <gtest/gtest.h>

#include "parser/props.h"

namespace ostfs::parser::wire {
namespace {

model::Property prop(uint16_t id, uint16_t type, std::vector<uint8_t> value) {
  model::Property p;
  p.id = id;
  p.type = type;
  p.value = std::move(value);
  return p;
}

model::Message sample_message() {
  model::Message message;
  message.nid = 0x200024;
  message.codepage = 1251;
  message.props.props.push_back(prop(props::PidTagSubject, props::type::Unicode, {'H', 0, 'i', 0}));
  model::Property named = prop(0x8005, props::type::Int32, {7, 0, 0, 0});
  named.named = model::NamedId{};
  named.named->guid[0] = 0xAB;
  named.named->lid = 0x8233;
  message.props.props.push_back(named);
  model::Property by_name = prop(0x8006, props::type::Boolean, {1});
  by_name.named = model::NamedId{};
  by_name.named->name = u"x-\u00e9t\u00e9";
  message.props.props.push_back(by_name);
  message.recipients.push_back({});
  message.recipients[0].props.props.push_back(prop(props::PidTagDisplayName, props::type::String8, {'A', 'n'}));
  model::Attachment file;
  file.method = model::AttachMethod::ByValue;
  file.data_size = 3;
  file.data = {1, 2, 3};
  file.data_loaded = true;
  message.attachments.push_back(std::move(file));
  model::Attachment inner;
  inner.method = model::AttachMethod::EmbeddedMessage;
  inner.embedded = std::make_unique<model::Message>();
  inner.embedded->nid = 0x8025;
  inner.embedded->warnings.push_back("recipients: damaged");
  message.attachments.push_back(std::move(inner));
  message.warnings.push_back("attachment 3: gone");
  return message;
}

TEST(ModelWire, MessageRoundTrips) {
  const model::Message sent = sample_message();
  Writer w;
  put(w, sent);
  Reader r(w.data());
  const model::Message got = get_message(r);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(got.nid, sent.nid);
  EXPECT_EQ(got.codepage, 1251u);
  ASSERT_EQ(got.props.props.size(), 3u);
  EXPECT_EQ(got.props.string(props::PidTagSubject), "Hi");
  ASSERT_TRUE(got.props.props[1].named);
  EXPECT_EQ(got.props.props[1].named, sent.props.props[1].named);
  EXPECT_EQ(got.props.props[2].named->name, u"x-\u00e9t\u00e9");
  EXPECT_FALSE(got.props.props[0].named);
  ASSERT_EQ(got.recipients.size(), 1u);
  EXPECT_EQ(got.recipients[0].props.props[0].value, (std::vector<uint8_t>{'A', 'n'}));
  ASSERT_EQ(got.attachments.size(), 2u);
  EXPECT_EQ(got.attachments[0].data, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(got.attachments[0].data_size, 3u);
  EXPECT_TRUE(got.attachments[0].data_loaded);
  EXPECT_FALSE(got.attachments[0].embedded);
  ASSERT_TRUE(got.attachments[1].embedded);
  EXPECT_EQ(got.attachments[1].method, model::AttachMethod::EmbeddedMessage);
  EXPECT_EQ(got.attachments[1].embedded->nid, 0x8025u);
  EXPECT_EQ(got.attachments[1].embedded->warnings, std::vector<std::string>{"recipients: damaged"});
  EXPECT_EQ(got.warnings, std::vector<std::string>{"attachment 3: gone"});
}

TEST(ModelWire, SummaryFolderAndDescriptionRoundTrip) {
  MessageSummary summary;
  summary.nid = 42;
  summary.index = 7;
  summary.subject = "s";
  summary.message_class = "IPM.Contact";
  summary.time = -5;
  model::Folder folder;
  folder.nid = 0x8022;
  folder.name = "Inbox";
  folder.message_count = 3;
  folder.subfolder_count = 1;
  PffDescription description;
  description.unicode = false;
  description.page_size = 4096;
  description.encryption = "none";
  description.root_nid = 0x122;
  Writer w;
  put(w, summary);
  put(w, folder);
  put(w, description);
  Reader r(w.data());
  const MessageSummary s = get_summary(r);
  const model::Folder f = get_folder(r);
  const PffDescription d = get_description(r);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(s.nid, 42u);
  EXPECT_EQ(s.index, 7);
  EXPECT_EQ(s.message_class, "IPM.Contact");
  EXPECT_EQ(s.time, -5);
  EXPECT_EQ(f.name, "Inbox");
  EXPECT_EQ(f.message_count, 3u);
  EXPECT_EQ(f.subfolder_count, 1u);
  EXPECT_FALSE(d.unicode);
  EXPECT_EQ(d.page_size, 4096u);
  EXPECT_EQ(d.root_nid, 0x122u);
}

// A record cut anywhere (a worker that died while writing) is an error, never a read past it.
TEST(ModelWire, EveryTruncationIsAnError) {
  Writer w;
  put(w, sample_message());
  const std::vector<uint8_t>& whole = w.data();
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    Reader r(std::span(whole.data(), cut));
    EXPECT_THROW(get_message(r), WireError) << "cut at " << cut;
  }
}

TEST(ModelWire, AbsurdLengthIsAnError) {
  Writer w;
  w.u64(uint64_t{1} << 60);
  Reader r(w.data());
  EXPECT_THROW(r.bytes(), WireError);
}

}  // namespace
}  // namespace ostfs::parser::wire
