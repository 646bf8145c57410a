// File names from item data. Pure functions: the same input always gives the same name.
//
//   sanitize_component("Re: Budget/Plan")      -> "Re- Budget-Plan"
//   sanitize_component("..hidden", "x")        -> "_.hidden"
//   sanitize_component("", "(no subject)")     -> "(no subject)"
//   message_file_stem(1709649120, "Re: Budget") -> "2024-03-05 14.32 Re- Budget"   (UTC)
//   NameAllocator: "a.eml", "a (2).eml", "a (3).eml" for three items named "a"
#pragma once

#include <cstdint>
#include <optional>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>
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

// Hands out unique names within one directory, in call order: the first "x.eml" stays,
// later ones become "x (2).eml", "x (3).eml", … The whole name stays within kMaxNameBytes.
// Names live in `arena` (the views stay valid as long as it does), so a folder of 100,000
// items does not hold its names twice while it is listed.
class NameAllocator {
 public:
  explicit NameAllocator(NameArena& arena) : arena_(arena) {}
  std::string_view allocate(std::string_view stem, std::string_view extension);

 private:
  NameArena& arena_;
  std::unordered_set<std::string_view> used_;
};

}  // namespace ostfs::fs
