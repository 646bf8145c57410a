#include "parser/pff_reader.h"

#include <cstdio>
#include <vector>

#include "parser/props.h"
#include "parser/summary.h"

namespace ostfs::parser {
namespace {

using pff::check;

// Embedded messages nest; a hostile file could nest them without end.
constexpr int kMaxEmbeddingDepth = 32;
// A value larger than this is damage, not data (MS-PST caps a stream at 4 GiB; a property
// value read into memory this large would take the mount down).
constexpr size_t kMaxValueSize = size_t{1} << 30;

// The name of a named property, from the file's name-to-id map.
std::optional<model::NamedId> named_id(libpff_record_entry_t* entry) {
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

void read_attachment_data(libpff_item_t* item, model::Attachment& attachment) {
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

PffFile::PffFile(const std::filesystem::path& path) {
  libpff_file_t* raw = nullptr;
  check("initialize", [&](libpff_error_t** e) { return libpff_file_initialize(&raw, e); });
  file_.reset(raw);
  pff::ErrorSlot slot;
  if (libpff_file_open(raw, path.c_str(), LIBPFF_OPEN_READ, slot.out()) != 1) {
    const std::string reason = slot.message();
    if (reason.find("checksum") != std::string::npos) throw OpenError("corrupt file header (" + reason + ")");
    throw OpenError("cannot be read as a PST or OST file (" + reason + ")");
  }
  int codepage = 0;
  if (check("codepage", [&](libpff_error_t** e) { return libpff_file_get_ascii_codepage(raw, &codepage, e); }) == 1 &&
      codepage > 0)
    ansi_codepage_ = static_cast<uint32_t>(codepage);
}

PffDescription PffFile::describe() {
  PffDescription out;
  libpff_file_t* raw = file_.get();
  try {
    uint8_t type = 0;
    if (check("file type", [&](libpff_error_t** e) { return libpff_file_get_type(raw, &type, e); }) == 1)
      out.unicode = type != LIBPFF_FILE_TYPE_32BIT;
    if (type == LIBPFF_FILE_TYPE_64BIT_4K_PAGE) out.page_size = 4096;
    uint8_t encryption = 0;
    check("encryption", [&](libpff_error_t** e) { return libpff_file_get_encryption_type(raw, &encryption, e); });
    out.encryption = encryption == LIBPFF_ENCRYPTION_TYPE_NONE            ? "none"
                     : encryption == LIBPFF_ENCRYPTION_TYPE_COMPRESSIBLE ? "compressible (permute)"
                     : encryption == LIBPFF_ENCRYPTION_TYPE_HIGH         ? "high (cyclic)"
                                                                         : "unknown";
    out.ansi_codepage = ansi_codepage_;
    libpff_item_t* raw_root = nullptr;
    const int has_root = check("root folder", [&](libpff_error_t** e) {
      return libpff_file_get_root_folder(raw, &raw_root, e);
    });
    if (has_root != 1 || !raw_root) throw OpenError("has no root folder");
    pff::ItemPtr root(raw_root);
    out.root_nid = nid_of(root.get());
  } catch (const pff::PffError& e) {
    throw OpenError(e.what());
  }
  try {
    libpff_item_t* raw_store = nullptr;
    if (check("message store", [&](libpff_error_t** e) { return libpff_file_get_message_store(raw, &raw_store, e); }) == 1 &&
        raw_store) {
      pff::ItemPtr message_store(raw_store);
      out.message_store = read_record_set(message_store.get(), 0);
    }
  } catch (const std::exception&) {
    // A damaged message store loses us the IPM subtree pointer and the password flag, not the
    // mail: the tree then starts at the root folder.
  }
  return out;
}

pff::ItemPtr PffFile::item_by_nid(uint32_t nid) {
  libpff_item_t* raw = nullptr;
  const int found = check("get item " + std::to_string(nid), [&](libpff_error_t** e) {
    return libpff_file_get_item_by_identifier(file_.get(), nid, &raw, e);
  });
  if (found == 0 || !raw) throw ItemError("node " + std::to_string(nid) + " not found");
  return pff::ItemPtr(raw);
}

uint32_t PffFile::nid_of(libpff_item_t* item) {
  uint32_t nid = 0;
  check("get identifier", [&](libpff_error_t** e) { return libpff_item_get_identifier(item, &nid, e); });
  return nid;
}

// Reads one record set's properties. The value of `size_only_id` is not read, only its size
// (attachment data is streamed separately, and only when needed).
model::PropertyBag PffFile::read_record_set(libpff_item_t* item, int set_index, uint16_t size_only_id,
                                            uint64_t* size_only_size) {
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
model::PropertyBag PffFile::read_selected(libpff_item_t* item, std::initializer_list<uint16_t> ids) {
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


const std::optional<model::NamedId>& PffFile::cached_named_id(uint16_t npid, libpff_record_entry_t* entry) {
  auto it = named_ids_.find(npid);
  if (it == named_ids_.end()) it = named_ids_.emplace(npid, named_id(entry)).first;
  return it->second;
}

uint32_t PffFile::codepage_of(const model::PropertyBag& bag) const {
  for (uint16_t tag : {props::PidTagMessageCodepage, props::PidTagInternetCodepage}) {
    if (auto cp = bag.int32(tag); cp && *cp > 0 && *cp != 1200 && *cp != 1201) return static_cast<uint32_t>(*cp);
  }
  return ansi_codepage_;
}

model::Message PffFile::read_message(libpff_item_t* item, bool with_data, int depth) {
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

void PffFile::read_recipients(libpff_item_t* item, model::Message& message) {
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

model::Attachment PffFile::read_attachment(libpff_item_t* message, int index, bool with_data, int depth) {
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

MessageSummary PffFile::summarize(libpff_item_t* item, int index) {
  MessageSummary summary;
  summary.index = index;
  summary.nid = nid_of(item);
  const model::PropertyBag bag = read_selected(
      item, {props::PidTagSubject, props::PidTagMessageClass, props::PidTagMessageDeliveryTime,
             props::PidTagClientSubmitTime, props::PidTagLastModificationTime, props::PidTagCreationTime,
             props::PidTagMessageCodepage, props::PidTagInternetCodepage});
  fill_summary(summary, bag, codepage_of(bag));
  return summary;
}

model::Folder PffFile::folder(uint32_t nid) {
  try {
    pff::ItemPtr item = item_by_nid(nid);
    model::Folder folder;
    folder.nid = nid;
    folder.props = read_record_set(item.get(), 0);
    folder.name = folder.props.string(props::PidTagDisplayName, ansi_codepage_).value_or("");
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

void PffFile::list_children(uint32_t folder_nid, int start, const ListingSink& sink, const std::string& noun,
                            CountChildren count_children, GetChild get_child,
                            const std::function<void(int, libpff_item_t*)>& found) {
  pff::ItemPtr folder;
  int count = 0;
  try {
    folder = item_by_nid(folder_nid);
    check("count " + noun + "s", [&](libpff_error_t** e) { return count_children(folder.get(), &count, e); });
  } catch (const pff::PffError& e) {
    throw ItemError(e.what());
  }
  sink.count(count);
  for (int i = start; i < count; ++i) {
    try {
      libpff_item_t* raw = nullptr;
      check("get " + noun + " " + std::to_string(i),
            [&](libpff_error_t** e) { return get_child(folder.get(), i, &raw, e); });
      pff::ItemPtr child(raw);
      found(i, child.get());
    } catch (const std::exception& e) {
      sink.error(i, e.what());
    }
  }
}

void PffFile::list_subfolders(uint32_t folder_nid, int start, const ListingSink& sink) {
  list_children(folder_nid, start, sink, "folder", libpff_folder_get_number_of_sub_folders,
                libpff_folder_get_sub_folder, [&](int i, libpff_item_t* child) { sink.folder(i, nid_of(child)); });
}

void PffFile::list_messages(uint32_t folder_nid, int start, const ListingSink& sink) {
  list_children(folder_nid, start, sink, "message", libpff_folder_get_number_of_sub_messages,
                libpff_folder_get_sub_message,
                [&](int i, libpff_item_t* child) { sink.message(i, summarize(child, i)); });
}

model::Message PffFile::load_message(uint32_t folder_nid, int index, std::optional<uint32_t> nid, bool with_data) {
  try {
    pff::ItemPtr item;
    if (nid) {
      try {
        item = item_by_nid(*nid);
      } catch (const std::exception&) {
        item.reset();
      }
    }
    if (!item) {
      pff::ItemPtr folder = item_by_nid(folder_nid);
      libpff_item_t* raw = nullptr;
      check("get message", [&](libpff_error_t** e) {
        return libpff_folder_get_sub_message(folder.get(), index, &raw, e);
      });
      item.reset(raw);
    }
    return read_message(item.get(), with_data, 0);
  } catch (const ItemError&) {
    throw;
  } catch (const std::exception& e) {
    throw ItemError(e.what());
  }
}

void PffFile::recover() {
  if (recovered_) return;
  try {
    check("recover items", [&](libpff_error_t** e) { return libpff_file_recover_items(file_.get(), 0, e); });
    check("count orphan items", [&](libpff_error_t** e) {
      return libpff_file_get_number_of_orphan_items(file_.get(), &orphans_, e);
    });
    check("count recovered items", [&](libpff_error_t** e) {
      return libpff_file_get_number_of_recovered_items(file_.get(), &recovered_count_, e);
    });
  } catch (const pff::PffError& e) {
    throw ItemError(e.what());
  }
  recovered_ = true;
}

// Recovered and orphan items come in one list: orphans first, then what the scan of
// unallocated space found. Index i < orphans is orphan i, else recovered item i - orphans.
pff::ItemPtr PffFile::recovered_item(int index) {
  libpff_item_t* raw = nullptr;
  if (index < orphans_) {
    check("get orphan item", [&](libpff_error_t** e) {
      return libpff_file_get_orphan_item_by_index(file_.get(), index, &raw, e);
    });
  } else {
    check("get recovered item", [&](libpff_error_t** e) {
      return libpff_file_get_recovered_item_by_index(file_.get(), index - orphans_, &raw, e);
    });
  }
  if (!raw) throw ItemError("recovered item " + std::to_string(index) + " not available");
  return pff::ItemPtr(raw);
}

void PffFile::list_recovered(int start, const ListingSink& sink) {
  recover();
  const int count = orphans_ + recovered_count_;
  sink.count(count);
  for (int i = start; i < count; ++i) {
    try {
      pff::ItemPtr item = recovered_item(i);
      if (!is_message_item(item.get())) {
        sink.skipped(i);
        continue;
      }
      sink.message(i, summarize(item.get(), i));
    } catch (const std::exception& e) {
      sink.error(i, e.what());
    }
  }
}

model::Message PffFile::load_recovered(int index, bool with_data) {
  try {
    recover();
    pff::ItemPtr item = recovered_item(index);
    return read_message(item.get(), with_data, 0);
  } catch (const ItemError&) {
    throw;
  } catch (const std::exception& e) {
    throw ItemError(e.what());
  }
}

}  // namespace ostfs::parser
