// The distribution-list half of render_vcf() ([MS-OXOCNTC] 2.2.2).
#include <algorithm>
#include <cctype>

#include "fs/render/entry_id.h"
#include "fs/render/item_format.h"
#include "fs/render/item_props.h"
#include "fs/render/vcf_parts.h"
#include "parser/props.h"

namespace ostfs::render {
namespace {

using props::PSETID_Address;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

// A contact's address slots in the order of WrappedEntryId's email index ([MS-OXOCNTC]
// 2.2.1.2): Email1-3, then the business, home and primary fax (Fax1-3).
struct AddressSlot {
  uint32_t address_type, email_address, display_name, original_display_name;
};
constexpr AddressSlot kAddressSlots[] = {
    {props::PidLidEmail1AddressType, props::PidLidEmail1EmailAddress, props::PidLidEmail1DisplayName,
     props::PidLidEmail1OriginalDisplayName},
    {props::PidLidEmail2AddressType, props::PidLidEmail2EmailAddress, props::PidLidEmail2DisplayName,
     props::PidLidEmail2OriginalDisplayName},
    {props::PidLidEmail3AddressType, props::PidLidEmail3EmailAddress, props::PidLidEmail3DisplayName,
     props::PidLidEmail3OriginalDisplayName},
    {props::PidLidFax1AddressType, props::PidLidFax1EmailAddress, 0, 0},
    {props::PidLidFax2AddressType, props::PidLidFax2EmailAddress, 0, 0},
    {props::PidLidFax3AddressType, props::PidLidFax3EmailAddress, 0, 0},
};

bool uuid_shaped(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::vector<std::vector<uint8_t>> entry_ids(const model::Message& m, uint32_t lid) {
  const model::Property* p = m.props.find_named(PSETID_Address, lid);
  return p ? item::multi_binary(*p) : std::vector<std::vector<uint8_t>>{};
}

// A member as stored: its entry id and, when the list keeps one, its one-off entry id.
struct StoredMember {
  std::span<const uint8_t> entry_id;
  std::span<const uint8_t> one_off;
};

// The stored members and the storage that holds them: PidLidDistributionListStream when it
// is set and readable (the spec then has the other two ignored), else the parallel lists
// PidLidDistributionListMembers and PidLidDistributionListOneOffMembers.
struct StoredMembers {
  std::vector<StoredMember> members;
  std::vector<std::vector<uint8_t>> wrapped, one_offs;  // own the bytes the spans point into
};

StoredMembers stored_members(const model::Message& m, ConversionNotes& notes) {
  StoredMembers out;
  if (const auto* stream = item::named_binary(m, PSETID_Address, props::PidLidDistributionListStream)) {
    std::string why;
    if (auto parsed = entry_id::parse_distribution_list_stream(*stream, &why)) {
      for (const auto& s : *parsed) out.members.push_back({s.entry_id, s.one_off});
      return out;
    }
    notes.remarks.push_back(why + "; members read from PidLidDistributionListMembers instead");
  }
  out.wrapped = entry_ids(m, props::PidLidDistributionListMembers);
  out.one_offs = entry_ids(m, props::PidLidDistributionListOneOffMembers);
  if (!out.wrapped.empty() && !out.one_offs.empty() && out.wrapped.size() != out.one_offs.size())
    notes.losses.push_back("member lists differ in length (" + std::to_string(out.wrapped.size()) + " and " +
                       std::to_string(out.one_offs.size()) + ")");
  const size_t count = std::max(out.wrapped.size(), out.one_offs.size());
  for (size_t i = 0; i < count; ++i) {
    StoredMember s;
    if (i < out.wrapped.size()) s.entry_id = out.wrapped[i];
    if (i < out.one_offs.size()) s.one_off = out.one_offs[i];
    out.members.push_back(s);
  }
  return out;
}

// One member: its own one-off entry id, the one-off beside it, the Exchange DN it wraps,
// or the store item it points at (read through `resolve`).
std::optional<DistListMember> describe(const StoredMember& s, size_t number, const MemberResolver& resolve,
                                       ConversionNotes& notes) {
  std::optional<entry_id::OneOff> one_off = entry_id::parse_one_off(s.entry_id);
  std::optional<entry_id::Wrapped> link;
  if (!one_off) link = entry_id::parse_wrapped(s.entry_id);
  if (link && (link->type & 0x0F) == 0) one_off = entry_id::parse_one_off(link->embedded);
  if (!one_off) one_off = entry_id::parse_one_off(s.one_off);
  if (one_off) return DistListMember{one_off->display_name, one_off->address_type, one_off->address, ""};
  const std::string what = "member " + std::to_string(number);
  if (!link) {
    notes.losses.push_back(what + " has an entry id of unknown form");
    return std::nullopt;
  }
  if (auto dn = entry_id::address_book_dn(link->embedded)) return DistListMember{"", "EX", *dn, ""};
  const auto nid = entry_id::message_nid(link->embedded);
  if (!nid) {
    notes.losses.push_back(what + " wraps an entry id of unknown form");
    return std::nullopt;
  }
  const MemberLink target{*nid, static_cast<uint8_t>(link->type & 0x0F), static_cast<uint8_t>((link->type >> 4) & 7)};
  if (resolve) {
    if (auto member = resolve(target)) return member;
    notes.losses.push_back(what + " points at node " + std::to_string(*nid) +
                       " that cannot be read or has no such address");
    return std::nullopt;
  }
  notes.losses.push_back(what + " points at an item in the store (node " + std::to_string(*nid) +
                     ") and has no name or address of its own");
  return std::nullopt;
}

}  // namespace

std::optional<DistListMember> member_from_item(const model::Message& m, const MemberLink& link) {
  const std::string item_name =
      item::text(m, props::PidTagDisplayName).value_or(item::text(m, props::PidTagSubject).value_or(""));
  if (link.kind == 4 || is_message_class(m.message_class(), "IPM.DistList")) {
    const std::string name = item::named_text(m, PSETID_Address, props::PidLidDistributionListName).value_or(item_name);
    return DistListMember{name, "", "", item::stable_uid(m)};
  }
  if (link.email_index >= std::size(kAddressSlots)) return std::nullopt;
  const AddressSlot& slot = kAddressSlots[link.email_index];
  auto address = item::named_text(m, PSETID_Address, slot.email_address);
  if (!address) return std::nullopt;
  std::string type =
      item::named_text(m, PSETID_Address, slot.address_type).value_or(link.email_index < 3 ? "SMTP" : "FAX");
  if (iequals(type, "EX") && slot.original_display_name) {
    // Outlook keeps the SMTP form of an Exchange address as its "original display name".
    const auto original = item::named_text(m, PSETID_Address, slot.original_display_name);
    if (original && original->find('@') != std::string::npos) {
      type = "SMTP";
      address = original;
    }
  }
  // PidLidEmailNDisplayName is "Name (address)": the contact's own name reads better.
  std::string name = item_name;
  if (name.empty() && slot.display_name) name = item::named_text(m, PSETID_Address, slot.display_name).value_or("");
  return DistListMember{name, type, *address, ""};
}

namespace vcf {

void add_distribution_list(vcard::Writer& card, const model::Message& m, const MemberResolver& resolve,
                           ConversionNotes& notes) {
  const bool v4 = card.version() == 4;
  std::string name =
      item::named_text(m, PSETID_Address, props::PidLidDistributionListName)
          .value_or(item::text(m, props::PidTagDisplayName).value_or(item::text(m, props::PidTagSubject).value_or("")));
  if (name.empty()) notes.remarks.push_back("the distribution list has no name");
  if (v4) card.add("KIND", "", "group");
  card.add("FN", "", vcard::escape_text(name));
  if (!v4) {
    card.add_structured("N", "", {name, "", "", "", ""});
    card.add("X-ADDRESSBOOKSERVER-KIND", "", "group");
  }
  const StoredMembers stored = stored_members(m, notes);
  for (size_t i = 0; i < stored.members.size(); ++i) {
    const std::optional<DistListMember> member = describe(stored.members[i], i + 1, resolve, notes);
    if (!member) continue;
    const char* member_property = v4 ? "MEMBER" : "X-ADDRESSBOOKSERVER-MEMBER";
    const bool smtp = iequals(member->address_type, "SMTP");
    if (smtp && !member->address.empty())
      card.add_uri(member_property, "", mailto(member->address));
    else if (uuid_shaped(member->uid))
      card.add_uri(member_property, "", "urn:uuid:" + member->uid);
    // The member's name and non-SMTP addresses have no standard place in a group card.
    std::string described = member->name;
    if (!member->address.empty()) {
      const std::string address =
          smtp || member->address_type.empty() ? member->address : member->address_type + ":" + member->address;
      described += (described.empty() ? "<" : " <") + address + ">";
    } else if (!member->uid.empty()) {
      described += " (distribution list)";
    }
    card.add_text("X-OSTFS-MEMBER", "", described);
  }
}

}  // namespace vcf
}  // namespace ostfs::render
