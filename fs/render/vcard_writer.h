// Content lines of a vCard ([RFC 2426] for 3.0, [RFC 6350] for 4.0): value escaping,
// parameter quoting and line folding. Written by hand because Debian has no maintained
// C/C++ vCard library; the rules are small and the tests check them with a real parser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ostfs::render::vcard {

// Escapes a TEXT value (or one component of a structured value): backslash, comma,
// semicolon and line breaks (CRLF, CR, LF all become "\n"). Invalid UTF-8 becomes U+FFFD;
// other control characters except TAB are dropped, as vCard cannot carry them.
std::string escape_text(std::string_view value);

// A parameter value: quoted when it holds ':', ';' or ','; DQUOTE and control
// characters, which a parameter value cannot hold, become spaces / are dropped.
std::string param_value(std::string_view value);

// Folds one content line (without its CRLF) into lines of at most 75 octets, each
// continuation starting with a space, never inside a UTF-8 sequence ([RFC 6350] 3.2).
// Returns the folded line with every physical line ended by CRLF.
std::string fold(std::string_view line);

// Builds a vCard: BEGIN/VERSION first, END last, lines folded.
class Writer {
 public:
  explicit Writer(int version);
  int version() const { return version_; }
  // Adds "NAME[;params]:value". `params` and `value` are used as given (already escaped).
  void add(std::string_view name, std::string_view params, std::string_view value);
  // Adds a TEXT property, escaping `value`; nothing when `value` is empty.
  void add_text(std::string_view name, std::string_view params, std::string_view value);
  // Adds a property whose value is a URI: not backslash-escaped (that would change the
  // URI), only stripped of characters no content line can hold; nothing when empty.
  void add_uri(std::string_view name, std::string_view params, std::string_view uri);
  // Adds a structured property whose components are escaped and joined with ';'.
  void add_structured(std::string_view name, std::string_view params, const std::vector<std::string>& components);
  std::string finish() const;

 private:
  int version_;
  std::string out_;
};

}  // namespace ostfs::render::vcard
