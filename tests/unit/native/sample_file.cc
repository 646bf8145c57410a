#include "sample_file.h"

#include <deque>

#include "parser/props.h"

namespace ostfs::ndb::testing {

const std::u16string kSampleSubject = u"Launch \U0001F680";

namespace {

using pstw::PcProperty;
using pstw::TcRow;

// Keeps the value bytes alive until the builder has encoded them.
class Values {
 public:
  std::span<const uint8_t> u32(uint32_t v) {
    return keep({static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16),
                 static_cast<uint8_t>(v >> 24)});
  }
  std::span<const uint8_t> u64(uint64_t v) {
    Bytes b(8);
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    return keep(std::move(b));
  }
  std::span<const uint8_t> text(const std::u16string& s) {
    Bytes b;
    for (char16_t c : s) {
      b.push_back(static_cast<uint8_t>(c));
      b.push_back(static_cast<uint8_t>(c >> 8));
    }
    return keep(std::move(b));
  }
  std::span<const uint8_t> keep(Bytes b) {
    store_.push_back(std::move(b));
    return store_.back();
  }
  std::optional<Bytes> cell(std::span<const uint8_t> s) { return Bytes(s.begin(), s.end()); }

 private:
  std::deque<Bytes> store_;
};

namespace t = props::type;

uint32_t tag(uint16_t id, uint16_t type) { return (uint32_t{id} << 16) | type; }

NodeRef recipient_table(NdbBuilder& b, Values& v) {
  const std::vector<uint32_t> tags = {tag(props::PidTagLtpRowId, t::Int32), tag(props::PidTagLtpRowVer, t::Int32),
                                      tag(props::PidTagRecipientType, t::Int32),
                                      tag(props::PidTagDisplayName, t::Unicode),
                                      tag(props::PidTagEmailAddress, t::Unicode),
                                      tag(props::PidTagAddressType, t::Unicode)};
  std::vector<TcRow> rows;
  rows.push_back({1, {v.cell(v.u32(1)), v.cell(v.u32(1)), v.cell(v.u32(props::RecipientTo)),
                      v.cell(v.text(u"Ada Lovelace")), v.cell(v.text(u"ada@example.org")), v.cell(v.text(u"SMTP"))}});
  // No e-mail address or type: those cells do not exist in this row.
  rows.push_back({2, {v.cell(v.u32(2)), v.cell(v.u32(2)), v.cell(v.u32(props::RecipientCc)),
                      v.cell(v.text(u"Charles Babbage")), std::nullopt, std::nullopt}});
  return b.tc(tags, rows);
}

NodeRef embedded_message(NdbBuilder& b, Values& v) {
  const NodeRef recipients = recipient_table(b, v);
  return b.pc({{props::PidTagMessageClass, t::Unicode, v.text(u"IPM.Note")},
               {props::PidTagSubject, t::Unicode, v.text(u"Inner")},
               {props::PidTagMessageFlags, t::Int32, v.u32(1)}},
              {{0x692, recipients.bidData, recipients.bidSub}});
}

}  // namespace

Bytes sample_attachment(size_t size) {
  Bytes b(size);
  uint32_t x = 0x12345678;
  for (size_t i = 0; i < size; ++i) {
    x = x * 1103515245u + 12345u;
    // Compressible but not constant: every block differs.
    b[i] = static_cast<uint8_t>((i / 7) ^ (x >> 29));
  }
  return b;
}

Bytes sample_body(size_t size) {
  Bytes b;
  const std::u16string line = u"All work and no play. ";
  while (b.size() < size)
    for (char16_t c : line) {
      b.push_back(static_cast<uint8_t>(c));
      b.push_back(static_cast<uint8_t>(c >> 8));
    }
  b.resize(size & ~size_t{1});
  return b;
}

Bytes build_sample_file(const SampleOptions& options) {
  NdbBuilder b(options.build);
  Values v;
  const Bytes attachment = sample_attachment(options.attachment_size);
  const Bytes body = sample_body(options.body_size);

  // Message store and name-to-id map.
  b.node(0x21, b.pc({{props::PidTagDisplayName, t::Unicode, v.text(u"Test store")}}));
  const std::array<uint8_t, 16> custom_guid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  Bytes entries;
  auto nameid = [&](uint32_t property, uint16_t guid_index, bool string, uint16_t prop_index) {
    Bytes e(8);
    for (int i = 0; i < 4; ++i) e[i] = static_cast<uint8_t>(property >> (8 * i));
    const uint16_t g = static_cast<uint16_t>(guid_index << 1 | (string ? 1 : 0));
    e[4] = static_cast<uint8_t>(g);
    e[5] = static_cast<uint8_t>(g >> 8);
    e[6] = static_cast<uint8_t>(prop_index);
    e[7] = static_cast<uint8_t>(prop_index >> 8);
    entries.insert(entries.end(), e.begin(), e.end());
  };
  Bytes strings = {16, 0, 0, 0};
  for (char16_t c : std::u16string(u"Keywords")) {
    strings.push_back(static_cast<uint8_t>(c));
    strings.push_back(static_cast<uint8_t>(c >> 8));
  }
  nameid(0x8530, 3, false, 0);  // 0x8000: custom GUID, LID 0x8530
  nameid(0, 3, true, 1);        // 0x8001: custom GUID, "Keywords"
  nameid(0x1234, 1, false, 2);  // 0x8002: PS_MAPI, LID 0x1234
  b.node(0x61, b.pc({{props::PidTagNameidBucketCount, t::Int32, v.u32(251)},
                     {props::PidTagNameidStreamGuid, t::Binary, v.keep(Bytes(custom_guid.begin(), custom_guid.end()))},
                     {props::PidTagNameidStreamEntry, t::Binary, v.keep(entries)},
                     {props::PidTagNameidStreamString, t::Binary, v.keep(strings)}},
                    {}));

  // The message: two recipients, a by-value attachment and an embedded message.
  const NodeRef recipients = recipient_table(b, v);
  // Above 3580 bytes the writer's PC encoder puts the data in a value subnode: a stream of
  // leaf blocks under an XBLOCK (or XXBLOCK) when it is larger than one leaf.
  const NodeRef data_attachment = b.pc(
      {{props::PidTagAttachMethod, t::Int32, v.u32(1)},
       {props::PidTagAttachFilename, t::Unicode, v.text(u"data.bin")},
       {props::PidTagAttachSize, t::Int32, v.u32(static_cast<uint32_t>(attachment.size()))},
       {props::PidTagAttachDataBinary, t::Binary, v.keep(attachment)}},
      {});
  const NodeRef inner = embedded_message(b, v);
  const uint32_t inner_size = 1000;
  Bytes object(8);
  for (int i = 0; i < 4; ++i) object[i] = static_cast<uint8_t>(kSampleEmbeddedNid >> (8 * i));
  for (int i = 0; i < 4; ++i) object[4 + i] = static_cast<uint8_t>(inner_size >> (8 * i));
  const NodeRef embedded_attachment = b.pc({{props::PidTagAttachMethod, t::Int32, v.u32(5)},
                                            {props::PidTagAttachDataBinary, t::Object, v.keep(object)}},
                                           {{kSampleEmbeddedNid, inner.bidData, inner.bidSub}});
  const std::vector<uint32_t> attach_tags = {tag(props::PidTagLtpRowId, t::Int32), tag(props::PidTagLtpRowVer, t::Int32),
                                             tag(props::PidTagAttachMethod, t::Int32)};
  const NodeRef attachments =
      b.tc(attach_tags, {{kSampleDataAttachmentNid, {v.cell(v.u32(kSampleDataAttachmentNid)), v.cell(v.u32(1)),
                                                     v.cell(v.u32(1))}},
                         {kSampleEmbeddedAttachmentNid, {v.cell(v.u32(kSampleEmbeddedAttachmentNid)),
                                                         v.cell(v.u32(2)), v.cell(v.u32(5))}}});
  const NodeRef message =
      b.pc({{props::PidTagMessageClass, t::Unicode, v.text(u"IPM.Note")},
            {props::PidTagSubject, t::Unicode, v.text(kSampleSubject)},
            {props::PidTagMessageDeliveryTime, t::SysTime, v.u64(133000000000000000ull)},
            {props::PidTagMessageFlags, t::Int32, v.u32(0x10)},
            {props::PidTagBody, t::Unicode, v.keep(body)},
            {0x8000, t::Unicode, v.text(u"Follow up")},
            {0x8001, t::MvUnicode, v.keep(Bytes{1, 0, 0, 0, 8, 0, 0, 0, 'A', 0, 'B', 0})},
            {0x8002, t::Boolean, v.keep(Bytes{1})}},
           {{0x692, recipients.bidData, recipients.bidSub},
            {0x671, attachments.bidData, attachments.bidSub},
            {kSampleDataAttachmentNid, data_attachment.bidData, data_attachment.bidSub},
            {kSampleEmbeddedAttachmentNid, embedded_attachment.bidData, embedded_attachment.bidSub}});
  b.node(kSampleMessageNid, message, 0x122);

  // Root folder and its tables.
  b.node(0x122, b.pc({{props::PidTagDisplayName, t::Unicode, v.text(u"Root")},
                      {props::PidTagContentCount, t::Int32, v.u32(1)},
                      {props::PidTagSubfolders, t::Boolean, v.keep(Bytes{0})}}),
         0x122);
  b.node(0x12D, b.tc({tag(props::PidTagLtpRowId, t::Int32), tag(props::PidTagLtpRowVer, t::Int32),
                      tag(props::PidTagDisplayName, t::Unicode)},
                     {}));
  b.node(0x12E, b.tc({tag(props::PidTagLtpRowId, t::Int32), tag(props::PidTagLtpRowVer, t::Int32),
                      tag(props::PidTagSubject, t::Unicode), tag(props::PidTagMessageClass, t::Unicode),
                      tag(props::PidTagMessageDeliveryTime, t::SysTime), tag(props::PidTagMessageSize, t::Int32)},
                     {{kSampleMessageNid,
                       {v.cell(v.u32(kSampleMessageNid)), v.cell(v.u32(1)), v.cell(v.text(kSampleSubject)),
                        v.cell(v.text(u"IPM.Note")), v.cell(v.u64(133000000000000000ull)),
                        v.cell(v.u32(static_cast<uint32_t>(attachment.size() + 2000)))}}}));
  b.node(0x12F, b.tc({tag(props::PidTagLtpRowId, t::Int32), tag(props::PidTagLtpRowVer, t::Int32)}, {}));
  return b.finish();
}

}  // namespace ostfs::ndb::testing
