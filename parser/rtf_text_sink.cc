#include "parser/rtf_text_sink.h"

#include <algorithm>
#include <cstddef>
#include <span>

#include "parser/text.h"

namespace ostfs::rtf::detail {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Code pages where one character may take several bytes, or whose converter keeps state
// between bytes; they cannot be decoded byte by byte.
bool is_multibyte(uint32_t codepage) {
  switch (codepage) {
    case 932: case 936: case 949: case 950: case 1255: case 1258: case 1361:
    case 1200: case 1201: case 12000: case 12001: case 65000: case 65001:
    case 10001: case 10002: case 10003: case 10008:
    case 20932: case 20936: case 20949:
    case 50220: case 50221: case 50222: case 50225: case 50227: case 50229:
    case 51932: case 51936: case 51949: case 52936: case 54936:
      return true;
    default:
      return false;
  }
}

// glibc's CP1255 and CP1258 converters hold each character back until they know whether
// a combining mark follows, and text::codepage_to_utf8 does not flush that state, so the
// last character of a run would be lost.
bool holds_back_last_character(uint32_t codepage) { return codepage == 1255 || codepage == 1258; }

size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

}  // namespace

const TextSink::Table* TextSink::table_for(uint32_t codepage) {
  if (have_last_ && last_codepage_ == codepage) return last_table_;
  const Table* found = nullptr;
  auto it = std::find_if(tables_.begin(), tables_.end(),
                         [&](const auto& t) { return t.first == codepage; });
  if (it != tables_.end()) {
    found = it->second.get();
  } else {
    std::unique_ptr<Table> table;
    if (!is_multibyte(codepage)) {
      // Convert bytes 1..255 in one call; the code page is single-byte exactly when that
      // gives 255 characters (a converter that composes or combines gives fewer).
      std::array<uint8_t, 255> all{};
      for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i + 1);
      const std::string utf8 = text::codepage_to_utf8(all, codepage);
      auto built = std::make_unique<Table>();
      size_t index = 1;
      size_t i = 0;
      bool ok = true;
      while (i < utf8.size()) {
        const size_t n = utf8_length(static_cast<unsigned char>(utf8[i]));
        if (index > 255 || n > 4 || i + n > utf8.size()) {
          ok = false;
          break;
        }
        Entry& e = built->entries[index++];
        std::copy_n(utf8.begin() + static_cast<std::ptrdiff_t>(i), n, e.utf8.begin());
        e.size = static_cast<uint8_t>(n);
        i += n;
      }
      if (ok && index == 256) {
        built->ascii = true;
        for (size_t b = 1; b < 0x80 && built->ascii; ++b)
          built->ascii = built->entries[b].size == 1 && built->entries[b].utf8[0] == static_cast<char>(b);
        table = std::move(built);
      }
    }
    found = table.get();
    tables_.emplace_back(codepage, std::move(table));
  }
  last_codepage_ = codepage;
  last_table_ = found;
  have_last_ = true;
  return found;
}

void TextSink::byte(uint8_t b, uint32_t codepage) {
  if (b == 0) return;
  if (!pending_.empty() && pending_codepage_ != codepage) flush();
  if (const Table* table = table_for(codepage)) {
    const Entry& e = table->entries[b];
    out_.append(e.utf8.data(), e.size);
    return;
  }
  pending_codepage_ = codepage;
  pending_.push_back(static_cast<char>(b));
}

void TextSink::bytes(std::string_view run, uint32_t codepage) {
  const Table* table = table_for(codepage);
  if (!table || !table->ascii) {
    for (char c : run) byte(static_cast<uint8_t>(c), codepage);
    return;
  }
  if (!pending_.empty()) flush();  // of another code page: this one has a table
  size_t at = 0;
  while (at < run.size()) {
    size_t end = at;
    while (end < run.size() && static_cast<uint8_t>(run[end] - 1) < 0x7F) ++end;  // 0x01..0x7F
    out_.append(run.data() + at, end - at);
    if (end == run.size()) break;
    const Entry& e = table->entries[static_cast<uint8_t>(run[end])];  // NUL's entry is empty
    out_.append(e.utf8.data(), e.size);
    at = end + 1;
  }
}

void TextSink::codepoint(char32_t cp) {
  flush();
  if (cp == 0) return;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  text::append_utf8(out_, cp);
}

void TextSink::ascii(std::string_view s) {
  flush();
  out_.append(s);
}

void TextSink::flush() {
  if (pending_.empty()) return;
  // Two ASCII sentinels push the last real character out of a converter that holds one
  // back. Such a converter then returns "A" last (it holds the "B"), any other returns
  // "AB"; either way the sentinels are told apart from the text.
  const bool sentinels = holds_back_last_character(pending_codepage_);
  if (sentinels) pending_ += "AB";
  std::string converted = text::codepage_to_utf8(
      std::span(reinterpret_cast<const uint8_t*>(pending_.data()), pending_.size()),
      pending_codepage_);
  if (sentinels) {
    if (converted.ends_with("AB"))
      converted.resize(converted.size() - 2);
    else if (converted.ends_with("A"))
      converted.pop_back();
  }
  out_ += converted;
  pending_.clear();
}

std::string TextSink::finish() {
  flush();
  // Every piece appended is valid UTF-8 already; this pass guards the promise that the
  // result is valid against a converter that misbehaves.
  std::string result = text::sanitize_utf8(out_);
  out_.clear();
  return result;
}

}  // namespace ostfs::rtf::detail
