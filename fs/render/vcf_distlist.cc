// The distribution-list half of render_vcf() ([MS-OXOCNTC] 2.2.2).
#include <algorithm>
#include <cctype>

#include "fs/render/entry_id.h"
#include "fs/render/item_props.h"
#include "fs/render/vcf_parts.h"
#include "parser/props.h"

namespace ostfs::render::vcf {
namespace {

struct Member {
  std::string name;
  std::string address_type;
  std::string address;
};

bool is_smtp(const std::string& type) {
  return type.size() == 4 && std::toupper(static_cast<unsigned char>(type[0])) == 'S' &&
         std::toupper(static_cast<unsigned char>(type[1])) == 'M' &&
         std::toupper(static_cast<unsigned char>(type[2])) == 'T' &&
         std::toupper(static_cast<unsigned char>(type[3])) == 'P';
}

std::vector<std::vector<uint8_t>> entry_ids(const model::Message& m, uint32_t lid) {
  const model::Property* p = m.props.find_named(props::PSETID_Address, lid);
  return p ? item::multi_binary(*p) : std::vector<std::vector<uint8_t>>{};
}

// PidLidDistributionListMembers and PidLidDistributionListOneOffMembers are parallel
// lists: a member that points at a contact has its name and address in the one-off list.
std::vector<Member> members(const model::Message& m, std::vector<std::string>& warnings) {
  const auto wrapped = entry_ids(m, props::PidLidDistributionListMembers);
  const auto one_offs = entry_ids(m, props::PidLidDistributionListOneOffMembers);
  if (!wrapped.empty() && !one_offs.empty() && wrapped.size() != one_offs.size())
    warnings.push_back("member lists differ in length (" + std::to_string(wrapped.size()) + " and " +
                       std::to_string(one_offs.size()) + ")");
  const size_t count = std::max(wrapped.size(), one_offs.size());
  if (count == 0 && m.props.find_named(props::PSETID_Address, props::PidLidDistributionListStream))
    warnings.push_back("members are stored only in PidLidDistributionListStream, which is not read");
  std::vector<Member> out;
  for (size_t i = 0; i < count; ++i) {
    std::optional<entry_id::OneOff> one_off;
    std::optional<entry_id::Wrapped> link;
    if (i < wrapped.size()) {
      one_off = entry_id::parse_one_off(wrapped[i]);
      if (!one_off) link = entry_id::parse_wrapped(wrapped[i]);
      if (link && (link->type & 0x0F) == 0) one_off = entry_id::parse_one_off(link->embedded);
    }
    if (!one_off && i < one_offs.size()) one_off = entry_id::parse_one_off(one_offs[i]);
    if (one_off) {
      out.push_back({one_off->display_name, one_off->address_type, one_off->address});
      continue;
    }
    if (link) {
      if (auto dn = entry_id::address_book_dn(link->embedded)) {
        out.push_back({"", "EX", *dn});
        continue;
      }
      std::string what = "member " + std::to_string(i + 1) + " points at an item in the store";
      if (auto nid = entry_id::message_nid(link->embedded)) what += " (node " + std::to_string(*nid) + ")";
      warnings.push_back(what + " and has no name or address of its own");
      continue;
    }
    warnings.push_back("member " + std::to_string(i + 1) + " has an entry id of unknown form");
  }
  return out;
}

}  // namespace

void add_distribution_list(vcard::Writer& card, const model::Message& m, std::vector<std::string>& warnings) {
  const bool v4 = card.version() == 4;
  std::string name =
      item::named_text(m, props::PSETID_Address, props::PidLidDistributionListName)
          .value_or(item::text(m, props::PidTagDisplayName).value_or(item::text(m, props::PidTagSubject).value_or("")));
  if (name.empty()) warnings.push_back("the distribution list has no name");
  if (v4) card.add("KIND", "", "group");
  card.add("FN", "", vcard::escape_text(name));
  if (!v4) {
    card.add_structured("N", "", {name, "", "", "", ""});
    card.add("X-ADDRESSBOOKSERVER-KIND", "", "group");
  }
  for (const Member& member : members(m, warnings)) {
    if (is_smtp(member.address_type) && !member.address.empty())
      card.add_uri(v4 ? "MEMBER" : "X-ADDRESSBOOKSERVER-MEMBER", "", mailto(member.address));
    // The member's name and non-SMTP addresses have no standard place in a group card.
    std::string described = member.name;
    if (!member.address.empty()) {
      const std::string address = is_smtp(member.address_type) || member.address_type.empty()
                                      ? member.address
                                      : member.address_type + ":" + member.address;
      described += (described.empty() ? "<" : " <") + address + ">";
    }
    card.add_text("X-OSTFS-MEMBER", "", described);
  }
}

}  // namespace ostfs::render::vcf
