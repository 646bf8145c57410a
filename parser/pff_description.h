// What the reader needs to know of a file that only libpff can open: the libpff worker
// (pff_reader.h) finds it, the reader (reader.cc) fills FileInfo and the tree's roots from it.
#pragma once

#include <cstdint>
#include <string>

#include "parser/model.h"

namespace ostfs::parser {

struct PffDescription {
  bool unicode = true;
  uint32_t page_size = 512;
  std::string encryption;
  uint32_t ansi_codepage = 1252;
  uint32_t root_nid = 0;
  model::PropertyBag message_store;  // empty when libpff cannot read the message store
};

}  // namespace ostfs::parser
