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
#include <unordered_map>

#include "parser/native_store.h"
#include "parser/pff_handle.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::parser {
namespace {

using pff::check;

// Embedded messages nest; a hostile file could nest them without end.
constexpr int kMaxEmbeddingDepth = 32;
// A value larger than this is damage, not data (MS-PST caps a stream at 4 GiB; a property
// value read into memory this large would take the mount down).
constexpr size_t kMaxValueSize = size_t{1} << 30;

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

std::string subject_without_prefix_marker(std::string subject) {
  // [MS-PST] 2.5.3.1.1: a subject may start with 0x01 and a length byte.
  if (subject.size() >= 2 && subject[0] == '\x01') subject.erase(0, 2);
  return subject;
}

void fill_summary(MessageSummary& summary, const model::PropertyBag& bag, uint32_t codepage) {
  summary.subject = subject_without_prefix_marker(bag.string(props::PidTagSubject, codepage).value_or(""));
  summary.message_class = bag.string(props::PidTagMessageClass, codepage).value_or("IPM.Note");
  if (summary.message_class.empty()) summary.message_class = "IPM.Note";
  for (uint16_t tag : {props::PidTagMessageDeliveryTime, props::PidTagClientSubmitTime,
                       props::PidTagLastModificationTime, props::PidTagCreationTime}) {
    if (auto ft = bag.filetime(tag); ft && *ft != 0) {
      summary.time = model::filetime_to_unix(*ft);
      break;
    }
  }
}

}  // namespace

struct Store::Impl {
  pff::FilePtr file;
  uint32_t ansi_codepage = 1252;

  pff::ItemPtr item_by_nid(uint32_t nid) {
    libpff_item_t* raw = nullptr;
    const int found = check("get item " + std::to_string(nid), [&](libpff_error_t** e) {
      return libpff_file_get_item_by_identifier(file.get(), nid, &raw, e);
    });
    if (found == 0 || !raw) throw ItemError("node " + std::to_string(nid) + " not found");
    return pff::ItemPtr(raw);
  }

  static uint32_t nid_of(libpff_item_t* item) {
    uint32_t nid = 0;
    check("get identifier", [&](libpff_error_t** e) { return libpff_item_get_identifier(item, &nid, e); });
    return nid;
  }

  // Reads one record set's properties. The value of `size_only_id` is not read, only its size
  // (attachment data is streamed separately, and only when needed).
  model::PropertyBag read_record_set(libpff_item_t* item, int set_index, uint16_t size_only_id = 0,
                                     uint64_t* size_only_size = nullptr) {
    libpff_record_set_t* raw_set = nullptr;
    check("get record set", [&](libpff_error_t** e) {
      return libpff_item_get_record_set_by_index(item, set_index, &raw_set, e);
    });
    pff::RecordSetPtr set(raw_set);
    int count = 0;
    check("count record entries", [&](libpff_error_t** e) {
      return libpff_record_set_get_number_of_entries(set.get(), &count, e);
    });
    model::PropertyBag bag;
    bag.props.reserve(count);
    for (int i = 0; i < count; ++i) {
      libpff_record_entry_t* raw_entry = nullptr;
      check("get record entry", [&](libpff_error_t** e) {
        return libpff_record_set_get_entry_by_index(set.get(), i, &raw_entry, e);
      });
      pff::RecordEntryPtr entry(raw_entry);
      uint32_t entry_type = 0, value_type = 0;
      check("get entry type", [&](libpff_error_t** e) {
        return libpff_record_entry_get_entry_type(entry.get(), &entry_type, e);
      });
      check("get value type", [&](libpff_error_t** e) {
        return libpff_record_entry_get_value_type(entry.get(), &value_type, e);
      });
      model::Property prop;
      prop.id = static_cast<uint16_t>(entry_type);
      prop.type = static_cast<uint16_t>(value_type);
      size_t size = 0;
      check("get value size", [&](libpff_error_t** e) {
        return libpff_record_entry_get_data_size(entry.get(), &size, e);
      });
      if (prop.id == size_only_id && size_only_size) {
        *size_only_size = size;
      } else if (size > 0) {
        if (size > kMaxValueSize)
           throw ItemError("property " + std::to_string(prop.id) + " claims " + std::to_string(size) + " bytes");
        prop.value.resize(size);
        check("read value", [&](libpff_error_t** e) {
          return libpff_record_entry_get_data(entry.get(), prop.value.data(), size, e);
        });
      }
      if (prop.id >= 0x8000) prop.named = cached_named_id(prop.id, entry.get());
      bag.props.push_back(std::move(prop));
    }
    return bag;
  }

  // Reads only the properties `ids` of one record set: listing a folder must not read bodies.
  model::PropertyBag read_selected(libpff_item_t* item, std::initializer_list<uint16_t> ids) {
    libpff_record_set_t* raw_set = nullptr;
    check("get record set", [&](libpff_error_t** e) {
      return libpff_item_get_record_set_by_index(item, 0, &raw_set, e);
    });
    pff::RecordSetPtr set(raw_set);
    model::PropertyBag bag;
    for (uint16_t id : ids) {
      libpff_record_entry_t* raw_entry = nullptr;
      const int found = check("find property", [&](libpff_error_t** e) {
        return libpff_record_set_get_entry_by_type(set.get(), id, 0, &raw_entry,
                                                   LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE, e);
      });
      if (found != 1 || !raw_entry) continue;
      pff::RecordEntryPtr entry(raw_entry);
      uint32_t value_type = 0;
      check("get value type", [&](libpff_error_t** e) {
        return libpff_record_entry_get_value_type(entry.get(), &value_type, e);
      });
      model::Property prop;
      prop.id = id;
      prop.type = static_cast<uint16_t>(value_type);
      size_t size = 0;
      check("get value size", [&](libpff_error_t** e) {
        return libpff_record_entry_get_data_size(entry.get(), &size, e);
      });
      if (size > kMaxValueSize) continue;
      prop.value.resize(size);
      if (size > 0)
        check("read value", [&](libpff_error_t** e) {
          return libpff_record_entry_get_data(entry.get(), prop.value.data(), size, e);
        });
      bag.props.push_back(std::move(prop));
    }
    return bag;
  }

  // NPIDs map to the same name everywhere in a file, and libpff searches its map linearly:
  // remember each answer.
  std::unordered_map<uint16_t, std::optional<model::NamedId>> named_ids;

  const std::optional<model::NamedId>& cached_named_id(uint16_t npid, libpff_record_entry_t* entry) {
    auto it = named_ids.find(npid);
    if (it == named_ids.end()) it = named_ids.emplace(npid, named_id(entry)).first;
    return it->second;
  }

  static std::optional<model::NamedId> named_id(libpff_record_entry_t* entry) {
    // An unresolvable name is not an error for the item: the property keeps its NPID.
    libpff_name_to_id_map_entry_t* map_entry = nullptr;  // owned by the file, not freed here
    pff::ErrorSlot slot;
    if (libpff_record_entry_get_name_to_id_map_entry(entry, &map_entry, slot.out()) != 1 || !map_entry)
      return std::nullopt;
    model::NamedId id;
    uint8_t kind = 0;
    if (libpff_name_to_id_map_entry_get_type(map_entry, &kind, slot.out()) != 1) return std::nullopt;
    if (libpff_name_to_id_map_entry_get_guid(map_entry, id.guid.data(), id.guid.size(), slot.out()) != 1)
      return std::nullopt;
    if (kind == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC) {
      uint32_t number = 0;
      if (libpff_name_to_id_map_entry_get_number(map_entry, &number, slot.out()) != 1) return std::nullopt;
      id.lid = number;
    } else {
      size_t units = 0;
      if (libpff_name_to_id_map_entry_get_utf16_string_size(map_entry, &units, slot.out()) != 1)
        return std::nullopt;
      std::vector<uint16_t> buffer(units + 1);
      if (units > 0 &&
          libpff_name_to_id_map_entry_get_utf16_string(map_entry, buffer.data(), buffer.size(), slot.out()) != 1)
        return std::nullopt;
      for (size_t k = 0; k < units && buffer[k] != 0; ++k) id.name.push_back(static_cast<char16_t>(buffer[k]));
    }
    return id;
  }

  uint32_t codepage_of(const model::PropertyBag& bag) const {
    for (uint16_t tag : {props::PidTagMessageCodepage, props::PidTagInternetCodepage}) {
      if (auto cp = bag.int32(tag); cp && *cp > 0 && *cp != 1200 && *cp != 1201) return static_cast<uint32_t>(*cp);
    }
    return ansi_codepage;
  }

  model::Message read_message(libpff_item_t* item, bool with_data, int depth) {
    model::Message message;
    message.nid = nid_of(item);
    message.props = read_record_set(item, 0);
    message.codepage = codepage_of(message.props);
    try {
      read_recipients(item, message);
    } catch (const std::exception& e) {
      message.warnings.push_back(std::string("recipients: ") + e.what());
    }
    int attachments = 0;
    try {
      check("count attachments", [&](libpff_error_t** e) {
        return libpff_message_get_number_of_attachments(item, &attachments, e);
      });
    } catch (const std::exception& e) {
      message.warnings.push_back(std::string("attachments: ") + e.what());
    }
    for (int i = 0; i < attachments; ++i) {
      try {
        message.attachments.push_back(read_attachment(item, i, with_data, depth));
      } catch (const std::exception& e) {
        message.warnings.push_back("attachment " + std::to_string(i + 1) + ": " + e.what());
      }
    }
    return message;
  }

  void read_recipients(libpff_item_t* item, model::Message& message) {
    libpff_item_t* raw = nullptr;
    const int found = check("get recipients", [&](libpff_error_t** e) {
      return libpff_message_get_recipients(item, &raw, e);
    });
    if (found != 1 || !raw) return;
    pff::ItemPtr recipients(raw);
    int sets = 0;
    check("count recipients", [&](libpff_error_t** e) {
      return libpff_item_get_number_of_record_sets(recipients.get(), &sets, e);
    });
    for (int i = 0; i < sets; ++i) {
      model::Recipient recipient;
      recipient.props = read_record_set(recipients.get(), i);
      if (recipient.props.props.empty()) continue;
      message.recipients.push_back(std::move(recipient));
    }
  }

  model::Attachment read_attachment(libpff_item_t* message, int index, bool with_data, int depth) {
    libpff_item_t* raw = nullptr;
    check("get attachment", [&](libpff_error_t** e) {
      return libpff_message_get_attachment(message, index, &raw, e);
    });
    pff::ItemPtr item(raw);
    model::Attachment attachment;
    uint64_t stored_size = 0;
    attachment.props = read_record_set(item.get(), 0, props::PidTagAttachDataBinary, &stored_size);
    int type = 0;
    check("get attachment type", [&](libpff_error_t** e) {
      return libpff_attachment_get_type(item.get(), &type, e);
    });
    if (auto method = attachment.props.int32(props::PidTagAttachMethod)) {
      attachment.method = static_cast<model::AttachMethod>(*method);
    } else {
      attachment.method = type == LIBPFF_ATTACHMENT_TYPE_ITEM        ? model::AttachMethod::EmbeddedMessage
                          : type == LIBPFF_ATTACHMENT_TYPE_REFERENCE ? model::AttachMethod::ByReference
                                                                     : model::AttachMethod::ByValue;
    }
    if (type == LIBPFF_ATTACHMENT_TYPE_ITEM) {
      attachment.method = model::AttachMethod::EmbeddedMessage;
      if (depth >= kMaxEmbeddingDepth) throw ItemError("embedded messages nested too deeply");
      libpff_item_t* raw_embedded = nullptr;
      const int found = check("get embedded message", [&](libpff_error_t** e) {
        return libpff_attachment_get_item(item.get(), &raw_embedded, e);
      });
      if (found == 1 && raw_embedded) {
        pff::ItemPtr embedded(raw_embedded);
        attachment.embedded = std::make_unique<model::Message>(read_message(embedded.get(), with_data, depth + 1));
      }
      attachment.data_loaded = true;
      return attachment;
    }
    if (type == LIBPFF_ATTACHMENT_TYPE_DATA) {
      size64_t size = 0;
      const int has = check("get attachment size", [&](libpff_error_t** e) {
        return libpff_attachment_get_data_size(item.get(), &size, e);
      });
      attachment.data_size = has == 1 ? size : 0;
      if (with_data && attachment.data_size > 0) read_attachment_data(item.get(), attachment);
    }
    attachment.data_loaded = with_data || attachment.data_size == 0;
    return attachment;
  }

  static void read_attachment_data(libpff_item_t* item, model::Attachment& attachment) {
    if (attachment.data_size > (uint64_t{1} << 32)) throw ItemError("attachment larger than 4 GiB");
    attachment.data.resize(attachment.data_size);
    check("seek attachment data", [&](libpff_error_t** e) {
      return libpff_attachment_data_seek_offset(item, 0, SEEK_SET, e) < 0 ? -1 : 1;
    });
    size_t done = 0;
    while (done < attachment.data.size()) {
      pff::ErrorSlot slot;
      const ssize_t got = libpff_attachment_data_read_buffer(
          item, attachment.data.data() + done, attachment.data.size() - done, slot.out());
      if (got < 0) throw ItemError("reading attachment data: " + slot.message());
      if (got == 0) break;
      done += static_cast<size_t>(got);
    }
    if (done != attachment.data.size())
      throw ItemError("attachment data ends after " + std::to_string(done) + " of " +
                      std::to_string(attachment.data.size()) + " bytes");
  }
};

// Opens one more libpff handle on the file. Throws OpenError.
std::unique_ptr<Store::Impl> Store::open_handle(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>();
  libpff_file_t* raw = nullptr;
  check("initialize", [&](libpff_error_t** e) { return libpff_file_initialize(&raw, e); });
  impl->file.reset(raw);
  pff::ErrorSlot slot;
  if (libpff_file_open(raw, path.c_str(), LIBPFF_OPEN_READ, slot.out()) != 1) {
    const std::string reason = slot.message();
    if (reason.find("checksum") != std::string::npos) throw OpenError("corrupt file header (" + reason + ")");
    throw OpenError("cannot be read as a PST or OST file (" + reason + ")");
  }
  int codepage = 0;
  if (check("codepage", [&](libpff_error_t** e) { return libpff_file_get_ascii_codepage(raw, &codepage, e); }) == 1 &&
      codepage > 0)
    impl->ansi_codepage = static_cast<uint32_t>(codepage);
  return impl;
}

// Lends one libpff handle to the calling thread for the duration of one Store call.
class Store::Lease {
 public:
  explicit Lease(Store& store) : store_(store), impl_(store.acquire()) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { store_.release(impl_); }
  Impl* operator->() const { return impl_; }
  Impl& operator*() const { return *impl_; }

 private:
  Store& store_;
  Impl* impl_;
};

Store::Impl* Store::acquire() {
  std::unique_lock lock(pool_mutex_);
  for (;;) {
    // libpff refused the file earlier and no handle exists: nobody will ever release one.
    if (handles_.empty() && opening_ == 0 && max_handles_ == 0)
      throw ItemError("libpff cannot open the file: " + libpff_failure_);
    if (!idle_.empty()) {
      Impl* impl = idle_.back();
      idle_.pop_back();
      return impl;
    }
    if (handles_.size() + opening_ < max_handles_) {
      // Another thread wants libpff while all handles are busy: open one more, outside the lock.
      ++opening_;
      lock.unlock();
      std::unique_ptr<Impl> fresh;
      std::string failure;
      try {
        fresh = open_handle(path_);
      } catch (const std::exception& e) {
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

void Store::release(Impl* impl) {
  {
    std::lock_guard lock(pool_mutex_);
    idle_.push_back(impl);
  }
  pool_cv_.notify_one();
}

Store::Store(std::filesystem::path path, std::unique_ptr<Impl> first) : path_(std::move(path)) {
  const unsigned cores = std::thread::hardware_concurrency();
  max_handles_ = std::clamp(cores, 1u, 4u);
  if (first) {
    idle_.push_back(first.get());
    handles_.push_back(std::move(first));
  }
}

Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::filesystem::path& path) {
  FileInfo info = read_header(path);
  // The native reader opens in constant time; libpff reads the whole node index when it opens a
  // file (minutes for a few hundred thousand items). So libpff is opened only when the native
  // reader cannot read something, or cannot read the file at all.
  std::unique_ptr<NativeStore> native;
  std::string native_refusal;
  try {
    native = NativeStore::open(path, NativeOptions{});
  } catch (const std::exception& e) {
    native_refusal = e.what();
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
    store.reset(new Store(path, open_handle(path)));  // throws OpenError with libpff's reason
    Impl& d = *store->handles_.front();
    libpff_file_t* raw = d.file.get();
    uint8_t type = 0;
    if (check("file type", [&](libpff_error_t** e) { return libpff_file_get_type(raw, &type, e); }) == 1)
      info.unicode = type != LIBPFF_FILE_TYPE_32BIT;
    if (type == LIBPFF_FILE_TYPE_64BIT_4K_PAGE) info.page_size = 4096;
    uint8_t encryption = 0;
    check("encryption", [&](libpff_error_t** e) { return libpff_file_get_encryption_type(raw, &encryption, e); });
    info.encryption = encryption == LIBPFF_ENCRYPTION_TYPE_NONE            ? "none"
                      : encryption == LIBPFF_ENCRYPTION_TYPE_COMPRESSIBLE ? "compressible (permute)"
                      : encryption == LIBPFF_ENCRYPTION_TYPE_HIGH         ? "high (cyclic)"
                                                                          : "unknown";
    info.ansi_codepage = d.ansi_codepage;
    info.reader = "libpff only (the native reader refused the file: " + native_refusal + ")";
    libpff_item_t* raw_root = nullptr;
    const int has_root = check("root folder", [&](libpff_error_t** e) {
      return libpff_file_get_root_folder(raw, &raw_root, e);
    });
    if (has_root != 1 || !raw_root) throw OpenError("has no root folder");
    pff::ItemPtr root(raw_root);
    store->root_nid_ = Impl::nid_of(root.get());
    libpff_item_t* raw_store = nullptr;
    try {
      if (check("message store", [&](libpff_error_t** e) { return libpff_file_get_message_store(raw, &raw_store, e); }) == 1 &&
          raw_store) {
        pff::ItemPtr message_store(raw_store);
        store_props = d.read_record_set(message_store.get(), 0);
      }
    } catch (const std::exception&) {
      // As above: no IPM subtree pointer, no password flag.
    }
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
  Lease handle(*this);
  try {
    pff::ItemPtr item = handle->item_by_nid(nid);
    model::Folder folder;
    folder.nid = nid;
    folder.props = handle->read_record_set(item.get(), 0);
    folder.name = folder.props.string(props::PidTagDisplayName, handle->ansi_codepage).value_or("");
    int count = 0;
    if (check("count messages", [&](libpff_error_t** e) {
          return libpff_folder_get_number_of_sub_messages(item.get(), &count, e);
        }) == 1)
      folder.message_count = static_cast<uint32_t>(count);
    count = 0;
    if (check("count folders", [&](libpff_error_t** e) {
          return libpff_folder_get_number_of_sub_folders(item.get(), &count, e);
        }) == 1)
      folder.subfolder_count = static_cast<uint32_t>(count);
    return folder;
  } catch (const pff::PffError& e) {
    throw ItemError(e.what());
  }
}

std::vector<uint32_t> Store::subfolder_nids_libpff(uint32_t folder_nid, std::vector<std::string>* errors) {
  std::vector<uint32_t> nids;
  {
    try {
      Lease handle(*this);
      pff::ItemPtr item = handle->item_by_nid(folder_nid);
      int count = 0;
      check("count folders", [&](libpff_error_t** e) {
        return libpff_folder_get_number_of_sub_folders(item.get(), &count, e);
      });
      for (int i = 0; i < count; ++i) {
        try {
          libpff_item_t* raw = nullptr;
          check("get folder " + std::to_string(i), [&](libpff_error_t** e) {
            return libpff_folder_get_sub_folder(item.get(), i, &raw, e);
          });
          pff::ItemPtr child(raw);
          nids.push_back(Impl::nid_of(child.get()));
        } catch (const std::exception& e) {
          if (errors) errors->push_back("subfolder " + std::to_string(i) + ": " + e.what());
        }
      }
    } catch (const std::exception& e) {
      if (errors) errors->push_back(std::string("listing subfolders: ") + e.what());
    }
  }
  return nids;
}

std::vector<MessageSummary> Store::messages_libpff(uint32_t folder_nid, std::vector<std::string>* errors) {
  std::vector<MessageSummary> out;
  try {
    Lease handle(*this);
    pff::ItemPtr folder = handle->item_by_nid(folder_nid);
    int count = 0;
    check("count messages", [&](libpff_error_t** e) {
      return libpff_folder_get_number_of_sub_messages(folder.get(), &count, e);
    });
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
      try {
        libpff_item_t* raw = nullptr;
        check("get message", [&](libpff_error_t** e) {
          return libpff_folder_get_sub_message(folder.get(), i, &raw, e);
        });
        pff::ItemPtr item(raw);
        MessageSummary summary;
        summary.index = i;
        summary.nid = Impl::nid_of(item.get());
        const model::PropertyBag bag = handle->read_selected(
            item.get(), {props::PidTagSubject, props::PidTagMessageClass, props::PidTagMessageDeliveryTime,
                         props::PidTagClientSubmitTime, props::PidTagLastModificationTime, props::PidTagCreationTime,
                         props::PidTagMessageCodepage, props::PidTagInternetCodepage});
        fill_summary(summary, bag, handle->codepage_of(bag));
        out.push_back(std::move(summary));
      } catch (const std::exception& e) {
        if (errors) errors->push_back("message " + std::to_string(i) + ": " + e.what());
      }
    }
    remember_message_nids(folder_nid, out, count);
  } catch (const std::exception& e) {
    if (errors) errors->push_back(std::string("listing messages: ") + e.what());
  }
  return out;
}

void Store::remember_message_nids(uint32_t folder_nid, const std::vector<MessageSummary>& summaries, int count) {
  std::vector<uint32_t> nids(static_cast<size_t>(std::max(count, 0)), 0);
  for (const MessageSummary& s : summaries)
    if (s.index >= 0 && static_cast<size_t>(s.index) < nids.size()) nids[s.index] = s.nid;
  std::lock_guard lock(index_mutex_);
  message_nids_[folder_nid] = std::move(nids);
}

std::optional<uint32_t> Store::known_message_nid(uint32_t folder_nid, int index) {
  std::lock_guard lock(index_mutex_);
  auto it = message_nids_.find(folder_nid);
  if (it == message_nids_.end() || index < 0 || static_cast<size_t>(index) >= it->second.size() ||
      it->second[index] == 0)
    return std::nullopt;
  return it->second[index];
}

model::Message Store::load_message_libpff(uint32_t folder_nid, int index, bool with_attachment_data) {
  // Asking libpff for the n-th message of a folder item makes it read the folder's whole
  // contents table, every time: a folder read item by item would cost O(n^2). Messages the
  // folder listing has seen are fetched by their node id instead.
  const std::optional<uint32_t> nid = known_message_nid(folder_nid, index);
  Lease handle(*this);
  try {
    pff::ItemPtr item;
    if (nid) {
      try {
        item = handle->item_by_nid(*nid);
      } catch (const std::exception&) {
        item.reset();
      }
    }
    if (!item) {
      pff::ItemPtr folder = handle->item_by_nid(folder_nid);
      libpff_item_t* raw = nullptr;
      check("get message", [&](libpff_error_t** e) {
        return libpff_folder_get_sub_message(folder.get(), index, &raw, e);
      });
      item.reset(raw);
    }
    return handle->read_message(item.get(), with_attachment_data, 0);
  } catch (const ItemError&) {
    throw;
  } catch (const std::exception& e) {
    throw ItemError(e.what());
  }
}

// The public calls read with the native reader (NativeStore) and fall back to libpff when it
// fails: libpff then gets its chance at what the native reader could not read, and the
// fallback is remembered for `ostfs info`.

void Store::note_fallback(const std::string& what, const std::exception& e) {
  std::lock_guard lock(fallback_mutex_);
  if (fallbacks_.size() < kMaxFallbackNotes) fallbacks_.push_back(what + ": " + e.what());
  ++fallback_count_;
}

std::vector<std::string> Store::fallbacks(size_t* total) const {
  std::lock_guard lock(fallback_mutex_);
  if (total) *total = fallback_count_;
  return fallbacks_;
}

model::Folder Store::folder(uint32_t nid) {
  if (native_) {
    try {
      model::Folder folder;
      folder.nid = nid;
      folder.props = native_->read_properties(nid);
      folder.name = folder.props.string(props::PidTagDisplayName, info_.ansi_codepage).value_or("");
      folder.message_count = static_cast<uint32_t>(native_->contents(nid).size());
      folder.subfolder_count = static_cast<uint32_t>(native_->subfolders(nid).size());
      return folder;
    } catch (const std::exception& e) {
      note_fallback("folder " + std::to_string(nid), e);
    }
  }
  return folder_libpff(nid);
}

std::vector<model::Folder> Store::subfolders(uint32_t folder_nid, std::vector<std::string>* errors) {
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
      folders.push_back(folder(nid));
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
  if (native_) {
    try {
      std::vector<ContentsRow> rows = native_->contents(folder_nid);
      std::sort(rows.begin(), rows.end(), [](const ContentsRow& a, const ContentsRow& b) { return a.nid < b.nid; });
      std::vector<MessageSummary> out;
      out.reserve(rows.size());
      for (size_t i = 0; i < rows.size(); ++i) {
        MessageSummary summary;
        summary.index = static_cast<int>(i);
        summary.nid = rows[i].nid;
        // The row has the subject, class and delivery time; items without a delivery time
        // (contacts, tasks) or with 8-bit text need their own properties for time and code page.
        const model::Property* subject = rows[i].cells.find(props::PidTagSubject);
        const bool row_is_enough = rows[i].cells.filetime(props::PidTagMessageDeliveryTime).value_or(0) != 0 &&
                                   (!subject || subject->type == props::type::Unicode);
        model::PropertyBag bag = std::move(rows[i].cells);
        if (!row_is_enough) {
          try {
            bag = native_->read_properties(summary.nid);
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
        out.push_back(std::move(summary));
      }
      remember_message_nids(folder_nid, out, static_cast<int>(out.size()));
      return out;
    } catch (const std::exception& e) {
      note_fallback("contents of " + std::to_string(folder_nid), e);
    }
  }
  return messages_libpff(folder_nid, errors);
}

model::Message Store::load_message(uint32_t folder_nid, int index, bool with_attachment_data) {
  if (native_) {
    if (const std::optional<uint32_t> nid = known_message_nid(folder_nid, index)) {
      try {
        return native_->read_message(*nid, with_attachment_data);
      } catch (const std::exception& e) {
        note_fallback("message " + std::to_string(*nid), e);
      }
    }
  }
  return load_message_libpff(folder_nid, index, with_attachment_data);
}

// Recovery works on its own libpff handle: libpff keeps the recovered items in the handle
// that ran the scan, and lends them out by index.
Store::Impl& Store::recovery_handle() {
  if (!recovery_) {
    recovery_ = open_handle(path_);
    check("recover items", [&](libpff_error_t** e) { return libpff_file_recover_items(recovery_->file.get(), 0, e); });
  }
  return *recovery_;
}

namespace {
// Recovered and orphan items come in one list: orphans first, then what the scan of
// unallocated space found. Index i < orphans is orphan i, else recovered item i - orphans.
pff::ItemPtr recovered_item(libpff_file_t* file, int index, int orphans) {
  libpff_item_t* raw = nullptr;
  if (index < orphans) {
    check("get orphan item", [&](libpff_error_t** e) { return libpff_file_get_orphan_item_by_index(file, index, &raw, e); });
  } else {
    check("get recovered item", [&](libpff_error_t** e) {
      return libpff_file_get_recovered_item_by_index(file, index - orphans, &raw, e);
    });
  }
  if (!raw) throw ItemError("recovered item " + std::to_string(index) + " not available");
  return pff::ItemPtr(raw);
}

bool is_message_item(libpff_item_t* item) {
  uint8_t type = 0;
  pff::ErrorSlot slot;
  if (libpff_item_get_type(item, &type, slot.out()) != 1) return false;
  switch (type) {
    case LIBPFF_ITEM_TYPE_UNDEFINED:
    case LIBPFF_ITEM_TYPE_FOLDER:
    case LIBPFF_ITEM_TYPE_ATTACHMENT:
    case LIBPFF_ITEM_TYPE_ATTACHMENTS:
    case LIBPFF_ITEM_TYPE_RECIPIENTS:
    case LIBPFF_ITEM_TYPE_UNKNOWN:
      return false;
    default:
      return true;
  }
}
}  // namespace

std::vector<MessageSummary> Store::recovered_messages(std::vector<std::string>* errors) {
  std::lock_guard lock(recovery_mutex_);
  std::vector<MessageSummary> out;
  try {
    Impl& handle = recovery_handle();
    int orphans = 0, recovered = 0;
    check("count orphan items", [&](libpff_error_t** e) {
      return libpff_file_get_number_of_orphan_items(handle.file.get(), &orphans, e);
    });
    check("count recovered items", [&](libpff_error_t** e) {
      return libpff_file_get_number_of_recovered_items(handle.file.get(), &recovered, e);
    });
    recovery_orphans_ = orphans;
    for (int i = 0; i < orphans + recovered; ++i) {
      try {
        pff::ItemPtr item = recovered_item(handle.file.get(), i, orphans);
        if (!is_message_item(item.get())) continue;
        MessageSummary summary;
        summary.index = i;
        summary.nid = Impl::nid_of(item.get());
        const model::PropertyBag bag = handle.read_selected(
            item.get(), {props::PidTagSubject, props::PidTagMessageClass, props::PidTagMessageDeliveryTime,
                         props::PidTagClientSubmitTime, props::PidTagLastModificationTime, props::PidTagCreationTime,
                         props::PidTagMessageCodepage, props::PidTagInternetCodepage});
        fill_summary(summary, bag, handle.codepage_of(bag));
        out.push_back(std::move(summary));
      } catch (const std::exception& e) {
        if (errors) errors->push_back("recovered item " + std::to_string(i) + ": " + e.what());
      }
    }
  } catch (const std::exception& e) {
    if (errors) errors->push_back(std::string("recovering items: ") + e.what());
  }
  return out;
}

model::Message Store::load_recovered(int index, bool with_attachment_data) {
  std::lock_guard lock(recovery_mutex_);
  try {
    Impl& handle = recovery_handle();
    pff::ItemPtr item = recovered_item(handle.file.get(), index, recovery_orphans_);
    return handle.read_message(item.get(), with_attachment_data, 0);
  } catch (const ItemError&) {
    throw;
  } catch (const std::exception& e) {
    throw ItemError(e.what());
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
