// A plan (plan_eml) read piece by piece must give the bytes render_eml() gives with all the
// data loaded, at every offset and size a READ may ask for: a wrong byte in a base64 line is
// a damaged attachment in the user's copy.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "fs/render/eml.h"
#include "fs/render/mime_text.h"
#include "message_builder.h"

namespace ostfs::render {
namespace {

using namespace testing;

// `m` with the data of its own attachments `unloaded` left out, as a limited load leaves it,
// and (`embedded_too`) that of every attachment of its embedded messages.
model::Message without_data(const model::Message& m, const std::vector<size_t>& unloaded, bool embedded_too = false) {
  model::Message out;
  out.nid = m.nid;
  out.props = m.props;
  out.recipients = m.recipients;
  out.codepage = m.codepage;
  for (size_t i = 0; i < m.attachments.size(); ++i) {
    const model::Attachment& a = m.attachments[i];
    model::Attachment c;
    c.props = a.props;
    c.method = a.method;
    c.data_size = a.data_size;
    if (!a.embedded && std::find(unloaded.begin(), unloaded.end(), i) == unloaded.end()) {
      c.data = a.data;
      c.data_loaded = a.data_loaded;
    }
    if (a.embedded) {
      std::vector<size_t> inner;
      for (size_t k = 0; embedded_too && k < a.embedded->attachments.size(); ++k) inner.push_back(k);
      c.embedded = std::make_unique<model::Message>(without_data(*a.embedded, inner, embedded_too));
      c.data_loaded = true;
    }
    out.attachments.push_back(std::move(c));
  }
  return out;
}

// The plan's bytes [offset, offset + n), with the data from `whole`.
std::string read(const EmlPlan& plan, const model::Message& whole, uint64_t offset, size_t n) {
  std::string out(n, '\0');
  const size_t made = read_eml_plan(plan, offset, out, [&](size_t part, uint64_t from, std::span<uint8_t> to) {
    const model::Message* holder = &whole;
    const model::Attachment* attachment = nullptr;
    for (size_t index : plan.streamed.at(part).attachment_path) {
      ASSERT_TRUE(holder);
      attachment = &holder->attachments.at(index);
      holder = attachment->embedded.get();
    }
    ASSERT_TRUE(attachment);
    const std::vector<uint8_t>& data = attachment->data;
    ASSERT_LE(from + to.size(), data.size());
    std::copy_n(data.begin() + static_cast<ptrdiff_t>(from), to.size(), to.begin());
  });
  out.resize(made);
  return out;
}

// Where two files first differ, for a failure message that does not print megabytes.
std::string first_difference(const std::string& got, const std::string& want) {
  const auto [g, w] = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
  if (g == got.end() && w == want.end()) return "";
  return "first difference at byte " + std::to_string(g - got.begin()) + " of " + std::to_string(want.size());
}

// Reads the plan in pieces of `piece` bytes, and at offsets around every part's edges.
void expect_same(const model::Message& whole, const std::vector<size_t>& unloaded, const std::string& what,
                 bool embedded_too = false, size_t streamed = SIZE_MAX) {
  const std::string eml = render_eml(whole);
  const model::Message partial = without_data(whole, unloaded, embedded_too);
  const std::optional<EmlPlan> plan = plan_eml(partial);
  ASSERT_TRUE(plan) << what;
  EXPECT_EQ(plan->streamed.size(), streamed == SIZE_MAX ? unloaded.size() : streamed) << what;
  ASSERT_EQ(plan->size(), eml.size()) << what;
  EXPECT_EQ(measure_eml(partial), eml.size()) << what;
  for (size_t piece : {1, 76, 77, 78, 4096, 131072}) {
    std::string all;
    for (uint64_t at = 0; at < eml.size(); at += piece) all += read(*plan, whole, at, piece);
    ASSERT_EQ(first_difference(all, eml), "") << what << ", pieces of " << piece;
  }
  uint64_t file_at = 0, text_at = 0;
  for (const EmlPlan::Streamed& part : plan->streamed) {
    file_at += part.offset - text_at;
    text_at = part.offset;
    for (uint64_t edge : {file_at, file_at + base64_encoded_size(part.data_size)})
      for (uint64_t at = edge > 100 ? edge - 100 : 0; at < std::min<uint64_t>(edge + 100, eml.size()); at += 7)
        for (size_t n : {1, 3, 77, 200})
          ASSERT_EQ(read(*plan, whole, at, n), eml.substr(at, n)) << what << ", " << n << " at " << at;
    file_at += base64_encoded_size(part.data_size);
  }
  std::mt19937_64 random(42);
  for (int i = 0; i < 300; ++i) {
    const uint64_t at = random() % (eml.size() + 10);
    const size_t n = 1 + random() % 20000;
    ASSERT_EQ(read(*plan, whole, at, n), at < eml.size() ? eml.substr(at, n) : "") << what << ", " << n << " at " << at;
  }
}

TEST(EmlPlan, GivesTheBytesOfTheWholeRenderAtAnyOffset) {
  model::Message m = simple_message();
  m.props.props.push_back(binary(props::PidTagHtml, bytes_of("<p>body <img src=\"cid:pic@x\"></p>")));
  // Sizes around the edges of base64 groups and lines; an inline picture in the related part.
  for (size_t n : {1, 2, 3, 56, 57, 58, 114, 100000, 1000001})
    m.attachments.push_back(file("f" + std::to_string(n) + ".bin", pattern(n, static_cast<uint8_t>(n))));
  m.attachments.push_back(file("pic.png", pattern(5000, 9), "image/png", "pic@x"));
  const size_t count = m.attachments.size();
  expect_same(m, {count - 3, count - 2}, "the two largest");
  std::vector<size_t> every;
  for (size_t i = 0; i < count; ++i) every.push_back(i);
  expect_same(m, every, "every one, the picture too");
  expect_same(m, {0}, "the smallest");
}

TEST(EmlPlan, StreamsTheAttachmentsOfEmbeddedMessages) {
  // A message forwarded as an attachment, with one inside it, next to one of the outer message.
  model::Message innermost = simple_message(0x300044);
  innermost.attachments.push_back(file("innermost.bin", pattern(70001, 3)));
  model::Message inner = simple_message(0x300024);
  inner.props.props.push_back(binary(props::PidTagHtml, bytes_of("<b>inner</b>")));
  inner.attachments.push_back(file("inner.bin", pattern(100000, 1)));
  inner.attachments.push_back(file("small.bin", pattern(10, 2)));
  inner.attachments.push_back(embedded_message(std::move(innermost)));
  model::Message outer = simple_message();
  outer.attachments.push_back(embedded_message(std::move(inner)));
  outer.attachments.push_back(file("outer.bin", pattern(5000, 4)));
  expect_same(outer, {1}, "the outer one and those of the embedded messages", true, 4);
  expect_same(outer, {}, "those of the embedded messages only", true, 3);
  const std::optional<EmlPlan> plan = plan_eml(without_data(outer, {}, true));
  ASSERT_TRUE(plan);
  std::vector<std::vector<size_t>> paths;
  for (const EmlPlan::Streamed& part : plan->streamed) paths.push_back(part.attachment_path);
  EXPECT_EQ(paths, (std::vector<std::vector<size_t>>{{0, 0}, {0, 1}, {0, 2, 0}}));
}

TEST(EmlPlan, NeedsTheDataOfSignedEntities) {
  model::Message signed_message = simple_message();
  for (auto& p : signed_message.props.props)
    if (p.id == props::PidTagMessageClass) p = unicode(props::PidTagMessageClass, "IPM.Note.SMIME.MultipartSigned");
  signed_message.attachments.push_back(file("smime.p7m", pattern(300), "multipart/signed"));
  EXPECT_FALSE(plan_eml(without_data(signed_message, {0})));
  // With its data the plan is the whole file.
  const std::optional<EmlPlan> whole = plan_eml(signed_message);
  ASSERT_TRUE(whole);
  EXPECT_TRUE(whole->streamed.empty());
  EXPECT_EQ(whole->text, render_eml(signed_message));
}

}  // namespace
}  // namespace ostfs::render
