// Builds PSTs from synthetic model objects and reads them back with independent readers:
// libpff (pffinfo, pypff), libpst (readpst) and pst-extractor (tables, as Outlook reads them).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "export/pst_writer.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::pstw {
namespace {
namespace fs = std::filesystem;
using model::Property;

struct CommandResult {
  int status;
  std::string out;
};

CommandResult run(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen((cmd + " 2>&1").c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
  int status = pclose(p.release());
  return CommandResult{status, out};
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string h;
  for (unsigned char c : s) {
    h += d[c >> 4];
    h += d[c & 15];
  }
  return h;
}

Property unicode(uint16_t id, std::string_view utf8) {
  std::string u = text::utf8_to_utf16le(utf8);
  return {id, props::type::Unicode, std::vector<uint8_t>(u.begin(), u.end()), std::nullopt};
}
Property int32(uint16_t id, int32_t v) {
  std::vector<uint8_t> b(4);
  for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
  return {id, props::type::Int32, b, std::nullopt};
}

std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    b[i] = static_cast<uint8_t>(seed >> 16);
  }
  return b;
}

std::string sha256(const std::vector<uint8_t>& data, const fs::path& tmp) {
  { std::ofstream(tmp, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size())); }
  CommandResult r = run("sha256sum " + quote(tmp));
  return r.out.substr(0, 64);
}

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ostfs_export_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  // Runs check_pst.py and returns its lines as a set.
  std::set<std::string> check(const fs::path& pst) {
    CommandResult r = run("/usr/bin/python3 " OSTFS_EXPORT_TEST_DIR "/check_pst.py " + quote(pst) + " " + quote(dir_ / "work") +
                " " OSTFS_EXPORT_TEST_DIR "/js");
    EXPECT_EQ(r.status, 0) << r.out;
    std::set<std::string> lines;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);) lines.insert(l);
    return lines;
  }
  fs::path dir_;
};

TEST_F(EndToEnd, EmptyStoreOpensInEveryReader) {
  const fs::path pst = dir_ / "empty.pst";
  { PstWriter w(pst, {"Empty export"}); w.finish(); }
  EXPECT_EQ(fs::file_size(pst), 271360u);  // header area + one region, like Outlook's Empty.pst
  CommandResult info = run("pffinfo " + quote(pst));
  EXPECT_EQ(info.status, 0) << info.out;
  EXPECT_NE(info.out.find("Subtree, Wastbox, Finder"), std::string::npos) << info.out;
  auto lines = check(pst);
  EXPECT_TRUE(lines.count("extractor STORE Empty export"));
  for (const char* l : {"pypff FOLDER /Top of Personal Folders 0", "pypff FOLDER /Top of Personal Folders/Deleted Items 0",
                        "pypff FOLDER /Search Root 0", "extractor FOLDER /Top of Personal Folders/Deleted Items 0",
                        "extractor FOLDER /SPAM Search Folder 2 0", "readpst FOLDER  0"})
    EXPECT_TRUE(lines.count(l)) << l;
}

TEST_F(EndToEnd, UnfinishedWriterLeavesInvalidFile) {
  const fs::path pst = dir_ / "unfinished.pst";
  { PstWriter w(pst, {}); }
  EXPECT_NE(run("pffinfo " + quote(pst)).status, 0);
}

TEST_F(EndToEnd, FoldersMessagesAttachmentsAndEmbeddedMessages) {
  const fs::path pst = dir_ / "full.pst";
  const std::string subject = "Grüße 🚀 日本";  // non-BMP character on purpose
  const auto small = pattern(20 * 1024, 1);
  const auto large = pattern(3 * 1024 * 1024, 2);
  const std::array<uint8_t, 16> guid = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                        0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00};
  {
    PstWriter w(pst, {"Synthetic"});
    model::Folder inbox_f;
    inbox_f.name = "Inbox";
    inbox_f.props.props.push_back(unicode(props::PidTagContainerClass, "IPF.Note"));
    const FolderRef inbox = w.add_folder(w.ipm_subtree(), inbox_f);
    model::Folder nested_f;
    nested_f.name = "Projekte ä";
    const FolderRef nested = w.add_folder(inbox, nested_f);
    model::Folder deep_f;
    deep_f.name = "Deep";
    w.add_folder(nested, deep_f);
    model::Folder bulk_f;
    bulk_f.name = "Bulk";
    const FolderRef bulk = w.add_folder(w.ipm_subtree(), bulk_f);

    model::Message m;
    m.props.props.push_back(unicode(props::PidTagSubject, subject));
    m.props.props.push_back(unicode(props::PidTagBody, "plain body"));
    const std::string html = "<html><body><p>html body</p></body></html>";
    m.props.props.push_back({props::PidTagHtml, props::type::Binary, std::vector<uint8_t>(html.begin(), html.end()), std::nullopt});
    m.props.props.push_back(int32(props::PidTagMessageFlags, 1));
    Property named = unicode(0x8123, "named value");
    named.named = model::NamedId{guid, 0x1234u, {}};
    m.props.props.push_back(named);
    m.props.props.push_back(unicode(0x8124, "no name: dropped"));
    for (int i = 0; i < 3; ++i) {
      model::Recipient r;
      r.props.props.push_back(unicode(props::PidTagDisplayName, "Person " + std::to_string(i)));
      r.props.props.push_back(unicode(props::PidTagEmailAddress, "p" + std::to_string(i) + "@example.com"));
      r.props.props.push_back(unicode(props::PidTagAddressType, "SMTP"));
      r.props.props.push_back(int32(props::PidTagRecipientType, i == 2 ? props::RecipientCc : props::RecipientTo));
      m.recipients.push_back(std::move(r));
    }
    for (const auto* data : {&small, &large}) {
      model::Attachment a;
      a.data = *data;
      a.data_size = data->size();
      a.data_loaded = true;
      a.props.props.push_back(unicode(props::PidTagAttachLongFilename, data == &small ? "small.bin" : "large.bin"));
      a.props.props.push_back(unicode(props::PidTagAttachFilename, data == &small ? "small.bin" : "large.bin"));
      m.attachments.push_back(std::move(a));
    }
    model::Attachment emb;
    emb.method = model::AttachMethod::EmbeddedMessage;
    emb.embedded = std::make_unique<model::Message>();
    emb.embedded->props.props.push_back(unicode(props::PidTagSubject, "Inner message"));
    emb.embedded->props.props.push_back(unicode(props::PidTagBody, "inner body"));
    emb.props.props.push_back(unicode(props::PidTagDisplayName, "Inner message"));
    m.attachments.push_back(std::move(emb));
    w.add_message(inbox, m);

    model::Message unread;
    unread.props.props.push_back(unicode(props::PidTagSubject, "Second"));
    w.add_message(inbox, unread);

    for (int i = 0; i < 500; ++i) {
      model::Message b;
      b.props.props.push_back(unicode(props::PidTagSubject, "Bulk " + std::to_string(i)));
      w.add_message(bulk, b);
    }
    // Bulk's table is written now and its rows let go; the readers below still find all 500
    // messages in it, and the folder's count says 500.
    w.finish_folder_contents(bulk);
    EXPECT_THROW(w.add_message(bulk, unread), std::logic_error);
    model::Attachment bad;
    bad.data_size = 10;
    model::Message with_bad;
    with_bad.attachments.push_back(std::move(bad));
    EXPECT_THROW(w.add_message(inbox, with_bad), std::invalid_argument);
    EXPECT_THROW(w.add_message(0x12345, unread), std::invalid_argument);
    w.finish();
  }
  CommandResult info = run("pffinfo " + quote(pst));
  ASSERT_EQ(info.status, 0) << info.out;
  CommandResult exp = run("pffexport -q -t " + quote(dir_ / "pffexport") + " " + quote(pst));
  EXPECT_EQ(exp.status, 0) << exp.out;

  const std::string h_small = sha256(small, dir_ / "s.bin");
  const std::string h_large = sha256(large, dir_ / "l.bin");
  const std::string subj16 = hex(text::utf8_to_utf16le(subject));
  const std::string atts = h_small + "," + h_large + ",embedded";
  auto lines = check(pst);
  const std::vector<std::string> expected = {
      "pypff FOLDER /Top of Personal Folders/Inbox 2",
      "pypff FOLDER /Top of Personal Folders/Inbox/Projekte ä 0",
      "pypff FOLDER /Top of Personal Folders/Inbox/Projekte ä/Deep 0",
      "pypff FOLDER /Top of Personal Folders/Bulk 500",
      "pypff MSG /Top of Personal Folders/Inbox " + subj16 + " " + atts,
      "pypff MSG /Top of Personal Folders/Bulk " + hex(text::utf8_to_utf16le("Bulk 499")) + " -",
      "pypff NAMED " + hex(text::utf8_to_utf16le("named value")),
      "readpst FOLDER /Synthetic/Inbox 2",
      "readpst FOLDER /Synthetic/Bulk 500",
      "readpst MSG /Synthetic/Inbox " + hex(subject) + " " + std::min(h_small, h_large) + "," + std::max(h_small, h_large),
      "readpst EMBEDDED " + hex("Inner message"),
      "readpst MSG /Synthetic/Bulk " + hex("Bulk 7") + " -",
      "extractor STORE Synthetic",
      "extractor FOLDER /Top of Personal Folders/Inbox 2",
      "extractor FOLDER /Top of Personal Folders/Inbox/Projekte ä/Deep 0",
      "extractor FOLDER /Top of Personal Folders/Bulk 500",
      "extractor MSG /Top of Personal Folders/Inbox " + hex(subject) + " 3 " + atts,
      "extractor MSG /Top of Personal Folders/Inbox " + hex("Second") + " 0 -",
      "extractor MSG /Top of Personal Folders/Bulk " + hex("Bulk 250") + " 0 -",
  };
  for (const std::string& e : expected) EXPECT_TRUE(lines.count(e)) << "missing: " << e;
  if (HasFailure())
    for (const std::string& l : lines)
      if (l.find("MSG /Top of Personal Folders/Bulk") == std::string::npos &&
          l.find("MSG /Synthetic/Bulk") == std::string::npos)
        std::cerr << l << "\n";

  // The unnamed property >= 0x8000 was dropped; pffexport wrote the embedded message.
  EXPECT_FALSE(lines.count("pypff NAMED " + hex(text::utf8_to_utf16le("no name: dropped"))));
  CommandResult grep = run("grep -rl 'Inner message' " + quote(dir_ / "pffexport.export"));
  EXPECT_EQ(grep.status, 0) << grep.out;
}

TEST_F(EndToEnd, LargeStreamsUseXxblocksAndFileGetsFmap) {
  // 4 × 12 MiB: each attachment needs an XXBLOCK (> 1021 × 8176 bytes), and the file passes
  // region 128, where the first FMap page lives.
  const fs::path pst = dir_ / "large.pst";
  std::vector<std::string> hashes;
  {
    PstWriter w(pst, {"Large"});
    model::Folder f;
    f.name = "Big";
    const FolderRef big = w.add_folder(w.ipm_subtree(), f);
    for (uint32_t i = 0; i < 4; ++i) {
      model::Message m;
      m.props.props.push_back(unicode(props::PidTagSubject, "Big " + std::to_string(i)));
      model::Attachment a;
      a.data = pattern(12 * 1024 * 1024, 10 + i);
      a.data_size = a.data.size();
      a.data_loaded = true;
      hashes.push_back(sha256(a.data, dir_ / "a.bin"));
      m.attachments.push_back(std::move(a));
      w.add_message(big, m);
    }
    w.finish();
  }
  const uint64_t size = fs::file_size(pst);
  EXPECT_GT(size, 0x4400u + 128u * 253952u);
  EXPECT_EQ((size - 0x4400u) % 253952u, 0u);
  std::ifstream in(pst, std::ios::binary);
  std::vector<char> trailer(16);
  in.seekg(static_cast<std::streamoff>(0x4400u + 128u * 253952u + 1024u + 496u));
  in.read(trailer.data(), 16);
  EXPECT_EQ(static_cast<uint8_t>(trailer[0]), 0x82);  // ptypeFMap
  auto lines = check(pst);
  std::sort(hashes.begin(), hashes.end());
  EXPECT_TRUE(lines.count("pypff FOLDER /Top of Personal Folders/Big 4"));
  for (uint32_t i = 0; i < 4; ++i) {
    const std::string s = "Big " + std::to_string(i);
    bool pypff_ok = false;
    bool extractor_ok = false;
    for (const std::string& h : hashes) {
      pypff_ok |= lines.count("pypff MSG /Top of Personal Folders/Big " + hex(text::utf8_to_utf16le(s)) + " " + h) > 0;
      extractor_ok |= lines.count("extractor MSG /Top of Personal Folders/Big " + hex(s) + " 0 " + h) > 0;
    }
    EXPECT_TRUE(pypff_ok) << s;
    EXPECT_TRUE(extractor_ok) << s;
  }
}

}  // namespace
}  // namespace ostfs::pstw
