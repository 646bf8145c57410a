#include "tests/fuzz/store_walk.h"

#include <sys/mman.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <vector>

#include "export/pst_writer.h"
#include "fs/render/eml.h"
#include "fs/render/ics.h"
#include "fs/render/item_format.h"
#include "fs/render/note.h"
#include "fs/render/vcf.h"
#include "parser/reader.h"

namespace ostfs::fuzz {
namespace {

// An anonymous in-memory file reachable by path (/proc/self/fd/N): libpff and the writer
// both want a path, and a memfd leaves nothing behind when the fuzzer is killed.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("ostfs-fuzz", MFD_CLOEXEC)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "memfd_create");
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  ~MemFile() { ::close(fd_); }

  void write_all(std::span<const uint8_t> bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) throw std::system_error(errno, std::generic_category(), "writing the input");
      done += static_cast<size_t>(n);
    }
  }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

class Walker {
 public:
  Walker(parser::Store& store, pstw::PstWriter* writer, const WalkLimits& limits, WalkStats& stats)
      : store_(store), writer_(writer), limits_(limits), stats_(stats) {}

  void folder(uint32_t nid, std::optional<pstw::FolderRef> target, int depth) {
    if (depth > limits_.max_depth || stats_.folders >= limits_.max_folders) return;
    if (!seen_.insert(nid).second) return;  // damaged trees loop
    ++stats_.folders;
    std::vector<std::string> errors;
    stage_ = "Store::subfolders";
    const std::vector<model::Folder> children = store_.subfolders(nid, &errors);
    stage_ = "Store::messages";
    const std::vector<parser::MessageSummary> summaries = store_.messages(nid, &errors);
    stats_.messages_listed += static_cast<int>(summaries.size());
    int taken = 0;
    for (const parser::MessageSummary& summary : summaries) {
      if (taken++ >= limits_.max_messages_per_folder || stats_.messages_loaded >= limits_.max_messages) break;
      message(nid, summary, target);
    }
    for (const model::Folder& child : children) {
      std::optional<pstw::FolderRef> child_target;
      if (writer_ && target) {
        try {
          // The export skips a folder it cannot write and goes on with the rest.
          stage_ = "PstWriter::add_folder";
          child_target = writer_->add_folder(*target, child);
        } catch (const std::exception&) {
        }
      }
      folder(child.nid, child_target, depth + 1);
    }
  }

  // What `-o recover` and `export --recover` add: deleted and orphaned messages.
  void recovered() {
    std::vector<std::string> errors;
    stage_ = "Store::recovered_messages";
    const std::vector<parser::MessageSummary> summaries = store_.recovered_messages(&errors);
    int taken = 0;
    for (const parser::MessageSummary& summary : summaries) {
      if (taken++ >= limits_.max_messages_per_folder) break;
      stage_ = "Store::load_recovered";
      try {
        const model::Message message = store_.load_recovered(summary.index, true);
        ++stats_.messages_recovered;
        render(summary, message, nullptr);
      } catch (const parser::ItemError&) {
      }
    }
  }

  const char* stage() const { return stage_; }

 private:
  void message(uint32_t folder_nid, const parser::MessageSummary& summary, std::optional<pstw::FolderRef> target) {
    // As stat does: without attachment data, for the size of an .eml.
    std::optional<model::Message> outline;
    stage_ = "Store::load_message (without data)";
    try {
      outline = store_.load_message({folder_nid, summary.index, summary.nid}, false);
    } catch (const parser::ItemError&) {
    }
    stage_ = "Store::load_message (with data)";
    model::Message full;
    try {
      full = store_.load_message({folder_nid, summary.index, summary.nid}, true);
    } catch (const parser::ItemError&) {
      return;
    }
    ++stats_.messages_loaded;
    render(summary, full, outline ? &*outline : nullptr);
    ++stats_.messages_rendered;
    if (writer_ && target) {
      try {
        // The export counts a message it cannot write as skipped and goes on.
        stage_ = "PstWriter::add_message";
        writer_->add_message(*target, full);
        ++stats_.messages_written;
      } catch (const std::exception&) {
      }
    }
  }

  void render(const parser::MessageSummary& summary, const model::Message& full, const model::Message* outline) {
    render::EmlOptions eml_options;
    eml_options.calendar = [](const model::Message& m) { return render::render_ics(m); };
    // Every renderer sees every item: the mount picks one by class, but a damaged class
    // string can send any item to any renderer.
    stage_ = "render_vcf 3";
    render::render_vcf(full, {.version = 3});
    stage_ = "render_vcf 4";
    render::render_vcf(full, {.version = 4});
    stage_ = "render_ics";
    render::render_ics(full);
    stage_ = "render_note";
    render::render_note(full);
    stage_ = "render_eml";
    const std::string eml = render::render_eml(full, eml_options);
    if (outline && same_shape(*outline, full)) {
      stage_ = "measure_eml";
      const uint64_t measured = render::measure_eml(*outline, eml_options);
      if (measured != eml.size())
        throw ContractViolation("node " + std::to_string(summary.nid) + ": measure_eml says " +
                                std::to_string(measured) + " bytes, render_eml wrote " + std::to_string(eml.size()));
    }
    (void)render::format_for_class(summary.message_class);
  }

  // The two reads found the same parts, so the mount's stat and read must agree on the size.
  static bool same_shape(const model::Message& a, const model::Message& b) {
    if (a.warnings != b.warnings || a.recipients.size() != b.recipients.size() ||
        a.attachments.size() != b.attachments.size())
      return false;
    for (size_t i = 0; i < a.attachments.size(); ++i) {
      const model::Attachment& x = a.attachments[i];
      const model::Attachment& y = b.attachments[i];
      if (x.data_size != y.data_size || (x.embedded == nullptr) != (y.embedded == nullptr)) return false;
      if (x.embedded && !same_shape(*x.embedded, *y.embedded)) return false;
    }
    return true;
  }

  parser::Store& store_;
  pstw::PstWriter* writer_;
  const WalkLimits& limits_;
  WalkStats& stats_;
  std::set<uint32_t> seen_;
  const char* stage_ = "start";
};

}  // namespace

WalkStats walk_store(std::span<const uint8_t> bytes, const WalkLimits& limits) {
  WalkStats stats;
  MemFile input;
  input.write_all(bytes);
  std::unique_ptr<parser::Store> store;
  try {
    store = parser::Store::open(input.path());
  } catch (const parser::OpenError&) {
    return stats;
  } catch (const std::exception& e) {
    // The commands catch this too, but report it as a failed mount (exit 4) rather than a
    // bad source file (exit 2).
    throw ContractViolation(std::string("Store::open threw a non-OpenError: ") + e.what());
  }
  stats.opened = true;

  MemFile output;
  std::unique_ptr<pstw::PstWriter> writer;
  try {
    writer = std::make_unique<pstw::PstWriter>(output.path(), pstw::WriterOptions{});
  } catch (const std::system_error&) {
  }
  const uint32_t top = store->ipm_subtree_nid().value_or(store->root_nid());
  if (writer) {
    try {
      writer->set_source_store(store->message_store_properties(), store->folder(store->root_nid()).props);
    } catch (const std::exception&) {
      // The export reports an unreadable root folder and writes without special roles.
    }
  }
  Walker walker(*store, writer.get(), limits, stats);
  try {
    walker.folder(top, writer ? std::optional(writer->ipm_subtree()) : std::nullopt, 0);
    // The mount's "Other folders (ostfs)": everything outside the IPM subtree.
    if (top != store->root_nid()) walker.folder(store->root_nid(), std::nullopt, 0);
    walker.recovered();
  } catch (const ContractViolation&) {
    throw;
  } catch (const std::exception& e) {
    throw ContractViolation(std::string(walker.stage()) + " threw " + e.what());
  }
  if (writer) {
    try {
      writer->finish();
      stats.export_finished = true;
    } catch (const std::exception&) {
      // The export reports "cannot write" and exits 6.
    }
  }
  return stats;
}

}  // namespace ostfs::fuzz
