// Links from one item of the source store to another: PST entry ids ([MS-PST] 2.4.3.2:
// rgbFlags, the store's record key, a NID) inside property values, alone or wrapped
// (distribution-list members, [MS-OXOCNTC] 2.2.2.2.1; a contact's own PidLidEmailNOriginalEntryId;
// the member records of PidLidDistributionListStream). The new store has another record key,
// so such a link resolves in Outlook only when it is rewritten: record key and NID of the item
// the linked one became. Entry ids have a fixed length, so a value is rewritten in place and
// whatever structure holds it (counts, offsets, lengths) stays valid.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

#include "export/messaging/property_filter.h"
#include "export/messaging/store.h"
#include "export/ndb/nid.h"
#include "export/ndb/nid_set.h"

namespace ostfs::pstw {

class StoreLinks {
 public:
  explicit StoreLinks(const StoreGuid& new_record_key) : new_record_key_(new_record_key) {}

  // The source store's PidTagRecordKey; links are only recognised once it is known (a value
  // of another length than 16 bytes leaves them unknown).
  void set_source_record_key(std::span<const uint8_t> record_key);
  // The source object `source_nid` is (or will be) the new store's `target`.
  void map(uint32_t source_nid, Nid target);
  std::optional<Nid> target_of(uint32_t source_nid) const;

  // Rewrites in place every entry id in `value` that names a mapped source object; returns how
  // many. Entry ids of other stores and of objects not mapped are left as they are.
  size_t rewrite(std::span<uint8_t> value) const;
  // rewrite() over the binary and multi-valued binary properties of one object.
  size_t rewrite(std::vector<OwnedProperty>& props) const;

 private:
  StoreGuid new_record_key_;
  std::optional<StoreGuid> source_record_key_;
  // Most messages keep their source NID: those are bits in `kept_`, the rest in `targets_`.
  NidSet kept_;
  std::unordered_map<uint32_t, Nid> targets_;
};

}  // namespace ostfs::pstw
