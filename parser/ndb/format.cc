#include "parser/ndb/format.h"

namespace ostfs::ndb {

const char* format_name(Format format) {
  switch (format) {
    case Format::Ansi: return "ANSI";
    case Format::Unicode: return "Unicode";
    case Format::Unicode4k: return "Unicode (4 KiB pages)";
  }
  return "unknown";
}

}  // namespace ostfs::ndb
