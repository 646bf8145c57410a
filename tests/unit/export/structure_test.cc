// The structural checker (check_structure.py, written from [MS-PST]): it accepts Outlook's
// own files under the relaxed foreign rules, our output under every rule, and names the rule
// a damaged copy breaks.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "export/pst_writer.h"
#include "parser/props.h"
#include "parser/text.h"
#include "tests/unit/export/test_support.h"

namespace ostfs::pstw {
namespace {
namespace fs = std::filesystem;
using namespace ostfs::pstw::testing;

model::Property unicode(uint16_t id, std::string_view utf8) {
  std::string u = text::utf8_to_utf16le(utf8);
  return {id, props::type::Unicode, std::vector<uint8_t>(u.begin(), u.end()), std::nullopt};
}

CommandResult check(const fs::path& pst, bool foreign) {
  return run_command(python_tool("check_structure.py") + (foreign ? " --foreign " : " ") + shell_quote(pst));
}

// Outlook-made files (and a few from other tools) in the corpus; the damaged
// AddingBulkMessages file is the one the checker must refuse.
class OutlookFiles : public ::testing::TestWithParam<std::string> {};

TEST_P(OutlookFiles, PassForeignRules) {
  CommandResult r = check(fs::path(OSTFS_CORPUS_DIR) / GetParam(), true);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("OK ", 0), 0u) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, OutlookFiles,
    ::testing::Values("microsoft__outlook-pst-rs__Empty.pst", "emk__pstsdk__sample1.pst", "emk__pstsdk__sample2.pst",
                      "emk__pstsdk__submessage.pst", "emk__pstsdk__test_ansi.pst", "emk__pstsdk__test_unicode.pst",
                      "hughbe__PstReader__backup.pst", "hughbe__PstReader__hughbe_Outlook.pst",
                      "apache__tika__testPST.pst", "apache__tika__testPST_variousBodyTypes.pst",
                      "aquasync__ruby-msg__200_recipients.pst", "aquasync__ruby-msg__attachAndInline.pst",
                      "aquasync__ruby-msg__msgInMsg.pst", "aranetic__process-pst__flags_john_doe.pst",
                      "aranetic__process-pst__four_nesting_levels.pst", "dmmd__OPF_Hack__slinger-r.pst",
                      "libyal__testdata__outlook.pst", "rjohnsondev__java-libpst__dist-list.pst",
                      "rjohnsondev__java-libpst__passworded.pst", "simiden__pst2john__97_outlook_pass12345.pst",
                      "simiden__pst2john__2003_high-encryption_quickquick.pst", "mooijtech__go-pst__support.pst",
                      "aspose-email__Aspose.Email-for-.NET__Outlook.pst",
                      "aspose-email__Aspose.Email-for-.NET__passwordprotectedPST.pst"),
    [](const ::testing::TestParamInfo<std::string>& info) {
      std::string n = info.param;
      for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

TEST(Structure, OutlookFilesBreakStrictRulesTheRelaxationsName) {
  // The relaxed rules exist because Outlook's own files break them: without --foreign the
  // checker must still see that, or the relaxations would hide nothing.
  CommandResult r = check(fs::path(OSTFS_CORPUS_DIR) / "hughbe__PstReader__hughbe_Outlook.pst", false);
  EXPECT_EQ(r.status, 256) << r.out;
  EXPECT_NE(r.out.find("amap-exact:"), std::string::npos) << r.out;
}

TEST(Structure, DamagedFileIsUnreadable) {
  CommandResult r =
      check(fs::path(OSTFS_CORPUS_DIR) / "aspose-email__Aspose.Email-for-.NET__AddingBulkMessagesWithImprovedPerformance.pst",
            true);
  EXPECT_EQ(r.status, 2 << 8) << r.out;
  EXPECT_NE(r.out.find("unreadable"), std::string::npos) << r.out;
}

// A small store from the writer: folders, messages, an attachment, named properties.
fs::path write_sample(const fs::path& dir) {
  const fs::path pst = dir / "sample.pst";
  PstWriter w(pst, {"Structure"});
  model::Folder f;
  f.name = "Inbox";
  const FolderRef inbox = w.add_folder(w.ipm_subtree(), f);
  for (int i = 0; i < 30; ++i) {
    model::Message m;
    m.props.props.push_back(unicode(props::PidTagSubject, "Message " + std::to_string(i)));
    model::Property named = unicode(0x8001, "x-header value");
    named.named = model::NamedId{props::PS_INTERNET_HEADERS, std::nullopt, u"x-test-" + std::u16string(1, u'a' + i % 5)};
    m.props.props.push_back(named);
    if (i % 3 == 0) {
      model::Attachment a;
      a.data.assign(10000 + i, static_cast<uint8_t>(i));
      a.data_size = a.data.size();
      a.data_loaded = true;
      m.attachments.push_back(std::move(a));
    }
    w.add_message(inbox, m);
  }
  w.finish();
  return pst;
}

TEST(Structure, WriterOutputPassesEveryRule) {
  const fs::path dir = fresh_test_dir("structure_strict");
  CommandResult r = check(write_sample(dir), false);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("OK ", 0), 0u) << r.out;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

struct Mutation {
  const char* name;  // mutate_pst.py mutation
  const char* rule;  // the rule check_structure.py must report
};

class Mutations : public ::testing::TestWithParam<Mutation> {};

TEST_P(Mutations, CheckerNamesTheBrokenRule) {
  const fs::path dir = fresh_test_dir(std::string("mutation_") + GetParam().name);
  const fs::path good = write_sample(dir);
  const fs::path bad = dir / "bad.pst";
  CommandResult m = run_command(python_tool("mutate_pst.py") + " " + GetParam().name + " " + shell_quote(good) + " " +
                                shell_quote(bad));
  ASSERT_EQ(m.status, 0) << m.out;
  CommandResult r = check(bad, false);
  EXPECT_EQ(r.status, 256) << r.out;
  EXPECT_NE(r.out.find(std::string(GetParam().rule) + ":"), std::string::npos) << r.out;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Damage, Mutations,
                         ::testing::Values(Mutation{"block-crc", "block-crc"}, Mutation{"header-crc", "header-crc"},
                                           Mutation{"amap-missing", "amap-missing"},
                                           Mutation{"amap-exact", "amap-exact"}, Mutation{"cref", "cref"},
                                           Mutation{"content-count", "folder-counts"},
                                           Mutation{"hasattach", "hasattach"}),
                         [](const ::testing::TestParamInfo<Mutation>& info) {
                           std::string n = info.param.name;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace ostfs::pstw
