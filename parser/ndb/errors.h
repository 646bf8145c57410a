// Errors of the native NDB/LTP reader. Every message names the structure and where it is
// (NID, BID or file offset), so a damaged file can be diagnosed from the log alone.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ostfs::ndb {

// Base of everything the native reader throws about the file.
struct NdbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file cannot be read at all (I/O error, or an offset beyond its end).
struct IoError : NdbError {
  using NdbError::NdbError;
};

// A structure breaks the format's rules (bad signature, count, size or link).
struct CorruptError : NdbError {
  using NdbError::NdbError;
};

// A structure's stored CRC does not match its bytes.
struct CrcError : CorruptError {
  using CorruptError::CorruptError;
};

// A NID or BID, or an HID in a heap, that the file does not contain.
struct NotFoundError : NdbError {
  using NdbError::NdbError;
};

// "0x1A2B": how NIDs, BIDs and offsets appear in messages.
std::string hex(uint64_t value);

}  // namespace ostfs::ndb
