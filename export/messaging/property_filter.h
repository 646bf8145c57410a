// Turns a source object's properties into the ones the new store gets: drops store-computed
// and sync properties (pst-writer-notes.md §6), converts PT_STRING8 to PT_UNICODE, remaps
// named properties through the new name-to-id map and drops unresolvable ones.
#pragma once

#include <cstdint>
#include <vector>

#include "export/ltp/property_context.h"
#include "export/messaging/named_props.h"
#include "parser/model.h"

namespace ostfs::pstw {

struct OwnedProperty {
  uint16_t id = 0;
  uint16_t type = 0;
  Bytes value;
};

enum class ObjectKind { Folder, Message, Attachment, Recipient };

std::vector<OwnedProperty> prepare_properties(const model::PropertyBag& bag, uint32_t codepage, NameToIdMap& names,
                                              ObjectKind kind);

// Replaces the value of `id` (any type) or appends it.
void set_property(std::vector<OwnedProperty>& props, uint16_t id, uint16_t type, Bytes value);
const OwnedProperty* find_property(const std::vector<OwnedProperty>& props, uint16_t id);
void remove_property(std::vector<OwnedProperty>& props, uint16_t id);

Bytes int32_bytes(int32_t v);
Bytes utf16_bytes(std::string_view utf8);

std::vector<PcProperty> as_pc(const std::vector<OwnedProperty>& props);

}  // namespace ostfs::pstw
