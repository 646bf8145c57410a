// A message node ([MS-PST] 2.4.5): its PC, the
// recipient table (0x692), the attachment table (0x671), one PC per attachment (nidType 5)
// and embedded messages inside their attachment's subnode tree.
#pragma once

#include <vector>

#include "export/messaging/attachment_data_source.h"
#include "export/messaging/named_props.h"
#include "export/messaging/node_writer.h"
#include "export/messaging/property_filter.h"
#include "export/messaging/store_links.h"
#include "export/ndb/file_writer.h"
#include "export/ndb/nid.h"
#include "parser/model.h"

namespace ostfs::pstw {

struct MessageContext {
  FileWriter& file;
  NidAllocator& nids;
  NameToIdMap& names;
  // Links to other items of the source store found in the message, its recipients and
  // attachments are rewritten through this when set.
  const StoreLinks* links = nullptr;
  // Where the data of attachments not loaded comes from, when set: it is read as it is
  // written, a block at a time.
  const AttachmentDataSource* data_source = nullptr;
  std::vector<size_t> path;  // of the attachment being written
};

struct WrittenMessage {
  NodeRef node;
  std::vector<OwnedProperty> props;  // the message PC's final properties (for table rows)
};

// Writes the message's blocks now (streaming) and returns its node data; the caller adds
// the NBT entry (top-level messages) or SLENTRY (embedded ones). `store_ids` are set on the
// message PC after filtering: entry ids into the new store that only the caller can resolve
// (PidTagSentMailEntryId). Throws std::invalid_argument when an attachment's data was not
// loaded and ctx has no data_source, std::length_error when a value exceeds a format limit,
// and what the data source throws.
WrittenMessage write_message(MessageContext& ctx, const model::Message& message,
                             const std::vector<OwnedProperty>& store_ids = {});

inline constexpr int32_t MSGFLAG_READ = 0x01;
inline constexpr int32_t MSGFLAG_HASATTACH = 0x10;
inline constexpr int32_t MSGFLAG_ASSOCIATED = 0x40;

}  // namespace ostfs::pstw
