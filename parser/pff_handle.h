// The libpff boundary: RAII owners for libpff handles and one way to call libpff.
// libpff functions return 1 (done), 0 (not available) or -1 (error, with an error
// object to free); check() turns -1 into a PffError carrying libpff's backtrace.
#pragma once

#include <libpff.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ostfs::pff {

struct PffError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Owns the error object a libpff call may fill in.
class ErrorSlot {
 public:
  ErrorSlot() = default;
  ErrorSlot(const ErrorSlot&) = delete;
  ErrorSlot& operator=(const ErrorSlot&) = delete;
  ~ErrorSlot();
  libpff_error_t** out() { return &error_; }
  // libpff's innermost message, one line.
  std::string message() const;

 private:
  libpff_error_t* error_ = nullptr;
};

// Calls `fn(libpff_error_t**)`; returns 1 or 0, throws PffError("what: reason") on -1.
template <typename Fn>
int check(std::string_view what, Fn&& fn) {
  ErrorSlot slot;
  const int result = fn(slot.out());
  if (result == -1) throw PffError(std::string(what) + ": " + slot.message());
  return result;
}

struct FileDeleter {
  void operator()(libpff_file_t* file) const;
};
struct ItemDeleter {
  void operator()(libpff_item_t* item) const;
};
struct RecordSetDeleter {
  void operator()(libpff_record_set_t* set) const;
};
struct RecordEntryDeleter {
  void operator()(libpff_record_entry_t* entry) const;
};

using FilePtr = std::unique_ptr<libpff_file_t, FileDeleter>;
using ItemPtr = std::unique_ptr<libpff_item_t, ItemDeleter>;
using RecordSetPtr = std::unique_ptr<libpff_record_set_t, RecordSetDeleter>;
using RecordEntryPtr = std::unique_ptr<libpff_record_entry_t, RecordEntryDeleter>;

}  // namespace ostfs::pff
