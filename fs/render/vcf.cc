#include "fs/render/vcf.h"

#include "fs/render/item_format.h"
#include "fs/render/item_props.h"
#include "fs/render/item_time.h"
#include "fs/render/vcf_parts.h"
#include "parser/props.h"

namespace ostfs::render {
namespace vcf {

void add_common_head(vcard::Writer& card, const model::Message& message) {
  card.add("PRODID", "", "-//ostfs//ostfs//EN");
  card.add_text("UID", "", item::stable_uid(message));
  if (auto t = item::stamp_time(message)) {
    const item::CivilTime c = item::civil_from_seconds(*t);
    card.add("REV", "", card.version() == 4 ? item::basic_date_time(c) + "Z" : item::extended_date_time_utc(c));
  }
}

void add_common_tail(vcard::Writer& card, const model::Message& message, const ConversionNotes& notes) {
  const std::vector<std::string> categories = item::categories(message);
  if (!categories.empty()) {
    std::string value;
    for (const auto& c : categories) {
      if (!value.empty()) value += ',';
      value += vcard::escape_text(c);
    }
    card.add("CATEGORIES", "", value);
  }
  card.add_text("NOTE", "", item::plain_body(message));
  for (const auto& w : message.warnings) card.add_text("X-OSTFS-WARNING", "", "reading the item: " + w);
  for (const auto& w : notes.losses) card.add_text("X-OSTFS-WARNING", "", w);
  for (const auto& w : notes.remarks) card.add_text("X-OSTFS-WARNING", "", w);
}

std::string mailto(const std::string& address) {
  static const char* digits = "0123456789ABCDEF";
  std::string out = "mailto:";
  for (unsigned char c : address) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("@.-_~!$'*+=").find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

}  // namespace vcf

Conversion convert_vcf(const model::Message& message, const VcfOptions& options) {
  vcard::Writer card(options.version);
  Conversion out;
  vcf::add_common_head(card, message);
  if (is_message_class(message.message_class(), "IPM.DistList"))
    vcf::add_distribution_list(card, message, options.resolve_member, out.notes);
  else
    vcf::add_contact(card, message, out.notes);
  vcf::add_common_tail(card, message, out.notes);
  out.bytes = card.finish();
  std::vector<std::string> read_losses;
  for (const auto& w : message.warnings) read_losses.push_back(std::string(kReadLossPrefix) + w);
  out.notes.losses.insert(out.notes.losses.begin(), read_losses.begin(), read_losses.end());
  return out;
}

std::string render_vcf(const model::Message& message, const VcfOptions& options) {
  return convert_vcf(message, options).bytes;
}

}  // namespace ostfs::render
