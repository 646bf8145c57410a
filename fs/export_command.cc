// `ostfs export SOURCE OUT.pst`: the mounted view written as a new Unicode PST.
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <cstring>
#include <cerrno>
#include <string>
#include <vector>

#include "export/pst_writer.h"
#include "fs/attachment_readers.h"
#include "fs/cli.h"
#include "parser/props.h"
#include "parser/reader.h"
#include "parser/text.h"

namespace ostfs::cli {
namespace {

constexpr const char* kExportUsage =
    "Usage: ostfs export [--force] [--verbose] [--recover] SOURCE OUT.pst\n"
    "Write the folders and items of the PST or OST file SOURCE (the folders a mount shows at its\n"
    "root) into a new Unicode PST that Outlook opens.\n"
    "\n"
    "  --force       overwrite OUT.pst if it exists\n"
    "  --verbose     list every item that could not be read\n"
    "  --recover     also export deleted and orphaned items libpff can recover, into a\n"
    "                folder \"Recovered Items (ostfs)\"\n"
    "  -h, --help    show this help\n"
    "\n"
    "OUT.pst appears only when the export is done: it is written to a temporary file beside it\n"
    "and renamed at the end. Exit status 0 means every item was written, 5 that some could not\n"
    "be read (the report says which), 6 that OUT.pst could not be written.\n";

// Folder trees in damaged files can loop or nest without end.
constexpr int kMaxFolderDepth = 64;

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted = true; }

struct ExportArgs {
  std::filesystem::path source;
  std::filesystem::path out;
  bool force = false;
  bool verbose = false;
  bool recover = false;
};

// Deletes the temporary output unless the export finished.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!committed_) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }
  const std::filesystem::path& path() const { return path_; }
  void commit_to(const std::filesystem::path& destination) {
    std::filesystem::rename(path_, destination);
    committed_ = true;
  }

 private:
  std::filesystem::path path_;
  bool committed_ = false;
};

class Progress {
 public:
  explicit Progress(uint64_t total_items) : total_(total_items), enabled_(isatty(STDERR_FILENO)) {}
  void item_done(uint64_t bytes) {
    ++done_;
    bytes_ += bytes;
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200) && done_ != total_) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done_ / elapsed : 0;
    const double eta = rate > 0 && total_ > done_ ? (total_ - done_) / rate : 0;
    std::fprintf(stderr, "\r%llu/%llu items, %.1f MB, ETA %02d:%02d   ", static_cast<unsigned long long>(done_),
                 static_cast<unsigned long long>(total_), bytes_ / 1e6, static_cast<int>(eta) / 60,
                 static_cast<int>(eta) % 60);
  }
  void finish() {
    if (enabled_) std::fputs("\n", stderr);
  }

 private:
  uint64_t total_;
  bool enabled_;
  uint64_t done_ = 0;
  uint64_t bytes_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

struct Report {
  uint64_t folders_read = 0, folders_written = 0;
  uint64_t items_read = 0, items_written = 0, items_skipped = 0;
  uint64_t attachments_written = 0;
  uint64_t associated_written = 0, associated_skipped = 0;
  std::vector<std::string> problems;
};

// Associated items worth a copy: views, rules, and the settings Outlook keeps in the store
// (categories, work hours, nickname cache, archive settings). Left behind: Exchange's own
// server-side data (client extensions, inference and relevance models, migration status) and
// navigation-pane links, whose entry ids name folders of the old store.
bool is_copied_associated_class(const std::string& message_class) {
  static const char* const kDropped[] = {"IPM.Configuration.ClientExtension", "IPM.Configuration.Inference.",
                                         "IPM.Configuration.Relevance.", "IPM.Configuration.ExtensionMasterTable"};
  static const char* const kKept[] = {"IPM.Microsoft.FolderDesign.NamedView", "IPM.Rule.", "IPM.ExtendedRule.",
                                      "IPM.RuleOrganizer", "IPC.MS.Outlook.AgingProperties", "IPM.Configuration."};
  for (const char* prefix : kDropped)
    if (message_class.rfind(prefix, 0) == 0) return false;
  for (const char* prefix : kKept)
    if (message_class.rfind(prefix, 0) == 0) return true;
  return false;
}

void set_associated_flag(model::Message& message) {
  constexpr int32_t kMsgFlagAssociated = 0x40;  // MSGFLAG_ASSOCIATED, [MS-OXCMSG] 2.2.1.6
  int32_t flags = message.props.int32(props::PidTagMessageFlags).value_or(0) | kMsgFlagAssociated;
  std::vector<uint8_t> value(4);
  for (int i = 0; i < 4; ++i) value[i] = static_cast<uint8_t>(static_cast<uint32_t>(flags) >> (8 * i));
  for (auto& p : message.props.props) {
    if (p.id == props::PidTagMessageFlags) {
      p.type = props::type::Int32;
      p.value = value;
      return;
    }
  }
  message.props.props.push_back({props::PidTagMessageFlags, props::type::Int32, value, std::nullopt});
}

uint64_t approximate_bytes(const model::Message& m) {
  uint64_t total = 0;
  for (const auto& p : m.props.props) total += p.value.size();
  for (const auto& a : m.attachments) total += a.data_size + (a.embedded ? approximate_bytes(*a.embedded) : 0);
  return total;
}

// A message whose attachments hold more than this is copied with them read a block at a time
// as they are written (AttachmentReaders), not loaded: an attachment of any size costs the
// export one block of memory.
constexpr uint64_t kLoadedAttachmentData = uint64_t{8} << 20;

class Exporter {
 public:
  Exporter(parser::Store& store, pstw::PstWriter& writer) : store_(store), writer_(writer) {}

  // Lists what the export will copy, before anything is written: the item count drives the
  // progress bar; the node ids go to the writer, so every item keeps its node id and links
  // between items (distribution-list members) can name items not written yet.
  uint64_t plan(uint32_t top_nid) {
    std::vector<uint32_t> nids;
    planned_folders_.insert(top_nid);
    const uint64_t items = plan_folder(top_nid, 0, nids);
    writer_.reserve_source_messages(nids);
    return items;
  }

  void run(uint32_t top_nid, Progress& progress) {
    progress_ = &progress;
    copy_messages(top_nid, writer_.ipm_subtree(), "/");
    finish_contents(writer_.ipm_subtree(), "/");
    copy_children(top_nid, writer_.ipm_subtree(), "", 0);
  }

  // Deleted and orphaned items go into one folder of their own, as the mount shows them.
  void copy_recovered() {
    std::vector<std::string> errors;
    const std::vector<parser::MessageSummary> recovered = store_.recovered_messages(&errors);
    for (const std::string& e : errors) problem("/Recovered Items (ostfs)", e);
    if (recovered.empty()) return;
    model::Folder folder;
    folder.name = "Recovered Items (ostfs)";
    const std::string name = text::utf8_to_utf16le(folder.name);
    folder.props.props.push_back({props::PidTagDisplayName, props::type::Unicode, {name.begin(), name.end()}, {}});
    pstw::FolderRef target;
    try {
      target = writer_.add_folder(writer_.ipm_subtree(), folder);
    } catch (const std::exception& e) {
      problem("/Recovered Items (ostfs)", std::string("cannot write folder: ") + e.what());
      return;
    }
    ++report_.folders_written;
    // As in the mount: items whose original folder is still known go into a sub-folder named
    // after it.
    std::map<uint32_t, pstw::FolderRef> by_original;
    for (const parser::MessageSummary& summary : recovered) {
      if (g_interrupted) return;
      const std::string where = "/Recovered Items (ostfs) [node " + std::to_string(summary.nid) + "] " + summary.subject;
      try {
        model::Message message = store_.load_recovered(summary.index, true);
        ++report_.items_read;
        for (const std::string& w : message.warnings) problem(where, w);
        pstw::FolderRef destination = target;
        if (const std::optional<uint32_t> original = store_.original_folder_of(summary.nid)) {
          auto it = by_original.find(*original);
          if (it == by_original.end()) it = by_original.emplace(*original, recovered_folder(target, *original)).first;
          destination = it->second;
        }
        writer_.add_message(destination, message);
        ++report_.items_written;
        report_.attachments_written += message.attachments.size();
      } catch (const std::exception& e) {
        ++report_.items_skipped;
        problem(where, e.what());
      }
    }
    finish_contents(target, "/Recovered Items (ostfs)");
    for (const auto& [original, ref] : by_original) finish_contents(ref, "/Recovered Items (ostfs)");
  }

  Report& report() { return report_; }

 private:
  uint64_t plan_folder(uint32_t folder_nid, int depth, std::vector<uint32_t>& nids) {
    // Unreadable parts are reported when they are copied.
    uint64_t items = 0;
    store_.for_each_message(
        folder_nid, nullptr, [&](size_t count) { nids.reserve(nids.size() + count); },
        [&](parser::MessageSummary&& m) {
          nids.push_back(m.nid);
          ++items;
        });
    const std::vector<uint32_t> associated = store_.associated_message_nids(folder_nid, nullptr);
    nids.insert(nids.end(), associated.begin(), associated.end());
    if (depth >= kMaxFolderDepth) return items;
    for (const model::Folder& f : store_.subfolders(folder_nid, nullptr))
      if (planned_folders_.insert(f.nid).second) items += plan_folder(f.nid, depth + 1, nids);
    return items;
  }

  pstw::FolderRef recovered_folder(pstw::FolderRef parent, uint32_t original_nid) {
    model::Folder folder;
    try {
      folder.name = store_.folder(original_nid).name;
    } catch (const std::exception&) {
      // Named by its node id below.
    }
    if (folder.name.empty()) folder.name = "(folder " + std::to_string(original_nid) + ")";
    const std::string name = text::utf8_to_utf16le(folder.name);
    folder.props.props.push_back({props::PidTagDisplayName, props::type::Unicode, {name.begin(), name.end()}, {}});
    pstw::FolderRef ref = writer_.add_folder(parent, folder);
    ++report_.folders_written;
    return ref;
  }

  void copy_children(uint32_t source_nid, pstw::FolderRef target, const std::string& path, int depth) {
    std::vector<std::string> errors;
    const std::vector<model::Folder> children = store_.subfolders(source_nid, &errors);
    for (const std::string& e : errors) problem(path.empty() ? "/" : path, e);
    for (const model::Folder& folder : children) {
      if (g_interrupted) return;
      const std::string child_path = path + "/" + folder.name;
      if (!seen_.insert(folder.nid).second || depth >= kMaxFolderDepth) {
        problem(child_path, "folder appears twice in the folder tree (loop); skipped");
        continue;
      }
      ++report_.folders_read;
      pstw::FolderRef child;
      // Deleted Items is part of every PST's skeleton: its items go there. OST stores do not
      // name their wastebasket, so there the folder is known by its name.
      const bool is_wastebasket = store_.wastebasket_nid() ? *store_.wastebasket_nid() == folder.nid
                                                           : folder.name == "Deleted Items";
      if (depth == 0 && is_wastebasket) {
        child = writer_.deleted_items();
        writer_.map_source_folder(folder, child);
      } else {
        try {
          child = writer_.add_folder(target, folder, depth == 0 ? exchange_role(folder) : pstw::FolderRole::None);
        } catch (const std::exception& e) {
          problem(child_path, std::string("cannot write folder: ") + e.what());
          continue;
        }
      }
      ++report_.folders_written;
      copy_messages(folder.nid, child, child_path);
      finish_contents(child, child_path);
      copy_children(folder.nid, child, child_path, depth + 1);
    }
  }

  // A folder's messages are all written: its tables go to the file now, and their rows out of
  // memory. If that fails, finish() writes them at the end.
  void finish_contents(pstw::FolderRef folder, const std::string& path) {
    try {
      writer_.finish_folder_contents(folder);
    } catch (const std::exception& e) {
      problem(path, std::string("cannot write the folder's contents table now: ") + e.what());
    }
  }

  // Associated items (views, rules, settings) keep a folder looking and behaving as it did.
  // They are not counted as items: the mount does not show them.
  void copy_associated(uint32_t source_nid, pstw::FolderRef target, const std::string& path) {
    std::vector<std::string> errors;
    const std::vector<uint32_t> nids = store_.associated_message_nids(source_nid, &errors);
    for (const std::string& e : errors) problem(path, e);
    for (uint32_t nid : nids) {
      if (g_interrupted) return;
      const std::string where = path + " [associated node " + std::to_string(nid) + "]";
      try {
        model::Message message = store_.load_message_by_nid(nid, true);
        if (!is_copied_associated_class(message.message_class())) continue;
        // The flag is what puts it in the folder's associated table.
        set_associated_flag(message);
        writer_.add_message(target, message);
        ++report_.associated_written;
      } catch (const std::exception& e) {
        ++report_.associated_skipped;
        problem(where, e.what());
      }
    }
  }

  // Listed one at a time: a folder of 300,000 messages held as summaries cost 40 MB.
  void copy_messages(uint32_t source_nid, pstw::FolderRef target, const std::string& path) {
    copy_associated(source_nid, target, path);
    struct Interrupted {};
    std::vector<std::string> errors;
    try {
      store_.for_each_message(
          source_nid, &errors, [](size_t) {},
          [&](parser::MessageSummary&& summary) {
            if (g_interrupted) throw Interrupted{};
            copy_message(source_nid, summary, target, path);
          });
    } catch (const Interrupted&) {
      return;
    }
    for (const std::string& e : errors) {
      ++report_.items_skipped;
      problem(path, e);
    }
  }

  void copy_message(uint32_t source_nid, const parser::MessageSummary& summary, pstw::FolderRef target,
                    const std::string& path) {
    const std::string where = path + " [node " + std::to_string(summary.nid) + "] " + summary.subject;
    const parser::MessageRef ref{source_nid, summary.index, summary.nid};
    model::Message message;
    std::optional<AttachmentReaders> readers;
    try {
      message = store_.load_message(ref, true, kLoadedAttachmentData);
      if (!message.attachment_data_loaded()) {
        readers = AttachmentReaders::open(store_, message);
        if (!readers) message = store_.load_message(ref, true);  // some cannot be read in pieces
      }
      ++report_.items_read;
    } catch (const std::exception& e) {
      ++report_.items_skipped;
      problem(where, std::string("cannot read: ") + e.what());
      progress_->item_done(0);
      return;
    }
    if (readers) {
      try {
        writer_.add_message(target, message, readers->source());
        for (const std::string& w : message.warnings) problem(where, w);
        written(message);
        return;
      } catch (const std::exception& e) {
        // A damaged attachment: loaded whole, the message is written without it (a warning).
        problem(where, std::string("attachment data read in pieces: ") + e.what() + "; read whole instead");
        readers.reset();
        try {
          message = store_.load_message(ref, true);
        } catch (const std::exception& again) {
          ++report_.items_skipped;
          problem(where, std::string("cannot read: ") + again.what());
          progress_->item_done(0);
          return;
        }
      }
    }
    for (const std::string& w : message.warnings) problem(where, w);
    try {
      writer_.add_message(target, message);
      written(message);
    } catch (const std::exception& e) {
      ++report_.items_skipped;
      problem(where, std::string("cannot write: ") + e.what());
      progress_->item_done(approximate_bytes(message));
    }
  }

  void written(const model::Message& message) {
    ++report_.items_written;
    report_.attachments_written += message.attachments.size();
    progress_->item_done(approximate_bytes(message));
  }

  // OST message stores name no Outbox or Sent Items. Exchange creates a mailbox's first
  // folders in a fixed order, so their folder ids (PidTagOstFolderFid: REPLID 0, then the
  // counter) tell them apart in any language: 0x0D is the Outbox, 0x0E Sent Items (seen in
  // Exchange 2010 and Office 365 OSTs). English names are the fallback.
  pstw::FolderRole exchange_role(const model::Folder& folder) const {
    const model::PropertyBag& store_props = store_.message_store_properties();
    if (store_props.find(props::PidTagIpmOutboxEntryId) || store_props.find(props::PidTagIpmSentMailEntryId))
      return pstw::FolderRole::None;  // the writer follows the store's own entry ids
    if (const std::vector<uint8_t>* fid = folder.props.binary(props::PidTagOstFolderFid); fid && fid->size() == 8) {
      const bool replica_zero = (*fid)[0] == 0 && (*fid)[1] == 0;
      uint64_t counter = 0;
      for (size_t i = 2; i < 8; ++i) counter = (counter << 8) | (*fid)[i];
      if (replica_zero && counter == 0x0D) return pstw::FolderRole::Outbox;
      if (replica_zero && counter == 0x0E) return pstw::FolderRole::SentItems;
      return pstw::FolderRole::None;
    }
    if (folder.name == "Outbox") return pstw::FolderRole::Outbox;
    if (folder.name == "Sent Items") return pstw::FolderRole::SentItems;
    return pstw::FolderRole::None;
  }

  void problem(const std::string& where, const std::string& what) { report_.problems.push_back(where + ": " + what); }

  parser::Store& store_;
  pstw::PstWriter& writer_;
  Progress* progress_ = nullptr;
  Report report_;
  std::set<uint32_t> seen_;
  std::set<uint32_t> planned_folders_;
};

std::optional<ExportArgs> parse(const std::vector<std::string>& args, std::string& error) {
  ExportArgs out;
  std::vector<std::string> positional;
  for (const std::string& a : args) {
    if (a == "--force" || a == "-f") out.force = true;
    else if (a == "--verbose" || a == "-v") out.verbose = true;
    else if (a == "--recover") out.recover = true;
    else if (!a.empty() && a[0] == '-') {
      error = "unknown option '" + a + "'";
      return std::nullopt;
    } else positional.push_back(a);
  }
  if (positional.size() != 2) {
    error = "expected SOURCE and OUT.pst";
    return std::nullopt;
  }
  out.source = positional[0];
  out.out = positional[1];
  return out;
}

}  // namespace

int run_export(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << kExportUsage;
      return Ok;
    }
  }
  std::string error;
  const std::optional<ExportArgs> parsed = parse(args, error);
  if (!parsed) {
    std::cerr << "ostfs export: " << error << "\nTry 'ostfs export --help'.\n";
    return Usage;
  }
  const ExportArgs& a = *parsed;

  std::unique_ptr<parser::Store> store;
  try {
    store = parser::Store::open(a.source);
  } catch (const parser::OpenError& e) {
    report(a.source.string(), e.what());
    return BadSource;
  }

  std::error_code ec;
  if (std::filesystem::exists(a.out, ec) && !a.force) {
    report(a.out.string(), "already exists (use --force to overwrite it)");
    return OutputFailed;
  }
  if (std::filesystem::is_directory(a.out, ec)) {
    report(a.out.string(), "is a directory");
    return OutputFailed;
  }
  const std::filesystem::path directory = a.out.has_parent_path() ? a.out.parent_path() : ".";
  struct statvfs fs_stat{};
  if (::statvfs(directory.c_str(), &fs_stat) != 0) {
    report(a.out.string(), "cannot write there: " + std::string(std::strerror(errno)));
    return OutputFailed;
  }
  // The PST holds the same data as the source, uncompressed: at least the source's size.
  const uint64_t free_bytes = static_cast<uint64_t>(fs_stat.f_bavail) * fs_stat.f_frsize;
  if (free_bytes < store->info().size) {
    report(a.out.string(), "not enough free space: about " + std::to_string(store->info().size >> 20) +
                               " MiB needed, " + std::to_string(free_bytes >> 20) + " MiB free");
    return OutputFailed;
  }

  TempFile temp(directory / ("." + a.out.filename().string() + ".ostfs-partial"));
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  Report result;
  try {
    pstw::WriterOptions options;
    options.store_display_name = a.source.stem().string();
    pstw::PstWriter writer(temp.path(), options);
    const uint32_t top = store->ipm_subtree_nid().value_or(store->root_nid());
    try {
      writer.set_source_store(store->message_store_properties(), store->folder(store->root_nid()).props);
    } catch (const parser::ItemError& e) {
      report(a.source.string(), std::string("root folder unreadable; special folders keep no roles: ") + e.what());
    }
    Exporter exporter(*store, writer);
    Progress progress(exporter.plan(top));
    exporter.run(top, progress);
    if (a.recover) exporter.copy_recovered();
    progress.finish();
    if (g_interrupted) {
      report(a.out.string(), "interrupted; nothing written");
      return OutputFailed;
    }
    writer.finish();
    temp.commit_to(a.out);
    result = std::move(exporter.report());
  } catch (const std::exception& e) {
    report(a.out.string(), std::string("cannot write: ") + e.what());
    return OutputFailed;
  }

  std::cout << "Exported " << a.source.string() << " to " << a.out.string() << "\n"
            << "  folders:     " << result.folders_written << " written of " << result.folders_read << " read\n"
            << "  items:       " << result.items_written << " written of " << result.items_read << " read, "
            << result.items_skipped << " skipped\n"
            << "  attachments: " << result.attachments_written << " written\n"
            << "  associated:  " << result.associated_written << " written (views, rules, settings), "
            << result.associated_skipped << " skipped\n";
  if (!result.problems.empty()) {
    std::cout << "  problems:    " << result.problems.size()
              << (a.verbose ? "" : " (run with --verbose to list them)") << "\n";
    if (a.verbose)
      for (const std::string& p : result.problems) report(a.source.string(), p);
  }
  return result.items_skipped == 0 ? Ok : Incomplete;
}

}  // namespace ostfs::cli
