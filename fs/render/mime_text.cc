#include "fs/render/mime_text.h"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define OSTFS_BASE64_AVX2 1
#else
#define OSTFS_BASE64_AVX2 0
#endif

#include "parser/text.h"

namespace ostfs::render {
namespace {

constexpr size_t kMaxLine = 998;  // [RFC 5322] 2.1.1, [RFC 2045] 2.8

// Length of the UTF-8 sequence starting with `lead` (valid UTF-8 assumed).
size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

bool longest_line_fits(std::string_view text) {
  size_t line = 0;
  for (char c : text) {
    if (c == '\n') {
      line = 0;
    } else if (++line > kMaxLine) {
      return false;
    }
  }
  return true;
}

constexpr size_t kQpLine = 76;  // [RFC 2045] 6.7 rule 5, the '=' of a soft break included

// Appends one line of text (without its line end), encoded, with soft breaks.
void encode_qp_line(std::string_view line, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string current;
  size_t after_space = 0;  // length of `current` up to its last literal space or tab
  for (size_t i = 0; i < line.size(); ++i) {
    const auto u = static_cast<unsigned char>(line[i]);
    const bool blank = u == ' ' || u == '\t';
    const bool literal = (u >= 33 && u <= 126 && u != '=') || (blank && i + 1 < line.size());
    char token[3] = {static_cast<char>(u), 0, 0};
    size_t token_size = 1;
    if (!literal) {
      token[0] = '=';
      token[1] = kHex[u >> 4];
      token[2] = kHex[u & 0xF];
      token_size = 3;
    }
    while (current.size() + token_size > kQpLine - 1) {
      const size_t cut = after_space > 0 ? after_space : current.size();
      out.append(current, 0, cut).append("=\n");
      current.erase(0, cut);
      after_space = 0;
    }
    current.append(token, token_size);
    if (blank && literal) after_space = current.size();
  }
  out += current;
}

}  // namespace

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t pos = 0;
  for (;;) {
    const size_t eol = text.find('\n', pos);
    encode_qp_line(text.substr(pos, eol == std::string_view::npos ? eol : eol - pos), out);
    if (eol == std::string_view::npos) break;
    out += '\n';
    pos = eol + 1;
  }
  return out;
}

std::string clean_header_value(std::string_view utf8) {
  const std::string valid = text::sanitize_utf8(utf8);
  std::string out;
  out.reserve(std::min(valid.size(), kMaxHeaderValue));
  for (size_t i = 0; i < valid.size();) {
    const auto lead = static_cast<unsigned char>(valid[i]);
    const size_t len = std::min(sequence_length(lead), valid.size() - i);
    const std::string_view seq(valid.data() + i, len);
    i += len;
    const bool control = lead < 0x20 || lead == 0x7F;
    const bool line_break = seq == "\xC2\x85" || seq == "\xE2\x80\xA8" || seq == "\xE2\x80\xA9";
    if (control || line_break) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    if (out.size() + len > kMaxHeaderValue) break;
    if (seq == " " && out.empty()) continue;
    out.append(seq);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string normalize_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_8bit(std::string_view text) {
  return text.find('\0') == std::string_view::npos && longest_line_fits(text);
}

bool is_7bit(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0' || c == '\r') return false;
  return longest_line_fits(text);
}

TextEncoding text_encoding(std::string_view text) {
  return is_8bit(text) ? TextEncoding::EightBit : TextEncoding::QuotedPrintable;
}

namespace {
constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Two base64 characters for every 12-bit value: a 3-byte group is two lookups.
struct Base64Pairs {
  char pairs[4096][2];
  constexpr Base64Pairs() : pairs() {
    for (int v = 0; v < 4096; ++v) {
      pairs[v][0] = kBase64Alphabet[v >> 6];
      pairs[v][1] = kBase64Alphabet[v & 0x3F];
    }
  }
};
constexpr Base64Pairs kBase64Pairs;

constexpr uint64_t kBytesPerLine = 57;  // 76 characters

// Three bytes at `in` as four characters at `at`.
void encode_group(const uint8_t* in, char* at) {
  const uint32_t v = uint32_t{in[0]} << 16 | uint32_t{in[1]} << 8 | in[2];
  std::memcpy(at, kBase64Pairs.pairs[v >> 12], 2);
  std::memcpy(at + 2, kBase64Pairs.pairs[v & 0xFFF], 2);
}

#if OSTFS_BASE64_AVX2
// 24 bytes as 32 characters ([RFC 4648] 4), eight 3-byte groups at once: each group is
// spread over a 32-bit lane, its four 6-bit values moved to the lane's four bytes with two
// multiplies, and each value turned into its character by adding the offset of its range
// (A-Z, a-z, 0-9, +, /), looked up by a shuffle. Reads bytes 0-27 of `in`.
__attribute__((target("avx2"))) void encode_24(const uint8_t* in, char* at) {
  const __m256i bytes = _mm256_inserti128_si256(
      _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in))),
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 12)), 1);
  // Group [a b c] becomes the lane bytes [b a c b].
  const __m256i spread = _mm256_shuffle_epi8(
      bytes, _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,  //
                              1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10));
  const __m256i first_and_third =
      _mm256_mulhi_epu16(_mm256_and_si256(spread, _mm256_set1_epi32(0x0FC0FC00)), _mm256_set1_epi32(0x04000040));
  const __m256i second_and_fourth =
      _mm256_mullo_epi16(_mm256_and_si256(spread, _mm256_set1_epi32(0x003F03F0)), _mm256_set1_epi32(0x01000010));
  const __m256i values = _mm256_or_si256(first_and_third, second_and_fourth);
  // Range index: 0 for a-z (26-51), 1-10 for 0-9, 11 for '+', 12 for '/', 13 for A-Z.
  __m256i range = _mm256_subs_epu8(values, _mm256_set1_epi8(51));
  range = _mm256_or_si256(range, _mm256_and_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8(26), values),
                                                  _mm256_set1_epi8(13)));
  const __m256i offsets = _mm256_setr_epi8(
      'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
      '+' - 62, '/' - 63, 'A', 0, 0,  //
      'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
      '+' - 62, '/' - 63, 'A', 0, 0);
  const __m256i characters = _mm256_add_epi8(_mm256_shuffle_epi8(offsets, range), values);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(at), characters);
}

// A full line: 48 bytes in two vector steps (their reads stay inside the line's 57 bytes),
// the last 9 as groups.
__attribute__((target("avx2"))) void encode_full_line_avx2(const uint8_t* in, char* at) {
  encode_24(in, at);
  encode_24(in + 24, at + 32);
  for (size_t i = 48; i < kBytesPerLine; i += 3) encode_group(in + i, at + i / 3 * 4);
}

bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#endif

}  // namespace

namespace detail {
size_t base64_line_bytewise(std::span<const uint8_t> data, uint64_t line, char* out) {
  const uint64_t first = line * kBytesPerLine;
  if (first >= data.size()) return 0;
  const uint8_t* in = data.data() + first;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(kBytesPerLine, data.size() - first));
  char* at = out;
  size_t i = 0;
  for (; i + 3 <= n; i += 3, at += 4) encode_group(in + i, at);
  if (i < n) {
    const uint32_t v = uint32_t{in[i]} << 16 | (i + 1 < n ? uint32_t{in[i + 1]} << 8 : 0);
    at[0] = kBase64Alphabet[v >> 18];
    at[1] = kBase64Alphabet[(v >> 12) & 0x3F];
    at[2] = i + 1 < n ? kBase64Alphabet[(v >> 6) & 0x3F] : '=';
    at[3] = '=';
    at += 4;
  }
  *at++ = '\n';
  return static_cast<size_t>(at - out);
}
}  // namespace detail

size_t base64_line(std::span<const uint8_t> data, uint64_t line, char* out) {
#if OSTFS_BASE64_AVX2
  static const bool avx2 = cpu_has_avx2();
  const uint64_t first = line * kBytesPerLine;
  if (avx2 && first < data.size() && data.size() - first >= kBytesPerLine) {
    encode_full_line_avx2(data.data() + first, out);
    out[kBase64LineSize - 1] = '\n';
    return kBase64LineSize;
  }
#endif
  return detail::base64_line_bytewise(data, line, out);
}

uint64_t base64_encoded_size(uint64_t n) {
  const uint64_t characters = (n + 2) / 3 * 4;
  const uint64_t lines = (n + kBytesPerLine - 1) / kBytesPerLine;
  return characters + lines;
}

}  // namespace ostfs::render
