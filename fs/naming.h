// File names from item data. Pure functions: the same input always gives the same name.
//
//   sanitize_component("Re: Budget/Plan")      -> "Re- Budget-Plan"
//   sanitize_component("..hidden", "x")        -> "_.hidden"
//   sanitize_component("", "(no subject)")     -> "(no subject)"
//   message_file_stem(1709649120, "Re: Budget") -> "2024-03-05 14.32 Re- Budget"   (UTC)
//   unique_name: "a.eml", "a (2).eml", "a (3).eml" for three items named "a"
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "fs/paged_arena.h"

namespace ostfs::fs {

// The longest name a Linux file system accepts, in bytes.
inline constexpr size_t kMaxNameBytes = 255;

// Makes one path component from arbitrary text: invalid UTF-8, control characters,
// bidirectional overrides and zero-width characters removed; `/ \ : * ? " < > |` become
// `-`; runs of white space become one space; no leading/trailing space; a leading `.`
// becomes `_.` so nothing is hidden or special by accident; at most kMaxNameBytes bytes, cut
// at a character boundary. Returns `fallback` when nothing is left.
std::string sanitize_component(std::string_view text, std::string_view fallback);

// "YYYY-MM-DD HH.MM <subject>" in UTC, or just the subject when there is no time; sanitized.
std::string message_file_stem(std::optional<int64_t> unix_time, std::string_view subject);

// Cuts `s` to at most `max_bytes` bytes without splitting a UTF-8 sequence.
std::string truncate_utf8(std::string_view s, size_t max_bytes);

// Append-only storage for file names, in the mount's paged arena (a million items make 50 MB
// of names, which need not stay resident). Views stay valid as long as the arena.
class NameArena {
 public:
  explicit NameArena(PagedArena& pages) : pages_(pages) {}
  // A copy of `name`, followed by a NUL.
  std::string_view add(std::string_view name);

 private:
  PagedArena& pages_;
};

// The first of "stem.ext", "stem (2).ext", "stem (3).ext", … that `taken` does not know, the
// whole name within kMaxNameBytes: given in call order, the first item named "x.eml" keeps its
// name and later ones are numbered. (A directory's names are in its NameIndex.)
std::string unique_name(std::string_view stem, std::string_view extension,
                        const std::function<bool(std::string_view)>& taken);

}  // namespace ostfs::fs
