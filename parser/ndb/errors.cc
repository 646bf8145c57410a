#include "parser/ndb/errors.h"

#include <cstdio>

namespace ostfs::ndb {

std::string hex(uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llX", static_cast<unsigned long long>(value));
  return buffer;
}

}  // namespace ostfs::ndb
