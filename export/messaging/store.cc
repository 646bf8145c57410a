#include "export/messaging/store.h"

#include <random>

#include "export/ltp/property_context.h"
#include "export/messaging/columns.h"
#include "export/messaging/folder.h"
#include "export/messaging/node_writer.h"
#include "export/messaging/table_row.h"
#include "parser/props.h"

namespace ostfs::pstw {
namespace {
using namespace props;

constexpr int32_t FOLDER_IPM_SUBTREE_VALID = 0x01;
constexpr int32_t FOLDER_IPM_WASTEBASKET_VALID = 0x08;
constexpr int32_t FOLDER_FINDER_VALID = 0x80;
constexpr int32_t kLatestPstEnsure = 0x000E0011;  // what Outlook writes (notes §3)

void write_pc_node(FileWriter& file, NidAllocator& nids, Nid nid, Nid parent, const std::vector<OwnedProperty>& props,
                   bool keep_empty = false) {
  LtpNode node = encode_pc(as_pc(props), [&] { return nids.next(nid_type::LTP); }, keep_empty);
  NodeRef ref = write_ltp_node(file, node);
  file.add_node({nid, ref.bidData, ref.bidSub, parent});
}
}  // namespace

StoreGuid random_guid() {
  std::random_device rd;
  StoreGuid g;
  for (auto& b : g) b = static_cast<uint8_t>(rd());
  g[7] = static_cast<uint8_t>((g[7] & 0x0F) | 0x40);  // version 4 (Data3 is little-endian)
  g[8] = static_cast<uint8_t>((g[8] & 0x3F) | 0x80);
  return g;
}

Bytes make_entry_id(const StoreGuid& record_key, Nid nid) {
  Bytes b(4, 0);
  append_bytes(b, record_key);
  append_u32(b, nid);
  return b;
}

void write_store_pc(FileWriter& file, NidAllocator& nids, const std::string& display_name, const StoreGuid& record_key,
                    const std::vector<OwnedProperty>& extra, int32_t extra_mask_bits) {
  std::vector<OwnedProperty> p;
  Bytes history;
  append_u32(history, 1);
  append_bytes(history, random_guid());
  append_u32(history, 1);
  set_property(p, PidTagReplVersionhistory, type::Binary, history);
  set_property(p, PidTagReplFlags, type::Int32, int32_bytes(0));
  set_property(p, PidTagRecordKey, type::Binary, Bytes(record_key.begin(), record_key.end()));
  set_property(p, PidTagDisplayName, type::Unicode, utf16_bytes(display_name));
  set_property(p, PidTagValidFolderMask, type::Int32,
               int32_bytes(FOLDER_IPM_SUBTREE_VALID | FOLDER_IPM_WASTEBASKET_VALID | FOLDER_FINDER_VALID | extra_mask_bits));
  set_property(p, PidTagIpmSubtreeEntryId, type::Binary, make_entry_id(record_key, NID_IPM_SUBTREE));
  set_property(p, PidTagIpmWastebasketEntryId, type::Binary, make_entry_id(record_key, NID_DELETED_ITEMS));
  set_property(p, PidTagFinderEntryId, type::Binary, make_entry_id(record_key, NID_SEARCH_ROOT));
  set_property(p, PidTagPstLrNoRestrictions, type::Boolean, Bytes{1});
  set_property(p, PidTagLatestPstEnsure, type::Int32, int32_bytes(kLatestPstEnsure));
  set_property(p, PidTagPstPassword, type::Int32, int32_bytes(0));
  for (const OwnedProperty& e : extra) set_property(p, e.id, e.type, e.value);
  write_pc_node(file, nids, NID_MESSAGE_STORE, 0, p);
}

void write_name_to_id_map(FileWriter& file, NidAllocator& nids, const NameToIdMap& names) {
  // Property ids of the map's PC ([MS-PST] 2.4.7.1): fixed numbers of this one node, not MAPI tags.
  constexpr uint16_t kBucketCount = 0x0001;
  constexpr uint16_t kGuidStream = 0x0002;
  constexpr uint16_t kEntryStream = 0x0003;
  constexpr uint16_t kStringStream = 0x0004;
  const NameToIdMap::Encoded e = names.encode();
  std::vector<OwnedProperty> p;
  set_property(p, kBucketCount, type::Int32, int32_bytes(static_cast<int32_t>(kNameMapBuckets)));
  set_property(p, kGuidStream, type::Binary, e.guids);
  set_property(p, kEntryStream, type::Binary, e.entries);
  set_property(p, kStringStream, type::Binary, e.strings);
  for (const auto& [id, records] : e.buckets) set_property(p, id, type::Binary, records);
  write_pc_node(file, nids, NID_NAME_TO_ID_MAP, 0, p, true);
}

void write_internal_nodes(FileWriter& file, NidAllocator& nids, std::optional<Nid> inbox) {
  // Empty search queue and domain object: then no search-update records are needed (notes §4).
  file.add_node({NID_SEARCH_MANAGEMENT_QUEUE, 0, 0, 0});
  file.add_node({NID_SEARCH_DOMAIN_OBJECT, 0, 0, 0});
  Bytes activity;
  append_u32(activity, NID_SPAM_SEARCH_FOLDER);
  file.add_node({NID_SEARCH_ACTIVITY_LIST, file.write_block(activity).bid, 0, 0});

  write_table_node(file, nids, NID_HIERARCHY_TABLE_TEMPLATE, hierarchy_columns());
  write_table_node(file, nids, NID_CONTENTS_TABLE_TEMPLATE, contents_columns());
  write_table_node(file, nids, NID_ASSOC_CONTENTS_TABLE_TEMPLATE, assoc_contents_columns());
  write_table_node(file, nids, NID_SEARCH_CONTENTS_TABLE_TEMPLATE, search_contents_columns());
  write_table_node(file, nids, NID_ATTACHMENT_TABLE, attachment_columns());
  write_table_node(file, nids, NID_RECIPIENT_TABLE, recipient_columns());
  write_table_node(file, nids, NID_OUTGOING_QUEUE_TABLE, outgoing_queue_columns());

  const TcLayout receive = layout_columns(receive_folder_columns());
  std::vector<TcRow> rows;
  const std::vector<const char*> classes =
      inbox ? std::vector<const char*>{"", "IPM", "REPORT.IPM"} : std::vector<const char*>{""};
  for (size_t i = 0; i < classes.size(); ++i) {
    std::vector<OwnedProperty> row_props;
    const Nid folder = inbox.value_or(NID_ROOT_FOLDER);
    set_property(row_props, PidTagPstReceiveFolderNid, type::Int32, int32_bytes(static_cast<int32_t>(folder)));
    set_property(row_props, PidTagMessageClass, type::Unicode, utf16_bytes(classes[i]));
    rows.push_back(make_row(receive, static_cast<uint32_t>(i + 1), file.next_unique(), row_props));
  }
  write_table_node(file, nids, NID_RECEIVE_FOLDER_TABLE, receive_folder_columns(), std::move(rows));
}

std::vector<OwnedProperty> spam_search_folder_props() {
  std::vector<OwnedProperty> p;
  set_property(p, PidTagDisplayName, type::Unicode, utf16_bytes("SPAM Search Folder 2"));
  set_property(p, PidTagContentCount, type::Int32, int32_bytes(0));
  set_property(p, PidTagContentUnreadCount, type::Int32, int32_bytes(0));
  set_property(p, PidTagSubfolders, type::Boolean, Bytes{0});
  return p;
}

void write_spam_search_folder(FileWriter& file, NidAllocator& nids) {
  write_pc_node(file, nids, NID_SPAM_SEARCH_FOLDER, NID_ROOT_FOLDER, spam_search_folder_props());
  const uint32_t index = nid_index_of(NID_SPAM_SEARCH_FOLDER);
  file.add_node({make_nid(nid_type::SEARCH_UPDATE_QUEUE, index), 0, 0, 0});
  std::vector<OwnedProperty> criteria;
  set_property(criteria, PidTagPstSearchCriteriaState, type::Int32, int32_bytes(0));
  write_pc_node(file, nids, make_nid(nid_type::SEARCH_CRITERIA_OBJECT, index), 0, criteria);
  write_table_node(file, nids, make_nid(nid_type::SEARCH_CONTENTS_TABLE, index), search_contents_columns());
}

}  // namespace ostfs::pstw
