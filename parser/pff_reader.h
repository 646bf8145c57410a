// Reading a file through libpff into the item model. This runs only inside the libpff worker
// process (pff_worker_main.cc): libpff 20180714 is not safe on damaged input, so the reader
// (reader.h) never calls it in its own process. One PffFile owns one libpff handle and is used
// by one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "parser/model.h"
#include "parser/pff_description.h"
#include "parser/pff_handle.h"
#include "parser/reader.h"

namespace ostfs::parser {

// A listing reports as it goes, so that a listing cut short (the worker crashed on one entry)
// keeps what came before and can resume after the entry that broke it.
struct ListingSink {
  std::function<void(int count)> count;  // once, before any entry
  std::function<void(int index, const MessageSummary& summary)> message;
  std::function<void(int index, uint32_t nid)> folder;
  std::function<void(int index, const std::string& reason)> error;
  std::function<void(int index)> skipped;  // looked at, not an entry (not a message)
};

class PffFile {
 public:
  // Throws OpenError with libpff's reason.
  explicit PffFile(const std::filesystem::path& path);
  PffFile(const PffFile&) = delete;
  PffFile& operator=(const PffFile&) = delete;

  PffDescription describe();
  // Throws ItemError.
  model::Folder folder(uint32_t nid);
  // Entries from `start` on; throws ItemError when the folder itself cannot be listed.
  void list_subfolders(uint32_t folder_nid, int start, const ListingSink& sink);
  void list_messages(uint32_t folder_nid, int start, const ListingSink& sink);
  // `nid`, when known from a listing, is tried first: fetching the n-th message of a folder
  // makes libpff read the folder's whole contents table again. Throws ItemError.
  model::Message load_message(uint32_t folder_nid, int index, std::optional<uint32_t> nid, bool with_data);
  // Deleted and orphaned messages (libpff_file_recover_items, run on the first call). The
  // index of an entry is its recovery index for load_recovered. Throws ItemError.
  void list_recovered(int start, const ListingSink& sink);
  model::Message load_recovered(int index, bool with_data);

 private:
  using CountChildren = int (*)(libpff_item_t*, int*, libpff_error_t**);
  using GetChild = int (*)(libpff_item_t*, int, libpff_item_t**, libpff_error_t**);
  // Lists the sub-folders or messages of a folder (libpff's count and get functions for them);
  // an entry that cannot be fetched is the sink's error, the others go to `found`.
  void list_children(uint32_t folder_nid, int start, const ListingSink& sink, const std::string& noun,
                     CountChildren count_children, GetChild get_child,
                     const std::function<void(int, libpff_item_t*)>& found);
  pff::ItemPtr item_by_nid(uint32_t nid);
  static uint32_t nid_of(libpff_item_t* item);
  model::PropertyBag read_record_set(libpff_item_t* item, int set_index, uint16_t size_only_id = 0,
                                     uint64_t* size_only_size = nullptr);
  model::PropertyBag read_selected(libpff_item_t* item, std::initializer_list<uint16_t> ids);
  const std::optional<model::NamedId>& cached_named_id(uint16_t npid, libpff_record_entry_t* entry);
  uint32_t codepage_of(const model::PropertyBag& bag) const;
  MessageSummary summarize(libpff_item_t* item, int index);
  model::Message read_message(libpff_item_t* item, bool with_data, int depth);
  void read_recipients(libpff_item_t* item, model::Message& message);
  model::Attachment read_attachment(libpff_item_t* message, int index, bool with_data, int depth);
  void recover();
  pff::ItemPtr recovered_item(int index);

  pff::FilePtr file_;
  uint32_t ansi_codepage_ = 1252;
  // NPIDs map to the same name everywhere in a file, and libpff searches its map linearly:
  // remember each answer.
  std::unordered_map<uint16_t, std::optional<model::NamedId>> named_ids_;
  bool recovered_ = false;
  int orphans_ = 0;
  int recovered_count_ = 0;
};

}  // namespace ostfs::parser
