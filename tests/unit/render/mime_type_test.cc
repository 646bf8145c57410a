#include "fs/render/mime_type.h"

#include <gtest/gtest.h>

namespace ostfs::render {
namespace {

struct MimeCase {
  const char* tag;
  const char* filename;
  MimeType expected;
};

class AttachmentMimeType : public ::testing::TestWithParam<MimeCase> {};

TEST_P(AttachmentMimeType, Resolves) {
  const MimeCase& c = GetParam();
  EXPECT_EQ(attachment_mime_type(c.tag, c.filename), c.expected) << c.tag << " " << c.filename;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AttachmentMimeType,
    ::testing::Values(MimeCase{"image/png", "x.bin", {"image", "png"}},
                      MimeCase{"  Image/PNG ; name=x", "x.bin", {"image", "png"}},
                      MimeCase{"", "Report.PDF", {"application", "pdf"}},
                      MimeCase{"", "photo.jpeg", {"image", "jpeg"}},
                      MimeCase{
                          "",
                          "book.xlsx",
                          {"application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
                      MimeCase{"", "noextension", {"application", "octet-stream"}},
                      MimeCase{"", "archive.unknownext", {"application", "octet-stream"}},
                      MimeCase{"", "trailingdot.", {"application", "octet-stream"}},
                      MimeCase{"garbage", "a.txt", {"text", "plain"}},
                      MimeCase{"text/", "a.gif", {"image", "gif"}},
                      MimeCase{"te xt/plain", "a.gif", {"image", "gif"}},
                      MimeCase{"text/pl\"ain", "a.gif", {"image", "gif"}},
                      MimeCase{"message/rfc822", "a.eml", {"application", "octet-stream"}},
                      MimeCase{"multipart/mixed", "a.txt", {"application", "octet-stream"}}));

}  // namespace
}  // namespace ostfs::render
