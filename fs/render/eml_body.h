// The body texts of a message: plain text, HTML and RTF, chosen and converted to UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "parser/model.h"

namespace ostfs::render {

struct Bodies {
  std::optional<std::string> plain;  // UTF-8, LF line ends
  std::optional<std::string> html;   // UTF-8, LF line ends
  std::optional<std::string> rtf;    // the decompressed RTF exactly as stored
  // Why PR_RTF_COMPRESSED could not be used, when the message had no other body.
  std::optional<std::string> rtf_error;
};

// Chooses the bodies:
// - plain from PR_BODY and html from PR_HTML (when non-empty);
// - without PR_HTML, a PR_RTF_COMPRESSED body is decompressed and de-encapsulated: HTML
//   becomes `html`; text becomes `plain` when PR_BODY is missing; other RTF gives `rtf`
//   (the original), and also `plain` (its text rendering) when PR_BODY is missing.
// Never throws on damaged properties: what cannot be decoded is left out.
Bodies message_bodies(const model::Message& message);

// The Windows code page for a charset name as used in MIME and HTML ("utf-8",
// "windows-1252", "iso-8859-2", "shift_jis"...), following the WHATWG Encoding labels
// where they merge charsets (iso-8859-1 and us-ascii are read as windows-1252);
// nullopt for a name not in our table.
std::optional<uint32_t> charset_codepage(std::string_view name);

// The charset a <meta charset=...> or <meta http-equiv content="...; charset=..."> in
// the first 64 KiB of `html` names, or nullopt.
std::optional<std::string> meta_charset(std::string_view html);

// PR_HTML bytes as UTF-8. The charset is `internet_cpid` when given, else the <meta>
// charset, else UTF-8 when the bytes are valid UTF-8, else `fallback_codepage`.
std::string html_to_utf8(std::span<const uint8_t> html, std::optional<uint32_t> internet_cpid,
                         uint32_t fallback_codepage);

}  // namespace ostfs::render
