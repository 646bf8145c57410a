#include "fs/render/eml_smime.h"

#include <string>
#include <string_view>

#include "fs/render/eml_props.h"
#include "fs/render/mime_type.h"
#include "parser/props.h"

namespace ostfs::render {
namespace {

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// `suffix` is lower case.
bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i)
    if (lower_ascii(s[i]) != suffix[i]) return false;
  return true;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<SmimeEntity> smime_entity(const model::Message& message) {
  if (!derives_from_class(message.message_class(), "IPM.Note.SMIME")) return std::nullopt;
  if (message.attachments.size() != 1) return std::nullopt;
  const model::Attachment& a = message.attachments.front();
  if (a.method != model::AttachMethod::ByValue && a.method != model::AttachMethod::None)
    return std::nullopt;

  const std::string tag = line_text(message, a.props, props::PidTagAttachMimeTag).value_or("");
  std::string name;
  for (uint16_t id : {props::PidTagAttachLongFilename, props::PidTagAttachFilename})
    if (name.empty()) name = line_text(message, a.props, id).value_or("");
  // attachment_mime_type() reads a well-formed tag (parameters dropped, lower case); it
  // turns multipart/* into application/octet-stream, so that one is checked by hand.
  const std::string_view tag_type = trimmed(std::string_view(tag).substr(0, tag.find(';')));
  if (tag_type.size() == 16 && ends_with_nocase(tag_type, "multipart/signed"))
    return SmimeEntity{SmimeKind::MultipartSigned, 0};
  const MimeType type = attachment_mime_type(tag, "");
  const bool pkcs7 = type.type == "application" &&
                     (type.subtype == "pkcs7-mime" || type.subtype == "x-pkcs7-mime");
  if (pkcs7 || (tag.empty() && ends_with_nocase(name, ".p7m")))
    return SmimeEntity{SmimeKind::Pkcs7Mime, 0};
  return std::nullopt;
}

}  // namespace ostfs::render
