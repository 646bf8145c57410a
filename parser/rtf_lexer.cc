#include "parser/rtf_lexer.h"

#include <algorithm>
#include <limits>

namespace ostfs::rtf::detail {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ends_text(char c) { return c == '\\' || c == '{' || c == '}' || c == '\r' || c == '\n'; }

}  // namespace

Token Lexer::next() {
  // [MSFT-RTF]: carriage returns and line feeds in the source are not text.
  while (pos_ < rtf_.size() && (rtf_[pos_] == '\r' || rtf_[pos_] == '\n')) ++pos_;
  if (pos_ >= rtf_.size()) return {};

  Token token;
  switch (rtf_[pos_]) {
    case '{':
      ++pos_;
      token.kind = TokenKind::GroupStart;
      return token;
    case '}':
      ++pos_;
      token.kind = TokenKind::GroupEnd;
      return token;
    case '\\':
      return control();
    default: {
      const size_t start = pos_;
      while (pos_ < rtf_.size() && !ends_text(rtf_[pos_])) ++pos_;
      token.kind = TokenKind::Text;
      token.text = rtf_.substr(start, pos_ - start);
      return token;
    }
  }
}

Token Lexer::control() {
  Token token;
  ++pos_;  // the backslash
  if (pos_ >= rtf_.size()) return token;  // a lone backslash at the end: nothing more

  const char first = rtf_[pos_];
  if (!is_letter(first)) {
    if (first == '\'' && pos_ + 2 < rtf_.size() && hex_value(rtf_[pos_ + 1]) >= 0 &&
        hex_value(rtf_[pos_ + 2]) >= 0) {
      token.kind = TokenKind::HexByte;
      token.byte = static_cast<uint8_t>(hex_value(rtf_[pos_ + 1]) * 16 + hex_value(rtf_[pos_ + 2]));
      pos_ += 3;
      return token;
    }
    token.kind = TokenKind::ControlSymbol;
    token.text = rtf_.substr(pos_, 1);
    ++pos_;
    return token;
  }

  const size_t name_start = pos_;
  while (pos_ < rtf_.size() && is_letter(rtf_[pos_])) ++pos_;
  token.kind = TokenKind::ControlWord;
  token.text = rtf_.substr(name_start, pos_ - name_start);

  const bool negative =
      pos_ + 1 < rtf_.size() && rtf_[pos_] == '-' && is_digit(rtf_[pos_ + 1]);
  if (negative) ++pos_;
  if (pos_ < rtf_.size() && is_digit(rtf_[pos_])) {
    // Accumulate in 64 bits and stop growing past the int32_t range, so that a hostile
    // digit run neither overflows nor loops more than once per digit.
    constexpr int64_t kCap = int64_t{std::numeric_limits<int32_t>::max()} + 1;
    int64_t value = 0;
    while (pos_ < rtf_.size() && is_digit(rtf_[pos_])) {
      value = std::min(kCap, value * 10 + (rtf_[pos_] - '0'));
      ++pos_;
    }
    if (negative) value = -value;
    value = std::clamp<int64_t>(value, std::numeric_limits<int32_t>::min(),
                                std::numeric_limits<int32_t>::max());
    token.param = static_cast<int32_t>(value);
    token.has_param = true;
  }
  // A space right after a control word delimits it and is not text.
  if (pos_ < rtf_.size() && rtf_[pos_] == ' ') ++pos_;

  if (token.text == "bin") {
    const size_t length = token.param > 0 ? static_cast<size_t>(token.param) : 0;
    const size_t n = std::min(length, rtf_.size() - pos_);
    token.kind = TokenKind::Binary;
    token.text = rtf_.substr(pos_, n);
    pos_ += n;
  }
  return token;
}

}  // namespace ostfs::rtf::detail
