// [MS-OXRTFEX] Rich Text Format (RTF) Extensions Algorithm: getting back the HTML or
// plain text that Outlook/Exchange encapsulated in an RTF body, and a readable plain-text
// rendering of any other RTF. RTF syntax per [MSFT-RTF] 1.9.1.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "parser/rtf.h"
#include "parser/rtf_lexer.h"
#include "parser/rtf_text_sink.h"

namespace ostfs::rtf {
namespace {

using detail::Lexer;
using detail::TextSink;
using detail::Token;
using detail::TokenKind;

// Groups nested deeper than this share the state of the deepest tracked one, so hostile
// input cannot make the state stack grow with the input. Real bodies nest a few dozen
// levels at most.
constexpr size_t kMaxDepth = 4096;

// More than enough for any real writer's \ucN (1 or 2); keeps a hostile value from
// swallowing text past the next group boundary anyway.
constexpr int32_t kMaxUnicodeSkip = 64;

enum class Destination : uint8_t {
  Text,       // visible text
  Skip,       // a destination whose contents are not part of the body
  FontTable,  // \fonttbl: read for the code page of each font
  HtmlTag,    // \*\htmltag: encapsulated HTML ([MS-OXRTFEX] 2.1.3.1.4)
};

struct GroupState {
  Destination destination = Destination::Text;
  bool htmlrtf = false;  // [MS-OXRTFEX] 2.1.3.1.3: inherited by groups, restored after them
  bool hidden = false;   // \v
  int32_t uc = 1;        // \ucN: fallback characters after each \uN
  int32_t font = -1;     // \fN; -1 is the default font (\deffN)
};

// Destinations whose text is not body text ([MSFT-RTF]: header tables, document info,
// pictures, field instructions, headers and footers, and other non-visible groups).
constexpr std::array<std::string_view, 65> kSkippedDestinations = {
    "aftncn", "aftnsep", "aftnsepc", "annotation", "atnauthor", "atndate", "atnicn",
    "atnid", "atnparent", "atnref", "atntime", "atrfend", "atrfstart", "author", "bkmkend",
    "bkmkstart", "buptim", "colorschememapping", "colortbl", "comment", "company",
    "creatim", "datastore", "do", "doccomm", "docvar", "filetbl", "fldinst", "footer",
    "footerf", "footerl", "footerr", "footnote", "ftncn", "ftnsep", "ftnsepc", "generator",
    "header", "headerf", "headerl", "headerr", "info", "keywords", "latentstyles",
    "listoverridetable", "listtable", "nonshppict", "objclass", "objdata", "objname",
    "operator", "pgdsctbl", "pict", "printim", "private", "revtbl", "revtim", "rsidtbl",
    "stylesheet", "tc", "themedata", "txe", "userprops", "xe", "xmlnstbl",
};
static_assert(std::is_sorted(kSkippedDestinations.begin(), kSkippedDestinations.end()));

// For each first letter, the range of a sorted word list starting with it: every control word
// of a body is looked up, most of them in no range or a short one.
struct LetterRange {
  uint8_t begin = 0, end = 0;
};
using LetterRanges = std::array<LetterRange, 26>;

template <typename List, typename WordOf>
constexpr LetterRanges ranges_by_first_letter(const List& list, WordOf word_of) {
  LetterRanges ranges{};
  for (size_t i = 0; i < list.size(); ++i) {
    LetterRange& r = ranges[static_cast<size_t>(word_of(list[i])[0] - 'a')];
    if (r.end == 0) r.begin = static_cast<uint8_t>(i);
    r.end = static_cast<uint8_t>(i + 1);
  }
  return ranges;
}

// The range of `word`'s first letter; empty for a word that starts with no lowercase letter.
LetterRange range_of(const LetterRanges& ranges, std::string_view word) {
  if (word.empty() || word[0] < 'a' || word[0] > 'z') return {};
  return ranges[static_cast<size_t>(word[0] - 'a')];
}

constexpr LetterRanges kSkippedByLetter =
    ranges_by_first_letter(kSkippedDestinations, [](std::string_view word) { return word; });

bool is_skipped_destination(std::string_view word) {
  const LetterRange r = range_of(kSkippedByLetter, word);
  for (size_t i = r.begin; i < r.end; ++i)
    if (kSkippedDestinations[i] == word) return true;
  return false;
}

// Control words that stand for text. `in_htmltag` marks those [MS-OXRTFEX] 2.1.3.1.4.2
// allows inside an HTMLTAG group; the others only make sense in visible text.
struct CharWord {
  std::string_view word;
  std::string_view utf8;
  bool in_htmltag;
};
constexpr std::array<CharWord, 22> kCharWords = {{
    {"bullet", "\u2022", true},     {"cell", "\t", false},       {"emdash", "\u2014", true},
    {"emspace", "\u2003", false},   {"endash", "\u2013", true},  {"enspace", "\u2002", false},
    {"ldblquote", "\u201C", true},  {"line", "\r\n", false},     {"lquote", "\u2018", true},
    {"ltrmark", "\u200E", false},   {"nestcell", "\t", false},   {"nestrow", "\r\n", false},
    {"page", "\r\n", false},        {"par", "\r\n", true},       {"qmspace", "\u2005", false},
    {"rdblquote", "\u201D", true},  {"row", "\r\n", false},      {"rquote", "\u2019", true},
    {"rtlmark", "\u200F", false},   {"sect", "\r\n", false},     {"tab", "\t", true},
    {"zwj", "\u200D", false},
}};
static_assert(std::is_sorted(kCharWords.begin(), kCharWords.end(),
                             [](const CharWord& a, const CharWord& b) { return a.word < b.word; }));

constexpr LetterRanges kCharWordsByLetter =
    ranges_by_first_letter(kCharWords, [](const CharWord& c) { return c.word; });

const CharWord* find_char_word(std::string_view word) {
  const LetterRange r = range_of(kCharWordsByLetter, word);
  for (size_t i = r.begin; i < r.end; ++i)
    if (kCharWords[i].word == word) return &kCharWords[i];
  return nullptr;
}

// [MSFT-RTF] \fcharsetN values and the Windows code page each stands for. DEFAULT_CHARSET
// (1) and SYMBOL_CHARSET (2) name no code page: their text follows the document's.
std::optional<uint32_t> charset_codepage(int32_t charset) {
  switch (charset) {
    case 0: return 1252;
    case 77: return 10000;
    case 78: return 10001;
    case 79: return 10003;
    case 80: return 10008;
    case 81: return 10002;
    case 83: return 10005;
    case 84: return 10004;
    case 85: return 10006;
    case 86: return 10081;
    case 87: return 10021;
    case 88: return 10029;
    case 89: return 10007;
    case 128: return 932;
    case 129: return 949;
    case 130: return 1361;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    case 254: return 437;
    case 255: return 850;
    default: return std::nullopt;
  }
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// [MS-OXRTFEX] 2.2.3.1: writers put \fromhtml1 or \fromtext in the RTF header, right
// after \rtf1 (2.1.3.2, 2.1.3.3). Accept either as a top-level control word before the first
// top-level text; nested groups (font table, colour table...) are passed over.
BodyKind detect_kind(std::string_view rtf) {
  Lexer lexer(rtf);
  size_t depth = 0;
  for (Token t = lexer.next(); t.kind != TokenKind::End; t = lexer.next()) {
    switch (t.kind) {
      case TokenKind::GroupStart:
        ++depth;
        break;
      case TokenKind::GroupEnd:
        if (depth <= 1) return BodyKind::Rtf;
        --depth;
        break;
      case TokenKind::ControlWord:
        if (depth != 1) break;
        if (t.text == "fromhtml" && (!t.has_param || t.param != 0)) return BodyKind::Html;
        if (t.text == "fromtext") return BodyKind::Text;
        if (t.text == "u") return BodyKind::Rtf;
        break;
      case TokenKind::Text:
        if (depth <= 1 && !is_blank(t.text)) return BodyKind::Rtf;
        break;
      case TokenKind::HexByte:
        if (depth <= 1) return BodyKind::Rtf;
        break;
      default:
        break;
    }
  }
  return BodyKind::Rtf;
}

// One pass over the tokens with a stack of group states ([MSFT-RTF] "Conventions of an
// RTF Reader"): no recursion, so nesting depth costs no native stack.
class Reader {
 public:
  Reader(BodyKind kind, uint32_t default_codepage)
      : kind_(kind), document_codepage_(default_codepage) {
    stack_.reserve(64);
    stack_.emplace_back();
  }

  std::string run(std::string_view rtf) {
    Lexer lexer(rtf);
    for (Token t = lexer.next(); t.kind != TokenKind::End; t = lexer.next()) {
      const bool at_group_start = std::exchange(group_opened_, false);
      switch (t.kind) {
        case TokenKind::GroupStart: open_group(); break;
        case TokenKind::GroupEnd: close_group(); break;
        case TokenKind::ControlWord: control_word(t, at_group_start); break;
        case TokenKind::ControlSymbol: control_symbol(t.text.front(), at_group_start); break;
        case TokenKind::HexByte: hex_byte(t.byte); break;
        case TokenKind::Text: text(t.text); break;
        case TokenKind::Binary: binary(); break;
        case TokenKind::End: break;
      }
    }
    resolve_high_surrogate();
    return sink_.finish();
  }

 private:
  GroupState& state() { return stack_.back(); }
  const GroupState& state() const { return stack_.back(); }

  void open_group() {
    unicode_skip_ = 0;  // fallback text never runs across a group boundary
    ignorable_ = false;
    if (stack_.size() < kMaxDepth) {
      const GroupState inherited = stack_.back();
      stack_.push_back(inherited);
    } else {
      ++untracked_depth_;
    }
    group_opened_ = true;
  }

  void close_group() {
    unicode_skip_ = 0;
    ignorable_ = false;
    if (untracked_depth_ > 0)
      --untracked_depth_;
    else if (stack_.size() > 1)
      stack_.pop_back();
  }

  // Consumes one fallback character of the last \uN, if any is due.
  bool skip_fallback() {
    if (unicode_skip_ == 0) return false;
    --unicode_skip_;
    return true;
  }

  bool in_htmltag() const { return state().destination == Destination::HtmlTag; }

  // Whether text met now belongs in the output.
  bool visible() const {
    const GroupState& s = state();
    switch (s.destination) {
      case Destination::Skip:
      case Destination::FontTable:
        return false;
      case Destination::HtmlTag:
        return kind_ == BodyKind::Html && !s.htmlrtf;
      case Destination::Text:
        if (kind_ == BodyKind::Html) return !s.htmlrtf;
        return !s.hidden;
    }
    return false;
  }

  // [MS-OXRTFEX] 2.2.3.2: HTMLTAG content is in the document's code page; other text in
  // the code page of the current font, when the font table names one.
  uint32_t text_codepage() const {
    if (in_htmltag()) return document_codepage_;
    const int32_t font = state().font >= 0 ? state().font : default_font_;
    auto it = font_codepages_.find(font);
    return it != font_codepages_.end() ? it->second : document_codepage_;
  }

  void control_word(const Token& t, bool at_group_start) {
    const std::string_view word = t.text;
    const bool ignorable = std::exchange(ignorable_, false) && at_group_start;
    GroupState& s = state();

    if (destination_word(word, ignorable, s)) return;
    if (s.destination == Destination::Skip) return;
    if (s.destination == Destination::FontTable) {
      font_table_word(t);
      return;
    }

    if (state_word(t, s)) return;
    if (const CharWord* c = find_char_word(word)) {
      // Only words that stand for a character can be a \uN fallback: counting formatting
      // words too would let a writer that omits the fallback lose a \htmlrtf0 or \f.
      if (skip_fallback() || (in_htmltag() && !c->in_htmltag)) return;
      emit(c->utf8);
    }
  }

  // Handles the control words that change the reader's state; returns true when `t` was one
  // of them. Every formatting word of a body (\b, \fs, \cf...) comes through here, so a word
  // is compared only with those that share its first letter.
  bool state_word(const Token& t, GroupState& s) {
    const std::string_view word = t.text;
    if (word.empty()) return false;
    switch (word.front()) {
      case 'u':
        if (word == "u") {
          // A new \uN starts its own fallback count; this also pairs surrogates written
          // without fallback text between them.
          if (!t.has_param) return true;
          unicode(t.param);
          unicode_skip_ = s.uc;
          return true;
        }
        if (word == "uc") {
          s.uc = std::clamp(t.has_param ? t.param : 1, 0, kMaxUnicodeSkip);
          return true;
        }
        return false;
      case 'h':
        if (word != "htmlrtf") return false;
        s.htmlrtf = !t.has_param || t.param != 0;
        return true;
      case 'v':
        if (word != "v") return false;
        s.hidden = !t.has_param || t.param != 0;
        return true;
      case 'f':
        if (word != "f") return false;
        if (t.has_param) s.font = t.param;
        return true;
      case 'p':
        if (word == "plain") {
          s.font = -1;
          s.hidden = false;
        } else if (word == "pc") {
          document_codepage_ = 437;
        } else if (word == "pca") {
          document_codepage_ = 850;
        } else {
          return false;
        }
        return true;
      case 'd':
        if (word != "deff") return false;
        if (t.has_param) default_font_ = t.param;
        return true;
      case 'a':
        if (word != "ansicpg") return false;
        if (t.has_param && t.param > 0) document_codepage_ = static_cast<uint32_t>(t.param);
        return true;
      case 'm':
        if (word != "mac") return false;
        document_codepage_ = 10000;
        return true;
      default:
        return false;
    }
  }

  // Handles the control words that set the current group's destination; returns true
  // when `word` was one of them.
  bool destination_word(std::string_view word, bool ignorable, GroupState& s) {
    if (s.destination == Destination::Skip) return true;
    Destination next;
    if (word == "htmltag" && kind_ == BodyKind::Html) {
      next = Destination::HtmlTag;
    } else if (word == "mhtmltag") {
      // Outlook writes each tag twice: \mhtmltag with links rewritten for a stand-alone
      // HTML file, then \htmltag as the message had it (cid: and relative links that
      // resolve against the attachments). Keeping both would duplicate the tag.
      next = Destination::Skip;
    } else if (word == "fonttbl") {
      next = Destination::FontTable;
    } else if (is_skipped_destination(word) || ignorable) {
      // [MSFT-RTF]: a reader skips any \* destination it does not know.
      next = Destination::Skip;
    } else {
      return false;
    }
    if (s.destination == Destination::FontTable && next != Destination::Skip) return false;
    s.destination = next;
    return true;
  }

  void font_table_word(const Token& t) {
    if (!t.has_param) return;
    if (t.text == "f") {
      defining_font_ = t.param;
    } else if (t.text == "fcharset") {
      if (auto cp = charset_codepage(t.param)) font_codepages_[defining_font_] = *cp;
    } else if (t.text == "cpg") {
      if (t.param > 0) font_codepages_[defining_font_] = static_cast<uint32_t>(t.param);
    }
  }

  void control_symbol(char c, bool at_group_start) {
    if (c == '*') {
      // Only meaningful right after "{"; keep the group-start flag for the word after it.
      ignorable_ = at_group_start;
      group_opened_ = at_group_start;
      return;
    }
    ignorable_ = false;
    if (state().destination == Destination::Skip || state().destination == Destination::FontTable)
      return;
    if (skip_fallback()) return;
    switch (c) {
      case '\\': case '{': case '}':
        // Through the code page like other text bytes: in Shift_JIS or Big5 these can be
        // the second byte of a character whose first byte came as \'hh.
        if (!visible()) return;
        resolve_high_surrogate();
        sink_.byte(static_cast<uint8_t>(c), text_codepage());
        break;
      case '~':
        emit("\u00A0");
        break;
      case '_':
        // [MS-OXRTFEX] 2.1.3.1.4.2 maps \_ to &shy; in HTML; in text it is [MSFT-RTF]'s
        // non-breaking hyphen.
        emit(in_htmltag() ? "\u00AD" : "\u2011");
        break;
      case '\r': case '\n':
        emit("\r\n");  // [MSFT-RTF]: a backslash before a line end is \par
        break;
      default:
        break;  // \- (optional hyphen), \| and \: show nothing
    }
  }

  void hex_byte(uint8_t b) {
    ignorable_ = false;
    if (skip_fallback() || !visible()) return;
    resolve_high_surrogate();
    sink_.byte(b, text_codepage());
  }

  void text(std::string_view bytes) {
    ignorable_ = false;
    if (unicode_skip_ > 0) {
      const size_t n = std::min<size_t>(static_cast<size_t>(unicode_skip_), bytes.size());
      bytes.remove_prefix(n);
      unicode_skip_ -= static_cast<int32_t>(n);
    }
    if (bytes.empty() || !visible()) return;
    resolve_high_surrogate();
    sink_.bytes(bytes, text_codepage());
  }

  void binary() {
    // \binN data (pictures, objects) is never text; it counts as one fallback character.
    ignorable_ = false;
    skip_fallback();
  }

  // [MSFT-RTF] \uN: a signed 16-bit value, so negative N means N + 65536. Characters
  // beyond the BMP come as a surrogate pair of two \uN.
  void unicode(int32_t n) {
    if (!visible()) return;
    int64_t v = n;
    if (v < 0) v += 65536;
    if (v < 0) v = 0xFFFD;
    const auto cp = static_cast<char32_t>(v);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      resolve_high_surrogate();
      high_surrogate_ = cp;
      return;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      if (high_surrogate_ != 0) {
        sink_.codepoint(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (cp - 0xDC00));
        high_surrogate_ = 0;
      } else {
        sink_.codepoint(0xFFFD);
      }
      return;
    }
    resolve_high_surrogate();
    sink_.codepoint(cp);
  }

  // A high surrogate not followed by its low half shows as U+FFFD.
  void resolve_high_surrogate() {
    if (high_surrogate_ == 0) return;
    high_surrogate_ = 0;
    sink_.codepoint(0xFFFD);
  }

  void emit(std::string_view utf8) {
    if (!visible()) return;
    resolve_high_surrogate();
    sink_.ascii(utf8);
  }

  const BodyKind kind_;
  uint32_t document_codepage_;
  int32_t default_font_ = 0;
  int32_t defining_font_ = -1;
  std::unordered_map<int32_t, uint32_t> font_codepages_;

  std::vector<GroupState> stack_;
  size_t untracked_depth_ = 0;  // groups opened beyond kMaxDepth
  bool group_opened_ = false;   // the previous token was "{" (or "{\*")
  bool ignorable_ = false;      // "{\*" seen: the next word names an ignorable destination
  int32_t unicode_skip_ = 0;
  char32_t high_surrogate_ = 0;
  TextSink sink_;
};

}  // namespace

Deencapsulated deencapsulate(std::string_view rtf, uint32_t default_codepage) {
  Deencapsulated result;
  result.kind = detect_kind(rtf);
  result.content = Reader(result.kind, default_codepage).run(rtf);
  return result;
}

}  // namespace ostfs::rtf
