// st_size is measure_eml(); a read returns render_eml(). They must agree to the byte for
// every shape of message, with attachment data loaded or not: a size too small truncates the
// user's file. These cases aim at the places where a length could be computed wrongly:
// line ends and line lengths in bodies, quoted-printable edges, base64 line edges of
// attachments, related parts found through the HTML, embedded messages and long headers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fs/render/eml.h"
#include "message_builder.h"

namespace ostfs::render {
namespace {

using namespace testing;

model::Message copy_without_data(const model::Message& m) {
  model::Message out;
  out.nid = m.nid;
  out.props = m.props;
  out.recipients = m.recipients;
  out.codepage = m.codepage;
  out.warnings = m.warnings;
  for (const auto& a : m.attachments) {
    model::Attachment c;
    c.props = a.props;
    c.method = a.method;
    c.data_size = a.data_size;
    c.data_loaded = a.data_size == 0;
    if (a.embedded) c.embedded = std::make_unique<model::Message>(copy_without_data(*a.embedded));
    out.attachments.push_back(std::move(c));
  }
  return out;
}

void expect_exact(const model::Message& m, const std::string& what) {
  const std::string eml = render_eml(m);
  EXPECT_EQ(measure_eml(m), eml.size()) << what;
  EXPECT_EQ(measure_eml(copy_without_data(m)), eml.size()) << what;
}

void set_body(model::Message& m, const std::string& body) {
  for (auto& p : m.props.props)
    if (p.id == props::PidTagBody) p = unicode(props::PidTagBody, body);
}

std::vector<std::string> tricky_bodies() {
  std::vector<std::string> out = {
      "",
      "no final line end",
      "lone\rCR\rand\r\nCRLF\nand LF\n",
      "\r\n\r\n\r\n",
      "trailing spaces   \ntrailing tab\t\n",
      "equals = sign and =3D and =\n",
      "--=_ostfs_ looks like a boundary\n",
      "From the start of a line\nFrom again\n",
      ".\n..\n.\n",
      "non-ASCII: \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9A\x80\n",
      std::string(2000, 'x'),
      std::string(2000, 'x') + "\n",
  };
  // Lines around the 76-character limit of quoted-printable and the 998 of 8bit.
  for (size_t n : {74, 75, 76, 77, 78, 997, 998, 999}) {
    out.push_back(std::string(n, 'a') + "\n" + std::string(n, 'b'));
    out.push_back(std::string(n - 1, 'c') + "=\n");
    out.push_back(std::string(n - 1, 'd') + " \n");
    out.push_back(std::string(n - 2, 'e') + "\xC3\xA9\n");
  }
  return out;
}

TEST(MeasureMatchesRender, TrickyPlainBodies) {
  for (const std::string& body : tricky_bodies()) {
    model::Message m = simple_message();
    set_body(m, body);
    expect_exact(m, "body: " + body.substr(0, 40));
    m.attachments.push_back(file("a.bin", pattern(100)));
    expect_exact(m, "body with attachment: " + body.substr(0, 40));
  }
}

TEST(MeasureMatchesRender, TrickyHtmlBodies) {
  for (const std::string& body : tricky_bodies()) {
    model::Message m = simple_message();
    m.props.props.push_back(binary(props::PidTagHtml, bytes_of("<p>" + body + "</p>")));
    expect_exact(m, "html: " + body.substr(0, 40));
  }
}

TEST(MeasureMatchesRender, AttachmentSizesAroundBase64LineEdges) {
  model::Message m = simple_message();
  // 57 bytes fill one 76-character base64 line; 3 bytes one 4-character group.
  for (size_t n : {0, 1, 2, 3, 4, 55, 56, 57, 58, 59, 113, 114, 115, 116, 171})
    m.attachments.push_back(file("f" + std::to_string(n) + ".bin", pattern(n, static_cast<uint8_t>(n))));
  expect_exact(m, "base64 edges");
}

TEST(MeasureMatchesRender, ContentIdFoundInHtmlWhateverItsCase) {
  model::Message m = simple_message();
  // A "cid" inside a longer word still counts ("ccCID:"), the case does not matter, and colons
  // that follow no "cid" are passed over.
  m.props.props.push_back(
      binary(props::PidTagHtml, bytes_of("<img src=\"ccCID:Image001.PNG@01D9\"> cid cidcid: c")));
  m.attachments.push_back(file("image001.png", pattern(700), "image/png", "image001.png@01d9"));
  m.attachments.push_back(file("other.png", pattern(70), "image/png", "image002.png@01d9"));
  const std::string eml = render_eml(m);
  const size_t related = eml.find("Content-Type: multipart/related;");
  ASSERT_NE(related, std::string::npos) << eml.substr(0, 2000);
  const size_t first = eml.find("filename=image001.png");
  const size_t second = eml.find("filename=other.png");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  // The referenced image is inline in the related group; the other is an attachment.
  EXPECT_EQ(eml.rfind("Content-Disposition: inline", first), eml.rfind("Content-Disposition:", first));
  EXPECT_NE(eml.find("Content-Disposition: attachment; filename=other.png"), std::string::npos);
  expect_exact(m, "related");
}

TEST(MeasureMatchesRender, ContentIdAtTheEdgesOfTheHtml) {
  // A reference that opens the body counts; one cut short by the body's end does not.
  model::Message m = simple_message();
  m.props.props.push_back(binary(props::PidTagHtml, bytes_of("cid:first@x <p>a:b</p> CID:second@")));
  m.attachments.push_back(file("first.png", pattern(70), "image/png", "first@x"));
  m.attachments.push_back(file("second.png", pattern(70), "image/png", "second@x"));
  const std::string eml = render_eml(m);
  EXPECT_NE(eml.find("Content-Disposition: inline; filename=first.png"), std::string::npos) << eml.substr(0, 3000);
  EXPECT_NE(eml.find("Content-Disposition: attachment; filename=second.png"), std::string::npos)
      << eml.substr(0, 3000);
  expect_exact(m, "cid edges");
}

TEST(MeasureMatchesRender, EmbeddedMessagesWithUnloadedAttachments) {
  model::Message inner = simple_message(0x300024);
  set_body(inner, std::string(77, 'q') + "\n\xC3\xA9\n");
  inner.attachments.push_back(file("inner.bin", pattern(58)));
  inner.props.props.push_back(binary(props::PidTagHtml, bytes_of("<b>inner</b>")));
  model::Message middle = simple_message(0x300044);
  middle.attachments.push_back(file("middle.bin", pattern(1000)));
  middle.attachments.push_back(embedded_message(std::move(inner)));
  model::Message outer = simple_message();
  outer.attachments.push_back(embedded_message(std::move(middle)));
  outer.attachments.push_back(file("outer.bin", pattern(3)));
  expect_exact(outer, "embedded");
}

TEST(MeasureMatchesRender, LongAndNonAsciiHeaders) {
  model::Message m = simple_message();
  for (auto& p : m.props.props)
    if (p.id == props::PidTagSubject)
      p = unicode(props::PidTagSubject, "R\xC3\xA9sum\xC3\xA9 " + std::string(300, 'w') + " \xF0\x9F\x9A\x80 end");
  for (int i = 0; i < 60; ++i)
    m.recipients.push_back(recipient(props::RecipientCc, "Person \xC3\x9C" + std::to_string(i),
                                     "p" + std::to_string(i) + "@example.com"));
  m.attachments.push_back(file(std::string(200, 'n') + "\xC3\xA9.txt", pattern(10)));
  expect_exact(m, "headers");
}

}  // namespace
}  // namespace ostfs::render
