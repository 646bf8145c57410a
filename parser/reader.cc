#include "parser/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <algorithm>
#include <cstring>
#include <set>
#include <thread>

#include "parser/native_store.h"
#include "parser/pff_worker.h"
#include "parser/props.h"
#include "parser/summary.h"
#include "parser/text.h"

namespace ostfs::parser {
namespace {

uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

std::string describe_errno(int err) { return std::strerror(err); }

// Checks what can be checked before libpff sees the file, so the user gets a clear reason.
FileInfo read_header(const std::filesystem::path& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) throw OpenError("no such file");
    throw OpenError(describe_errno(errno));
  }
  if (S_ISDIR(st.st_mode)) throw OpenError("is a directory, not a PST or OST file");
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) throw OpenError("not a regular file");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw OpenError("cannot open: " + describe_errno(errno));
  std::array<uint8_t, 564> header{};
  const ssize_t got = ::pread(fd, header.data(), header.size(), 0);
  const int read_errno = errno;
  ::close(fd);
  if (got < 0) throw OpenError("cannot read: " + describe_errno(read_errno));
  if (got < 512) throw OpenError("too small to be a PST or OST file (" + std::to_string(got) + " bytes)");
  if (std::memcmp(header.data(), "!BDN", 4) != 0)
    throw OpenError("not a PST or OST file (no !BDN signature)");

  FileInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  const uint16_t client = le16(&header[8]);
  if (client == 0x4D53) info.kind = "PST";        // "SM"
  else if (client == 0x4F53) info.kind = "OST";   // "SO"
  else if (client == 0x4241) info.kind = "PAB";   // "AB"
  else throw OpenError("not a PST or OST file (unknown client signature)");
  info.version = le16(&header[10]);
  info.unicode = info.version >= 23;
  info.page_size = info.version >= 36 ? 4096 : 512;
  return info;
}

// Special NIDs ([MS-PST] 2.4.1).
constexpr uint32_t kMessageStoreNid = 0x21;
constexpr uint32_t kRootFolderNid = 0x122;

// A PST entry id ([MS-PST] 2.4.3.2) is 4 flag bytes, the store's 16-byte UID, then the NID.
std::optional<uint32_t> nid_from_entry_id(const std::vector<uint8_t>* entry_id) {
  if (!entry_id || entry_id->size() != 24) return std::nullopt;
  const uint8_t* p = entry_id->data() + 20;
  return static_cast<uint32_t>(p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24));
}

}  // namespace

// Lends one libpff worker to the calling thread for the duration of one Store call.
class Store::Lease {
 public:
  explicit Lease(Store& store) : store_(store), worker_(store.acquire()) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { store_.release(worker_); }
  PffWorker* operator->() const { return worker_; }

 private:
  Store& store_;
  PffWorker* worker_;
};

PffWorker* Store::acquire() {
  std::unique_lock lock(pool_mutex_);
  for (;;) {
    // libpff refused the file earlier and no handle exists: nobody will ever release one.
    if (handles_.empty() && opening_ == 0 && max_handles_ == 0)
      throw ItemError("libpff cannot open the file: " + libpff_failure_);
    if (!idle_.empty()) {
      PffWorker* worker = idle_.back();
      idle_.pop_back();
      return worker;
    }
    if (handles_.size() + opening_ < max_handles_) {
      // Another thread wants libpff while all handles are busy: open one more, outside the lock.
      ++opening_;
      lock.unlock();
      std::unique_ptr<PffWorker> fresh;
      std::string failure;
      try {
        fresh = std::make_unique<PffWorker>(path_);
        fresh->open();
      } catch (const std::exception& e) {
        fresh.reset();
        failure = e.what();
      }
      lock.lock();
      --opening_;
      if (fresh) {
        handles_.push_back(std::move(fresh));
        return handles_.back().get();
      }
      // The file cannot be opened again: make do with the handles there are, if any, and wake
      // the threads waiting for one so they see it too.
      max_handles_ = handles_.size();
      libpff_failure_ = failure;
      pool_cv_.notify_all();
      continue;
    }
    pool_cv_.wait(lock);
  }
}

void Store::release(PffWorker* worker) {
  {
    std::lock_guard lock(pool_mutex_);
    idle_.push_back(worker);
  }
  pool_cv_.notify_one();
}

// Absolute: libpff workers are started later, after the mount daemon has changed to "/".
Store::Store(std::filesystem::path path, std::unique_ptr<PffWorker> first) : path_(std::filesystem::absolute(path)) {
  const unsigned cores = std::thread::hardware_concurrency();
  max_handles_ = std::clamp(cores, 1u, 4u);
  if (first) {
    idle_.push_back(first.get());
    handles_.push_back(std::move(first));
  }
}

Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::filesystem::path& path, Readers readers) {
  FileInfo info = read_header(path);
  // The native reader opens in constant time; libpff reads the whole node index when it opens a
  // file (minutes for a few hundred thousand items). So libpff is opened only when the native
  // reader cannot read something, or cannot read the file at all.
  std::unique_ptr<NativeStore> native;
  std::string native_refusal;
  if (readers == Readers::NativeFirst) {
    try {
      native = NativeStore::open(path, NativeOptions{});
    } catch (const std::exception& e) {
      native_refusal = e.what();
    }
  }

  std::unique_ptr<Store> store;
  model::PropertyBag store_props;
  if (native) {
    store.reset(new Store(path, nullptr));
    const ndb::Header& header = native->header();
    info.unicode = header.format != ndb::Format::Ansi;
    info.page_size = header.format == ndb::Format::Unicode4k ? 4096 : 512;
    info.encryption = header.bCryptMethod == ndb::CryptMethod::None      ? "none"
                      : header.bCryptMethod == ndb::CryptMethod::Permute ? "compressible (permute)"
                                                                         : "high (cyclic)";
    info.reader = "native (libpff only where the native reader fails)";
    store->root_nid_ = kRootFolderNid;
    try {
      store_props = native->read_properties(kMessageStoreNid);
    } catch (const std::exception&) {
      // A damaged message store loses us the IPM subtree pointer and the password flag, not the
      // mail: the tree then starts at the root folder.
    }
    store->native_ = std::move(native);
  } else {
    // libpff, in its worker, opens it or says why not (OpenError).
    auto worker = std::make_unique<PffWorker>(path);
    PffDescription described = worker->open();
    store.reset(new Store(path, std::move(worker)));
    info.unicode = described.unicode;
    info.page_size = described.page_size;
    info.encryption = described.encryption;
    info.ansi_codepage = described.ansi_codepage;
    info.reader = readers == Readers::LibpffOnly
                      ? "libpff only (asked for)"
                      : "libpff only (the native reader refused the file: " + native_refusal + ")";
    store->root_nid_ = described.root_nid;
    store_props = std::move(described.message_store);
  }

  // OSTs hold 0xFFFFFFFF here: no password, only a filler.
  if (auto password = store_props.int32(props::PidTagPstPassword)) info.password_set = *password != 0 && *password != -1;
  store->ipm_subtree_nid_ = nid_from_entry_id(store_props.binary(props::PidTagIpmSubtreeEntryId));
  store->wastebasket_nid_ = nid_from_entry_id(store_props.binary(props::PidTagIpmWastebasketEntryId));
  store->message_store_props_ = std::move(store_props);
  store->info_ = std::move(info);
  if (store->ipm_subtree_nid_) {
    try {
      store->folder(*store->ipm_subtree_nid_);
    } catch (const std::exception&) {
      store->ipm_subtree_nid_.reset();
    }
  }
  if (!store->ipm_subtree_nid_) store->ipm_subtree_nid_ = store->find_ipm_subtree_by_name();
  return store;
}

std::optional<uint32_t> Store::find_ipm_subtree_by_name() {
  // OST message stores carry no PidTagIpmSubtreeEntryId: Exchange names the folder instead,
  // under "Root - Mailbox" (a public-folder IPM_SUBTREE sits under "Root - Public").
  static const std::set<std::string> kTopNames = {"IPM_SUBTREE", "Top of Personal Folders",
                                                  "Top of Outlook data file", "Top of Information Store"};
  for (const model::Folder& child : subfolders(root_nid_, nullptr)) {
    if (kTopNames.count(child.name)) return child.nid;
  }
  for (const model::Folder& child : subfolders(root_nid_, nullptr)) {
    if (child.name != "Root - Mailbox") continue;
    for (const model::Folder& grandchild : subfolders(child.nid, nullptr))
      if (grandchild.name == "IPM_SUBTREE") return grandchild.nid;
  }
  return std::nullopt;
}

model::Folder Store::folder_libpff(uint32_t nid) {
  Lease worker(*this);
  return worker->folder(nid);
}

std::vector<uint32_t> Store::subfolder_nids_libpff(uint32_t folder_nid, std::vector<std::string>* errors) {
  try {
    Lease worker(*this);
    return worker->subfolders(folder_nid, errors);
  } catch (const std::exception& e) {
    if (errors) errors->push_back(std::string("listing subfolders: ") + e.what());
    return {};
  }
}

std::vector<MessageSummary> Store::messages_libpff(uint32_t folder_nid, std::vector<std::string>* errors) {
  try {
    Lease worker(*this);
    int count = 0;
    return worker->messages(folder_nid, errors, &count);
  } catch (const std::exception& e) {
    if (errors) errors->push_back(std::string("listing messages: ") + e.what());
    return {};
  }
}

// The public calls read with the native reader (NativeStore) and fall back to libpff when it
// fails: libpff then gets its chance at what the native reader could not read, and the
// fallback is remembered for `ostfs info`.

void Store::note_fallback(const std::string& what, const std::exception& e) { note_fallback(what + ": " + e.what()); }

void Store::note_fallback(const std::string& note) {
  std::lock_guard lock(fallback_mutex_);
  if (fallbacks_.size() < kMaxFallbackNotes) fallbacks_.push_back(note);
  ++fallback_count_;
}

std::vector<std::string> Store::fallbacks(size_t* total) const {
  std::lock_guard lock(fallback_mutex_);
  if (total) *total = fallback_count_;
  return fallbacks_;
}

model::Folder Store::folder(uint32_t nid, MessageCount count) {
  if (native_) {
    try {
      model::Folder folder;
      folder.nid = nid;
      folder.props = native_->read_properties(nid);
      folder.name = folder.props.string(props::PidTagDisplayName, info_.ansi_codepage).value_or("");
      if (count == MessageCount::Count) folder.message_count = static_cast<uint32_t>(native_->contents_count(nid));
      folder.subfolder_count = static_cast<uint32_t>(native_->subfolders(nid).size());
      return folder;
    } catch (const std::exception& e) {
      note_fallback("folder " + std::to_string(nid), e);
    }
  }
  return folder_libpff(nid);
}

std::vector<model::Folder> Store::subfolders(uint32_t folder_nid, std::vector<std::string>* errors,
                                            MessageCount count) {
  std::vector<uint32_t> nids;
  bool listed = false;
  if (native_) {
    try {
      nids = native_->subfolders(folder_nid);
      // libpff's order (by node id) is the order every earlier listing used: keep it, so
      // names and collision suffixes never depend on which reader listed the folder.
      std::sort(nids.begin(), nids.end());
      listed = true;
    } catch (const std::exception& e) {
      note_fallback("subfolders of " + std::to_string(folder_nid), e);
    }
  }
  if (!listed) nids = subfolder_nids_libpff(folder_nid, errors);
  std::vector<model::Folder> folders;
  for (uint32_t nid : nids) {
    try {
      folders.push_back(folder(nid, count));
    } catch (const std::exception& e) {
      // The folder's own properties are damaged, not necessarily what is in it: keep it, by its
      // node id, so its messages and subfolders stay reachable.
      if (errors) errors->push_back("folder " + std::to_string(nid) + ": " + e.what());
      model::Folder stub;
      stub.nid = nid;
      stub.name = "(unreadable folder " + std::to_string(nid) + ")";
      folders.push_back(std::move(stub));
    }
  }
  return folders;
}

std::vector<MessageSummary> Store::messages(uint32_t folder_nid, std::vector<std::string>* errors) {
  std::vector<MessageSummary> out;
  for_each_message(
      folder_nid, errors, [&](size_t count) { out.reserve(count); },
      [&](MessageSummary&& summary) { out.push_back(std::move(summary)); });
  return out;
}

void Store::for_each_message(uint32_t folder_nid, std::vector<std::string>* errors,
                             const std::function<void(size_t)>& expect,
                             const std::function<void(MessageSummary&&)>& visit) {
  if (native_) {
    std::optional<ContentsTable> table;
    // (NID, row) in NID order; rows are read one at a time below.
    std::vector<std::pair<uint32_t, uint32_t>> order;
    try {
      table = native_->open_contents(folder_nid);
      order.reserve(table->size());
      for (size_t row = 0; row < table->size(); ++row) order.emplace_back(table->nid(row), static_cast<uint32_t>(row));
      std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    } catch (const std::exception& e) {
      note_fallback("contents of " + std::to_string(folder_nid), e);
      table.reset();
    }
    if (table) {
      // From here on a message that cannot be read is still listed (and reported), so that
      // nothing visited has to be taken back by a fallback.
      expect(order.size());
      for (size_t i = 0; i < order.size(); ++i) {
        MessageSummary summary;
        summary.index = static_cast<int>(i);
        summary.nid = order[i].first;
        // The row has the subject, class and delivery time; items without a delivery time
        // (contacts, tasks) or with 8-bit text need their own properties for time and code
        // page, and so does a row that cannot be read.
        model::PropertyBag bag;
        bool row_is_enough = false;
        try {
          bag = table->cells(order[i].second);
          const model::Property* subject = bag.find(props::PidTagSubject);
          row_is_enough = bag.filetime(props::PidTagMessageDeliveryTime).value_or(0) != 0 &&
                          (!subject || subject->type == props::type::Unicode);
        } catch (const std::bad_alloc&) {
          throw;
        } catch (const std::exception&) {
        }
        if (!row_is_enough) {
          try {
            bag = native_->read_properties(summary.nid);
          } catch (const std::bad_alloc&) {
            throw;
          } catch (const std::exception& e) {
            if (errors) errors->push_back("message " + std::to_string(summary.nid) + ": " + e.what());
          }
        }
        uint32_t codepage = info_.ansi_codepage;
        for (uint16_t tag : {props::PidTagMessageCodepage, props::PidTagInternetCodepage}) {
          if (auto cp = bag.int32(tag); cp && *cp > 0 && *cp != 1200 && *cp != 1201) {
            codepage = static_cast<uint32_t>(*cp);
            break;
          }
        }
        fill_summary(summary, bag, codepage);
        visit(std::move(summary));
      }
      return;
    }
  }
  std::vector<MessageSummary> listed = messages_libpff(folder_nid, errors);
  expect(listed.size());
  for (MessageSummary& summary : listed) visit(std::move(summary));
}

model::Message Store::load_message(const MessageRef& message, bool with_attachment_data, uint64_t data_limit) {
  if (native_) {
    if (message.nid != 0) {
      try {
        return native_->read_message(message.nid, with_attachment_data, data_limit);
      } catch (const std::exception& e) {
        note_fallback("message " + std::to_string(message.nid), e);
      }
    } else {
      note_fallback("message " + std::to_string(message.index) + " of folder " + std::to_string(message.folder_nid) +
                    ": its listing gave no node id");
    }
  }
  // Asking libpff for the n-th message of a folder item makes it read the folder's whole
  // contents table, every time: a folder read item by item would cost O(n^2). Messages the
  // folder listing has seen are fetched by their node id instead.
  Lease worker(*this);
  return worker->load_message(message.folder_nid, message.index,
                              message.nid != 0 ? std::optional<uint32_t>(message.nid) : std::nullopt,
                              with_attachment_data);
}

PffWorker& Store::recovery_worker() {
  if (!recovery_) recovery_ = std::make_unique<PffWorker>(path_);
  return *recovery_;
}

std::vector<MessageSummary> Store::recovered_messages(std::vector<std::string>* errors) {
  std::lock_guard lock(recovery_mutex_);
  try {
    return recovery_worker().recovered(errors);
  } catch (const std::exception& e) {
    if (errors) errors->push_back(std::string("recovering items: ") + e.what());
    return {};
  }
}

model::Message Store::load_recovered(int index, bool with_attachment_data) {
  std::lock_guard lock(recovery_mutex_);
  return recovery_worker().load_recovered(index, with_attachment_data);
}

namespace {

// An attachment's data in the file, read through its data tree, or held when it lives in the
// attachment's property heap (a few kilobytes at most).
class NativeAttachmentData final : public AttachmentData {
 public:
  NativeAttachmentData(std::string name, NativeStore::AttachmentSource source)
      : name_(std::move(name)), source_(std::move(source)) {}
  uint64_t size() const override { return source_.stream ? source_.stream->size() : source_.bytes.size(); }
  void read(uint64_t offset, std::span<uint8_t> out) const override {
    try {
      if (source_.stream) return source_.stream->read(offset, out);
      if (offset > source_.bytes.size() || out.size() > source_.bytes.size() - offset)
        throw std::out_of_range("read of " + std::to_string(out.size()) + " bytes at " + std::to_string(offset) +
                                " is outside its " + std::to_string(source_.bytes.size()) + " bytes");
      std::copy_n(source_.bytes.begin() + static_cast<ptrdiff_t>(offset), out.size(), out.begin());
    } catch (const std::exception& e) {
      throw ItemError(name_ + ": " + e.what());
    }
  }

 private:
  std::string name_;
  NativeStore::AttachmentSource source_;
};

}  // namespace

std::unique_ptr<const AttachmentData> Store::attachment_data(uint32_t message_nid, std::span<const uint32_t> subnodes) {
  if (!native_ || subnodes.empty() || std::find(subnodes.begin(), subnodes.end(), 0u) != subnodes.end()) return nullptr;
  std::string name = "attachment";
  for (auto it = subnodes.rbegin(); it != subnodes.rend(); ++it) name += " " + std::to_string(*it) + " of";
  name += " message " + std::to_string(message_nid);
  try {
    std::optional<NativeStore::AttachmentSource> source = native_->attachment_source(message_nid, subnodes);
    if (!source) return nullptr;
    return std::make_unique<NativeAttachmentData>(std::move(name), std::move(*source));
  } catch (const std::exception& e) {
    throw ItemError(name + ": " + e.what());
  }
}

std::optional<uint32_t> Store::original_folder_of(uint32_t message_nid) const {
  constexpr uint32_t kNidTypeMask = 0x1F;
  constexpr uint32_t kNidTypeNormalFolder = 0x02;  // [MS-PST] 2.2.2.1
  if (!native_ || message_nid == 0) return std::nullopt;
  try {
    const std::optional<ndb::NbtEntry> entry = native_->database().find_node(message_nid);
    if (!entry || (entry->nidParent & kNidTypeMask) != kNidTypeNormalFolder) return std::nullopt;
    if (!native_->database().find_node(entry->nidParent)) return std::nullopt;
    return entry->nidParent;
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged index: the item stays at the top of the recovered folder
  }
}

std::vector<uint32_t> Store::associated_message_nids(uint32_t folder_nid, std::vector<std::string>* errors) {
  std::vector<uint32_t> nids;
  if (!native_) return nids;
  try {
    for (const ContentsRow& row : native_->associated_contents(folder_nid)) nids.push_back(row.nid);
    std::sort(nids.begin(), nids.end());
  } catch (const std::exception& e) {
    if (errors) errors->push_back(std::string("listing associated messages: ") + e.what());
  }
  return nids;
}

model::Message Store::load_message_by_nid(uint32_t nid, bool with_attachment_data) {
  if (!native_) throw ItemError("message " + std::to_string(nid) + ": no native reader for this file");
  try {
    return native_->read_message(nid, with_attachment_data);
  } catch (const std::exception& e) {
    throw ItemError("message " + std::to_string(nid) + ": " + e.what());
  }
}

}  // namespace ostfs::parser
