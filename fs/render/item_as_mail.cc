#include "fs/render/item_as_mail.h"

#include "parser/props.h"
#include "parser/text.h"

namespace ostfs::render {
namespace {

const char* format_name(ItemFormat format) {
  switch (format) {
    case ItemFormat::Vcf:
      return "vCard";
    case ItemFormat::Ics:
      return "iCalendar";
    case ItemFormat::Txt:
      return "a note";
    case ItemFormat::Eml:
      break;
  }
  return "mail";
}

const char* mime_type(ItemFormat format) {
  switch (format) {
    case ItemFormat::Vcf:
      return "text/vcard";
    case ItemFormat::Ics:
      return "text/calendar";
    case ItemFormat::Txt:
    case ItemFormat::Eml:
      break;
  }
  return "text/plain";
}

model::Property unicode_property(uint16_t id, std::string_view utf8) {
  const std::string utf16 = text::utf8_to_utf16le(utf8);
  return model::Property{id, props::type::Unicode, std::vector<uint8_t>(utf16.begin(), utf16.end()), std::nullopt};
}

model::Property int32_property(uint16_t id, int32_t value) {
  model::Property p{id, props::type::Int32, std::vector<uint8_t>(4), std::nullopt};
  for (int i = 0; i < 4; ++i) p.value[i] = static_cast<uint8_t>(static_cast<uint32_t>(value) >> (8 * i));
  return p;
}

}  // namespace

std::string partial_conversion_name(ItemFormat format) {
  return std::string("item") + extension_for(format);
}

model::Message item_as_mail(model::Message item, const Conversion& conversion, ItemFormat format) {
  const std::string name = partial_conversion_name(format);
  model::Attachment part;
  part.method = model::AttachMethod::ByValue;
  part.props.props.push_back(int32_property(props::PidTagAttachMethod, 1));  // afByValue
  part.props.props.push_back(unicode_property(props::PidTagAttachLongFilename, name));
  part.props.props.push_back(unicode_property(props::PidTagAttachMimeTag, mime_type(format)));
  part.data.assign(conversion.bytes.begin(), conversion.bytes.end());
  part.data_size = part.data.size();
  part.data_loaded = true;
  item.attachments.push_back(std::move(part));

  // The read warnings are in item.warnings already; the conversion repeats them prefixed.
  std::vector<std::string> warnings = {std::string("shown as mail: the item could not be converted fully to ") +
                                       format_name(format) + "; what could be converted is attached as " + name};
  for (const std::string& loss : conversion.notes.losses)
    if (!loss.starts_with(kReadLossPrefix)) warnings.push_back(loss);
  item.warnings.insert(item.warnings.begin(), warnings.begin(), warnings.end());
  return item;
}

}  // namespace ostfs::render
