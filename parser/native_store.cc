#include "parser/native_store.h"

#include <algorithm>
#include <memory>
#include <string>

#include "parser/ltp/property_context.h"
#include "parser/ltp/table_context.h"
#include "parser/ndb/nid.h"
#include "parser/ndb/node.h"
#include "parser/props.h"

namespace ostfs::parser {
namespace {

using ndb::hex;

// Embedded messages nest; a hostile file could nest them without end (as reader.cc).
constexpr int kMaxEmbeddingDepth = 32;
// Attachments read for one message, embedded ones included. Subnode trees can be made to
// share subtrees, so depth alone does not bound the work: 100 attachments that each embed
// the same 100 would otherwise cost 100^32 reads.
constexpr size_t kMaxAttachmentsPerMessage = 100000;

// PtypObject value in a PC ([MS-PST] 2.3.3.5): the subnode NID, then the object's size.
uint32_t object_nid(const ndb::Bytes& value) {
  if (value.size() < 8) throw ndb::CorruptError("PtypObject value of " + std::to_string(value.size()) + " bytes");
  return ndb::load_u32(value.data());
}

}  // namespace

struct NativeStore::Budget {
  size_t attachments_left = kMaxAttachmentsPerMessage;
  uint64_t data_bytes_left = UINT64_MAX;
};

std::unique_ptr<NativeStore> NativeStore::open(const std::filesystem::path& path, NativeOptions options) {
  return std::make_unique<NativeStore>(ndb::Database::open(path, options.database), options);
}

NativeStore::NativeStore(std::unique_ptr<ndb::Database> database, NativeOptions options)
    : db_(std::move(database)), options_(options), names_(*db_) {}

void NativeStore::resolve_names(model::PropertyBag& bag) const {
  for (model::Property& p : bag.props)
    if (p.id >= props::PidTagNamedFirst)
      if (const model::NamedId* name = names_.find(p.id)) p.named = *name;
}

uint32_t NativeStore::codepage_of(const model::PropertyBag& bag) const {
  // The same rule as the libpff path (reader.cc).
  for (uint16_t tag : {props::PidTagMessageCodepage, props::PidTagInternetCodepage}) {
    if (auto cp = bag.int32(tag); cp && *cp > 0 && *cp != 1200 && *cp != 1201) return static_cast<uint32_t>(*cp);
  }
  return options_.ansi_codepage;
}

model::PropertyBag NativeStore::read_properties(uint32_t nid) const {
  model::PropertyBag bag = ltp::PropertyContext(ndb::Node::open(*db_, nid)).read();
  resolve_names(bag);
  return bag;
}

model::Message NativeStore::read_message(uint32_t message_nid, bool with_attachment_data, uint64_t data_limit) const {
  try {
    Budget budget;
    budget.data_bytes_left = data_limit;
    return read_message_node(ndb::Node::open(*db_, message_nid), with_attachment_data, 0, budget);
  } catch (const ndb::NotFoundError& e) {
    throw ndb::NotFoundError("message " + hex(message_nid) + ": " + e.what());
  } catch (const ndb::CrcError& e) {
    throw ndb::CrcError("message " + hex(message_nid) + ": " + e.what());
  } catch (const ndb::CorruptError& e) {
    throw ndb::CorruptError("message " + hex(message_nid) + ": " + e.what());
  } catch (const ndb::IoError& e) {
    throw ndb::IoError("message " + hex(message_nid) + ": " + e.what());
  }
}

model::Message NativeStore::read_message_node(const ndb::Node& node, bool with_data, int depth,
                                              Budget& budget) const {
  model::Message message;
  message.nid = node.nid();
  message.props = ltp::PropertyContext(node).read();
  resolve_names(message.props);
  message.codepage = codepage_of(message.props);
  try {
    read_recipients(node, message);
  } catch (const std::exception& e) {
    message.warnings.push_back(std::string("recipients: ") + e.what());
  }
  std::optional<ndb::Node> table_node;
  std::optional<ltp::TableContext> table;
  try {
    table_node = node.find_subnode(ndb::NID_ATTACHMENT_TABLE);
    if (table_node) table.emplace(*table_node);
  } catch (const std::exception& e) {
    message.warnings.push_back(std::string("attachments: ") + e.what());
  }
  if (!table) return message;
  for (size_t i = 0; i < table->row_count(); ++i) {
    if (budget.attachments_left == 0) {
      message.warnings.push_back("attachments: more than " + std::to_string(kMaxAttachmentsPerMessage) +
                                 " in one message; the rest are not read");
      break;
    }
    --budget.attachments_left;
    try {
      message.attachments.push_back(read_attachment(node, table->row_id(i), with_data, depth, budget));
    } catch (const std::exception& e) {
      message.warnings.push_back("attachment " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return message;
}

void NativeStore::read_recipients(const ndb::Node& message, model::Message& out) const {
  const std::optional<ndb::Node> node = message.find_subnode(ndb::NID_RECIPIENT_TABLE);
  if (!node) return;
  const ltp::TableContext table(*node);
  for (size_t i = 0; i < table.row_count(); ++i) {
    model::Recipient recipient;
    recipient.props = table.row(i);
    if (recipient.props.props.empty()) continue;
    resolve_names(recipient.props);
    out.recipients.push_back(std::move(recipient));
  }
}

model::Attachment NativeStore::read_attachment(const ndb::Node& message, uint32_t attachment_nid, bool with_data,
                                               int depth, Budget& budget) const {
  const ndb::Node node = message.subnode(attachment_nid);
  const ltp::PropertyContext pc(node);
  model::Attachment attachment;
  attachment.nid = attachment_nid;
  uint64_t stored_size = 0;
  attachment.props = pc.read(props::PidTagAttachDataBinary, &stored_size);
  resolve_names(attachment.props);
  const std::optional<int32_t> method = attachment.props.int32(props::PidTagAttachMethod);
  const ltp::PcRecord* data = pc.find(props::PidTagAttachDataBinary);
  const bool is_object = data && data->type == props::type::Object;
  if (method) attachment.method = static_cast<model::AttachMethod>(*method);
  else if (is_object) attachment.method = model::AttachMethod::EmbeddedMessage;

  if (is_object && attachment.method == model::AttachMethod::EmbeddedMessage) {
    if (depth >= kMaxEmbeddingDepth) throw ndb::CorruptError("embedded messages nested too deeply");
    const ndb::Node embedded = node.subnode(object_nid(pc.value(*data)));
    attachment.embedded = std::make_unique<model::Message>(read_message_node(embedded, with_data, depth + 1, budget));
    attachment.data_loaded = true;
    return attachment;
  }
  if (data) {
    // By value: the bytes are the value. PtypObject otherwise (OLE): the object's stream is
    // the subnode the value names.
    std::optional<ndb::Node> stream;
    if (is_object) {
      stream = node.subnode(object_nid(pc.value(*data)));
      attachment.data_size = stream->data_size();
    } else {
      attachment.data_size = stored_size;
    }
    if (with_data && attachment.data_size > budget.data_bytes_left) {
      budget.data_bytes_left = 0;  // the attachments after this one are not read either
      return attachment;
    }
    if (with_data && attachment.data_size > 0) {
      attachment.data = stream ? stream->data() : pc.value(*data);
      attachment.data_size = attachment.data.size();
      budget.data_bytes_left -= std::min(budget.data_bytes_left, attachment.data_size);
    }
  }
  attachment.data_loaded = with_data || attachment.data_size == 0;
  return attachment;
}

std::optional<ndb::DataTree> NativeStore::attachment_stream(uint32_t message_nid, uint32_t attachment_nid) const {
  std::optional<AttachmentSource> source = attachment_source(message_nid, std::span(&attachment_nid, 1));
  if (!source) return std::nullopt;
  return std::move(source->stream);
}

std::optional<NativeStore::AttachmentSource> NativeStore::attachment_source(
    uint32_t message_nid, std::span<const uint32_t> subnodes) const {
  ndb::Node node = ndb::Node::open(*db_, message_nid);
  for (uint32_t nid : subnodes) node = node.subnode(nid);
  const ltp::PropertyContext pc(node);
  const ltp::PcRecord* data = pc.find(props::PidTagAttachDataBinary);
  if (!data) return std::nullopt;
  if (data->type == props::type::Object) {
    // An embedded message is a message, not bytes; an OLE object's stream is.
    const ltp::PcRecord* method = pc.find(props::PidTagAttachMethod);
    if (!method || pc.value(*method) == ndb::Bytes{5, 0, 0, 0}) return std::nullopt;
    return AttachmentSource{node.subnode(object_nid(pc.value(*data))).data_tree(), {}};
  }
  if (const std::optional<ndb::Node> subnode = pc.value_subnode(*data))
    return AttachmentSource{subnode->data_tree(), {}};
  return AttachmentSource{std::nullopt, pc.value(*data)};
}

std::vector<uint32_t> NativeStore::subfolders(uint32_t folder_nid) const {
  const std::optional<ndb::NbtEntry> e =
      db_->find_node(ndb::with_nid_type(folder_nid, ndb::nid_type::HIERARCHY_TABLE));
  if (!e) return {};
  const ltp::TableContext table(ndb::Node(*db_, e->nid, e->bidData, e->bidSub));
  std::vector<uint32_t> nids;
  nids.reserve(table.row_count());
  for (size_t i = 0; i < table.row_count(); ++i) nids.push_back(table.row_id(i));
  return nids;
}

std::vector<ContentsRow> NativeStore::contents(uint32_t folder_nid) const {
  return table_rows(ndb::with_nid_type(folder_nid, ndb::nid_type::CONTENTS_TABLE));
}

std::vector<ContentsRow> NativeStore::associated_contents(uint32_t folder_nid) const {
  return table_rows(ndb::with_nid_type(folder_nid, ndb::nid_type::ASSOC_CONTENTS_TABLE));
}

ContentsTable::ContentsTable() = default;
ContentsTable::ContentsTable(std::unique_ptr<ltp::TableContext> table) : table_(std::move(table)) {}
ContentsTable::~ContentsTable() = default;
ContentsTable::ContentsTable(ContentsTable&&) noexcept = default;
ContentsTable& ContentsTable::operator=(ContentsTable&&) noexcept = default;

size_t ContentsTable::size() const { return table_ ? table_->row_count() : 0; }

uint32_t ContentsTable::nid(size_t row) const { return table_->row_id(row); }

model::PropertyBag ContentsTable::cells(size_t row) const {
  return table_->row(row, {props::PidTagSubject, props::PidTagMessageClass, props::PidTagMessageDeliveryTime,
                           props::PidTagMessageSize});
}

ContentsTable NativeStore::open_table(uint32_t table_nid) const {
  const std::optional<ndb::NbtEntry> e = db_->find_node(table_nid);
  if (!e) return {};
  // A folder's contents table can be large (95 MB for 300,000 messages): its blocks are read
  // as the rows are, not all at once.
  return ContentsTable(std::make_unique<ltp::TableContext>(ndb::Node(*db_, e->nid, e->bidData, e->bidSub),
                                                           ltp::TableContext::Reading::OnDemand));
}

ContentsTable NativeStore::open_contents(uint32_t folder_nid) const {
  return open_table(ndb::with_nid_type(folder_nid, ndb::nid_type::CONTENTS_TABLE));
}

size_t NativeStore::contents_count(uint32_t folder_nid) const { return open_contents(folder_nid).size(); }

std::vector<ContentsRow> NativeStore::table_rows(uint32_t table_nid) const {
  const ContentsTable table = open_table(table_nid);
  std::vector<ContentsRow> rows;
  rows.reserve(table.size());
  for (size_t i = 0; i < table.size(); ++i) rows.push_back({table.nid(i), table.cells(i)});
  return rows;
}

}  // namespace ostfs::parser
