// S/MIME messages: the .eml is the protected entity, which openssl (an independent
// implementation) must verify or decrypt. Keys and messages are made by openssl in the test.
#include "fs/render/eml_smime.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fs/render/eml.h"
#include "message_builder.h"
#include "python_email_check.h"

namespace ostfs::render {
namespace {

using namespace testing;
namespace fs = std::filesystem;

constexpr std::string_view kContent =
    "Content-Type: text/plain; charset=utf-8\n\nSigned text: gr\xC3\xBC\xC3\x9F" "e \xE6\x97\xA5\xE6\x9C\xAC\n";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string with_crlf(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

class Smime : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / ("ostfs_smime_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    write_file(dir_ / "content.txt", kContent);
    ASSERT_EQ(run("openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "
                  "'/CN=Alice Example/emailAddress=alice@example.com' -keyout key.pem -out cert.pem"),
              0);
  }
  static void TearDownTestSuite() {
    if (!std::getenv("OSTFS_KEEP_TEST_FILES")) fs::remove_all(dir_);
  }

  // Runs `command` in the test directory, quietly; returns its exit status.
  static int run(const std::string& command) {
    return std::system(("cd '" + dir_.string() + "' && " + command + " >/dev/null 2>&1").c_str());
  }

  static model::Message smime_message(std::string_view cls, std::string_view name, std::string_view tag,
                                      std::string data) {
    model::Message m = simple_message();
    m.props.props.front() = unicode(props::PidTagMessageClass, cls);
    m.props.props.push_back(unicode(
        props::PidTagTransportMessageHeaders,
        "Received: from mx.example.com\r\n\tby mail.example.org; Tue, 14 Nov 2023 22:13:20 +0000\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/signed; boundary=\"gone\"\r\n"));
    std::vector<uint8_t> bytes(data.begin(), data.end());
    m.attachments.push_back(file(name, std::move(bytes), tag));
    return m;
  }

  // Writes `eml` and checks that openssl accepts it with `command` (which reads
  // message.eml and writes out.txt); returns what it wrote.
  static std::string openssl_output(const std::string& eml, const std::string& command) {
    write_file(dir_ / "message.eml", eml);
    fs::remove(dir_ / "out.txt");
    EXPECT_EQ(run(command), 0) << command;
    return read_file(dir_ / "out.txt");
  }

  static fs::path dir_;
};

fs::path Smime::dir_;

TEST_F(Smime, ClearSignedMessageVerifies) {
  ASSERT_EQ(run("openssl smime -sign -in content.txt -signer cert.pem -inkey key.pem -out signed.txt"), 0);
  // Outlook keeps the multipart/signed entity from its Content-Type on, in canonical CRLF form.
  std::string entity = with_crlf(read_file(dir_ / "signed.txt"));
  entity = entity.substr(entity.find("Content-Type:"));
  const model::Message m =
      smime_message("IPM.Note.SMIME.MultipartSigned", "smime.p7m", "multipart/signed", entity);
  ASSERT_TRUE(smime_entity(m));
  EXPECT_EQ(smime_entity(m)->kind, SmimeKind::MultipartSigned);

  const std::string eml = render_eml(m);
  EXPECT_EQ(eml.substr(eml.size() - entity.size()), entity);  // byte for byte
  EXPECT_EQ(eml.find("Content-Type: multipart/signed; boundary=\"gone\""), std::string::npos);
  EXPECT_EQ(eml.rfind("Received: from mx.example.com\n", 0), 0u) << eml;
  EXPECT_NE(eml.find("\nSubject: Quarterly numbers\nDate: "), std::string::npos) << eml;
  EXPECT_NE(eml.find("\nX-MS-Message-Class: IPM.Note.SMIME.MultipartSigned\nMIME-Version: 1.0\nContent-Type: "
                     "multipart/signed;"),
            std::string::npos)
      << eml;
  const std::string verified =
      openssl_output(eml, "openssl smime -verify -noverify -in message.eml -out out.txt");
  EXPECT_EQ(verified, with_crlf(kContent));

  PythonEmailCheck check;
  check.add(eml, {.structure = std::vector<std::string>{"multipart/signed", "text/plain",
                                                        "application/x-pkcs7-signature"}});
  bool ok = false;
  const std::string output = check.run(ok);
  EXPECT_TRUE(ok) << output;

  // Measured without the data, as at `stat` time.
  model::Message unloaded = smime_message("IPM.Note.SMIME.MultipartSigned", "smime.p7m", "multipart/signed", "");
  unloaded.attachments[0].data_size = entity.size();
  unloaded.attachments[0].data_loaded = false;
  EXPECT_EQ(measure_eml(unloaded), eml.size());
}

TEST_F(Smime, TamperedSignedMessageFailsToVerify) {
  // The check above must be able to fail: one changed byte breaks the signature.
  ASSERT_EQ(run("openssl smime -sign -in content.txt -signer cert.pem -inkey key.pem -out signed.txt"), 0);
  std::string entity = with_crlf(read_file(dir_ / "signed.txt"));
  entity = entity.substr(entity.find("Content-Type:"));
  entity.replace(entity.find("Signed text"), 6, "Forged");
  const std::string eml = render_eml(
      smime_message("IPM.Note.SMIME.MultipartSigned", "smime.p7m", "multipart/signed", entity));
  write_file(dir_ / "message.eml", eml);
  EXPECT_NE(run("openssl smime -verify -noverify -in message.eml -out out.txt"), 0);
}

TEST_F(Smime, OpaqueSignedMessageVerifies) {
  ASSERT_EQ(run("openssl smime -sign -nodetach -binary -outform DER -in content.txt -signer cert.pem "
                "-inkey key.pem -out opaque.p7m"),
            0);
  const std::string der = read_file(dir_ / "opaque.p7m");
  const model::Message m = smime_message("IPM.Note.SMIME", "smime.p7m", "application/pkcs7-mime", der);
  ASSERT_TRUE(smime_entity(m));
  EXPECT_EQ(smime_entity(m)->kind, SmimeKind::Pkcs7Mime);
  const std::string eml = render_eml(m);
  EXPECT_NE(eml.find("MIME-Version: 1.0\nContent-Type: application/pkcs7-mime; name=smime.p7m\n"),
            std::string::npos)
      << eml;
  EXPECT_EQ(openssl_output(eml, "openssl smime -verify -noverify -binary -in message.eml -out out.txt"),
            std::string(kContent));
  PythonEmailCheck check;
  check.add(eml, {.attachments = {{"smime.p7m", std::vector<uint8_t>(der.begin(), der.end())}},
                  .structure = std::vector<std::string>{"application/pkcs7-mime"}});
  bool ok = false;
  const std::string output = check.run(ok);
  EXPECT_TRUE(ok) << output;

  model::Message unloaded = smime_message("IPM.Note.SMIME", "smime.p7m", "application/pkcs7-mime", "");
  unloaded.attachments[0].data_size = der.size();
  unloaded.attachments[0].data_loaded = false;
  EXPECT_EQ(measure_eml(unloaded), eml.size());
}

TEST_F(Smime, EncryptedMessageDecrypts) {
  ASSERT_EQ(run("openssl smime -encrypt -aes256 -binary -outform DER -in content.txt -out encrypted.p7m cert.pem"), 0);
  const std::string der = read_file(dir_ / "encrypted.p7m");
  // No MIME tag, only the conventional file name.
  const std::string eml = render_eml(smime_message("IPM.Note.SMIME", "smime.p7m", "", der));
  EXPECT_EQ(openssl_output(eml, "openssl smime -decrypt -binary -inkey key.pem -recip cert.pem -in message.eml "
                                "-out out.txt"),
            std::string(kContent));
}

TEST(SmimeEntity, OnlyForSmimeClassesWithOneFittingAttachment) {
  auto message = [](std::string_view cls, std::vector<std::pair<std::string, std::string>> attachments) {
    model::Message m = simple_message();
    m.props.props.front() = unicode(props::PidTagMessageClass, cls);
    for (const auto& [name, tag] : attachments) m.attachments.push_back(file(name, pattern(10), tag));
    return m;
  };
  EXPECT_TRUE(smime_entity(message("ipm.note.smime", {{"x.p7m", "Application/X-PKCS7-MIME; smime-type=enveloped-data"}})));
  EXPECT_TRUE(smime_entity(message("IPM.Note.SMIME.MultipartSigned", {{"smime.p7m", " multipart/signed "}})));
  EXPECT_FALSE(smime_entity(message("IPM.Note", {{"smime.p7m", "application/pkcs7-mime"}})));
  EXPECT_FALSE(smime_entity(message("IPM.Note.SMIMEX", {{"smime.p7m", "application/pkcs7-mime"}})));
  EXPECT_FALSE(smime_entity(message("IPM.Note.SMIME", {})));
  EXPECT_FALSE(smime_entity(message("IPM.Note.SMIME", {{"a.p7m", ""}, {"b.p7m", ""}})));
  EXPECT_FALSE(smime_entity(message("IPM.Note.SMIME", {{"photo.jpg", "image/jpeg"}})));
  EXPECT_FALSE(smime_entity(message("IPM.Note.SMIME", {{"a.p7m", "image/jpeg"}})));
  model::Message embedded = message("IPM.Note.SMIME", {});
  model::Attachment a;
  a.method = model::AttachMethod::EmbeddedMessage;
  a.props.props.push_back(unicode(props::PidTagAttachMimeTag, "application/pkcs7-mime"));
  embedded.attachments.push_back(std::move(a));
  EXPECT_FALSE(smime_entity(embedded));
}

}  // namespace
}  // namespace ostfs::render
