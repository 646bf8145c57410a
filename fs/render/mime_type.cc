#include "fs/render/mime_type.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace ostfs::render {
namespace {

struct ExtensionType {
  std::string_view extension;  // lower case, without the dot
  std::string_view type;
};

// Sorted by extension for binary search; the types are the IANA registrations (or the
// de-facto ones mail clients send).
constexpr std::array kExtensionTypes = std::to_array<ExtensionType>({
    {"7z", "application/x-7z-compressed"},
    {"avi", "video/x-msvideo"},
    {"bmp", "image/bmp"},
    {"csv", "text/csv"},
    {"doc", "application/msword"},
    {"docm", "application/vnd.ms-word.document.macroEnabled.12"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"dot", "application/msword"},
    {"dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template"},
    {"gif", "image/gif"},
    {"gz", "application/gzip"},
    {"heic", "image/heic"},
    {"htm", "text/html"},
    {"html", "text/html"},
    {"ics", "text/calendar"},
    {"jpe", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript"},
    {"json", "application/json"},
    {"log", "text/plain"},
    {"m4a", "audio/mp4"},
    {"mov", "video/quicktime"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
    {"mpeg", "video/mpeg"},
    {"mpg", "video/mpeg"},
    {"msg", "application/vnd.ms-outlook"},
    {"odp", "application/vnd.oasis.opendocument.presentation"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"ogg", "audio/ogg"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"pps", "application/vnd.ms-powerpoint"},
    {"ppsx", "application/vnd.openxmlformats-officedocument.presentationml.slideshow"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"rar", "application/vnd.rar"},
    {"rtf", "application/rtf"},
    {"svg", "image/svg+xml"},
    {"tar", "application/x-tar"},
    {"tgz", "application/gzip"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"txt", "text/plain"},
    {"vcf", "text/vcard"},
    {"vsd", "application/vnd.visio"},
    {"wav", "audio/wav"},
    {"webp", "image/webp"},
    {"wmf", "image/wmf"},
    {"wmv", "video/x-ms-wmv"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsb", "application/vnd.ms-excel.sheet.binary.macroEnabled.12"},
    {"xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"xml", "application/xml"},
    {"zip", "application/zip"},
});

static_assert(std::is_sorted(kExtensionTypes.begin(), kExtensionTypes.end(),
                             [](const ExtensionType& a, const ExtensionType& b) {
                               return a.extension < b.extension;
                             }));

// [RFC 2045] 5.1: token := 1*<any CHAR except SPACE, CTLs, or tspecials>.
bool is_token(std::string_view s) {
  constexpr std::string_view kTspecials = "()<>@,;:\\\"/[]?=";
  if (s.empty() || s.size() > 127) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || kTspecials.find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<MimeType> parse_mime_tag(std::string_view tag) {
  tag = trim(tag.substr(0, tag.find(';')));
  const size_t slash = tag.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view type = trim(tag.substr(0, slash));
  const std::string_view subtype = trim(tag.substr(slash + 1));
  if (!is_token(type) || !is_token(subtype)) return std::nullopt;
  return MimeType{lower(type), lower(subtype)};
}

MimeType split(std::string_view type_slash_subtype) {
  const size_t slash = type_slash_subtype.find('/');
  return {std::string(type_slash_subtype.substr(0, slash)),
          std::string(type_slash_subtype.substr(slash + 1))};
}

}  // namespace

MimeType attachment_mime_type(std::string_view mime_tag, std::string_view filename) {
  if (auto parsed = parse_mime_tag(mime_tag)) {
    // Composite types allow no base64 ([RFC 2046] 5.1.1, 5.2.1), and attached files are
    // always base64 to keep their exact bytes.
    if (parsed->type != "multipart" && parsed->type != "message") return *parsed;
    return {"application", "octet-stream"};
  }
  const size_t dot = filename.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string extension = lower(filename.substr(dot + 1));
    const auto it = std::lower_bound(
        kExtensionTypes.begin(), kExtensionTypes.end(), extension,
        [](const ExtensionType& e, const std::string& key) { return e.extension < key; });
    if (it != kExtensionTypes.end() && it->extension == extension) return split(it->type);
  }
  return {"application", "octet-stream"};
}

}  // namespace ostfs::render
