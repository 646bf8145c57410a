// Reading a PST/OST into the item model. This is the only interface the mount and the
// export use; libpff stays behind it, in a worker process (pff_worker.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "parser/attachment_data.h"
#include "parser/model.h"

namespace ostfs::parser {

class NativeStore;
class PffWorker;

// The file cannot be opened as a PST/OST. what() is one line naming the problem, without
// the file name (the caller adds it).
struct OpenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One item or folder could not be read; the rest of the file is fine.
struct ItemError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct FileInfo {
  std::string kind;        // "PST", "OST" or "PAB"
  bool unicode = true;     // false for ANSI (32-bit) files
  uint16_t version = 0;    // header wVer
  uint32_t page_size = 512;
  std::string encryption;  // "none", "compressible (permute)", "high (cyclic)"
  bool password_set = false;
  uint64_t size = 0;
  uint32_t ansi_codepage = 1252;
  std::string reader;      // which reader serves the file
};

// What a folder listing needs to know of a message, read without bodies or attachments.
struct MessageSummary {
  uint32_t nid = 0;
  int index = 0;                    // position in its folder, as libpff lists it
  std::string subject;              // UTF-8, prefix marker removed
  std::string message_class;
  std::optional<int64_t> time;      // Unix seconds: delivery, else submit, else modified, else created
};

// A message as a folder listing gave it: its folder, its position there and its node id
// (MessageSummary::nid; 0 when the listing had none).
struct MessageRef {
  uint32_t folder_nid = 0;
  int index = 0;
  uint32_t nid = 0;
};

// For Store::load_message: no limit on the attachment data it reads.
inline constexpr uint64_t kAllAttachmentData = UINT64_MAX;

class Store {
 public:
  // Which readers a store uses. LibpffOnly is for checking the native reader against libpff
  // (the equivalence tests and benchmarks): a native-first store reads nearly everything
  // natively, so it cannot be the other side of such a comparison.
  enum class Readers { NativeFirst, LibpffOnly };
  // Opens `path` read-only. Throws OpenError.
  static std::unique_ptr<Store> open(const std::filesystem::path& path, Readers readers = Readers::NativeFirst);
  ~Store();

  const FileInfo& info() const { return info_; }
  const std::filesystem::path& path() const { return path_; }
  uint32_t root_nid() const { return root_nid_; }
  // The IPM subtree ("Top of Personal Folders", "IPM_SUBTREE"): the folders a user sees.
  std::optional<uint32_t> ipm_subtree_nid() const { return ipm_subtree_nid_; }
  // The message store's own properties (empty when the store object is damaged).
  const model::PropertyBag& message_store_properties() const { return message_store_props_; }
  // The Deleted Items folder, when the message store names it (PidTagIpmWastebasketEntryId).
  std::optional<uint32_t> wastebasket_nid() const { return wastebasket_nid_; }

  // Whether a folder's message_count is worked out. Counting resolves every block of its
  // contents table (0.5 s for the root of a file of 3,000,000 items); the mount learns the count
  // when it lists the folder anyway.
  enum class MessageCount { Count, Skip };
  // Throws ItemError when the folder cannot be read.
  model::Folder folder(uint32_t nid, MessageCount count = MessageCount::Count);
  // Child folders in the file's order. Unreadable children are skipped and reported in `errors`.
  std::vector<model::Folder> subfolders(uint32_t folder_nid, std::vector<std::string>* errors,
                                        MessageCount count = MessageCount::Count);
  // Messages of a folder in the file's order. Unreadable ones are reported in `errors`.
  std::vector<MessageSummary> messages(uint32_t folder_nid, std::vector<std::string>* errors);
  // The same, one at a time: `expect` first gets how many there are, then `visit` gets each.
  // A folder of 300,000 messages listed at once held 40 MB of summaries. Whatever `visit`
  // throws goes through; a message that cannot be read is visited all the same (and
  // reported), so nothing visited is ever taken back.
  void for_each_message(uint32_t folder_nid, std::vector<std::string>* errors,
                        const std::function<void(size_t count)>& expect,
                        const std::function<void(MessageSummary&&)>& visit);
  // Reads one message fully, by what its listing gave (the store keeps no listing: 4 bytes a
  // message for as long as it lives would be 12 MB at three million). Attachment data is read
  // only when `with_attachment_data`, and then only while the message's attachments (embedded
  // messages' included) hold at most `data_limit` bytes in all: past that the rest are left
  // unread (Attachment::data_loaded false), so that a caller after small messages learns that
  // one is large without holding its attachments. (libpff, the reader of what the native one
  // cannot read, reads all of it.) Throws ItemError when the message cannot be read at all;
  // damaged parts (a recipient, an attachment) become Message::warnings.
  model::Message load_message(const MessageRef& message, bool with_attachment_data,
                              uint64_t data_limit = kAllAttachmentData);

  // The data of an attachment of message `message_nid`, to read piece by piece: `subnodes`
  // is its Attachment::nid, or for an attachment of an embedded message, the NIDs that lead
  // to it (the attachment holding the message, the message's Message::nid, its attachment...).
  // Null when it cannot be read so: the native reader does not serve the file, the attachment
  // has no data or is an embedded message. Throws ItemError when it cannot be found or read.
  std::unique_ptr<const AttachmentData> attachment_data(uint32_t message_nid, std::span<const uint32_t> subnodes);

  // A folder's associated (hidden, "FAI") messages: views, rules, settings. They are not shown
  // by the mount; the export copies them. Needs the native reader (empty without it); damage is
  // reported in `errors`.
  std::vector<uint32_t> associated_message_nids(uint32_t folder_nid, std::vector<std::string>* errors);
  // Reads one message by node id with the native reader. Throws ItemError.
  model::Message load_message_by_nid(uint32_t nid, bool with_attachment_data);

  // Deleted and orphaned messages that libpff can recover (libpff_file_recover_items): its
  // scan runs on the first call. MessageSummary::index is the recovery index for
  // load_recovered(). Unreadable ones are reported in `errors`.
  std::vector<MessageSummary> recovered_messages(std::vector<std::string>* errors);
  // Throws ItemError.
  model::Message load_recovered(int index, bool with_attachment_data);
  // The folder a recovered item still names as its parent in the node index (an orphan's
  // NBT entry keeps nidParent), or nullopt when that is not known: a deleted item has no
  // entry left. Never throws.
  std::optional<uint32_t> original_folder_of(uint32_t message_nid) const;

  // What the native reader could not read, so libpff read it instead (at most
  // kMaxFallbackNotes lines; `total` gets the full count).
  std::vector<std::string> fallbacks(size_t* total = nullptr) const;
  static constexpr size_t kMaxFallbackNotes = 100;

 private:
  class Lease;
  Store(std::filesystem::path path, std::unique_ptr<PffWorker> first);
  PffWorker* acquire();
  void release(PffWorker* worker);
  std::optional<uint32_t> find_ipm_subtree_by_name();
  model::Folder folder_libpff(uint32_t nid);
  std::vector<uint32_t> subfolder_nids_libpff(uint32_t folder_nid, std::vector<std::string>* errors);
  std::vector<MessageSummary> messages_libpff(uint32_t folder_nid, std::vector<std::string>* errors);
  void note_fallback(const std::string& what, const std::exception& e);
  void note_fallback(const std::string& note);
  PffWorker& recovery_worker();

  std::filesystem::path path_;
  // libpff runs in worker processes (pff_worker.h): it crashes on some damaged files, and a
  // crash must cost one item, not the mount. Each call borrows a whole worker (one libpff
  // handle) for itself; more are started on demand, up to one per core, so reads of different
  // items run in parallel.
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<PffWorker>> handles_;
  std::vector<PffWorker*> idle_;
  size_t opening_ = 0;
  size_t max_handles_ = 1;
  std::string libpff_failure_;  // why libpff could not open the file, once it could not
  // The fast reader; null when it refused the file (libpff then reads everything).
  std::unique_ptr<NativeStore> native_;
  // Recovery has a worker of its own: libpff keeps what its scan found in the handle that ran it.
  std::mutex recovery_mutex_;
  std::unique_ptr<PffWorker> recovery_;
  mutable std::mutex fallback_mutex_;
  std::vector<std::string> fallbacks_;
  size_t fallback_count_ = 0;
  FileInfo info_;
  uint32_t root_nid_ = 0;
  std::optional<uint32_t> ipm_subtree_nid_;
  std::optional<uint32_t> wastebasket_nid_;
  model::PropertyBag message_store_props_;
};

}  // namespace ostfs::parser
