// Splits RTF into tokens ([MSFT-RTF] "RTF Syntax"): group braces, control words with
// their optional numeric parameter, control symbols, \'hh bytes, \binN data and text.
// Internal to the RTF reader (rtf_deencapsulate.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ostfs::rtf::detail {

enum class TokenKind {
  End,            // no more input
  GroupStart,     // {
  GroupEnd,       // }
  ControlWord,    // \name or \nameN; `text` is the name
  ControlSymbol,  // \ followed by one non-letter; `text` is that character
  HexByte,        // \'hh; `byte` is the value
  Text,           // a run of literal bytes (carriage returns and line feeds left out)
  Binary,         // the N bytes after \binN; `text` holds them
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string_view text;
  int32_t param = 0;  // clamped to the int32_t range
  bool has_param = false;
  uint8_t byte = 0;
};

// Never fails: malformed input (a lone backslash, \' without two hex digits, a \bin
// longer than the input) yields the closest sensible tokens. Each call to next() consumes
// at least one byte until End, so a pass over the input is linear.
class Lexer {
 public:
  explicit Lexer(std::string_view rtf) : rtf_(rtf) {}
  Token next();

 private:
  Token control();

  std::string_view rtf_;
  size_t pos_ = 0;
};

}  // namespace ostfs::rtf::detail
