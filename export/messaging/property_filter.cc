#include "export/messaging/property_filter.h"

#include <algorithm>
#include <set>

#include "export/ltp/prop_types.h"
#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::pstw {
namespace {
using namespace props;

// Properties the old store computed or that tie an object to the old store.
const std::set<uint16_t>& store_computed() {
  static const std::set<uint16_t> s = {
      PidTagEntryId,        PidTagParentEntryId, PidTagStoreEntryId,      PidTagStoreRecordKey,
      PidTagInstanceKey,    PidTagMappingSignature, PidTagObjectType,     PidTagAccess,
      PidTagAccessLevel,    PidTagRights,        PidTagHasAttachments,    PidTagSourceKey,
      PidTagParentSourceKey, PidTagChangeKey,    PidTagPredecessorChangeList, PidTagRecordKey,
      PidTagSentMailEntryId,
  };
  return s;
}

// Recomputed by the writer, or entry ids of the old store's special folders.
const std::set<uint16_t>& folder_computed() {
  static const std::set<uint16_t> s = {
      PidTagContentCount,           PidTagContentUnreadCount,   PidTagSubfolders,
      PidTagAssociatedContentCount, PidTagIpmAppointmentEntryId, PidTagIpmContactEntryId,
      PidTagIpmJournalEntryId,      PidTagIpmNoteEntryId,        PidTagIpmTaskEntryId,
      PidTagRemindersOnlineEntryId, PidTagRemindersOfflineEntryId, PidTagIpmDraftsEntryId, PidTagAdditionalRenEntryIds,
      PidTagAdditionalRenEntryIdsEx, PidTagFreeBusyEntryIds,
  };
  return s;
}

bool dropped(uint16_t id, ObjectKind kind) {
  if (id >= PidTagPstInternalFirst && id <= PidTagPstInternalLast) return true;
  switch (kind) {
    case ObjectKind::Recipient: return false;
    case ObjectKind::Folder: return store_computed().count(id) || folder_computed().count(id);
    case ObjectKind::Message: return store_computed().count(id) || id == PidTagMessageSize;
    case ObjectKind::Attachment:
      return store_computed().count(id) || id == PidTagAttachSize || id == PidTagAttachDataBinary ||
             id == PidTagAttachMethod;
  }
  return false;
}
}  // namespace

Bytes int32_bytes(int32_t v) {
  Bytes b;
  append_u32(b, static_cast<uint32_t>(v));
  return b;
}

Bytes utf16_bytes(std::string_view utf8) {
  std::string s = text::utf8_to_utf16le(utf8);
  return Bytes(s.begin(), s.end());
}

std::vector<OwnedProperty> prepare_properties(const model::PropertyBag& bag, uint32_t codepage, NameToIdMap& names,
                                              ObjectKind kind) {
  std::vector<OwnedProperty> out;
  std::set<uint16_t> seen;
  for (const model::Property& p : bag.props) {
    uint16_t id = p.id;
    if (id >= PidTagNamedFirst) {
      if (!p.named) continue;  // no name: its meaning is lost, so it cannot be carried over
      id = names.npid(*p.named);
    } else if (dropped(id, kind)) {
      continue;
    }
    OwnedProperty o{id, p.type, p.value};
    if (p.type == type::String8) {
      o.type = type::Unicode;
      o.value = utf16_bytes(text::codepage_to_utf8(p.value, codepage));
    }
    const size_t fixed = fixed_size(o.type);
    if (fixed != 0) {
      if (o.value.size() < fixed) continue;  // a damaged value; nothing sensible to write
      o.value.resize(fixed);
    }
    if (!seen.insert(id).second) continue;
    out.push_back(std::move(o));
  }
  return out;
}

void set_property(std::vector<OwnedProperty>& props, uint16_t id, uint16_t type, Bytes value) {
  for (OwnedProperty& p : props)
    if (p.id == id) {
      p.type = type;
      p.value = std::move(value);
      return;
    }
  props.push_back({id, type, std::move(value)});
}

const OwnedProperty* find_property(const std::vector<OwnedProperty>& props, uint16_t id) {
  for (const OwnedProperty& p : props)
    if (p.id == id) return &p;
  return nullptr;
}

void remove_property(std::vector<OwnedProperty>& props, uint16_t id) {
  props.erase(std::remove_if(props.begin(), props.end(), [&](const OwnedProperty& p) { return p.id == id; }),
              props.end());
}

std::vector<PcProperty> as_pc(const std::vector<OwnedProperty>& props) {
  std::vector<PcProperty> out;
  out.reserve(props.size());
  for (const OwnedProperty& p : props) out.push_back({p.id, p.type, p.value});
  return out;
}

}  // namespace ostfs::pstw
