#include "fs/render/eml.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "fs/render/mime_text.h"
#include "message_builder.h"
#include "python_email_check.h"

namespace ostfs::render {
namespace {

using namespace testing;

model::Message deep_copy(const model::Message& m, bool with_data) {
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
    if (with_data) {
      c.data = a.data;
      c.data_loaded = a.data_loaded;
    }
    if (a.embedded)
      c.embedded = std::make_unique<model::Message>(deep_copy(*a.embedded, with_data));
    out.attachments.push_back(std::move(c));
  }
  return out;
}

// measure_eml() must give render_eml()'s size both with the data loaded and, as at
// `stat` time, without it.
void expect_measure_exact(const model::Message& m) {
  const std::string eml = render_eml(m);
  EXPECT_EQ(measure_eml(m), eml.size());
  EXPECT_EQ(measure_eml(deep_copy(m, false)), eml.size());
}

std::string headers_of(const std::string& eml) { return eml.substr(0, eml.find("\n\n") + 1); }

bool has_line(const std::string& text, const std::string& line) {
  return text.rfind(line + "\n", 0) == 0 || text.find("\n" + line + "\n") != std::string::npos;
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

void expect_python_ok(const PythonEmailCheck& check) {
  bool ok = false;
  const std::string output = check.run(ok);
  EXPECT_TRUE(ok) << output;
}

model::Attachment embedded(model::Message inner, std::string_view name = "") {
  model::Attachment a;
  a.method = model::AttachMethod::EmbeddedMessage;
  a.props.props.push_back(int32(props::PidTagAttachMethod, 5));
  if (!name.empty()) a.props.props.push_back(unicode(props::PidTagDisplayName, name));
  a.embedded = std::make_unique<model::Message>(std::move(inner));
  return a;
}

// The checker must be able to fail, or its passes mean nothing.
TEST(PythonEmailCheckSelfTest, ReportsDefectsAndWrongAttachments) {
  PythonEmailCheck broken;
  broken.add(
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nno end\n");
  bool ok = true;
  std::string output = broken.run(ok);
  EXPECT_FALSE(ok);
  EXPECT_NE(output.find("CloseBoundaryNotFoundDefect"), std::string::npos) << output;

  PythonEmailCheck wrong;
  model::Message m = simple_message();
  m.attachments.push_back(file("a.bin", pattern(10)));
  wrong.add(render_eml(m), {.attachments = {{"a.bin", pattern(11)}}});
  output = wrong.run(ok);
  EXPECT_FALSE(ok);
  EXPECT_NE(output.find("'a.bin': 10 bytes differ from 11"), std::string::npos) << output;
}

TEST(RenderEml, SynthesizesHeadersAndPlainBody) {
  const model::Message m = simple_message();
  const std::string eml = render_eml(m);
  const std::string headers = headers_of(eml);
  EXPECT_TRUE(has_line(headers, "From: Alice Example <alice@example.com>")) << headers;
  EXPECT_TRUE(has_line(headers, "To: Bob Example <bob@example.com>")) << headers;
  EXPECT_TRUE(has_line(headers, "Subject: Quarterly numbers")) << headers;
  EXPECT_TRUE(has_line(headers, "Date: Tue, 14 Nov 2023 22:13:20 +0000")) << headers;
  EXPECT_TRUE(has_line(headers, "Message-Id: <q3@example.com>")) << headers;
  EXPECT_TRUE(has_line(headers, "X-MS-Message-Class: IPM.Note")) << headers;
  EXPECT_TRUE(has_line(headers, "MIME-Version: 1.0")) << headers;
  EXPECT_TRUE(has_line(headers, "Content-Type: text/plain; charset=utf-8")) << headers;
  EXPECT_TRUE(has_line(headers, "Content-Transfer-Encoding: 8bit")) << headers;
  EXPECT_EQ(eml.substr(eml.find("\n\n") + 2), "Hello Bob,\nthe numbers are attached.\n");
  EXPECT_EQ(eml.find('\r'), std::string::npos);
  expect_measure_exact(m);
}

TEST(RenderEml, IsDeterministic) {
  model::Message m = simple_message();
  m.props.props.push_back(binary(props::PidTagHtml, bytes_of("<p>Hello</p>")));
  m.attachments.push_back(file("a.bin", pattern(1000)));
  m.attachments.push_back(embedded(simple_message(0x1234), "inner"));
  const std::string first = render_eml(m);
  EXPECT_EQ(render_eml(m), first);
  EXPECT_EQ(render_eml(deep_copy(m, true)), first);
  EXPECT_EQ(first.find('\r'), std::string::npos);
  // The same message at another place (another nid, e.g. after export to a new PST) gives the
  // same bytes; boundaries come from properties every copy keeps.
  model::Message moved = deep_copy(m, true);
  moved.nid = 0x999;
  EXPECT_EQ(render_eml(moved), first);
  EXPECT_NE(first.find("boundary=\"=_ostfs_"), std::string::npos);
  // Another message gets other boundaries.
  model::Message other = deep_copy(m, true);
  other.props.props[1] = unicode(props::PidTagSubject, "Another subject");
  const std::string second = render_eml(other);
  const auto boundary_of = [](const std::string& eml) {
    const size_t at = eml.find("boundary=\"");
    return eml.substr(at, eml.find('"', at + 10) - at);
  };
  EXPECT_NE(boundary_of(second), boundary_of(first));
}

TEST(RenderEml, NonAsciiSubjectWithEmojiIsEncoded) {
  model::Message m = simple_message();
  m.props.props[1] = unicode(props::PidTagSubject,
                             "\x01\x05"
                             "AW: Gr\xC3\xBC\xC3\x9F"
                             "e \xF0\x9F\x8E\x89 f\xC3\xBCr alle");
  m.props.props[2] = unicode(props::PidTagSenderName, "J\xC3\xBCrgen M\xC3\xBCller");
  const std::string eml = render_eml(m);
  const std::string headers = headers_of(eml);
  EXPECT_NE(headers.find("Subject: AW: =?UTF-8?B?"), std::string::npos) << headers;
  for (unsigned char c : headers) ASSERT_LT(c, 0x80) << headers;
  PythonEmailCheck check;
  check.add(eml, {.headers = {{"Subject",
                               "AW: Gr\xC3\xBC\xC3\x9F"
                               "e \xF0\x9F\x8E\x89 f\xC3\xBCr alle"},
                              {"From", "J\xC3\xBCrgen M\xC3\xBCller <alice@example.com>"}}});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, PropertyValuesCannotInjectHeaders) {
  model::Message m = simple_message();
  m.props.props[1] =
      unicode(props::PidTagSubject, "Hi\r\nBcc: victim@example.com\r\n\r\nfake body");
  m.props.props[2] = unicode(props::PidTagSenderName, "Eve\nX-Evil: 1");
  m.recipients.push_back(
      recipient(props::RecipientCc, "Mallory\r\nReply-To: m@evil.example", "c@example.com"));
  model::Attachment a = file("x\r\nContent-Type: text/html.txt", bytes_of("data"));
  m.attachments.push_back(std::move(a));
  const std::string eml = render_eml(m);
  EXPECT_FALSE(has_line(eml, "Bcc: victim@example.com"));
  EXPECT_EQ(eml.find("\nX-Evil"), std::string::npos);
  EXPECT_EQ(eml.find("\nReply-To"), std::string::npos);
  EXPECT_EQ(eml.find("\nfake body"), std::string::npos);
  PythonEmailCheck check;
  check.add(eml, {.headers = {{"Subject", "Hi Bcc: victim@example.com fake body"}},
                  .attachments = {{"x Content-Type: text/html.txt", bytes_of("data")}}});
  expect_python_ok(check);
}

TEST(RenderEml, DateFallsBackToDeliveryThenCreationTime) {
  model::Message m = simple_message();
  m.props.props.erase(m.props.props.begin() + 5);  // PR_CLIENT_SUBMIT_TIME
  m.props.props.push_back(systime(props::PidTagCreationTime, 0));
  EXPECT_TRUE(has_line(render_eml(m), "Date: Thu, 01 Jan 1970 00:00:00 +0000"));
  m.props.props.push_back(systime(props::PidTagMessageDeliveryTime, 951782400));
  EXPECT_TRUE(has_line(render_eml(m), "Date: Tue, 29 Feb 2000 00:00:00 +0000"));
}

TEST(RenderEml, OptionalHeadersOnlyWhenPresent) {
  model::Message m;
  m.nid = 7;
  const std::string bare = render_eml(m);
  const std::string headers = headers_of(bare);
  for (const char* name :
       {"From:", "To:", "Subject:", "Date:", "Message-Id:", "Importance:", "X-MS-Flag:"})
    EXPECT_EQ(headers.find(name), std::string::npos) << name << "\n" << headers;
  EXPECT_TRUE(has_line(headers, "X-MS-Message-Class: IPM.Note"));
  // A message with no body at all is still a valid message with an empty text/plain part.
  EXPECT_TRUE(has_line(headers, "Content-Type: text/plain; charset=utf-8"));
  PythonEmailCheck check;
  check.add(bare, {.structure = std::vector<std::string>{"text/plain"}, .body = ""});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, ThreadingImportanceSensitivityAndXHeaders) {
  model::Message m = simple_message();
  m.props.props.push_back(unicode(props::PidTagInReplyToId, "<parent@example.com>"));
  m.props.props.push_back(
      unicode(props::PidTagInternetReferences, "<root@example.com> <parent@example.com>"));
  m.props.props.push_back(int32(props::PidTagImportance, 2));
  m.props.props.push_back(int32(props::PidTagPriority, 1));
  m.props.props.push_back(int32(props::PidTagSensitivity, 3));
  m.props.props.push_back(keywords({"Red Category", "Gr\xC3\xBCn"}));
  m.props.props.push_back(int32(props::PidTagFlagStatus, 2));
  m.props.props[0] = unicode(props::PidTagMessageClass, "IPM.Note.SMIME.MultipartSigned");
  const std::string eml = render_eml(m);
  const std::string headers = headers_of(eml);
  EXPECT_TRUE(has_line(headers, "In-Reply-To: <parent@example.com>")) << headers;
  EXPECT_TRUE(has_line(headers, "References: <root@example.com> <parent@example.com>")) << headers;
  EXPECT_TRUE(has_line(headers, "Importance: high")) << headers;
  EXPECT_TRUE(has_line(headers, "X-Priority: 1 (Highest)")) << headers;
  EXPECT_TRUE(has_line(headers, "Priority: urgent")) << headers;
  EXPECT_TRUE(has_line(headers, "Sensitivity: Company-Confidential")) << headers;
  EXPECT_TRUE(has_line(headers, "X-MS-Message-Class: IPM.Note.SMIME.MultipartSigned")) << headers;
  EXPECT_TRUE(has_line(headers, "X-MS-Flag: Flagged")) << headers;
  PythonEmailCheck check;
  check.add(eml, {.headers = {{"X-MS-Categories", "Red Category, Gr\xC3\xBCn"}}});
  expect_python_ok(check);

  model::Message low = simple_message();
  low.props.props.push_back(int32(props::PidTagImportance, 0));
  low.props.props.push_back(int32(props::PidTagPriority, -1));
  const std::string low_headers = headers_of(render_eml(low));
  EXPECT_TRUE(has_line(low_headers, "Importance: low"));
  EXPECT_TRUE(has_line(low_headers, "X-Priority: 5 (Lowest)"));
  EXPECT_TRUE(has_line(low_headers, "Priority: non-urgent"));
  model::Message normal = simple_message();
  normal.props.props.push_back(int32(props::PidTagImportance, 1));
  EXPECT_EQ(render_eml(normal).find("Importance:"), std::string::npos);
}

TEST(RenderEml, TransportHeadersAreKeptVerbatim) {
  model::Message m = simple_message();
  const std::string transport =
      "Received: from mx.example.com (mx.example.com [192.0.2.1])\r\n"
      "\tby mail.example.org with ESMTPS id abc; Tue, 14 Nov 2023 22:13:21 +0000\r\n"
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;\r\n"
      "\tb=AAAABBBB\r\n"
      "From: \"Alice (original)\" <alice@example.com>\r\n"
      "To: bob@example.com\r\n"
      "Subject: Original subject\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/alternative; boundary=\"orig\"\r\n"
      "Content-Transfer-Encoding: 7bit\r\n"
      "\r\n";
  m.props.props.push_back(unicode(props::PidTagTransportMessageHeaders, transport));
  m.props.props.push_back(keywords({"Blue"}));
  const std::string eml = render_eml(m);
  const std::string expected_start =
      "Received: from mx.example.com (mx.example.com [192.0.2.1])\n"
      "\tby mail.example.org with ESMTPS id abc; Tue, 14 Nov 2023 22:13:21 +0000\n"
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;\n"
      "\tb=AAAABBBB\n"
      "From: \"Alice (original)\" <alice@example.com>\n"
      "To: bob@example.com\n"
      "Subject: Original subject\n";
  EXPECT_EQ(eml.substr(0, expected_start.size()), expected_start);
  const std::string headers = headers_of(eml);
  EXPECT_EQ(count(headers, "\nFrom:"), 1u) << headers;
  EXPECT_EQ(count(headers, "\nSubject:"), 1u) << headers;
  EXPECT_EQ(count(headers, "MIME-Version:"), 1u) << headers;
  EXPECT_EQ(headers.find("boundary=\"orig\""), std::string::npos) << headers;
  EXPECT_EQ(headers.find("7bit"), std::string::npos) << headers;
  // Fields the transport headers lack are still synthesized, and our X-MS-* always are.
  EXPECT_TRUE(has_line(headers, "Date: Tue, 14 Nov 2023 22:13:20 +0000")) << headers;
  EXPECT_TRUE(has_line(headers, "Message-Id: <q3@example.com>")) << headers;
  EXPECT_TRUE(has_line(headers, "X-MS-Message-Class: IPM.Note")) << headers;
  EXPECT_TRUE(has_line(headers, "X-MS-Categories: Blue")) << headers;
  EXPECT_TRUE(has_line(headers, "Content-Type: text/plain; charset=utf-8")) << headers;
  EXPECT_EQ(eml.find('\r'), std::string::npos);
  PythonEmailCheck check;
  check.add(eml, {.headers = {{"Subject", "Original subject"}},
                  .body = "Hello Bob,\nthe numbers are attached.\n"});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, PlainAndHtmlAreAlternativesPlainFirst) {
  model::Message m = simple_message();
  m.props.props.push_back(
      binary(props::PidTagHtml, bytes_of("<html><body><p>Hello Bob</p></body></html>")));
  const std::string eml = render_eml(m);
  EXPECT_LT(eml.find("Content-Type: text/plain"), eml.find("Content-Type: text/html"));
  PythonEmailCheck check;
  check.add(eml, {.structure =
                      std::vector<std::string>{"multipart/alternative", "text/plain", "text/html"},
                  .body = "Hello Bob,\nthe numbers are attached.\n"});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, HtmlOnlyIsConvertedToUtf8) {
  model::Message m = simple_message();
  m.props.props.erase(m.props.props.begin() + 6);  // PR_BODY
  m.props.props.push_back(
      binary(props::PidTagHtml, bytes_of("<html><head><meta charset=windows-1252></head>"
                                         "<body>Caf\xE9</body></html>")));
  const std::string eml = render_eml(m);
  EXPECT_TRUE(has_line(eml, "Content-Type: text/html; charset=utf-8"));
  EXPECT_NE(eml.find("Caf\xC3\xA9"), std::string::npos);
  PythonEmailCheck check;
  check.add(eml, {.structure = std::vector<std::string>{"text/html"}});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, LongLinesSwitchToQuotedPrintable) {
  model::Message m = simple_message();
  const std::string long_line = std::string(1500, 'x') + " caf\xC3\xA9 =end";
  m.props.props[6] = unicode(props::PidTagBody, "short\r\n" + long_line + "\r\n");
  const std::string eml = render_eml(m);
  EXPECT_TRUE(has_line(eml, "Content-Transfer-Encoding: quoted-printable"));
  size_t longest = 0, line = 0;
  for (char c : eml) line = c == '\n' ? (longest = std::max(longest, line), 0) : line + 1;
  EXPECT_LE(longest, 998u);
  PythonEmailCheck check;
  check.add(eml, {.body = "short\n" + long_line + "\n"});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, AttachmentsAreBase64WithExactBytes) {
  model::Message m = simple_message();
  const auto pdf = pattern(100000, 3);
  const auto empty = std::vector<uint8_t>{};
  const auto crlf = bytes_of("line1\r\nline2\r\n\r\n\x00\xFF");
  m.attachments.push_back(file("Report Q3.pdf", pdf));
  m.attachments.push_back(file("empty.txt", empty));
  m.attachments.push_back(file("notes.txt", crlf, "text/plain"));
  m.attachments.push_back(file("R\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.docx", pattern(77)));
  // Long enough for RFC 2231 continuations, which GMime may cut inside a character.
  const std::string long_name =
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE9\x95\xB7\xE3\x81\x84\xE3\x83\x95\xE3\x82"
      "\xA1\xE3\x82"
      "\xA4\xE3\x83\xAB\xE5\x90\x8D\xE3\x81\xA7\xE3\x81\x99\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E."
      "pdf";
  m.attachments.push_back(file(long_name, pattern(78)));
  const std::string eml = render_eml(m);
  EXPECT_NE(eml.find("Content-Type: multipart/mixed; boundary=\"=_ostfs_"),
            std::string::npos);
  EXPECT_NE(eml.find("Content-Type: application/pdf; name=\"Report Q3.pdf\""), std::string::npos)
      << eml;
  EXPECT_NE(eml.find("Content-Disposition: attachment; filename=\"Report Q3.pdf\""),
            std::string::npos);
  EXPECT_NE(eml.find("filename*=UTF-8''R%C3%A9sum%C3%A9"), std::string::npos) << headers_of(eml);
  EXPECT_EQ(count(eml, "Content-Transfer-Encoding: base64"), 5u);
  PythonEmailCheck check;
  check.add(eml,
            {.attachments = {{"Report Q3.pdf", pdf},
                             {"empty.txt", empty},
                             {"notes.txt", crlf},
                             {"R\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.docx", pattern(77)},
                             {long_name, pattern(78)}},
             .structure = std::vector<std::string>{"multipart/mixed", "text/plain",
                                                   "application/pdf", "text/plain", "text/plain",
                                                   "application/vnd.openxmlformats-officedocument."
                                                   "wordprocessingml.document",
                                                   "application/pdf"},
             .body = "Hello Bob,\nthe numbers are attached.\n"});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, AttachmentNamesFallBack) {
  model::Message m = simple_message();
  model::Attachment short_name = file("", pattern(10));
  short_name.props.props.push_back(unicode(props::PidTagAttachFilename, "SHORT~1.TXT"));
  m.attachments.push_back(std::move(short_name));
  model::Attachment nameless = file("", pattern(11));
  nameless.props.props.push_back(unicode(props::PidTagAttachExtension, ".png"));
  m.attachments.push_back(std::move(nameless));
  const std::string eml = render_eml(m);
  EXPECT_NE(eml.find("Content-Type: image/png; name=attachment2.png"), std::string::npos) << eml;
  PythonEmailCheck check;
  check.add(eml, {.attachments = {{"SHORT~1.TXT", pattern(10)}, {"attachment2.png", pattern(11)}}});
  expect_python_ok(check);
}

TEST(RenderEml, InlineImageWithContentIdGoesIntoRelated) {
  model::Message m = simple_message();
  m.props.props.push_back(
      binary(props::PidTagHtml,
             bytes_of("<html><body><img src=\"cid:image001.png@01D9\"></body></html>")));
  const auto png = pattern(5000, 9);
  m.attachments.push_back(file("image001.png", png, "image/png", "image001.png@01D9"));
  m.attachments.push_back(file("unreferenced.png", pattern(300), "image/png", "<other@x>"));
  m.attachments.push_back(file("report.pdf", pattern(400)));
  const std::string eml = render_eml(m);
  const size_t related = eml.find("Content-Type: multipart/related;");
  ASSERT_NE(related, std::string::npos);
  EXPECT_NE(eml.substr(related, 200).find("type=\"text/html\""), std::string::npos)
      << eml.substr(related, 200);
  EXPECT_NE(
      eml.find(
          "Content-Disposition: inline; filename=image001.png\nContent-Id: <image001.png@01D9>"),
      std::string::npos)
      << eml.substr(0, 3000);
  // A Content-ID the HTML does not use keeps its header but stays an ordinary attachment.
  EXPECT_NE(
      eml.find("Content-Disposition: attachment; filename=unreferenced.png\nContent-Id: <other@x>"),
      std::string::npos);
  PythonEmailCheck check;
  check.add(eml, {.attachments = {{"image001.png", png}, {"unreferenced.png", pattern(300)}},
                  .structure = std::vector<std::string>{
                      "multipart/mixed", "multipart/alternative", "text/plain", "multipart/related",
                      "text/html", "image/png", "image/png", "application/pdf"}});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, InlineImagesWithoutOtherAttachmentsNeedNoMixed) {
  model::Message m = simple_message();
  m.props.props.erase(m.props.props.begin() + 6);  // PR_BODY
  m.props.props.push_back(unicode(props::PidTagHtml, "<img src=\"CID:logo@x\">"));
  m.attachments.push_back(file("logo.gif", pattern(64), "", "logo@x"));
  PythonEmailCheck check;
  check.add(render_eml(m),
            {.structure = std::vector<std::string>{"multipart/related", "text/html", "image/gif"}});
  expect_python_ok(check);
  expect_measure_exact(m);
}

model::Message nested(int levels, uint32_t nid) {
  model::Message m = simple_message(nid);
  m.props.props[1] = unicode(props::PidTagSubject, "Level " + std::to_string(levels));
  m.attachments.push_back(
      file("level" + std::to_string(levels) + ".bin", pattern(100 + levels, levels)));
  if (levels > 1)
    m.attachments.push_back(
        embedded(nested(levels - 1, nid + 1), "Level " + std::to_string(levels - 1)));
  return m;
}

TEST(RenderEml, EmbeddedMessagesFourLevelsDeep) {
  const model::Message m = nested(4, 0x100);
  const std::string eml = render_eml(m);
  EXPECT_EQ(count(eml, "Content-Type: message/rfc822"), 3u);
  EXPECT_NE(eml.find("filename=\"Level 3.eml\""), std::string::npos);
  EmailExpectation expect;
  std::vector<std::string> structure;
  for (int level = 4; level >= 1; --level) {
    expect.attachments["level" + std::to_string(level) + ".bin"] = pattern(100 + level, level);
    structure.insert(structure.end(),
                     {"multipart/mixed", "text/plain", "application/octet-stream"});
    if (level > 1) structure.push_back("message/rfc822");
  }
  expect.structure = structure;
  expect.headers = {{"Subject", "Level 4"}};
  PythonEmailCheck check;
  check.add(eml, expect);
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, EmbeddedMessageKeepsItsTransportHeaders) {
  model::Message inner = simple_message(0x300);
  inner.props.props.push_back(unicode(props::PidTagTransportMessageHeaders,
                                      "Received: by relay.example\r\nSubject: inner original\r\n"));
  model::Message m = simple_message();
  m.attachments.push_back(embedded(std::move(inner)));
  const std::string eml = render_eml(m);
  EXPECT_NE(eml.find("\n\nReceived: by relay.example\nSubject: inner original\n"),
            std::string::npos)
      << eml;
  // Without a name of its own, the part is named after the embedded message's subject.
  EXPECT_NE(eml.find("filename=\"Quarterly numbers.eml\""), std::string::npos) << eml;
  PythonEmailCheck check;
  check.add(eml, {.structure = std::vector<std::string>{"multipart/mixed", "text/plain",
                                                        "message/rfc822", "text/plain"}});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, EmbeddedNestingIsBounded) {
  model::Message m = nested(12, 0x500);
  EmlOptions options;
  options.max_embedded_depth = 5;
  const std::string eml = render_eml(m, options);
  EXPECT_EQ(count(eml, "Content-Type: message/rfc822"), 5u);
  EXPECT_NE(eml.find("nested more than 5 levels deep"), std::string::npos);
  EXPECT_EQ(measure_eml(deep_copy(m, false), options), eml.size());
}

TEST(RenderEml, ReferenceOleAndUnreadableAttachmentsAreExplained) {
  model::Message m = simple_message();
  model::Attachment link;
  link.method = model::AttachMethod::ByReferenceOnly;
  link.props.props.push_back(unicode(props::PidTagAttachLongFilename, "budget.xlsx"));
  link.props.props.push_back(
      unicode(props::PidTagAttachLongPathname, "\\\\server\\share\\budget.xlsx"));
  m.attachments.push_back(std::move(link));
  model::Attachment linked_copy = file("copy.txt", bytes_of("copy"));
  linked_copy.method = model::AttachMethod::ByReference;
  m.attachments.push_back(std::move(linked_copy));
  model::Attachment ole = file("", pattern(600));
  ole.method = model::AttachMethod::Ole;
  m.attachments.push_back(std::move(ole));
  model::Attachment lost;
  lost.method = model::AttachMethod::EmbeddedMessage;
  m.attachments.push_back(std::move(lost));
  const std::string eml = render_eml(m);
  EXPECT_NE(eml.find("not stored in the mailbox:\n\\\\server\\share\\budget.xlsx\n"),
            std::string::npos);
  EXPECT_NE(eml.find("Content-Description: Attachment by reference: budget.xlsx"),
            std::string::npos);
  EXPECT_NE(eml.find("Content-Description: Attachment by reference to (no path recorded)"),
            std::string::npos);
  EXPECT_NE(eml.find("Content-Description: OLE object (Outlook attachment method 6)"),
            std::string::npos);
  EXPECT_NE(eml.find("could not be read from the mailbox"), std::string::npos);
  PythonEmailCheck check;
  check.add(eml, {.attachments = {{"copy.txt", bytes_of("copy")}, {"attachment3", pattern(600)}}});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, TwoHundredRecipients) {
  model::Message m = simple_message();
  m.recipients.clear();
  std::string to, cc;
  for (int i = 0; i < 200; ++i) {
    const std::string n = std::to_string(i);
    const int type = i % 4 == 3 ? props::RecipientCc : props::RecipientTo;
    m.recipients.push_back(recipient(type, "Person " + n + (i % 10 == 0 ? " M\xC3\xBCller" : ""),
                                     "person" + n + "@example.com"));
    std::string& list = type == props::RecipientCc ? cc : to;
    if (!list.empty()) list += ", ";
    list +=
        "Person " + n + (i % 10 == 0 ? " M\xC3\xBCller" : "") + " <person" + n + "@example.com>";
  }
  const std::string eml = render_eml(m);
  const std::string headers = headers_of(eml);
  size_t longest = 0, line = 0;
  for (char c : headers) line = c == '\n' ? (longest = std::max(longest, line), 0) : line + 1;
  EXPECT_LE(longest, 78u);
  PythonEmailCheck check;
  check.add(eml, {.headers = {{"To", to}, {"Cc", cc}}});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(RenderEml, ExchangeAddressesUseSmtpOrNameOnly) {
  model::Message m = simple_message();
  m.props.props[3] = unicode(props::PidTagSenderAddressType, "EX");
  m.props.props[4] =
      unicode(props::PidTagSenderEmailAddress, "/O=ORG/OU=EXCHANGE/CN=RECIPIENTS/CN=ALICE");
  m.recipients.push_back(
      recipient(props::RecipientCc, "Carol", "/O=ORG/CN=CAROL", "EX", "carol@example.com"));
  m.recipients.push_back(recipient(props::RecipientCc, "Dave (no SMTP)", "/O=ORG/CN=DAVE", "EX"));
  const std::string eml = render_eml(m);
  EXPECT_EQ(eml.find("/O=ORG"), std::string::npos);
  PythonEmailCheck check;
  check.add(eml, {.headers = {{"From", "Alice Example:;"},
                              {"Cc", "Carol <carol@example.com>, \"Dave (no SMTP)\":;"}}});
  expect_python_ok(check);
}

TEST(RenderEml, RtfOnlyBodies) {
  const std::string from_html =
      "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\r\n"
      "{\\*\\htmltag19 <html>}{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 Hello from RTF\r\n"
      "{\\*\\htmltag72 </p>}\\htmlrtf }\\htmlrtf0 {\\*\\htmltag27 </html>}}";
  const std::string rich =
      "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\r\n{\\b Bold} text\\par\r\n}";
  const std::string from_text =
      "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\deff0{\\fonttbl{\\f0 Courier;}}\r\nJust "
      "text\\par\r\n}";

  PythonEmailCheck check;
  model::Message html = simple_message();
  html.props.props[6] = binary(props::PidTagRtfCompressed, mela(from_html));
  const std::string html_eml = render_eml(html);
  EXPECT_NE(html_eml.find("Hello from RTF"), std::string::npos);
  check.add(html_eml, {.structure = std::vector<std::string>{"text/html"}});
  expect_measure_exact(html);

  model::Message text = simple_message();
  text.props.props[6] = binary(props::PidTagRtfCompressed, mela(from_text));
  const std::string text_eml = render_eml(text);
  EXPECT_NE(text_eml.find("Just text"), std::string::npos);
  check.add(text_eml, {.structure = std::vector<std::string>{"text/plain"}});
  expect_measure_exact(text);

  model::Message rtf = simple_message();
  rtf.props.props[6] = binary(props::PidTagRtfCompressed, mela(rich));
  const std::string rtf_eml = render_eml(rtf);
  EXPECT_NE(rtf_eml.find("Bold text"), std::string::npos);
  EXPECT_NE(rtf_eml.find("Content-Type: text/rtf"), std::string::npos);
  check.add(rtf_eml, {.structure = std::vector<std::string>{"multipart/alternative", "text/plain",
                                                            "text/rtf"}});
  expect_measure_exact(rtf);

  model::Message broken = simple_message();
  broken.props.props[6] = binary(props::PidTagRtfCompressed, pattern(40));
  const std::string broken_eml = render_eml(broken);
  EXPECT_NE(headers_of(broken_eml).find("X-Ostfs-Warning: PR_RTF_COMPRESSED:"), std::string::npos);
  check.add(broken_eml, {.structure = std::vector<std::string>{"text/plain"}, .body = ""});
  expect_python_ok(check);
}

TEST(RenderEml, ReaderWarningsAreShown) {
  model::Message m = simple_message();
  m.warnings.push_back("attachment 2: cannot read data\nstream");
  EXPECT_TRUE(has_line(headers_of(render_eml(m)),
                       "X-Ostfs-Warning: attachment 2: cannot read data stream"));
}

TEST(RenderEml, BoundaryNeverOccursInBodies) {
  model::Message m = simple_message();
  m.attachments.push_back(file("a.bin", pattern(10)));
  const std::string plain = render_eml(m);
  const size_t at = plain.find("boundary=\"") + 10;
  const std::string boundary = plain.substr(at, plain.find('"', at) - at);
  // A body that contains our boundary forces another one.
  m.props.props[6] =
      unicode(props::PidTagBody, "trap:\n--" + boundary + "\n--" + boundary + "_1--\n");
  const std::string eml = render_eml(m);
  EXPECT_NE(eml.find("boundary=\"" + boundary + "_2\""), std::string::npos) << headers_of(eml);
  PythonEmailCheck check;
  check.add(eml, {.attachments = {{"a.bin", pattern(10)}},
                  .body = "trap:\n--" + boundary + "\n--" + boundary + "_1--\n"});
  expect_python_ok(check);
  expect_measure_exact(m);
}

TEST(MeasureEml, MatchesRenderForManyAttachmentSizes) {
  model::Message m = simple_message();
  for (size_t n = 0; n < 300; n += 7)
    m.attachments.push_back(file("f" + std::to_string(n), pattern(n)));
  for (size_t n : {4096u, 65536u, 65537u, 1000001u})
    m.attachments.push_back(file("g" + std::to_string(n), pattern(n)));
  expect_measure_exact(m);
}

TEST(MeasureEml, NeverTouchesAttachmentData) {
  model::Message m = simple_message();
  model::Attachment huge = file("huge.iso", {});
  huge.data_size = uint64_t{50} << 30;  // 50 GiB: allocating it would fail
  huge.data_loaded = false;
  m.attachments.push_back(std::move(huge));
  model::Message small = simple_message();
  small.attachments.push_back(file("huge.iso", {}));
  const uint64_t with_empty = measure_eml(small);
  EXPECT_EQ(measure_eml(m), with_empty + base64_encoded_size(uint64_t{50} << 30));
}

TEST(RenderEml, UnloadedAttachmentDataIsAnError) {
  model::Message m = simple_message();
  model::Attachment a = file("a.bin", {});
  a.data_size = 10;
  a.data_loaded = false;
  m.attachments.push_back(std::move(a));
  EXPECT_THROW(render_eml(m), std::invalid_argument);
}

TEST(RenderEml, TwentyMegabyteAttachmentIsFast) {
  model::Message m = simple_message();
  const auto data = pattern(20 * 1000 * 1000, 1);
  m.attachments.push_back(file("big.bin", data));
  const auto start = std::chrono::steady_clock::now();
  const std::string eml = render_eml(m);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 3.0);
  EXPECT_EQ(measure_eml(deep_copy(m, false)), eml.size());
  EXPECT_GT(eml.size(), base64_encoded_size(data.size()));
  PythonEmailCheck check;
  check.add(eml, {.attachments = {{"big.bin", data}}});
  expect_python_ok(check);
}

TEST(RenderEml, ConcurrentCallsGiveTheSameBytes) {
  model::Message m = nested(3, 0x700);
  m.props.props.push_back(unicode(props::PidTagHtml, "<p>h\xC3\xA9</p><img src=\"cid:i@x\">"));
  m.attachments.push_back(file("i.png", pattern(2000), "", "i@x"));
  const std::string expected = render_eml(m);
  const uint64_t expected_size = measure_eml(m);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i)
        if (render_eml(m) != expected || measure_eml(m) != expected_size) ++mismatches[t];
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace ostfs::render
