#include "parser/text.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace ostfs::text {
namespace {

constexpr char32_t kReplacement = 0xFFFD;


// Decodes one UTF-8 sequence at s[i]; advances i. Invalid input yields U+FFFD and
// consumes one byte.
char32_t next_utf8(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + len > s.size()) {
    ++i;
    return kReplacement;
  }
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Reject overlong forms, surrogates and values beyond Unicode.
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += len;
  return cp;
}

void strip_trailing_nuls(std::string& s) {
  while (!s.empty() && s.back() == '\0') s.pop_back();
}

// iconv names for Windows code pages that glibc knows under another name.
std::string iconv_name(uint32_t codepage) {
  if (codepage >= 28591 && codepage <= 28606) return "ISO-8859-" + std::to_string(codepage - 28590);
  switch (codepage) {
    case 65001: return "UTF-8";
    case 65000: return "UTF-7";
    case 1200: return "UTF-16LE";
    case 1201: return "UTF-16BE";
    case 20127: return "ASCII";
    case 20866: return "KOI8-R";
    case 21866: return "KOI8-U";
    case 50220: case 50221: case 50222: return "ISO-2022-JP";
    case 51932: return "EUC-JP";
    case 51949: return "EUC-KR";
    case 52936: return "HZ-GB-2312";
    case 54936: return "GB18030";
    case 936: return "GBK";
    case 949: return "CP949";
    case 950: return "BIG5-HKSCS";
    case 932: return "CP932";
    case 10000: return "MACINTOSH";
    default: return "CP" + std::to_string(codepage);
  }
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string utf16le_to_utf8(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  const size_t units = bytes.size() / 2;
  auto unit = [&](size_t k) -> char16_t {
    return static_cast<char16_t>(bytes[2 * k] | (bytes[2 * k + 1] << 8));
  };
  for (size_t k = 0; k < units; ++k) {
    const char16_t u = unit(k);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (k + 1 < units) {
        const char16_t lo = unit(k + 1);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          append_utf8(out, 0x10000 + ((char32_t(u) - 0xD800) << 10) + (char32_t(lo) - 0xDC00));
          ++k;
          continue;
        }
      }
      append_utf8(out, kReplacement);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      append_utf8(out, kReplacement);
    } else {
      append_utf8(out, u);
    }
  }
  strip_trailing_nuls(out);
  return out;
}

std::string utf8_to_utf16le(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() * 2);
  auto put = [&](char16_t u) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  };
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = next_utf8(utf8, i);
    if (cp >= 0x10000) {
      const char32_t v = cp - 0x10000;
      put(static_cast<char16_t>(0xD800 + (v >> 10)));
      put(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
    } else {
      put(static_cast<char16_t>(cp));
    }
  }
  return out;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t cp = next_utf8(s, i);
    if (cp == kReplacement && !(i - start == 3 && s.substr(start, 3) == "\xEF\xBF\xBD")) {
      append_utf8(out, kReplacement);
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

std::string codepage_to_utf8(std::span<const uint8_t> bytes, uint32_t codepage) {
  std::string_view in(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  while (!in.empty() && in.back() == '\0') in.remove_suffix(1);
  if (codepage == 65001) return sanitize_utf8(in);
  if (codepage == 1200) return utf16le_to_utf8(bytes);

  iconv_t raw = iconv_open("UTF-8", iconv_name(codepage).c_str());
  if (raw == reinterpret_cast<iconv_t>(-1)) raw = iconv_open("UTF-8", "CP1252");
  if (raw == reinterpret_cast<iconv_t>(-1)) return sanitize_utf8(in);
  std::unique_ptr<void, IconvCloser> cd(raw);

  std::string out;
  out.resize(in.size() * 4 + 16);
  char* inp = const_cast<char*>(in.data());
  size_t inleft = in.size();
  char* outp = out.data();
  size_t outleft = out.size();
  while (inleft > 0) {
    if (iconv(raw, &inp, &inleft, &outp, &outleft) != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      const size_t used = outp - out.data();
      out.resize(out.size() * 2);
      outp = out.data() + used;
      outleft = out.size() - used;
      continue;
    }
    // EILSEQ or EINVAL: show the bad byte as U+FFFD and go on after it.
    if (outleft < 3) {
      const size_t used = outp - out.data();
      out.resize(out.size() + 64);
      outp = out.data() + used;
      outleft = out.size() - used;
    }
    std::memcpy(outp, "\xEF\xBF\xBD", 3);
    outp += 3;
    outleft -= 3;
    ++inp;
    --inleft;
    iconv(raw, nullptr, nullptr, nullptr, nullptr);
  }
  // Stateful converters (CP1255, CP1258 combine characters) hold the last one back until flushed.
  for (;;) {
    if (iconv(raw, nullptr, nullptr, &outp, &outleft) != static_cast<size_t>(-1) || errno != E2BIG) break;
    const size_t used = outp - out.data();
    out.resize(out.size() + 64);
    outp = out.data() + used;
    outleft = out.size() - used;
  }
  out.resize(outp - out.data());
  return out;
}

}  // namespace ostfs::text
