// Reads every message of every corpus file that libpff opens twice, through libpff (a Store
// opened with Store::Readers::LibpffOnly) and through the native reader
// (NativeStore::read_message), and compares the model objects: properties (ids, types, value
// bytes, names), recipients, attachments (data bytes too) and embedded messages, recursively.
// Every difference must match one of the documented cases where libpff 20180714 is wrong;
// anything else fails.
// The folder listings (hierarchy and contents tables) are compared with libpff's too.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "parser/ltp/property_context.h"
#include "parser/ltp/table_context.h"
#include "parser/native_store.h"
#include "parser/ndb/nid.h"
#include "parser/props.h"
#include "parser/reader.h"

namespace ostfs::parser {
namespace {

using ndb::hex;

// The documented differences.
enum class Known {
  // A table row cell whose bit in the cell existence bitmap is clear has no value ([MS-PST]
  // 2.3.4.4.1). libpff lists every column anyway, with zero bytes or an empty value; the
  // native reader leaves such cells out. Checked: the native TC says the cell is absent
  // and libpff's value is all zeros or empty.
  AbsentTableCell,
  // A NAMEID with wGuid 2 names a property in PS_PUBLIC_STRINGS ([MS-PST] 2.4.7.1). libpff
  // returns an all-zero GUID for it (wGuid 1, PS_MAPI, likewise); the native reader returns
  // the GUID. Checked: same LID or name, libpff's GUID zero, ours PS_PUBLIC_STRINGS/PS_MAPI.
  ZeroGuidForWellKnownSet,
  // Not a libpff error, a choice: libpff lists a folder's children and messages in NID order
  // (it builds its tree from the NBT's nidParent), the native helpers in the hierarchy and
  // contents tables' row order. Checked: the same NIDs, only the order differs.
  ListingOrder,
};

const char* known_name(Known k) {
  switch (k) {
    case Known::AbsentTableCell: return "cell absent from the row, libpff invents a zero value";
    case Known::ZeroGuidForWellKnownSet: return "NAMEID wGuid 1/2, libpff gives a zero GUID";
    case Known::ListingOrder: return "folder listing in NID order (libpff) vs table order";
  }
  return "";
}

struct Report {
  std::vector<std::string> unexplained;
  std::map<Known, size_t> known;
};

// Where a message sits: top level, or inside the embedded attachments named by the path.
struct Location {
  uint32_t top_nid = 0;
  std::vector<uint32_t> attachment_nids;
  std::string describe() const {
    std::string s = "message " + hex(top_nid);
    for (uint32_t a : attachment_nids) s += " / attachment " + hex(a);
    return s;
  }
};

class Comparer {
 public:
  Comparer(const NativeStore& store, Report& report) : store_(store), report_(report) {}

  void messages(const model::Message& lib, const model::Message& nat, const Location& at) {
    const std::string where = at.describe();
    if (lib.nid != nat.nid) fail(where, "nid " + hex(lib.nid) + " vs " + hex(nat.nid));
    if (lib.codepage != nat.codepage) fail(where, "codepage");
    if (lib.warnings != nat.warnings) fail(where, "warnings differ");
    bags(lib.props, nat.props, where, nullptr, 0);
    if (lib.recipients.size() != nat.recipients.size()) {
      fail(where, "recipient count " + std::to_string(lib.recipients.size()) + " vs " +
                      std::to_string(nat.recipients.size()));
    } else if (!lib.recipients.empty()) {
      const ndb::Node node = message_node(at);
      const ltp::TableContext table(node.subnode(ndb::NID_RECIPIENT_TABLE));
      for (size_t i = 0; i < lib.recipients.size(); ++i)
        bags(lib.recipients[i].props, nat.recipients[i].props, where + " recipient " + std::to_string(i), &table, i);
    }
    if (lib.attachments.size() != nat.attachments.size()) {
      fail(where, "attachment count " + std::to_string(lib.attachments.size()) + " vs " +
                      std::to_string(nat.attachments.size()));
      return;
    }
    std::optional<ltp::TableContext> attachment_table;
    if (!lib.attachments.empty()) attachment_table.emplace(message_node(at).subnode(ndb::NID_ATTACHMENT_TABLE));
    for (size_t i = 0; i < lib.attachments.size(); ++i) {
      const model::Attachment& a = lib.attachments[i];
      const model::Attachment& b = nat.attachments[i];
      const std::string w = where + " attachment " + std::to_string(i);
      bags(a.props, b.props, w, nullptr, 0);
      if (a.method != b.method) fail(w, "method");
      if (a.data_size != b.data_size) fail(w, "data_size " + std::to_string(a.data_size) + " vs " + std::to_string(b.data_size));
      if (a.data != b.data) fail(w, "data bytes differ");
      if (a.data_loaded != b.data_loaded) fail(w, "data_loaded");
      if (!!a.embedded != !!b.embedded) fail(w, "embedded message present in one only");
      if (a.embedded && b.embedded) {
        Location inner = at;
        inner.attachment_nids.push_back(attachment_table->row_id(i));
        messages(*a.embedded, *b.embedded, inner);
      }
    }
  }

 private:
  void fail(const std::string& where, const std::string& what) { report_.unexplained.push_back(where + ": " + what); }

  ndb::Node message_node(const Location& at) const {
    ndb::Node node = ndb::Node::open(store_.database(), at.top_nid);
    for (uint32_t attachment : at.attachment_nids) {
      const ndb::Node a = node.subnode(attachment);
      const ltp::PropertyContext pc(a);
      const ndb::Bytes object = pc.value(*pc.find(props::PidTagAttachDataBinary));
      node = a.subnode(ndb::load_u32(object.data()));
    }
    return node;
  }

  static bool zero_or_empty(const std::vector<uint8_t>& v) {
    for (uint8_t b : v)
      if (b != 0) return false;
    return true;
  }

  void bags(const model::PropertyBag& lib, const model::PropertyBag& nat, const std::string& where,
            const ltp::TableContext* table, size_t row) {
    std::map<uint16_t, const model::Property*> by_id;
    for (const model::Property& p : nat.props) by_id[p.id] = &p;
    // The properties both have must come in the same order.
    std::vector<uint16_t> lib_order, nat_order;
    for (const model::Property& p : lib.props) {
      auto it = by_id.find(p.id);
      if (it == by_id.end()) {
        const std::optional<size_t> column = table ? table->column(p.id) : std::nullopt;
        if (column && !table->cell(row, *column) && zero_or_empty(p.value)) ++report_.known[Known::AbsentTableCell];
        else fail(where, "property " + hex(p.id) + " only from libpff");
        continue;
      }
      lib_order.push_back(p.id);
      const model::Property& q = *it->second;
      if (p.type != q.type) fail(where, "property " + hex(p.id) + " type " + hex(p.type) + " vs " + hex(q.type));
      if (p.value != q.value) fail(where, "property " + hex(p.id) + " value differs");
      if (p.named != q.named) {
        const bool well_known = q.named && (q.named->guid == props::PS_PUBLIC_STRINGS || q.named->guid == props::PS_MAPI);
        if (p.named && well_known && p.named->lid == q.named->lid && p.named->name == q.named->name &&
            p.named->guid == std::array<uint8_t, 16>{})
          ++report_.known[Known::ZeroGuidForWellKnownSet];
        else
          fail(where, "property " + hex(p.id) + " name differs");
      }
    }
    std::set<uint16_t> lib_ids;
    for (const model::Property& p : lib.props) lib_ids.insert(p.id);
    for (const model::Property& q : nat.props) {
      if (!lib_ids.count(q.id)) fail(where, "property " + hex(q.id) + " only from the native reader");
      else nat_order.push_back(q.id);
    }
    if (lib_order != nat_order) fail(where, "property order differs");
  }

  const NativeStore& store_;
  Report& report_;
};

void compare_listing(std::vector<uint32_t> lib, std::vector<uint32_t> nat, const std::string& what, Report& report) {
  if (lib == nat) return;
  std::sort(lib.begin(), lib.end());
  std::sort(nat.begin(), nat.end());
  if (lib == nat) {
    ++report.known[Known::ListingOrder];
    return;
  }
  std::string detail;
  std::vector<uint32_t> only;
  std::set_difference(lib.begin(), lib.end(), nat.begin(), nat.end(), std::back_inserter(only));
  for (uint32_t n : only) detail += " libpff-only " + hex(n);
  only.clear();
  std::set_difference(nat.begin(), nat.end(), lib.begin(), lib.end(), std::back_inserter(only));
  for (uint32_t n : only) detail += " native-only " + hex(n);
  report.unexplained.push_back(what + " differ:" + detail);
}

struct FileResult {
  size_t messages = 0;
  size_t folders = 0;
};

FileResult compare_file(const std::filesystem::path& path, Store& lib, const NativeStore& nat, Report& report) {
  FileResult result;
  Comparer comparer(nat, report);
  std::set<uint32_t> seen;
  std::function<void(uint32_t)> walk = [&](uint32_t folder) {
    if (!seen.insert(folder).second) return;
    ++result.folders;
    std::vector<std::string> errors;
    const std::vector<MessageSummary> summaries = lib.messages(folder, &errors);
    // The native contents table lists the same messages in the same order.
    std::vector<uint32_t> lib_nids, nat_nids;
    for (const MessageSummary& s : summaries) lib_nids.push_back(s.nid);
    for (const ContentsRow& row : nat.contents(folder)) nat_nids.push_back(row.nid);
    compare_listing(lib_nids, nat_nids, "folder " + hex(folder) + " contents", report);
    for (const MessageSummary& s : summaries) {
      const model::Message a = lib.load_message({folder, s.index, s.nid}, true);
      try {
        const model::Message b = nat.read_message(s.nid, true);
        comparer.messages(a, b, Location{s.nid, {}});
        ++result.messages;
      } catch (const std::exception& e) {
        report.unexplained.push_back("message " + hex(s.nid) + ": native reader threw: " + e.what());
      }
    }
    std::vector<uint32_t> lib_children, nat_children = nat.subfolders(folder);
    const std::vector<model::Folder> children = lib.subfolders(folder, &errors);
    for (const model::Folder& f : children) lib_children.push_back(f.nid);
    compare_listing(lib_children, nat_children, "folder " + hex(folder) + " subfolders", report);
    for (const model::Folder& f : children) walk(f.nid);
  };
  walk(lib.root_nid());
  (void)path;
  return result;
}

std::vector<std::filesystem::path> corpus_files() {
  const std::filesystem::path dir = OSTFS_CORPUS_DIR;
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".pst" || entry.path().extension() == ".ost") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

class CorpusEquivalence : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(CorpusEquivalence, EveryMessageMatchesLibpff) {
  const std::filesystem::path& path = GetParam();
  std::unique_ptr<Store> lib;
  try {
    lib = Store::open(path, Store::Readers::LibpffOnly);
  } catch (const OpenError& e) {
    // libpff refuses it: the native reader must refuse it too, for a reason it names.
    EXPECT_THROW(NativeStore::open(path), ndb::NdbError) << "libpff: " << e.what();
    return;
  }
  const auto nat = NativeStore::open(path);
  Report report;
  const FileResult result = compare_file(path, *lib, *nat, report);
  std::printf("%s: %zu folders, %zu messages identical", path.filename().c_str(), result.folders, result.messages);
  for (const auto& [kind, count] : report.known) std::printf("; %zu x %s", count, known_name(kind));
  std::printf("\n");
  for (const std::string& d : report.unexplained) ADD_FAILURE() << d;
}

std::string test_name(const ::testing::TestParamInfo<std::filesystem::path>& info) {
  std::string name = info.param.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusEquivalence, ::testing::ValuesIn(corpus_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CorpusEquivalence);

// The files the brief names must be among those compared.
TEST(CorpusCoverage, OstAnsiAndCyclicFilesAreInTheCorpus) {
  const std::vector<std::filesystem::path> files = corpus_files();
  if (files.empty()) GTEST_SKIP() << "no corpus at " << OSTFS_CORPUS_DIR;
  std::set<std::string> formats;
  for (const auto& f : files) {
    const auto store = [&]() -> std::unique_ptr<NativeStore> {
      try {
        return NativeStore::open(f);
      } catch (const ndb::NdbError&) {
        return nullptr;
      }
    }();
    if (!store) continue;
    formats.insert(ndb::format_name(store->header().format));
    if (store->header().bCryptMethod == ndb::CryptMethod::Cyclic) formats.insert("cyclic");
  }
  EXPECT_TRUE(formats.count("ANSI"));
  EXPECT_TRUE(formats.count("Unicode"));
  EXPECT_TRUE(formats.count("Unicode (4 KiB pages)"));
  EXPECT_TRUE(formats.count("cyclic"));
}

}  // namespace
}  // namespace ostfs::parser
