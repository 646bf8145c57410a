#include "parser/pff_handle.h"

#include <array>

namespace ostfs::pff {

ErrorSlot::~ErrorSlot() {
  if (error_) libpff_error_free(&error_);
}

std::string ErrorSlot::message() const {
  if (!error_) return "unknown libpff error";
  std::array<char, 4096> buffer{};
  if (libpff_error_backtrace_sprint(error_, buffer.data(), buffer.size()) < 0) return "unknown libpff error";
  // The backtrace lists the innermost failure first, one per line; that line says what
  // went wrong, the outer ones only say which caller gave up.
  std::string text(buffer.data());
  if (auto eol = text.find('\n'); eol != std::string::npos) text.resize(eol);
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

void FileDeleter::operator()(libpff_file_t* file) const {
  libpff_file_close(file, nullptr);
  libpff_file_free(&file, nullptr);
}
void ItemDeleter::operator()(libpff_item_t* item) const { libpff_item_free(&item, nullptr); }
void RecordSetDeleter::operator()(libpff_record_set_t* set) const { libpff_record_set_free(&set, nullptr); }
void RecordEntryDeleter::operator()(libpff_record_entry_t* entry) const {
  libpff_record_entry_free(&entry, nullptr);
}

}  // namespace ostfs::pff
