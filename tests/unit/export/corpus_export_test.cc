// `ostfs export` on every corpus file libpff opens: the output passes every structural rule,
// readpst reads everything in it and skips nothing it reads in the source (regression for
// "sub2 - 28 items done, 1 items skipped": readpst's own parallel-job race, see
// compare_readpst.py), and the special folders keep their roles.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/unit/export/test_support.h"

namespace ostfs::pstw {
namespace {
namespace fs = std::filesystem;
using namespace ostfs::pstw::testing;

class CorpusExport : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string name = GetParam();
    for (char& c : name)
      if (!isalnum(static_cast<unsigned char>(c))) c = '_';
    dir_ = fresh_test_dir("corpus_" + name);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  fs::path export_file() {
    const fs::path out = dir_ / "out.pst";
    CommandResult r = run_command(std::string(OSTFS_BINARY) + " export " +
                                  shell_quote(fs::path(OSTFS_CORPUS_DIR) / GetParam()) + " " + shell_quote(out));
    EXPECT_EQ(r.status, 0) << r.out;
    return out;
  }
  fs::path dir_;
};

TEST_P(CorpusExport, PassesEveryRuleAndReadpstReadsWhatTheSourceHas) {
  const fs::path out = export_file();
  CommandResult structure = run_command(python_tool("check_structure.py") + " " + shell_quote(out));
  EXPECT_EQ(structure.status, 0) << structure.out;
  CommandResult readpst = run_command(python_tool("compare_readpst.py") + " " +
                                      shell_quote(fs::path(OSTFS_CORPUS_DIR) / GetParam()) + " " + shell_quote(out) +
                                      " " + shell_quote(dir_ / "readpst"));
  EXPECT_EQ(readpst.status, 0) << readpst.out;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, CorpusExport,
    ::testing::Values("apache__tika__testPST.pst", "apache__tika__testPST_variousBodyTypes.pst",
                      "aquasync__ruby-msg__200_recipients.pst", "aquasync__ruby-msg__attachAndInline.pst",
                      "aquasync__ruby-msg__msgInMsg.pst", "aranetic__process-pst__flags_john_doe.pst",
                      "aranetic__process-pst__four_nesting_levels.pst", "aspose-email__Aspose.Email-for-.NET__Outlook.pst",
                      "aspose-email__Aspose.Email-for-.NET__PersonalStorageFile1.pst",
                      "aspose-email__Aspose.Email-for-.NET__passwordprotectedPST.pst",
                      "aspose-email__Aspose.Email-for-Java__MapiNoteToPST_out.pst", "dmmd__OPF_Hack__slinger-r.pst",
                      "emk__pstsdk__sample1.pst", "emk__pstsdk__sample2.pst", "emk__pstsdk__submessage.pst",
                      "emk__pstsdk__test_ansi.pst", "emk__pstsdk__test_unicode.pst", "hughbe__PstReader__backup.pst",
                      "hughbe__PstReader__hughbe_Outlook.pst", "libyal__testdata__outlook.pst",
                      "microsoft__outlook-pst-rs__Empty.pst", "mooijtech__go-pst__32-bit.pst",
                      "mooijtech__go-pst__support.pst", "rjohnsondev__java-libpst__dist-list.pst",
                      "rjohnsondev__java-libpst__passworded.pst",
                      "simiden__pst2john__2003_high-encryption_quickquick.pst",
                      "simiden__pst2john__97_outlook_pass12345.pst", "aspose-email__Aspose.Email-for-.NET__SampleOstFile.ost",
                      "pranavsundararajan__National-Cyber-Scholarship-2021-Writeups__fe01.ost"),
    [](const ::testing::TestParamInfo<std::string>& info) {
      std::string n = info.param;
      for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

// The OST's Inbox carries long-term entry ids of the other special folders; the export names
// them in the new store without any help from the caller.
class OstSpecialFolders : public CorpusExport {};

TEST_P(OstSpecialFolders, InboxCalendarContactsDraftsAndSyncFoldersKeepTheirRoles) {
  const fs::path out = export_file();
  CommandResult r = run_command(python_tool("dump_special.py") + " " + shell_quote(out));
  ASSERT_EQ(r.status, 0) << r.out;
  // Folder NIDs of the export, by name, from pffinfo-independent pypff.
  CommandResult names = run_command(
      "/usr/bin/python3 -c \"import pypff,sys\nf=pypff.file(); f.open(sys.argv[1])\n"
      "def w(x):\n  print('%s 0x%x' % (x.name, x.identifier))\n  [w(s) for s in x.sub_folders]\nw(f.get_root_folder())\" " +
      shell_quote(out));
  ASSERT_EQ(names.status, 0) << names.out;
  auto nid_of = [&](const std::string& name) {
    const auto at = names.out.find("\n" + name + " 0x");
    return at == std::string::npos ? std::string("?") : names.out.substr(at + name.size() + 2, names.out.find('\n', at + 1) - at - name.size() - 2);
  };
  const auto lines = lines_of(r.out);
  const std::string inbox = nid_of("Inbox");
  for (const std::string& want : std::vector<std::string>{"FOLDER 0x122 0x36d0 " + nid_of("Calendar"), "FOLDER 0x122 0x36d1 " + nid_of("Contacts"),
                                  "FOLDER 0x122 0x36d7 " + nid_of("Drafts"), "FOLDER " + inbox + " 0x36d4 " + nid_of("Tasks"),
                                  "REN 0x122 1 " + nid_of("Sync Issues"), "RECEIVE \"IPM\" " + inbox})
    EXPECT_TRUE(lines.count(want)) << "missing: " << want << "\n" << r.out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, OstSpecialFolders,
                         ::testing::Values("aspose-email__Aspose.Email-for-.NET__SampleOstFile.ost",
                                           "pranavsundararajan__National-Cyber-Scholarship-2021-Writeups__fe01.ost"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param.find("fe01") != std::string::npos ? std::string("fe01") : std::string("SampleOstFile");
                         });

}  // namespace
}  // namespace ostfs::pstw
