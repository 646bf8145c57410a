#include "fs/render/eml_body.h"

#include <glib.h>

#include <array>
#include <memory>

#include "fs/render/mime_text.h"
#include "parser/props.h"
#include "parser/rtf.h"
#include "parser/text.h"

namespace ostfs::render {
namespace {

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

size_t find_nocase(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower_ascii(haystack[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view s) { return text::sanitize_utf8(s) == s; }

// Converts with iconv by name, for charsets our code page table lacks; nullopt when
// iconv does not know the name or the bytes do not fit it.
std::optional<std::string> convert_by_name(std::string_view bytes, const std::string& charset) {
  gsize written = 0;
  GError* error = nullptr;
  std::unique_ptr<gchar, decltype(&g_free)> out(
      g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", charset.c_str(), nullptr,
                &written, &error),
      g_free);
  if (error) g_error_free(error);
  if (!out) return std::nullopt;
  return text::sanitize_utf8(std::string_view(out.get(), written));
}

std::optional<std::string> html_property(const model::Message& message) {
  const model::Property* p = message.props.find(props::PidTagHtml);
  if (!p || p->value.empty()) return std::nullopt;
  std::string html;
  if (p->type == props::type::Unicode) {
    html = text::utf16le_to_utf8(p->value);
  } else if (p->type == props::type::Binary || p->type == props::type::String8) {
    std::optional<uint32_t> cpid;
    if (auto v = message.props.int32(props::PidTagInternetCodepage); v && *v > 0) cpid = *v;
    html = html_to_utf8(p->value, cpid, message.codepage);
  } else {
    return std::nullopt;
  }
  if (html.empty()) return std::nullopt;
  return normalize_newlines(html);
}

}  // namespace

std::optional<uint32_t> charset_codepage(std::string_view name) {
  struct Label {
    std::string_view name;
    uint32_t codepage;
  };
  static constexpr std::array kLabels = std::to_array<Label>({
      {"utf-8", 65001},
      {"utf8", 65001},
      {"unicode-1-1-utf-8", 65001},
      {"us-ascii", 1252},
      {"ascii", 1252},
      {"iso-8859-1", 1252},
      {"iso8859-1", 1252},
      {"latin1", 1252},
      {"l1", 1252},
      {"windows-1250", 1250},
      {"windows-1251", 1251},
      {"windows-1252", 1252},
      {"windows-1253", 1253},
      {"windows-1254", 1254},
      {"windows-1255", 1255},
      {"windows-1256", 1256},
      {"windows-1257", 1257},
      {"windows-1258", 1258},
      {"cp1250", 1250},
      {"cp1251", 1251},
      {"cp1252", 1252},
      {"cp1253", 1253},
      {"cp1254", 1254},
      {"cp1255", 1255},
      {"cp1256", 1256},
      {"cp1257", 1257},
      {"cp1258", 1258},
      {"windows-874", 874},
      {"iso-8859-11", 874},
      {"tis-620", 874},
      {"iso-8859-9", 1254},
      {"latin5", 1254},
      {"iso-8859-2", 28592},
      {"latin2", 28592},
      {"iso-8859-5", 28595},
      {"iso-8859-7", 28597},
      {"iso-8859-15", 28605},
      {"latin-9", 28605},
      {"koi8-r", 20866},
      {"koi8-u", 21866},
      {"shift_jis", 932},
      {"shift-jis", 932},
      {"sjis", 932},
      {"x-sjis", 932},
      {"windows-31j", 932},
      {"ms_kanji", 932},
      {"euc-jp", 51932},
      {"iso-2022-jp", 50220},
      {"gb2312", 936},
      {"gbk", 936},
      {"x-gbk", 936},
      {"gb18030", 54936},
      {"big5", 950},
      {"big5-hkscs", 950},
      {"euc-kr", 51949},
      {"ks_c_5601-1987", 949},
      {"windows-949", 949},
      {"utf-16", 1200},
      {"utf-16le", 1200},
      {"utf-16be", 1201},
  });
  const std::string key = lower(name);
  for (const auto& label : kLabels)
    if (label.name == key) return label.codepage;
  return std::nullopt;
}

std::optional<std::string> meta_charset(std::string_view html) {
  html = html.substr(0, 64 * 1024);
  for (size_t tag = find_nocase(html, "<meta", 0); tag != std::string_view::npos;
       tag = find_nocase(html, "<meta", tag + 5)) {
    const size_t end = html.find('>', tag);
    const std::string_view attrs =
        html.substr(tag, end == std::string_view::npos ? end : end - tag);
    size_t at = find_nocase(attrs, "charset", 0);
    if (at == std::string_view::npos) continue;
    at += 7;
    while (at < attrs.size() && (attrs[at] == ' ' || attrs[at] == '\t')) ++at;
    if (at >= attrs.size() || attrs[at] != '=') continue;
    ++at;
    while (at < attrs.size() &&
           (attrs[at] == ' ' || attrs[at] == '\t' || attrs[at] == '"' || attrs[at] == '\''))
      ++at;
    size_t stop = at;
    while (stop < attrs.size() &&
           (g_ascii_isalnum(attrs[stop]) ||
            std::string_view("-_.:").find(attrs[stop]) != std::string_view::npos))
      ++stop;
    if (stop > at) return lower(attrs.substr(at, stop - at));
  }
  return std::nullopt;
}

std::string html_to_utf8(std::span<const uint8_t> html, std::optional<uint32_t> internet_cpid,
                         uint32_t fallback_codepage) {
  const std::string_view bytes(reinterpret_cast<const char*>(html.data()), html.size());
  if (internet_cpid) return text::codepage_to_utf8(html, *internet_cpid);
  if (auto charset = meta_charset(bytes)) {
    if (auto codepage = charset_codepage(*charset)) return text::codepage_to_utf8(html, *codepage);
    if (auto converted = convert_by_name(bytes, *charset)) return *converted;
  }
  if (is_valid_utf8(bytes)) return text::codepage_to_utf8(html, 65001);
  return text::codepage_to_utf8(html, fallback_codepage);
}

Bodies message_bodies(const model::Message& message) {
  Bodies out;
  if (auto body = message.text(props::PidTagBody); body && !body->empty())
    out.plain = normalize_newlines(*body);
  out.html = html_property(message);
  if (out.html) return out;

  const std::vector<uint8_t>* compressed = message.props.binary(props::PidTagRtfCompressed);
  if (!compressed || compressed->empty()) return out;
  std::string rtf_text;
  try {
    rtf_text = rtf::decompress(*compressed);
  } catch (const rtf::RtfError& e) {
    if (!out.plain) out.rtf_error = std::string("PR_RTF_COMPRESSED: ") + e.what();
    return out;
  }
  rtf::Deencapsulated body = rtf::deencapsulate(rtf_text, message.codepage);
  switch (body.kind) {
    case rtf::BodyKind::Html:
      if (!body.content.empty()) out.html = normalize_newlines(body.content);
      break;
    case rtf::BodyKind::Text:
      if (!out.plain) out.plain = normalize_newlines(body.content);
      break;
    case rtf::BodyKind::Rtf:
      if (!out.plain) out.plain = normalize_newlines(body.content);
      out.rtf = std::move(rtf_text);
      break;
  }
  return out;
}

}  // namespace ostfs::render
