// Reading a PST/OST into the item model without libpff: the NDB and LTP layers of
// parser/ndb and parser/ltp, read straight from the file with pread. Faster than the libpff
// path (O(log n) B-tree lookups, no whole-attachment reads to learn a size) and right where
// libpff 20180714 is wrong (compressed XBLOCKs in OST 2013+ files, non-BMP text).
//
// Thread safety: every method is const and may be called from any number of threads at
// once. The only shared state is the B-tree page cache, which is bounded and locks itself.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "parser/ltp/name_to_id.h"
#include "parser/model.h"
#include "parser/ndb/database.h"
#include "parser/ndb/errors.h"
#include "parser/ndb/node.h"

namespace ostfs::ltp {
class TableContext;
}

namespace ostfs::parser {

struct NativeOptions {
  // Code page for PT_STRING8 values when a message names none (libpff's default).
  uint32_t ansi_codepage = 1252;
  ndb::DatabaseOptions database;
};

// One row of a folder's contents table: what a listing needs, without opening the message.
struct ContentsRow {
  uint32_t nid = 0;          // the message's NID (PidTagLtpRowId)
  model::PropertyBag cells;  // PidTagSubject, PidTagMessageClass, PidTagMessageDeliveryTime,
                             // PidTagMessageSize, when the row has them (raw values)
};

// A folder's contents table, open: its rows are read one at a time, so a folder of 100,000
// items is listed without 100,000 rows' values in memory at once.
class ContentsTable {
 public:
  ContentsTable();  // a table with no rows (the folder has none)
  ~ContentsTable();
  ContentsTable(ContentsTable&&) noexcept;
  ContentsTable& operator=(ContentsTable&&) noexcept;

  size_t size() const;
  // The row's message NID (PidTagLtpRowId).
  uint32_t nid(size_t row) const;
  // PidTagSubject, PidTagMessageClass, PidTagMessageDeliveryTime, PidTagMessageSize, when the
  // row has them (raw values).
  model::PropertyBag cells(size_t row) const;

 private:
  friend class NativeStore;
  explicit ContentsTable(std::unique_ptr<ltp::TableContext> table);
  std::unique_ptr<ltp::TableContext> table_;
};

class NativeStore {
 public:
  // Opens `path` read-only and reads the header and the name-to-id map. Throws
  // ndb::IoError, ndb::CorruptError or ndb::CrcError (bad header, damaged name-to-id map).
  static std::unique_ptr<NativeStore> open(const std::filesystem::path& path, NativeOptions options = {});
  NativeStore(std::unique_ptr<ndb::Database> database, NativeOptions options);

  const ndb::Database& database() const { return *db_; }
  const ndb::Header& header() const { return db_->header(); }
  const ltp::NameToIdMap& name_to_id() const { return names_; }

  // Reads one message: its PC, recipient table rows, attachments (with their PCs) and
  // embedded messages, named properties resolved. Attachment data is read only when
  // `with_attachment_data`, and only up to `data_limit` bytes in all (Store::load_message); its
  // size is known either way without reading it. Damaged parts (the recipient table, one
  // attachment) become Message::warnings. Throws ndb::NdbError subclasses (naming the NID)
  // when the message itself cannot be read.
  model::Message read_message(uint32_t message_nid, bool with_attachment_data,
                              uint64_t data_limit = UINT64_MAX) const;

  // The data of attachment `attachment_nid` (a subnode of the message) as a stream that
  // can be read piecewise without holding it all in memory. nullopt when the attachment has
  // no data, is an embedded message, or has data small enough to live in its property heap
  // (read_message has it then).
  // Throws ndb::NdbError subclasses.
  std::optional<ndb::DataTree> attachment_stream(uint32_t message_nid, uint32_t attachment_nid) const;
  // The same, and for data small enough to live in the property heap, those bytes (`bytes`;
  // `stream` is then empty), for the attachment that `subnodes` leads to from the message: its
  // own attachment's NID, or that of an attachment holding an embedded message, the embedded
  // message's NID and so on (Attachment::nid, Message::nid). nullopt when there is no data or
  // it is an embedded message.
  struct AttachmentSource {
    std::optional<ndb::DataTree> stream;
    ndb::Bytes bytes;
  };
  std::optional<AttachmentSource> attachment_source(uint32_t message_nid, std::span<const uint32_t> subnodes) const;

  // Any top-level node's properties (folder, message store), named properties resolved.
  model::PropertyBag read_properties(uint32_t nid) const;

  // Child folder NIDs from the folder's hierarchy table, in table order. An empty list when
  // the folder has no hierarchy table. Throws ndb::NdbError subclasses.
  std::vector<uint32_t> subfolders(uint32_t folder_nid) const;
  // The folder's contents table rows, in table order. Throws ndb::NdbError subclasses.
  std::vector<ContentsRow> contents(uint32_t folder_nid) const;
  // The same table, open for reading row by row. Throws ndb::NdbError subclasses.
  ContentsTable open_contents(uint32_t folder_nid) const;
  // How many rows the folder's contents table has. Throws ndb::NdbError subclasses.
  size_t contents_count(uint32_t folder_nid) const;
  // The folder's associated (FAI: views, rules, settings) contents table rows, in table order.
  // Throws ndb::NdbError subclasses.
  std::vector<ContentsRow> associated_contents(uint32_t folder_nid) const;

 private:
  struct Budget;
  model::Message read_message_node(const ndb::Node& node, bool with_data, int depth, Budget& budget) const;
  void read_recipients(const ndb::Node& message, model::Message& out) const;
  model::Attachment read_attachment(const ndb::Node& message, uint32_t attachment_nid, bool with_data, int depth,
                                    Budget& budget) const;
  void resolve_names(model::PropertyBag& bag) const;
  uint32_t codepage_of(const model::PropertyBag& bag) const;
  std::vector<ContentsRow> table_rows(uint32_t table_nid) const;
  ContentsTable open_table(uint32_t table_nid) const;

  std::unique_ptr<ndb::Database> db_;
  NativeOptions options_;
  ltp::NameToIdMap names_;
};

}  // namespace ostfs::parser
