// Collects the text an RTF reader emits and turns it into UTF-8. Internal to the RTF
// reader (rtf_deencapsulate.cc).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ostfs::rtf::detail {

// RTF text arrives as bytes in a Windows code page (literal text and \'hh escapes),
// interleaved with Unicode code points (\uN) and fixed ASCII (\par as CRLF).
//
// Single-byte code pages are decoded through a table built once per code page, so a
// megabyte body costs one conversion call per code page rather than one per run.
// Multi-byte code pages (932, 936, 949, 950, 65001...) are buffered and converted a run
// at a time, which keeps a lead byte and its trail byte together even when they come
// from two separate \'hh escapes.
class TextSink {
 public:
  // Appends byte `b` of text in `codepage`. NUL bytes are dropped.
  void byte(uint8_t b, uint32_t codepage);
  // The same for each byte of `run`.
  void bytes(std::string_view run, uint32_t codepage);
  // Appends a Unicode code point; surrogates and values beyond U+10FFFF become U+FFFD,
  // U+0000 is dropped.
  void codepoint(char32_t cp);
  // Appends ASCII text as it is.
  void ascii(std::string_view s);
  // Returns the collected text as valid UTF-8 and leaves the sink empty.
  std::string finish();

 private:
  struct Entry {
    std::array<char, 4> utf8{};
    uint8_t size = 0;
  };
  struct Table {
    std::array<Entry, 256> entries;
    // Whether bytes 1..0x7F are ASCII in this code page (not in EBCDIC ones): a text run is
    // then copied a stretch at a time.
    bool ascii = false;
  };

  // The decoding table for `codepage`, or nullptr when it is not a single-byte code page.
  const Table* table_for(uint32_t codepage);
  void flush();

  std::string out_;
  std::string pending_;  // bytes of a multi-byte code page not yet converted
  uint32_t pending_codepage_ = 0;
  std::vector<std::pair<uint32_t, std::unique_ptr<Table>>> tables_;
  uint32_t last_codepage_ = 0;
  const Table* last_table_ = nullptr;
  bool have_last_ = false;
};

}  // namespace ostfs::rtf::detail
